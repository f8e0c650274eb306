#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "base/RunControl.h"
#include "hw/Pll.h"
#include "hw/VerilogGenerator.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::hw;

namespace {

// A random chain input -> hidden... -> output with Gaussian weights.
Graph randomGraph(std::uint64_t seed, const std::vector<int> &sizes, NeuronType type,
                  ResetMode reset, bool bias)
{
    return test::randomChain(seed, sizes, 0.6, 0.15, [&](Layer &l, Rng &rng) {
        if (bias) {
            l.bias = Eigen::VectorXf(l.neurons());
            for (int n = 0; n < l.neurons(); ++n)
                l.bias(n) = float(0.2 * rng.normal());
        }
        l.neuron.type = type;
        l.neuron.beta = type == NeuronType::IF ? 1.0f : 0.85f;
        l.neuron.reset = reset;
        l.neuron.threshold = 1.0f;
    });
}

std::vector<std::vector<std::uint8_t>> randomSamples(std::uint64_t seed, int count, int size)
{
    Rng rng(seed);
    std::vector<std::vector<std::uint8_t>> samples(static_cast<std::size_t>(count));
    for (auto &s : samples)
        for (int i = 0; i < size; ++i)
            s.push_back(std::uint8_t(rng.next() & 0xff));
    return samples;
}

} // namespace

class TestVerilog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rtlMatchesModel_data();
    void rtlMatchesModel();
    void boardTestbench_data();
    void boardTestbench();
    void receiverSamplesMidBit_data();
    void receiverSamplesMidBit();
    void layoutPacksLanes();
    void spramLayoutStripes();
    void cyclesBelowPreviousCore();
    void gateLevelMatchesModel();
    void mismatchIsReported();
    void rejectsBadLanes();
};

void TestVerilog::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("iverilog")).isEmpty())
        QFAIL("iverilog is not installed (apt-get install iverilog)");
}

void TestVerilog::rtlMatchesModel_data()
{
    QTest::addColumn<int>("seed");
    QTest::addColumn<QList<int>>("sizes");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("reset");
    QTest::addColumn<bool>("bias");
    QTest::addColumn<int>("lanes");
    QTest::addColumn<int>("bits");
    QTest::addColumn<int>("membrane");
    QTest::addColumn<bool>("spram");
    const int IF = int(NeuronType::IF);
    const int LIF = int(NeuronType::LIF);
    const int sub = int(ResetMode::Subtract);
    const int zero = int(ResetMode::Zero);
    QTest::newRow("IF subtract 1 lane")
        << 1 << QList<int>{6, 5, 3} << IF << sub << false << 1 << 8 << 16 << false;
    QTest::newRow("LIF subtract 2 lanes bias")
        << 2 << QList<int>{8, 7, 4} << LIF << sub << true << 2 << 6 << 16 << false;
    QTest::newRow("LIF zero 4 lanes")
        << 3 << QList<int>{5, 9, 6, 3} << LIF << zero << false << 4 << 4 << 12 << false;
    QTest::newRow("IF zero 2 lanes bias")
        << 4 << QList<int>{7, 4, 5} << IF << zero << true << 2 << 8 << 16 << false;
    QTest::newRow("LIF subtract 8-bit membrane saturates")
        << 5 << QList<int>{10, 6, 4} << LIF << sub << true << 4 << 8 << 10 << false;
    QTest::newRow("SPRAM from flash, 2 lanes x 8 bits")
        << 7 << QList<int>{7, 6, 4} << LIF << sub << true << 2 << 8 << 16 << true;
    QTest::newRow("SPRAM from flash, 4 lanes x 4 bits, IF zero")
        << 8 << QList<int>{9, 5, 3} << IF << zero << false << 4 << 4 << 16 << true;
    QTest::newRow("SPRAM from flash, 8 lanes x 4 bits (2 blocks a word)")
        << 9 << QList<int>{11, 13, 4} << LIF << sub << true << 8 << 4 << 16 << true;
    QTest::newRow("SPRAM from flash, 16 lanes x 3 bits (4 blocks a word)")
        << 10 << QList<int>{6, 17, 5} << LIF << zero << false << 16 << 3 << 12 << true;
    QTest::newRow("2-bit weights one layer")
        << 6 << QList<int>{9, 5} << LIF << sub << false << 8 << 2 << 8 << false;
}

