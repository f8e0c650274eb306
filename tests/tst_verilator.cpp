#include "TestUtils.h"
#include "base/Error.h"
#include "base/RunControl.h"
#include "hw/Exporter.h"
#include "hw/ResourceEstimator.h"
#include "hw/Verilator.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::hw;

namespace {

// A 12-10-6-4 LIF chain with biases: three layers, so that a mismatch can name a middle one.
QuantizedNetwork network()
{
    const Graph g = test::randomChain(31, {12, 10, 6, 4}, 0.6, 0.15, [](Layer &l, Rng &rng) {
        l.bias = Eigen::VectorXf(l.neurons());
        for (int n = 0; n < l.neurons(); ++n)
            l.bias(n) = float(0.2 * rng.normal());
        l.neuron.type = NeuronType::LIF;
        l.neuron.beta = 0.85f;
        l.neuron.threshold = 1.0f;
    });
    QuantConfig c;
    c.weightBits = 4;
    c.steps = 10;
    c.seed = 0x5eed;
    return quantize(g, c);
}

constexpr int kSamples = 9;
constexpr int kLanes = 2;

// Flips the lowest bit of line `line` of the hex memory image `name` in `dir`.
void flipBit(const QString &dir, const QString &name, qsizetype line)
{
    QFile file(QDir(dir).filePath(name));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = file.readAll().split('\n');
    file.close();
    QVERIFY(line < lines.size());
    const QByteArray word = lines[line];
    lines[line] =
        QByteArray::number(word.toULongLong(nullptr, 16) ^ 1u, 16).rightJustified(word.size(), '0');
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(lines.join('\n'));
}

// Where the core testbench must first see `changed` differ from `net` (the model it was given).
// The core runs a block of steps layer by layer and, within a layer, group by group through the
// block's steps, and the testbench checks each group's spikes as they come: the first difference
// is the first (block, layer, group, step) whose spikes differ; else, at the end of the sample,
// the first (step, layer) membrane checksum; else the outputs.
MismatchSite firstDifference(const QuantizedNetwork &net, const QuantizedNetwork &changed,
                             const std::vector<std::vector<std::uint8_t>> &samples)
{
    const MemoryLayout layout = memoryLayout(net, kLanes);
    const int steps = net.config.steps;
    for (std::size_t s = 0; s < samples.size(); ++s) {
        ModelTrace a, b;
        const ModelResult ra = runModel(net, samples[s], &a);
        const ModelResult rb = runModel(changed, samples[s], &b);
        for (int first = 0; first < steps; first += layout.blockSteps)
            for (std::size_t k = 0; k < net.layers.size(); ++k)
                for (int g = 0; g < layout.layers[k].groups; ++g)
                    for (int t = first; t < std::min(steps, first + layout.blockSteps); ++t)
                        for (int n = g * kLanes;
                             n < std::min(net.layers[k].neurons, (g + 1) * kLanes); ++n)
                            if (a.spikes[std::size_t(t)][k][std::size_t(n)] !=
                                b.spikes[std::size_t(t)][k][std::size_t(n)])
                                return {int(s), int(k), t};
        for (std::size_t t = 0; t < a.spikes.size(); ++t)
            for (std::size_t k = 0; k < net.layers.size(); ++k)
                if (a.membranes[t][k] != b.membranes[t][k] ||
                    a.accumulated[t][k] != b.accumulated[t][k])
                    return {int(s), int(k), int(t)};
        if (ra.counts != rb.counts || ra.predicted != rb.predicted)
            return {int(s), -1, -1};
    }
    return {};
}

} // namespace

class TestVerilator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void matchesTheModel();
    void partsAddUp();
    void reusesTheCompiledModel();
    void namesThePlantedMismatch_data();
    void namesThePlantedMismatch();
    void namesAFlippedWeight();
    void spramDesignFromFlash();
    void stripedSpramMatchesTheModel();
    void missingVerilatorIsNamed();
    void cancelStopsIt();

private:
    void restoreImages();

    QTemporaryDir m_dir;
    QuantizedNetwork m_net;
    std::vector<std::vector<std::uint8_t>> m_samples;
    FileMap m_files;
    RtlVerification m_result; // the first run, jobs 2
};

