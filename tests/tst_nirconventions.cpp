// The producers' conventions in NIR (core/nir/NirNeurons.cpp, docs/nir.md): files exported by
// snnTorch, Norse and Sinabs themselves, imported with `snnc import` and driven through `snnc
// simulate` by the spikes their own networks were driven by, must reproduce every spike of every
// layer (tests/data/snntorch/README.md, tests/data/norse/README.md, tests/data/sinabs/README.md);
// and what the import assumes is said and stored.

#include "TestUtils.h"
#include "io/GraphFile.h"
#include "io/Hdf5.h"
#include "nir/NirFile.h"
#include "nir/NirInternal.h"

#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

using namespace snn;

namespace {

QString data(const QString &name)
{
    return QStringLiteral(SNN_SOURCE_DIR "/tests/data/") + name;
}

int runSnnc(const QStringList &args, QString *out = nullptr)
{
    QProcess p;
    p.start(QStringLiteral(SNNC_PATH), args);
    if (!p.waitForFinished(120000))
        return -1;
    const QString text = QString::fromLocal8Bit(p.readAllStandardOutput()) +
                         QString::fromLocal8Bit(p.readAllStandardError());
    if (out)
        *out = text;
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// A dataset as floats, with its shape.
std::vector<float> readDataset(const QString &path, const QString &name,
                               std::vector<hsize_t> *shape)
{
    auto guard = h5::lock();
    const h5::Handle file = h5::openFile(path);
    return h5::readFloats(file, name, shape);
}

} // namespace

class TestNirConventions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void producersMatch_data();
    void producersMatch();
    void decayRecoversExportedFloats();
    void assumptionsAreSaidAndStored();
    void perNeuronValuesAreKept();
    void flattenKeepsTheInputShape();
    void norseStartsAtVLeak();
    void rockpoolIsSaid();

private:
    QTemporaryDir m_dir;
};

void TestNirConventions::producersMatch_data()
{
    QTest::addColumn<QString>("nir");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QString>("run"); // the golden dataset: what the producer's network did
    QTest::addColumn<QStringList>("options");
    const QString in = QStringLiteral("snntorch/input.h5");
    QTest::newRow("snnTorch Flatten -> Linear -> Leaky, image input")
        << QStringLiteral("snntorch/flatten-leaky.nir")
        << QStringLiteral("snntorch/flatten-leaky-input.h5")
        << QStringLiteral("snntorch/flatten-leaky-spikes.h5") << QStringLiteral("subtract-next")
        << QStringList();
    QTest::newRow("snnTorch Synaptic, reset zero")
        << QStringLiteral("snntorch/synaptic.nir") << in
        << QStringLiteral("snntorch/synaptic-spikes.h5") << QStringLiteral("zero-next")
        << QStringList{QStringLiteral("--reset"), QStringLiteral("zero-next")};
    QTest::newRow("snnTorch Synaptic, default") << QStringLiteral("snntorch/synaptic.nir") << in
                                                << QStringLiteral("snntorch/synaptic-spikes.h5")
                                                << QStringLiteral("subtract-next") << QStringList();
    QTest::newRow("snnTorch Leaky, beta and threshold per neuron")
        << QStringLiteral("snntorch/leaky-per-neuron.nir") << in
        << QStringLiteral("snntorch/leaky-per-neuron-spikes.h5") << QStringLiteral("subtract-next")
        << QStringList();
    QTest::newRow("snnTorch Leaky, beta 0 and 1")
        << QStringLiteral("snntorch/leaky-beta-0-1.nir") << in
        << QStringLiteral("snntorch/leaky-beta-0-1-spikes.h5") << QStringLiteral("subtract-next")
        << QStringList();
    QTest::newRow("snnTorch Leaky, default subtract without --reset")
        << QStringLiteral("snntorch/leaky-20-12-8-4.nir") << in
        << QStringLiteral("snntorch/spikes.h5") << QStringLiteral("subtract-next") << QStringList();
    QTest::newRow("Sinabs IAF (SingleSpike), at-or-above and subtract")
        << QStringLiteral("sinabs/iaf.nir") << in << QStringLiteral("sinabs/iaf-spikes.h5")
        << QStringLiteral("single-spike")
        << QStringList{QStringLiteral("--firing"), QStringLiteral("at-or-above"),
                       QStringLiteral("--reset"), QStringLiteral("subtract")};
    QTest::newRow("Norse LIFBoxCell, dt inferred")
        << QStringLiteral("norse/lifbox.nir") << in << QStringLiteral("norse/lifbox-spikes.h5")
        << QStringLiteral("zero") << QStringList();
    QTest::newRow("Norse LIFBoxCell, --dt 1e-3")
        << QStringLiteral("norse/lifbox.nir") << in << QStringLiteral("norse/lifbox-spikes.h5")
        << QStringLiteral("zero") << QStringList{QStringLiteral("--dt"), QStringLiteral("0.001")};
    QTest::newRow("Norse LIFCell, dt inferred")
        << QStringLiteral("norse/lifcell.nir") << in << QStringLiteral("norse/lifcell-spikes.h5")
        << QStringLiteral("zero") << QStringList();
    QTest::newRow("Norse LIFCell, --dt 1e-3")
        << QStringLiteral("norse/lifcell.nir") << in << QStringLiteral("norse/lifcell-spikes.h5")
        << QStringLiteral("zero") << QStringList{QStringLiteral("--dt"), QStringLiteral("0.001")};
}