void TestVerilog::rtlMatchesModel()
{
    QFETCH(int, seed);
    QFETCH(QList<int>, sizes);
    QFETCH(int, type);
    QFETCH(int, reset);
    QFETCH(bool, bias);
    QFETCH(int, lanes);
    QFETCH(int, bits);
    QFETCH(int, membrane);
    QFETCH(bool, spram);
    const Graph g = randomGraph(std::uint64_t(seed), std::vector<int>(sizes.begin(), sizes.end()),
                                NeuronType(type), ResetMode(reset), bias);
    QuantConfig c;
    c.weightBits = bits;
    c.membraneBits = membrane;
    c.steps = 12;
    c.seed = 0x1234567u + std::uint32_t(seed);
    const QuantizedNetwork net = quantize(g, c);
    const auto samples = randomSamples(std::uint64_t(seed) + 100, 6, g.inputSize());
    // The comparison only means something if the output layer fires and differs across samples.
    int total = 0;
    for (const auto &s : samples)
        for (int x : runModel(net, s).counts)
            total += x;
    QVERIFY2(total > 0, "the random graph never fires: the test would prove nothing");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    dir.setAutoRemove(qEnvironmentVariableIsEmpty("SNN_KEEP_TEMP"));
    DesignOptions options;
    options.lanes = lanes;
    options.spram = spram;
    options.button = spram; // the board-level testbench reloads the flash image with it
    writeFiles(dir.path(), generateDesign(net, options));
    writeFiles(dir.path(), generateTestbench(net, samples, options));
    QCOMPARE(QFile::exists(dir.filePath(QStringLiteral("weights.bin"))), spram);
    QCOMPARE(QFile::exists(dir.filePath(QStringLiteral("weights.mem"))), !spram);
    QCOMPARE(QFile::exists(dir.filePath(QStringLiteral("bias.mem"))),
             memoryLayout(net, lanes).hasBias);
    const RtlVerification result = runRtlSimulation(dir.path(), RunControl());
    QVERIFY2(result.details.isEmpty(), qPrintable(result.details.join(QLatin1Char('\n'))));
    QCOMPARE(result.samples, 6);
    QCOMPARE(result.mismatches, 0);
    QVERIFY(result.passed());
    // Inside: every group's sweep at every step, and one membrane checksum per step and layer.
    QCOMPARE(result.spikeWords, 6 * c.steps * memoryLayout(net, lanes).membraneWords);
    QCOMPARE(result.checksums, 6 * c.steps * int(net.layers.size()));
    QCOMPARE(result.outputCounts, 6 * net.outputSize());
    // Cycles: exactly coreCycles of the sources that spiked in the model's run.
    std::int64_t cycles = 0;
    for (const auto &s : samples) {
        ModelTrace trace;
        runModel(net, s, &trace);
        cycles += coreCycles(net, memoryLayout(net, lanes), trace);
    }
    QCOMPARE(result.cycles, cycles);
}

void TestVerilog::boardTestbench_data()
{
    QTest::addColumn<int>("seed");
    QTest::addColumn<QList<int>>("sizes");
    QTest::addColumn<int>("lanes");
    QTest::addColumn<int>("bits");
    QTest::addColumn<bool>("spram");
    QTest::addColumn<bool>("button");
    QTest::addColumn<double>("clockMHz");
    QTest::addColumn<int>("baud");
    // Each board's kind of design (EBR without a button: iCEstick, HX8K, UPduino; SPRAM with the
    // iCEBreaker's button), at the fastest baud rate its clock accepts (8 or 9 clocks a bit) and
    // the default 115200 (104 clocks at 12 MHz).
    QTest::newRow("iCEstick EBR, 1.5 Mbaud at 12 MHz")
        << 1 << QList<int>{6, 5, 3} << 2 << 8 << false << false << 12.0 << 1500000;
    QTest::newRow("iCEstick EBR, 115200 baud at 12 MHz")
        << 2 << QList<int>{8, 7, 4} << 2 << 6 << false << false << 12.0 << 115200;
    QTest::newRow("HX8K EBR, 2 Mbaud at 18 MHz (PLL)")
        << 3 << QList<int>{5, 9, 6, 3} << 4 << 4 << false << false << 18.0 << 2000000;
    QTest::newRow("UPduino EBR, 3 Mbaud at 24 MHz (PLL)")
        << 4 << QList<int>{7, 4, 5} << 2 << 8 << false << false << 24.0 << 3000000;
    QTest::newRow("iCEBreaker SPRAM, 1.5 Mbaud at 12 MHz")
        << 7 << QList<int>{7, 6, 4} << 2 << 8 << true << true << 12.0 << 1500000;
    QTest::newRow("iCEBreaker SPRAM 8 lanes, 3 Mbaud at 24 MHz (PLL)")
        << 9 << QList<int>{11, 13, 4} << 8 << 4 << true << true << 24.0 << 3000000;
}