void TestVerilator::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_net = network();
    m_samples = exercisingSamples(m_net, kSamples, 7);
    DesignOptions options;
    options.lanes = kLanes;
    m_files = generateDesign(m_net, options);
    m_files.merge(generateTestbench(m_net, m_samples, options));
    writeFiles(m_dir.path(), m_files);
    m_result = runVerilator(m_dir.path(), RunControl(), 2);
}

void TestVerilator::restoreImages()
{
    writeFiles(m_dir.path(), m_files);
}

void TestVerilator::matchesTheModel()
{
    const RtlVerification &r = m_result;
    QVERIFY2(r.details.isEmpty(), qPrintable(r.details.join(QLatin1Char('\n'))));
    QVERIFY(r.passed());
    QCOMPARE(r.simulator, QStringLiteral("verilator"));
    QCOMPARE(r.processes, 2);
    QVERIFY(r.compiled);
    QCOMPARE(r.samples, kSamples);
    QCOMPARE(r.mismatches, 0);
    QVERIFY(!r.first);
    const MemoryLayout layout = memoryLayout(m_net, kLanes);
    QCOMPARE(r.spikeWords, kSamples * m_net.config.steps * layout.membraneWords);
    QCOMPARE(r.checksums, kSamples * m_net.config.steps * int(m_net.layers.size()));
    QCOMPARE(r.outputCounts, kSamples * m_net.outputSize());
    std::int64_t cycles = 0;
    int silent = 0;
    for (const auto &s : m_samples) {
        ModelTrace trace;
        for (int count : runModel(m_net, s, &trace).counts)
            silent += count == 0 ? 1 : 0;
        cycles += coreCycles(m_net, layout, trace);
    }
    QCOMPARE(r.cycles, cycles);
    QCOMPARE(r.silentCounts, silent);
    QVERIFY2(silent < r.outputCounts, "the outputs never fire: the test would prove nothing");
    // iverilog on the same testbench agrees on every figure.
    const RtlVerification icarus = runRtlSimulation(m_dir.path(), RunControl());
    QCOMPARE(icarus.simulator, QStringLiteral("iverilog"));
    QCOMPARE(icarus.samples, r.samples);
    QCOMPARE(icarus.cycles, r.cycles);
    QCOMPARE(icarus.spikeWords, r.spikeWords);
    QCOMPARE(icarus.saturatedCounts, r.saturatedCounts);
}

void TestVerilator::partsAddUp()
{
    // One, three or nine simulators on consecutive parts: the same sums as two.
    for (int jobs : {1, 3, 9, 20}) {
        const RtlVerification r = runVerilator(m_dir.path(), RunControl(), jobs);
        QCOMPARE(r.processes, std::min(jobs, kSamples));
        QCOMPARE(r.samples, kSamples);
        QCOMPARE(r.mismatches, 0);
        QCOMPARE(r.cycles, m_result.cycles);
        QCOMPARE(r.spikeWords, m_result.spikeWords);
        QCOMPARE(r.checksums, m_result.checksums);
        QCOMPARE(r.silentCounts, m_result.silentCounts);
        QCOMPARE(r.saturatedCounts, m_result.saturatedCounts);
    }
}

void TestVerilator::reusesTheCompiledModel()
{
    const QString binary = m_dir.filePath(QStringLiteral("verilator/tb_snn_core"));
    const QDateTime built = QFileInfo(binary).lastModified();
    QVERIFY(built.isValid());
    const RtlVerification again = runVerilator(m_dir.path(), RunControl(), 2);
    QVERIFY(!again.compiled);
    QCOMPARE(QFileInfo(binary).lastModified(), built);
    QCOMPARE(again.cycles, m_result.cycles);
    // Another design (one more lane): compiled anew, in a folder whose path has a space (as the
    // studio's default "SNN Studio" project folder; Verilator's makefiles refuse one), named by
    // a relative path (as `snnc verify -o DIR` passes it).
    QTemporaryDir parent;
    const QString other = parent.filePath(QStringLiteral("SNN Studio/design"));
    DesignOptions options;
    options.lanes = kLanes * 2;
    FileMap files = generateDesign(m_net, options);
    files.merge(generateTestbench(m_net, m_samples, options));
    writeFiles(other, files);
    QVERIFY(QDir().mkpath(other + QStringLiteral("/verilator")));
    QVERIFY(QFile::copy(binary, other + QStringLiteral("/verilator/tb_snn_core")));
    QVERIFY(QFile::copy(m_dir.filePath(QStringLiteral("verilator/key")),
                        other + QStringLiteral("/verilator/key")));
    const QString here = QDir::currentPath();
    QVERIFY(QDir::setCurrent(parent.path()));
    const RtlVerification r = runVerilator(QStringLiteral("SNN Studio/design"), RunControl(), 2);
    QVERIFY(QDir::setCurrent(here));
    QVERIFY(r.compiled);
    QVERIFY(r.passed());
    QCOMPARE(r.spikeWords, kSamples * m_net.config.steps * memoryLayout(m_net, 4).membraneWords);
}