void TestNirConventions::producersMatch()
{
    QFETCH(QString, nir);
    QFETCH(QString, input);
    QFETCH(QString, spikes);
    QFETCH(QString, run);
    QFETCH(QStringList, options);
    const QString graphPath = m_dir.filePath(QStringLiteral("g.h5"));
    const QString outPath = m_dir.filePath(QStringLiteral("out.h5"));
    QString out;
    QCOMPARE(
        runSnnc(QStringList{QStringLiteral("import"), data(nir), QStringLiteral("-o"), graphPath} +
                    options,
                &out),
        0);
    QCOMPARE(runSnnc({QStringLiteral("simulate"), graphPath, QStringLiteral("--input"), data(input),
                      QStringLiteral("-o"), outPath},
                     &out),
             0);
    std::vector<hsize_t> shape;
    const std::vector<float> expected = readDataset(data(spikes), run, &shape);
    QCOMPARE(shape.size(), std::size_t(3));
    const std::size_t samples = shape[0], steps = shape[1], width = shape[2];
    const Graph graph = loadGraph(graphPath);
    std::size_t offset = 0, spikeCount = 0;
    for (const Layer &l : graph.layers()) {
        std::vector<hsize_t> got;
        const std::vector<float> layer =
            readDataset(outPath, QStringLiteral("layers/%1/spikes").arg(l.name), &got);
        QCOMPARE(got, (std::vector<hsize_t>{samples, steps, hsize_t(l.neurons())}));
        for (std::size_t s = 0; s < samples; ++s)
            for (std::size_t t = 0; t < steps; ++t)
                for (int n = 0; n < l.neurons(); ++n) {
                    const float want = expected[(s * steps + t) * width + offset + std::size_t(n)];
                    const float have =
                        layer[(s * steps + t) * std::size_t(l.neurons()) + std::size_t(n)];
                    if (want != have)
                        QFAIL(qPrintable(QStringLiteral("sample %1, step %2, layer %3, neuron "
                                                        "%4: the producer %5, snnc %6")
                                             .arg(s)
                                             .arg(t)
                                             .arg(l.name)
                                             .arg(n)
                                             .arg(double(want))
                                             .arg(double(have))));
                    spikeCount += have != 0.0f;
                }
        offset += std::size_t(l.neurons());
    }
    QCOMPARE(offset, width); // every layer the producer recorded, and no other
    // Every network fires in every layer (the READMEs give the rates): at least 1,500 spikes.
    QVERIFY2(spikeCount >= 1500, qPrintable(QString::number(spikeCount)));
}