void TestVerilog::boardTestbench()
{
    QFETCH(int, seed);
    QFETCH(QList<int>, sizes);
    QFETCH(int, lanes);
    QFETCH(int, bits);
    QFETCH(bool, spram);
    QFETCH(bool, button);
    QFETCH(double, clockMHz);
    QFETCH(int, baud);
    const Graph g = randomGraph(std::uint64_t(seed), std::vector<int>(sizes.begin(), sizes.end()),
                                NeuronType::LIF, ResetMode::Subtract, true);
    QuantConfig c;
    c.weightBits = bits;
    c.steps = 8;
    const QuantizedNetwork net = quantize(g, c);
    const auto samples = randomSamples(std::uint64_t(seed) + 200, 3, g.inputSize());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    dir.setAutoRemove(qEnvironmentVariableIsEmpty("SNN_KEEP_TEMP"));
    DesignOptions options;
    options.lanes = lanes;
    options.spram = spram;
    options.button = button;
    options.baud = baud;
    options.clockHz = clockMHz * 1e6;
    if (clockMHz != 12.0)
        options.pll = pllSettings(12.0, clockMHz);
    writeFiles(dir.path(), generateDesign(net, options));
    writeFiles(dir.path(), generateTestbench(net, samples, options));
    const RtlVerification uart = runRtlSimulation(dir.path(), RunControl(), Testbench::Uart);
    QVERIFY2(uart.details.isEmpty(), qPrintable(uart.details.join(QLatin1Char('\n'))));
    QCOMPARE(uart.samples, 3);
    QCOMPARE(uart.mismatches, 0);
    QStringList cases{"status",       "run",          "clock +2%",  "clock -2%",      "stray byte",
                      "dropped byte", "bad checksum", "bad length", "unknown command"};
    if (spram)
        cases << QStringList{"stale image",  "missing image", "bad magic",
                             "wrong length", "bad crc",       "image restored"};
    QCOMPARE(uart.cases, cases);
}

void TestVerilog::receiverSamplesMidBit_data()
{
    QTest::addColumn<int>("clocks");
    QTest::addColumn<double>("skew");
    QTest::addColumn<bool>("intact");
    // uart_rx reads each bit F to F + 1 clocks into it (F = (clocks - 1) / 2): at 8 clocks the
    // stop bit 75 to 76 clocks after the start bit's edge, which a sender up to 5.26% fast or 4%
    // slow still covers; at 104 clocks (115200 baud at 12 MHz) 987 to 988, within 5.26% fast or
    // 5.17% slow. Reading later (as the receiver did, 75-100% into the bit) loses bytes from a
    // sender 3% fast at 8 clocks; earlier, from one 4% slow.
    QTest::newRow("8 clocks, exact") << 8 << 0.0 << true;
    QTest::newRow("8 clocks, sender 2% fast") << 8 << 0.02 << true;
    QTest::newRow("8 clocks, sender 2% slow") << 8 << -0.02 << true;
    QTest::newRow("8 clocks, sender 4.5% fast") << 8 << 0.045 << true;
    QTest::newRow("8 clocks, sender 3.5% slow") << 8 << -0.035 << true;
    QTest::newRow("8 clocks, sender 6% fast: lost") << 8 << 0.06 << false;
    QTest::newRow("8 clocks, sender 5% slow: lost") << 8 << -0.05 << false;
    QTest::newRow("9 clocks, sender 2% fast") << 9 << 0.02 << true;
    QTest::newRow("9 clocks, sender 2% slow") << 9 << -0.02 << true;
    QTest::newRow("104 clocks, sender 4.5% fast") << 104 << 0.045 << true;
    QTest::newRow("104 clocks, sender 4.5% slow") << 104 << -0.045 << true;
}