void TestVerilator::namesThePlantedMismatch_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("sample");
    QTest::addColumn<int>("step");
    QTest::addColumn<int>("layer");
    QTest::addColumn<QString>("line");
    // Samples 0-3 run in the first simulator, 4-8 in the second.
    QTest::newRow("spikes of layer 1, sample 6 (the second part)")
        << QStringLiteral("spikes.mem") << 6 << 3 << 1
        << QStringLiteral("MISMATCH sample 6 step 3 layer 1 group 2 spikes rtl ");
    QTest::newRow("spikes of layer 2, sample 0")
        << QStringLiteral("spikes.mem") << 0 << 9 << 2
        << QStringLiteral("MISMATCH sample 0 step 9 layer 2 group 0 spikes rtl ");
    QTest::newRow("membrane checksum of layer 1, sample 4")
        << QStringLiteral("checksums.mem") << 4 << 5 << 1
        << QStringLiteral("MISMATCH sample 4 step 5 layer 1 membrane checksum rtl ");
}

void TestVerilator::namesThePlantedMismatch()
{
    QFETCH(QString, file);
    QFETCH(int, sample);
    QFETCH(int, step);
    QFETCH(int, layer);
    QFETCH(QString, line);
    const MemoryLayout layout = memoryLayout(m_net, kLanes);
    const int steps = m_net.config.steps;
    const qsizetype sampleStep = qsizetype(sample) * steps + step;
    // checksums.mem: one per (sample, step, layer); spikes.mem: one word per (sample, step, group).
    const qsizetype at = file == QLatin1String("checksums.mem")
                             ? sampleStep * qsizetype(m_net.layers.size()) + layer
                             : sampleStep * layout.membraneWords +
                                   layout.layers[std::size_t(layer)].membraneBase +
                                   (layer == 1 ? 2 : 0);
    flipBit(m_dir.path(), file, at);
    const RtlVerification r = runVerilator(m_dir.path(), RunControl(), 2);
    restoreImages();
    QVERIFY(!r.compiled);
    QVERIFY(!r.passed());
    QCOMPARE(r.samples, kSamples);
    QCOMPARE(r.mismatches, 1);
    QVERIFY(r.first);
    QCOMPARE(r.first->sample, sample);
    QCOMPARE(r.first->step, step);
    QCOMPARE(r.first->layer, layer);
    QCOMPARE(r.details.size(), 1);
    QVERIFY2(r.details.front().startsWith(line), qPrintable(r.details.front()));
}

void TestVerilator::namesAFlippedWeight()
{
    // The lowest bit of the weight from source 3 to neuron 0 (lane 0 of group 0) of the first
    // layer: the RTL computes the changed network, which the model says first differs where.
    QuantizedNetwork changed = m_net;
    changed.layers[0].weights[3] ^= 1;
    const MismatchSite expected = firstDifference(m_net, changed, m_samples);
    QVERIFY2(expected.sample >= 0, "the flipped weight changes nothing: pick another");
    flipBit(m_dir.path(), QStringLiteral("weights.mem"),
            3 * memoryLayout(m_net, kLanes).layers[0].groups);
    const RtlVerification r = runVerilator(m_dir.path(), RunControl(), 2);
    restoreImages();
    QVERIFY(!r.passed());
    QVERIFY(r.first);
    QCOMPARE(r.first->sample, expected.sample);
    QCOMPARE(r.first->layer, expected.layer);
    QCOMPARE(r.first->step, expected.step);
}