void TestNirConventions::decayRecoversExportedFloats()
{
    // The three ways exporters write tau = dt / (1 - beta): float64 throughout (SNN Studio),
    // 1 - beta in float32 then float64 (snnTorch, one beta), float32 throughout (snnTorch, a beta
    // per neuron). From SNN Studio's files every float32 beta comes back exactly; from the
    // others every beta from 0.5 on (1 - beta is exact in float32), and below it a beta whose
    // export gives the same file (1 - beta rounds: several betas write the same tau).
    for (const double dt : {1e-4, 1e-3}) {
        const std::vector<std::function<double(float)>> paths{
            [&](float b) { return dt / (1.0 - double(b)); },
            [&](float b) { return dt / double(1.0f - b); },
            [&](float b) { return double(float(dt) / (1.0f - b)); }};
        int checked = 0;
        for (float beta = 0.0f; beta < 1.0f; beta = std::nextafter(beta + 0.000731f, 2.0f)) {
            QCOMPARE(nir::decayFor(paths[0](beta), dt, true), beta);
            for (const auto &tauOf : paths) {
                const double tau = tauOf(beta);
                const float back = nir::decayFor(tau, dt);
                const bool same = beta >= 0.5f
                                      ? back == beta
                                      : std::any_of(paths.begin(), paths.end(),
                                                    [&](const auto &f) { return f(back) == tau; });
                if (!same)
                    QFAIL(qPrintable(QStringLiteral("beta %1 from tau %2 gave %3")
                                         .arg(double(beta), 0, 'g', 9)
                                         .arg(tau, 0, 'g', 17)
                                         .arg(double(back), 0, 'g', 9)));
            }
            ++checked;
        }
        QVERIFY(checked > 1300);
    }
    // Betas as users type them come back exactly whichever way they were written.
    for (const float beta : {0.1f, 0.2f, 0.25f, 0.3f, 0.45f, 0.05f, 0.9f, 0.95f, 0.99f})
        for (const double dt : {1e-4, 1e-3}) {
            QCOMPARE(nir::decayFor(dt / double(1.0f - beta), dt), beta);
            QCOMPARE(nir::decayFor(double(float(dt) / (1.0f - beta)), dt), beta);
        }
    QCOMPARE(nir::decayFor(std::numeric_limits<double>::infinity(), 1e-4), 1.0f);
    QCOMPARE(nir::decayFor(double(1e-4f), 1e-4), 0.0f); // tau = dt in float32: beta 0, not < 0
    QCOMPARE(nir::decayFor(0.01, 1e-3), float(1.0 - 1e-3 / 0.01));
}