void TestVerilog::receiverSamplesMidBit()
{
    QFETCH(int, clocks);
    QFETCH(double, skew);
    QFETCH(bool, intact);
    // uart_rx as generated (snn_uart_top.v and the headers it includes), driven by the fixture.
    QTemporaryDir dir;
    const Graph g = randomGraph(1, {3, 2}, NeuronType::LIF, ResetMode::Subtract, false);
    writeFiles(dir.path(), generateDesign(quantize(g, QuantConfig()), DesignOptions()));
    QProcess iverilog;
    iverilog.setWorkingDirectory(dir.path());
    iverilog.setProcessChannelMode(QProcess::MergedChannels);
    iverilog.start(QStringLiteral("iverilog"),
                   {QStringLiteral("-g2005"), QStringLiteral("-s"), QStringLiteral("tb_uart_rx"),
                    QStringLiteral("-Ptb_uart_rx.CLKS=%1").arg(clocks),
                    QStringLiteral("-Ptb_uart_rx.SKEW=%1").arg(skew), QStringLiteral("-o"),
                    QStringLiteral("rx.vvp"),
                    QStringLiteral(SNN_SOURCE_DIR "/tests/data/tb_uart_rx.v"),
                    QStringLiteral("snn_uart_top.v")});
    QVERIFY(iverilog.waitForFinished(60000));
    QVERIFY2(iverilog.exitCode() == 0, iverilog.readAll().constData());
    QProcess vvp;
    vvp.setWorkingDirectory(dir.path());
    vvp.start(QStringLiteral("vvp"), {QStringLiteral("-n"), QStringLiteral("rx.vvp")});
    QVERIFY(vvp.waitForFinished(60000));
    const QString out = QString::fromUtf8(vvp.readAllStandardOutput()).trimmed();
    const QStringList parts = out.split(QLatin1Char(' '));
    QVERIFY2(parts.size() == 7 && parts[0] == QLatin1String("RX"), qPrintable(out));
    QCOMPARE(parts[2].toInt(), 1000);
    const bool allIntact = parts[4].toInt() == 1000 && parts[6].toInt() == 0;
    QVERIFY2(allIntact == intact, qPrintable(out));
}

void TestVerilog::layoutPacksLanes()
{
    const Graph g = randomGraph(7, {5, 9, 3}, NeuronType::LIF, ResetMode::Subtract, false);
    const QuantizedNetwork net = quantize(g, QuantConfig());
    const MemoryLayout layout = memoryLayout(net, 4);
    QCOMPARE(layout.layers[0].groups, 3); // 9 neurons in 4 lanes
    QCOMPARE(layout.layers[1].groups, 1);
    QCOMPARE(layout.weightWords, 5 * 3 + 9 * 1);
    QCOMPARE(layout.layers[1].weightBase, 15);
    QCOMPARE(layout.membraneWords, 4);
    // The lists of spiking sources: the 5 inputs (list 0), the first layer's 9 neurons (list 1);
    // an entry is a weight word address (24 words: 5 bits) and a mask of 4 steps.
    QCOMPARE(layout.listWords[0], 5);
    QCOMPARE(layout.listWords[1], 9);
    QCOMPARE(layout.blockSteps, 4); // as many as the lanes (at most 8)
    QCOMPARE(layout.listBits, 5 + 4);
    QCOMPARE(layout.weightBits(8), std::int64_t(24 * 4 * 8));
    // The weight image: one line per word, lanes x 8 bits = 8 hex digits; lane 0 in the low byte.
    const FileMap files = generateDesign(net, DesignOptions{4, 12e6, 115200});
    const QList<QByteArray> lines = files.at(QStringLiteral("weights.mem")).trimmed().split('\n');
    QCOMPARE(lines.size(), 24);
    QCOMPARE(lines[0].size(), 8);
    const int w00 = net.layers[0].weight(0, 0);
    QCOMPARE(int(std::int8_t(lines[0].right(2).toInt(nullptr, 16))), w00);
    const int w31 = net.layers[0].weight(3, 1);
    QCOMPARE(int(std::int8_t(lines[3].left(2).toInt(nullptr, 16))), w31);
    // Group 2 of neuron 8 holds only lane 0; the padding lanes are zero.
    QVERIFY(lines[2].startsWith("000000"));
}