void TestVerilator::spramDesignFromFlash()
{
    // The weights in SPRAM (yosys' SB_SPRAM256KA model), loaded from the SPI flash model.
    QTemporaryDir dir;
    DesignOptions options;
    options.lanes = 4;
    options.spram = true;
    writeFiles(dir.path(), generateDesign(m_net, options));
    writeFiles(dir.path(), generateTestbench(m_net, m_samples, options));
    const RtlVerification r = runVerilator(dir.path(), RunControl(), 2);
    QVERIFY2(r.details.isEmpty(), qPrintable(r.details.join(QLatin1Char('\n'))));
    QVERIFY(r.passed());
    QCOMPARE(r.samples, kSamples);
    QCOMPARE(r.spikeWords, kSamples * m_net.config.steps * memoryLayout(m_net, 4).membraneWords);
    // A damaged image is refused, and the error says which check failed.
    flipBit(dir.path(), QStringLiteral("flash.mem"), 20);
    try {
        runVerilator(dir.path(), RunControl(), 2);
        QFAIL("a damaged flash image passed");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("the core in %1 refused its weight image (flash.mem): "
                                "%2")
                     .arg(dir.path(), protocol::toString(protocol::ImageState::BadCrc)));
    }
}

void TestVerilator::stripedSpramMatchesTheModel()
{
    // 600-250-10 at 8 lanes x 4 bits: 600 x 32 + 250 x 2 = 19,700 words of 32 bits, 16K or more,
    // so striped (hw::spramLayout): 3 SPRAM blocks, where two banks side by side took 4.
    const Graph g = test::randomChain(25, {600, 250, 10}, 0.25, 0.02, [](Layer &l, Rng &) {
        l.neuron.type = NeuronType::LIF;
        l.neuron.beta = 0.9f;
        l.neuron.threshold = 1.0f;
    });
    QuantConfig c;
    c.weightBits = 4;
    c.steps = 8;
    const QuantizedNetwork net = quantize(g, c);
    QCOMPARE(memoryLayout(net, 8).weightWords, 19700);
    QCOMPARE(estimateResources(net, 8, true).spramBlocks, 3);
    const auto samples = exercisingSamples(net, 3, 11);
    int total = 0;
    for (const auto &s : samples)
        for (int x : runModel(net, s).counts)
            total += x;
    QVERIFY2(total > 0, "the output layer never fires: the test would prove nothing");
    QTemporaryDir dir;
    DesignOptions options;
    options.lanes = 8;
    options.spram = true;
    const FileMap design = generateDesign(net, options);
    QVERIFY(design.at(QStringLiteral("snn_config.vh")).contains("localparam SP_BLOCKS = 3;"));
    writeFiles(dir.path(), design);
    writeFiles(dir.path(), generateTestbench(net, samples, options));
    const RtlVerification r = runVerilator(dir.path(), RunControl(), 2);
    QVERIFY2(r.details.isEmpty(), qPrintable(r.details.join(QLatin1Char('\n'))));
    QVERIFY(r.passed());
    QCOMPARE(r.samples, 3);
    QCOMPARE(r.spikeWords, 3 * c.steps * memoryLayout(net, 8).membraneWords);
    std::int64_t cycles = 0;
    for (const auto &s : samples) {
        ModelTrace trace;
        runModel(net, s, &trace);
        cycles += coreCycles(net, memoryLayout(net, 8), trace);
    }
    QCOMPARE(r.cycles, cycles);
}

void TestVerilator::missingVerilatorIsNamed()
{
    QTemporaryDir dir, empty;
    writeFiles(dir.path(), m_files); // not compiled there yet
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", empty.path().toUtf8());
    try {
        runVerilator(dir.path(), RunControl());
        qputenv("PATH", path);
        QFAIL("ran without verilator");
    } catch (const Error &e) {
        qputenv("PATH", path);
        QCOMPARE(e.message(), QStringLiteral("verilator is not installed (apt-get install "
                                             "verilator)"));
    }
}

void TestVerilator::cancelStopsIt()
{
    // Cancelled while compiling: the compiler is stopped within a second or two.
    QTemporaryDir dir;
    writeFiles(dir.path(), m_files);
    RunControl control;
    control.cancelRequested = [] { return true; };
    QElapsedTimer timer;
    timer.start();
    QVERIFY_THROWS_EXCEPTION(Cancelled, runVerilator(dir.path(), control));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("verilator/tb_snn_core"))));
}

QTEST_GUILESS_MAIN(TestVerilator)
#include "tst_verilator.moc"