void TestNirConventions::assumptionsAreSaidAndStored()
{
    QStringList lines;
    const Graph torch = nir::importNir(data(QStringLiteral("snntorch/synaptic.nir")), {}, &lines);
    QCOMPARE(
        lines,
        (QStringList{
            QStringLiteral("conventions: snnTorch's (r = tau / dt at dt = 1e-4 s and w_in = "
                           "tau_syn / dt, as its export_to_nir writes Leaky and Synaptic: v = "
                           "beta v + I, the weights taken as they are) for 0, 2, 4"),
            QStringLiteral("reset: subtract-next (snnTorch's default Leaky and Synaptic, "
                           "reset_mechanism=\"subtract\" with reset_delay=True: NIR cannot say "
                           "it; --reset zero for a Leaky with reset_mechanism=\"zero\", zero-next "
                           "for such a Synaptic, subtract-nodelay for reset_delay=False) for 0, 2, "
                           "4"),
            QStringLiteral("dt: 0.0001 s (snnTorch's: '1' has r = tau / dt at that dt; --dt "
                           "sets it)"),
            QStringLiteral("membrane: starts at 0 (NIR does not say; snnTorch starts there) for "
                           "0, 2, 4"),
            QStringLiteral("firing: above, v > v_threshold (NIR's definition, as snnTorch and "
                           "Norse fire; --firing at-or-above for Sinabs's v >= threshold) for 0, "
                           "2, 4")}));
    QCOMPARE(torch.dt(), std::optional<double>(1e-4));
    for (const Layer &l : torch.layers()) {
        QVERIFY(l.neuron.type == NeuronType::CubaLIF);
        QVERIFY(l.neuron.reset == ResetMode::SubtractNext);
        QCOMPARE(l.neuron.alpha, 0.8f); // snnTorch's own float32 alpha and beta, exactly
        QCOMPARE(l.neuron.beta, 0.9f);
    }
    const Graph norse = nir::importNir(data(QStringLiteral("norse/lifcell.nir")), {}, &lines);
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[2], QStringLiteral("dt: 0.001 s (Norse's default: '1' has r = 1 as Norse "
                                      "writes it, and Norse writes no time step; --dt sets it)"));
    QCOMPARE(lines[3], QStringLiteral("membrane: starts at v_leak, as Norse's LIFBoxCell and "
                                      "LIFCell start for 0, 2, 4"));
    QCOMPARE(norse.dt(), std::optional<double>(1e-3));
    QCOMPARE(norse.layers()[0].neuron.beta, float(1.0 - 1e-3 / double(0.01f)));
    QCOMPARE(norse.layers()[0].neuron.alpha, float(1.0 - 1e-3 / double(0.005f)));
    // Norse adds its input to the synaptic current unscaled: the weights are times dt / tau_mem.
    std::vector<hsize_t> shape;
    const std::vector<float> w = readDataset(data(QStringLiteral("norse/lifcell.nir")),
                                             QStringLiteral("node/nodes/0/weight"), &shape);
    QCOMPARE(norse.layers()[0].weights(0, 1), float(double(w[1]) * (1e-3 / double(0.01f))));

    // What the import assumed is stored: the graph file keeps it, and export-nir writes it back.
    const QString h5 = m_dir.filePath(QStringLiteral("norse.h5"));
    const QString back = m_dir.filePath(QStringLiteral("norse.nir"));
    saveGraph(norse, h5);
    const Graph loaded = loadGraph(h5);
    QCOMPARE(loaded.dt(), std::optional<double>(1e-3));
    QString out;
    QCOMPARE(runSnnc({QStringLiteral("export-nir"), h5, QStringLiteral("-o"), back}, &out), 0);
    QVERIFY2(out.contains(QStringLiteral("(dt = 0.001 s)")), qPrintable(out));
    const Graph again = nir::importNir(back, {}, &lines);
    QCOMPARE(again.dt(), std::optional<double>(1e-3));
    for (int k = 0; k < 3; ++k) {
        const Layer &a = norse.layers()[std::size_t(k)], &b = again.layers()[std::size_t(k)];
        QVERIFY(a.neuron == b.neuron);
        QCOMPARE(a.weights, b.weights);
        QCOMPARE(a.bias, b.bias);
    }
}

void TestNirConventions::perNeuronValuesAreKept()
{
    const QString file = data(QStringLiteral("snntorch/leaky-per-neuron.nir"));
    const Graph g = nir::importNir(file);
    std::vector<hsize_t> shape;
    const std::vector<float> thresholds =
        readDataset(file, QStringLiteral("node/nodes/1/v_threshold"), &shape);
    const std::vector<float> tau = readDataset(file, QStringLiteral("node/nodes/1/tau"), &shape);
    const Layer &l = g.layers().front();
    QCOMPARE(l.perNeuron.threshold.size(), Eigen::Index(12));
    QCOMPARE(l.perNeuron.beta.size(), Eigen::Index(12));
    QCOMPARE(l.perNeuron.alpha.size(), Eigen::Index(0));
    for (int n = 0; n < 12; ++n) {
        QCOMPARE(l.threshold(n), thresholds[std::size_t(n)]);
        // snnTorch wrote tau = 1e-4 / (1 - beta) in float32: beta comes back exactly.
        QCOMPARE(float(1e-4f / (1.0f - l.beta(n))), tau[std::size_t(n)]);
    }
    QCOMPARE(l.neuron.threshold, l.threshold(0));
    // Through the graph file and NIR export, every value per neuron survives.
    const QString h5 = m_dir.filePath(QStringLiteral("per-neuron.h5"));
    const QString back = m_dir.filePath(QStringLiteral("per-neuron.nir"));
    saveGraph(g, h5);
    nir::exportNir(loadGraph(h5), back);
    const Graph again = nir::importNir(back);
    for (std::size_t k = 0; k < 3; ++k) {
        QCOMPARE(again.layers()[k].perNeuron.beta, g.layers()[k].perNeuron.beta);
        QCOMPARE(again.layers()[k].perNeuron.threshold, g.layers()[k].perNeuron.threshold);
    }
}