void TestVerilog::spramLayoutStripes()
{
    // Fewer than 16K words: side by side, a block per 16-bit piece.
    SpramLayout s = spramLayout(8, 4, 16383);
    QCOMPARE(s.piecesPerWord, 2);
    QCOMPARE(s.blocks, 2);
    QVERIFY(!s.striped);
    QCOMPARE(s.stride, std::int64_t(16384));
    QCOMPARE(spramLayout(2, 4, 100).blocks, 1);
    QCOMPARE(spramLayout(16, 3, 5).blocks, 4);
    // 16K words or more: striped, ceil(pieces x words / 16K) blocks.
    s = spramLayout(8, 4, 16384);
    QVERIFY(s.striped);
    QCOMPARE(s.blocks, 2);
    s = spramLayout(8, 4, 20858); // the shipped model after the default passes: 652 Kbit
    QVERIFY(s.striped);
    QCOMPARE(s.stride, std::int64_t(20858));
    QCOMPARE(s.blocks, 3);
    QCOMPARE(spramLayout(8, 4, 27264).blocks, 4); // before them: 852 Kbit
    QCOMPARE(spramLayout(4, 4, 54464).blocks, 4); // one piece a word: 54,464 / 16K
    QVERIFY(!spramLayout(4, 4, 54464).striped);   // (the same either way: no stride)
    QCOMPARE(spramLayout(8, 4, 32769).blocks, 5); // more than the UP5K's 4
    QCOMPARE(spramLayout(16, 5, 100).blocks, 0);  // 80-bit words do not fit
    QCOMPARE(spramLayout(16, 5, 100).piecesPerWord, 0);

    // The striped flash image holds piece 0 of every word, then piece 1: the words of the EBR
    // design's weights.mem, low 16 bits first.
    const Graph g = randomGraph(12, {600, 250, 10}, NeuronType::LIF, ResetMode::Subtract, false);
    QuantConfig c;
    c.weightBits = 4;
    const QuantizedNetwork net = quantize(g, c);
    const QList<QByteArray> words = generateDesign(net, DesignOptions{8, 12e6, 115200})
                                        .at(QStringLiteral("weights.mem"))
                                        .trimmed()
                                        .split('\n');
    QCOMPARE(words.size(), 19700);
    DesignOptions options{8, 12e6, 115200};
    options.spram = true;
    const QByteArray image = generateDesign(net, options).at(QStringLiteral("weights.bin"));
    QCOMPARE(image.size(), 16 + 2 * 2 * 19700);
    const auto piece = [&image](qsizetype q) {
        return quint8(image[16 + 2 * q]) | quint32(quint8(image[17 + 2 * q])) << 8;
    };
    for (qsizetype w = 0; w < words.size(); ++w) {
        const quint32 word = words[w].toUInt(nullptr, 16);
        QCOMPARE(piece(w), word & 0xffffu);
        QCOMPARE(piece(19700 + w), word >> 16);
    }
}

void TestVerilog::cyclesBelowPreviousCore()
{
    // A fixed graph and input with a busy first layer (most inputs spike at every step), where
    // the per-spike columns dominated the previous core as they do on rate-encoded images.
    const Graph g = randomGraph(21, {64, 48, 10}, NeuronType::LIF, ResetMode::Subtract, true);
    QuantConfig c;
    c.steps = 8;
    const QuantizedNetwork net = quantize(g, c);
    const std::vector<std::uint8_t> input(64, 200);
    ModelTrace trace;
    runModel(net, input, &trace);
    const MemoryLayout layout = memoryLayout(net, 4);
    // The previous core (docs/hardware.md before the blocks): per step and layer one cycle per
    // source scanned, `groups` per source spike and per sweep, and 3; per sample one per membrane
    // word and output, and 1.
    std::int64_t previous = layout.membraneWords + net.outputSize() + 1;
    int inputSpikes = 0;
    for (int t = 0; t < c.steps; ++t) {
        inputSpikes += trace.inputSpikes[std::size_t(t)];
        for (std::size_t k = 0; k < net.layers.size(); ++k) {
            const auto &sources =
                k == 0 ? std::vector<char>() : trace.spikes[std::size_t(t)][k - 1];
            const int spikes = k == 0 ? trace.inputSpikes[std::size_t(t)]
                                      : int(std::count(sources.begin(), sources.end(), 1));
            previous += net.layers[k].inputs + (spikes + 1) * layout.layers[k].groups + 3;
        }
    }
    QCOMPARE(inputSpikes, 387);
    QCOMPARE(previous, std::int64_t(6862)); // what the previous core's testbench counted
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    DesignOptions options;
    options.lanes = 4;
    writeFiles(dir.path(), generateDesign(net, options));
    writeFiles(dir.path(), generateTestbench(net, {input}, options));
    const RtlVerification result = runRtlSimulation(dir.path(), RunControl());
    QCOMPARE(result.mismatches, 0);
    QCOMPARE(result.cycles, coreCycles(net, layout, trace));
    QCOMPARE(result.cycles, std::int64_t(2606)); // blocks of 4 steps at 4 lanes
    // Each active source's weights read once per block instead of once per spike.
    QVERIFY(double(previous) / double(result.cycles) > 2.5);
}

void TestVerilog::gateLevelMatchesModel()
{
    if (QStandardPaths::findExecutable(QStringLiteral("yosys")).isEmpty())
        QFAIL("yosys is not installed");
    // The synthesised netlist (LUTs, carries, EBR with the weights in INIT) computes the model too.
    const Graph g = randomGraph(12, {5, 4, 3}, NeuronType::LIF, ResetMode::Subtract, true);
    QuantConfig c;
    c.steps = 6;
    const QuantizedNetwork net = quantize(g, c);
    const auto samples = randomSamples(13, 2, 5);
    QTemporaryDir dir;
    DesignOptions options;
    options.lanes = 2;
    writeFiles(dir.path(), generateDesign(net, options));
    writeFiles(dir.path(), generateTestbench(net, samples, options));
    const RtlVerification result = runRtlSimulation(dir.path(), RunControl(), Testbench::GateLevel);
    QVERIFY2(result.details.isEmpty(), qPrintable(result.details.join(QLatin1Char('\n'))));
    QCOMPARE(result.samples, 2);
    QCOMPARE(result.mismatches, 0);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("snn_core_gates.v"))));
}

void TestVerilog::mismatchIsReported()
{
    // A testbench whose expected counts were made for another network must fail, with details.
    const Graph g = randomGraph(8, {6, 4, 3}, NeuronType::IF, ResetMode::Subtract, false);
    QuantConfig c;
    c.steps = 10;
    const QuantizedNetwork net = quantize(g, c);
    QuantizedNetwork other = net;
    for (int &w : other.layers[1].weights)
        w = -w;
    const auto samples = randomSamples(9, 3, 6);
    QTemporaryDir dir;
    writeFiles(dir.path(), generateDesign(net, DesignOptions()));
    writeFiles(dir.path(), generateTestbench(other, samples));
    const RtlVerification result = runRtlSimulation(dir.path(), RunControl());
    QCOMPARE(result.samples, 3);
    QVERIFY(result.mismatches > 0);
    QVERIFY(!result.passed());
    QVERIFY(result.details.front().startsWith(QStringLiteral("MISMATCH sample ")));
}

void TestVerilog::rejectsBadLanes()
{
    const Graph g = randomGraph(7, {3, 2}, NeuronType::LIF, ResetMode::Subtract, false);
    const QuantizedNetwork net = quantize(g, QuantConfig());
    try {
        memoryLayout(net, 3);
        QFAIL("3 lanes accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("lanes must be 1, 2, 4, 8 or 16, got 3"));
    }
}

QTEST_GUILESS_MAIN(TestVerilog)
#include "tst_verilog.moc"