void TestNirConventions::flattenKeepsTheInputShape()
{
    const QString file = data(QStringLiteral("snntorch/flatten-leaky.nir"));
    const Graph g = nir::importNir(file);
    QCOMPARE(g.inputSize(), 144);
    QCOMPARE(g.inputShape(), (std::vector<int>{1, 12, 12}));
    QCOMPARE(g.layerCount(), 2);
    const QString back = m_dir.filePath(QStringLiteral("flatten.nir"));
    nir::exportNir(g, back);
    std::vector<hsize_t> shape;
    QCOMPARE(readDataset(back, QStringLiteral("node/nodes/input/shape"), &shape),
             (std::vector<float>{1, 12, 12}));
    QCOMPARE(readDataset(back, QStringLiteral("node/nodes/flatten/input_type"), &shape),
             (std::vector<float>{1, 12, 12}));
    QCOMPARE(readDataset(back, QStringLiteral("node/nodes/flatten/start_dim"), &shape),
             (std::vector<float>{0}));
    const Graph again = nir::importNir(back);
    QCOMPARE(again.inputShape(), g.inputShape());
    QCOMPARE(again.layers()[0].weights, g.layers()[0].weights);
    // The graph file keeps the shape; a new input size forgets it.
    const QString h5 = m_dir.filePath(QStringLiteral("flatten.h5"));
    saveGraph(g, h5);
    Graph loaded = loadGraph(h5);
    QCOMPARE(loaded.inputShape(), g.inputShape());
    loaded.setInputSize(100);
    QVERIFY(loaded.inputShape().empty());
}

void TestNirConventions::norseStartsAtVLeak()
{
    // The second LIFBoxCell layer has v_leak from 0 to 0.5 per neuron: its membranes start
    // there and stay there without input (the leak current dt / tau v_leak balances the decay).
    const Graph g = nir::importNir(data(QStringLiteral("norse/lifbox.nir")));
    const Layer &l = g.layers()[1];
    QCOMPARE(l.perNeuron.initial.size(), Eigen::Index(8));
    QCOMPARE(l.initial(0), 0.0f);
    QCOMPARE(l.initial(7), 0.5f);
    QCOMPARE(g.layers()[0].perNeuron.initial.size(), Eigen::Index(0));
    QCOMPARE(g.layers()[0].neuron.initial, 0.0f);
}

void TestNirConventions::rockpoolIsSaid()
{
    // Rockpool writes r = tau exp(-dt / tau) / dt: lif_rockpool.nir's r = 24.019737 with
    // tau = 0.0025 is its dt 1e-4. The import takes that dt and says that it runs NIR's
    // equations, not Rockpool's.
    QStringList lines;
    const Graph g =
        nir::importNir(data(QStringLiteral("nir-samples/lif_rockpool.nir")), {}, &lines);
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[0],
             QStringLiteral("conventions: Rockpool's (r = tau exp(-dt / tau) / dt, as its to_nir "
                            "writes LIFNeuronTorch and LIFTorch): imported by NIR's equations, "
                            "one forward-Euler step of dt, where Rockpool decays by exp(-dt / "
                            "tau) and may emit several spikes a step: not Rockpool's dynamics "
                            "for 0_LinearTorch"));
    QCOMPARE(lines[2], QStringLiteral("dt: 0.0001 s (Rockpool's: '1_LIFNeuronTorch' has r = tau "
                                      "exp(-dt / tau) / dt at that dt; --dt sets it)"));
    QCOMPARE(g.dt(), std::optional<double>(1e-4));
    // NIR's equations at that dt: tst_nir importsRockpoolSample checks beta and weight.
    // A given dt wins.
    nir::NirOptions given;
    given.dt = 1e-3;
    given.dtFromFile = false;
    QCOMPARE(nir::importNir(data(QStringLiteral("nir-samples/lif_rockpool.nir")), given).dt(),
             std::optional<double>(1e-3));
}

QTEST_GUILESS_MAIN(TestNirConventions)
#include "tst_nirconventions.moc"
