// NIR files of other frameworks imported: the samples, the variants a writer may choose, Scale
// folded, what the import assumes, and spike trains as NIR, snnTorch and the ODE define them.
#include "NirTestData.h"
#include "TestUtils.h"
#include "nir/NirFile.h"
#include "sim/Sequences.h"

using namespace snn;
using namespace snn::test;
using snn::nir::NirOptions;

class TestNirImport : public NirTest {
    Q_OBJECT
private Q_SLOTS:
    void importsNorseSample();
    void importsRockpoolSample();
    void importsTwoNeuronChain();
    void variantsImport_data();
    void variantsImport();
    void scaleIsFolded();
    void importAssumptions();
    void snntorchGoldenSpikes_data();
    void snntorchGoldenSpikes();
    void singleNeuronSpikeTrain();
    void leakDrivenSpikeTrain();
};

void TestNirImport::importsNorseSample()
{
    // h5py: Affine weight [[1.]] bias [0.], LIF tau [0.0025] r [1.] v_leak [0.] v_threshold [0.1]
    // (float32, no v_reset: NIR 0.1.1). r = 1 is Norse's convention: dt = 1e-3, Norse's default.
    const Graph g = nir::importNir(sample(QStringLiteral("lif_norse.nir")));
    QCOMPARE(g.dt(), std::optional<double>(1e-3));
    QCOMPARE(g.inputSize(), 1);
    QCOMPARE(g.layerCount(), 1);
    const Layer &l = g.layers().front();
    QCOMPARE(l.name, QStringLiteral("0"));
    QCOMPARE(l.source, kNetworkInput);
    const double step = 1e-3 / double(0.0025f); // dt / tau
    QVERIFY(l.neuron.type == NeuronType::LIF);
    QCOMPARE(l.neuron.beta, float(1.0 - step));
    QCOMPARE(l.neuron.threshold, 0.1f);
    QVERIFY(l.neuron.reset == ResetMode::Zero); // NIR's reset to v_reset (missing: 0)
    QCOMPARE(l.neuron.resetValue, 0.0f);
    QVERIFY(l.neuron.spiking);
    QCOMPARE(l.weights(0, 0), float(1.0 * (1.0 * step))); // w * r * dt / tau
    QCOMPARE(l.bias.size(), Eigen::Index(1));
    QCOMPARE(l.bias(0), 0.0f);
}

void TestNirImport::importsRockpoolSample()
{
    // h5py: Linear weight [[0.04]], LIF tau [0.0025] r [24.019737] v_leak [0.] v_threshold
    // [0.1]; Output shape [1, 1, 1].
    const Graph g = nir::importNir(sample(QStringLiteral("lif_rockpool.nir")));
    QCOMPARE(g.inputSize(), 1);
    QCOMPARE(g.layerCount(), 1);
    const Layer &l = g.layers().front();
    QCOMPARE(l.name, QStringLiteral("0_LinearTorch"));
    const double step = 1e-4 / double(0.0025f);
    QCOMPARE(l.neuron.beta, float(1.0 - step));
    QCOMPARE(l.neuron.threshold, 0.1f);
    QCOMPARE(l.weights(0, 0), float(double(0.04f) * (double(24.019737f) * step)));
    QVERIFY(!l.hasBias());
}

void TestNirImport::importsTwoNeuronChain()
{
    // h5py (float64): linear1 [[1.]] -> lif1 tau 0.01 r 1 v_leak 1.2 v_threshold 1 ->
    // linear2 [[1.]] -> lif2 tau 0.01 r 1 v_leak 0 v_threshold 20. r = 1: Norse's convention,
    // dt 1e-3 and membranes starting at v_leak.
    const Graph g = nir::importNir(sample(QStringLiteral("two_lif_neurons.nir")));
    QCOMPARE(g.inputSize(), 1);
    QCOMPARE(g.layerCount(), 2);
    const Layer &l1 = g.layers()[0];
    const Layer &l2 = g.layers()[1];
    QCOMPARE(l1.name, QStringLiteral("linear1"));
    QCOMPARE(l2.name, QStringLiteral("linear2"));
    QCOMPARE(l2.source, l1.id);
    const double step = 1e-3 / 0.01;
    QCOMPARE(l1.neuron.beta, float(1.0 - step));
    QCOMPARE(l1.neuron.initial, 1.2f);
    QCOMPARE(l2.neuron.initial, 0.0f);
    QCOMPARE(l1.weights(0, 0), float(step));
    // v_leak drives the membrane towards 1.2: a constant current dt/tau * v_leak per step.
    QCOMPARE(l1.bias.size(), Eigen::Index(1));
    QCOMPARE(l1.bias(0), float(1.2 * step));
    QCOMPARE(l1.neuron.threshold, 1.0f);
    QCOMPARE(l2.neuron.threshold, 20.0f);
    QCOMPARE(l2.weights(0, 0), float(step));
    QVERIFY(!l2.hasBias());
    QVERIFY(g.isOutput(l2.id));
}

void TestNirImport::variantsImport_data()
{
    QTest::addColumn<QString>("variant");
    QTest::newRow("per-neuron arrays") << QStringLiteral("arrays");
    QTest::newRow("0-d scalar parameters") << QStringLiteral("scalars");
    QTest::newRow("float64") << QStringLiteral("float64");
    QTest::newRow("gzip") << QStringLiteral("gzip");
    QTest::newRow("old file without v_reset") << QStringLiteral("no-v_reset");
    QTest::newRow("[1, n] parameters") << QStringLiteral("row-shaped");
}

void TestNirImport::variantsImport()
{
    QFETCH(QString, variant);
    const double tau = 0.02, r = 3.0, thr = 0.5;
    std::vector<Data> lif = lifData(tau, r, 0.0, thr);
    h5::WriteOptions options{.gzip = false, .asDouble = false};
    if (variant == QLatin1String("scalars"))
        lif = {scalar(QStringLiteral("tau"), tau), scalar(QStringLiteral("r"), r),
               scalar(QStringLiteral("v_leak"), 0.0), scalar(QStringLiteral("v_threshold"), thr),
               scalar(QStringLiteral("v_reset"), 0.0)};
    if (variant == QLatin1String("float64"))
        options.asDouble = true;
    if (variant == QLatin1String("gzip"))
        options.gzip = true;
    if (variant == QLatin1String("no-v_reset"))
        lif.pop_back();
    if (variant == QLatin1String("row-shaped"))
        for (Data &d : lif)
            d.shape = {1, 2};
    lifChain(lif, options).write(path(QStringLiteral("v.nir")));
    if (variant == QLatin1String("gzip")) {
        auto guard = h5::lock();
        h5::Handle file = h5::openFile(path(QStringLiteral("v.nir")));
        QVERIFY(isGzipped(file, QStringLiteral("node/nodes/lif/tau")));
    }

    const Graph g = nir::importNir(path(QStringLiteral("v.nir")));
    QCOMPARE(g.layerCount(), 1);
    const Layer &l = g.layers().front();
    QCOMPARE(l.name, QStringLiteral("fc"));
    QCOMPARE(l.neurons(), 2);
    QCOMPARE(l.inputs(), 2);
    // Values as stored: float32 unless the variant writes float64.
    auto stored = [&](double v) { return options.asDouble ? v : double(float(v)); };
    const double step = 1e-4 / stored(tau);
    const double factor = stored(r) * step;
    QCOMPARE(l.neuron.beta, float(1.0 - step));
    QCOMPARE(l.neuron.threshold, float(stored(thr)));
    const double w[2][2] = {{1, 2}, {3, 4}};
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j)
            QCOMPARE(l.weights(i, j), float(factor * w[i][j]));
    QCOMPARE(l.bias(0), float(factor * 0.5));
    QCOMPARE(l.bias(1), float(factor * -0.5));
}

void TestNirImport::scaleIsFolded()
{
    // input -> s1 (Scale) -> fc (Affine) -> s2 (Scale) -> lif -> output, IF variant with r = 2:
    // W = r * diag(s2) * W * diag(s1), b = r * s2 * b.
    NirWriter w;
    w.node(QStringLiteral("input"), QStringLiteral("Input"), {shape({1, 2})})
        .node(QStringLiteral("s1"), QStringLiteral("Scale"),
              {arr(QStringLiteral("scale"), {2, -1})})
        .node(QStringLiteral("fc"), QStringLiteral("Affine"),
              {mat(QStringLiteral("weight"), 2, 2, {1, 2, 3, 4}),
               arr(QStringLiteral("bias"), {1, 1})})
        .node(QStringLiteral("s2"), QStringLiteral("Scale"), {scalar(QStringLiteral("scale"), 0.5)})
        .node(QStringLiteral("if"), QStringLiteral("IF"),
              {scalar(QStringLiteral("r"), 2), scalar(QStringLiteral("v_threshold"), 1.5)})
        .node(QStringLiteral("output"), QStringLiteral("Output"), {shape({2})})
        .chain({QStringLiteral("input"), QStringLiteral("s1"), QStringLiteral("fc"),
                QStringLiteral("s2"), QStringLiteral("if"), QStringLiteral("output")})
        .write(path(QStringLiteral("scale.nir")));
    const Graph g = nir::importNir(path(QStringLiteral("scale.nir")));
    QCOMPARE(g.inputSize(), 2);
    QCOMPARE(g.layerCount(), 1);
    const Layer &l = g.layers().front();
    QVERIFY(l.neuron.type == NeuronType::IF);
    QCOMPARE(l.neuron.beta, 1.0f);
    QCOMPARE(l.neuron.threshold, 1.5f);
    QCOMPARE(l.weights(0, 0), 2.0f);  // 2 * 0.5 * 1 * 2
    QCOMPARE(l.weights(0, 1), -2.0f); // 2 * 0.5 * 2 * -1
    QCOMPARE(l.weights(1, 0), 6.0f);
    QCOMPARE(l.weights(1, 1), -4.0f);
    QCOMPARE(l.bias(0), 1.0f);
    QCOMPARE(l.bias(1), 1.0f);

    // input -> lif directly: a one-to-one layer; Affine -> Affine: a non-spiking layer first.
    NirWriter direct;
    direct.node(QStringLiteral("in"), QStringLiteral("Input"), {shape({2})})
        .node(QStringLiteral("lif"), QStringLiteral("LIF"), lifData())
        .node(QStringLiteral("a"), QStringLiteral("Linear"),
              {mat(QStringLiteral("weight"), 1, 2, {1, 1})})
        .node(QStringLiteral("b"), QStringLiteral("Linear"),
              {mat(QStringLiteral("weight"), 1, 1, {2})})
        .node(QStringLiteral("out"), QStringLiteral("Output"), {shape({1})})
        .chain({QStringLiteral("in"), QStringLiteral("lif"), QStringLiteral("a"),
                QStringLiteral("b"), QStringLiteral("out")})
        .write(path(QStringLiteral("direct.nir")));
    const Graph d = nir::importNir(path(QStringLiteral("direct.nir")));
    QCOMPARE(d.layerCount(), 3);
    QCOMPARE(d.layers()[0].name, QStringLiteral("lif"));
    QCOMPARE(d.layers()[0].weights(0, 0), float(1e-3 / double(0.01f))); // r = 1: Norse's dt
    QCOMPARE(d.layers()[0].weights(0, 1), 0.0f);
    QCOMPARE(d.layers()[1].name, QStringLiteral("a"));
    QVERIFY(!d.layers()[1].neuron.spiking);
    QCOMPARE(d.layers()[2].name, QStringLiteral("b"));
    QVERIFY(!d.layers()[2].neuron.spiking);
    QCOMPARE(d.layers()[2].weights(0, 0), 2.0f);
}

void TestNirImport::importAssumptions()
{
    // A foreign file with r = 1: Norse's conventions, NIR's reset to v_reset, Norse's dt 1e-3;
    // --reset and --dt override and say so; a file written by SNN Studio: its metadata.
    lifChain(lifData()).write(path(QStringLiteral("foreign.nir")));
    QStringList lines;
    const QString norse =
        QStringLiteral("conventions: Norse's (r = 1 and w_in = 1, as its to_nir writes "
                       "LIFBoxCell and LIFCell: the membrane starts at v_leak, a CubaLIF's input "
                       "adds to its current unscaled) for fc");
    const QString firing =
        QStringLiteral("firing: above, v > v_threshold (NIR's definition, as snnTorch and Norse "
                       "fire; --firing at-or-above for Sinabs's v >= threshold) for fc");
    const QString vLeak = QStringLiteral(
        "membrane: starts at v_leak, as Norse's LIFBoxCell and LIFCell start for fc");
    nir::importNir(path(QStringLiteral("foreign.nir")), {}, &lines);
    QCOMPARE(lines,
             (QStringList{norse,
                          QStringLiteral("reset: zero, to v_reset (NIR's LIF/IF semantics, as "
                                         "snnTorch and Norse read NIR; the file has no SNN Studio "
                                         "metadata; --reset subtract-next for snnTorch's default, "
                                         "subtract-nodelay for its reset_delay=False) for fc"),
                          QStringLiteral("dt: 0.001 s (Norse's default: 'lif' has r = 1 as Norse "
                                         "writes it, and Norse writes no time step; --dt sets "
                                         "it)"),
                          vLeak, firing}));
    // r = 3 is no producer's: NIR's equations at the default dt.
    lifChain(lifData(0.01, 3.0)).write(path(QStringLiteral("plain-r.nir")));
    nir::importNir(path(QStringLiteral("plain-r.nir")), {}, &lines);
    QCOMPARE(lines[0], QStringLiteral("conventions: NIR's equations, one forward-Euler step of dt "
                                      "(weights times r dt / tau, a CubaLIF's also times w_in dt "
                                      "/ tau_syn) for fc"));
    QCOMPARE(lines[2], QStringLiteral("dt: 0.0001 s (not in the file; --dt sets it)"));
    QCOMPARE(lines[3], QStringLiteral("membrane: starts at 0 (NIR does not say; snnTorch starts "
                                      "there) for fc"));
    NirOptions options;
    options.reset = ResetMode::SubtractNext;
    options.firing = Firing::AtOrAbove;
    options.dt = 1e-3;
    options.dtFromFile = false;
    const Graph g = nir::importNir(path(QStringLiteral("foreign.nir")), options, &lines);
    QCOMPARE(lines, (QStringList{norse, QStringLiteral("reset: subtract-next (--reset) for fc"),
                                 QStringLiteral("dt: 0.001 s (given)"), vLeak,
                                 QStringLiteral("firing: at-or-above (--firing) for fc")}));
    QVERIFY(g.layers()[0].neuron.firing == Firing::AtOrAbove);
    nir::exportNir(g, path(QStringLiteral("own.nir")), options);
    const Graph own = nir::importNir(path(QStringLiteral("own.nir")), {}, &lines);
    QCOMPARE(lines,
             (QStringList{QStringLiteral("conventions: SNN Studio's own (its metadata; NIR's "
                                         "equations at its dt) for fc"),
                          QStringLiteral("reset: subtract-next (recorded in the file's SNN Studio "
                                         "metadata) for fc"),
                          QStringLiteral("dt: 0.001 s (from the file's SNN Studio metadata)"),
                          QStringLiteral("membrane: starts at 0 (the file's SNN Studio metadata "
                                         "records no other value) for fc"),
                          QStringLiteral("firing: at-or-above (recorded in the file's SNN Studio "
                                         "metadata) for fc")}));
    compareGraphs(g, own);
}

void TestNirImport::snntorchGoldenSpikes_data()
{
    QTest::addColumn<QString>("mode");
    // snnTorch's reset_mechanism="zero" is NIR's reset (--reset zero); its default subtract
    // (reset_delay=True) is subtract-next (recognised), its reset_delay=False subtract-nodelay.
    QTest::newRow("zero") << QStringLiteral("zero");
    QTest::newRow("subtract-next") << QStringLiteral("subtract-next");
    QTest::newRow("subtract-nodelay") << QStringLiteral("subtract-nodelay");
}

void TestNirImport::snntorchGoldenSpikes()
{
    // tests/data/snntorch/README.md: a network made and run by snnTorch; imported from
    // snnTorch's own NIR export and driven by the same spike trains, every layer's spikes must be
    // identical on every step of every sample.
    QFETCH(QString, mode);
    const QString dir = QStringLiteral(SNN_SOURCE_DIR "/tests/data/snntorch/");
    NirOptions options; // the default subtract-next is recognised from snnTorch's r = tau / dt
    if (mode != QLatin1String("subtract-next")) {
        options.reset = kResetModeNames.find(mode);
        QVERIFY(options.reset);
    }
    const Graph g = nir::importNir(dir + QStringLiteral("leaky-20-12-8-4.nir"), options);
    QCOMPARE(g.layerCount(), 3);
    const SequenceTraces traces =
        simulateSequences(g, readSequenceInput(dir + QStringLiteral("input.h5")), 25, false);
    std::vector<hsize_t> shape;
    std::vector<float> expected;
    {
        auto guard = h5::lock();
        const h5::Handle file = h5::openFile(dir + QStringLiteral("spikes.h5"));
        expected = h5::readFloats(file, mode, &shape);
    }
    QCOMPARE(shape, (std::vector<hsize_t>{20, 25, 24}));
    int spikes = 0;
    for (int s = 0; s < 20; ++s)
        for (int t = 0; t < 25; ++t) {
            int offset = 0;
            for (const LayerTrace &l : traces.layers) {
                for (int n = 0; n < l.neurons; ++n) {
                    const float want = expected[std::size_t((s * 25 + t) * 24 + offset + n)];
                    const std::uint8_t got = l.spikes[std::size_t((s * 25 + t) * l.neurons + n)];
                    if (float(got) != want)
                        QFAIL(qPrintable(QStringLiteral("sample %1, step %2, layer %3, neuron "
                                                        "%4: snnTorch %5, snnc %6")
                                             .arg(s)
                                             .arg(t)
                                             .arg(l.name)
                                             .arg(n)
                                             .arg(double(want))
                                             .arg(got)));
                    spikes += got;
                }
                offset += l.neurons;
            }
        }
    QVERIFY(spikes > 1000); // every layer fires (README: rates 0.11 to 0.35)
}

void TestNirImport::singleNeuronSpikeTrain()
{
    // The LIF as NIR defines it: tau dv/dt = (v_leak - v) + r I, spike when v > v_threshold,
    // imported with --reset subtract: v -= v_threshold; one forward-Euler step of dt = 1e-4 s per
    // time step.
    // With I = 1 * x, tau = 0.0025, r = 1, v_th = 0.1 and x = 1 every step:
    //   v1 = 0.04, v2 = 0.0784, v3 = 0.11526 > 0.1 -> spike at step 2, v = 0.01526;
    //   v4 = 0.05465, v5 = 0.09247, v6 = 0.12877 -> spike at step 5, v = 0.02877;
    //   v7 = 0.06762, v8 = 0.10492 -> spike at step 7; ... (steps 10, 13, 15, 18, 21, 23, 26, 28).
    NirOptions subtract;
    subtract.reset = ResetMode::Subtract;
    subtract.dt = 1e-4; // --dt 1e-4 (r = 1 alone would give Norse's 1e-3)
    subtract.dtFromFile = false;
    const Graph g = nir::importNir(sample(QStringLiteral("lif_norse.nir")), subtract);
    const int steps = 30;
    const Eigen::MatrixXf input = Eigen::MatrixXf::Ones(steps, 1);
    const Eigen::MatrixXf spikes = simulate(g, input).front();
    std::vector<int> fired;
    for (int t = 0; t < steps; ++t)
        if (spikes(t, 0) != 0.0f)
            fired.push_back(t);
    QCOMPARE(fired, (std::vector<int>{2, 5, 7, 10, 13, 15, 18, 21, 23, 26, 28}));

    // The same ODE stepped in double precision from the file's float32 values agrees.
    const double tau = double(0.0025f), thr = double(0.1f), dt = 1e-4;
    double v = 0;
    for (int t = 0; t < steps; ++t) {
        v += dt / tau * (0.0 - v + 1.0 * (1.0 * 1.0 + 0.0));
        const bool spike = v > thr;
        if (spike)
            v -= thr;
        QCOMPARE(spikes(t, 0) != 0.0f, spike);
    }
}

void TestNirImport::leakDrivenSpikeTrain()
{
    // two_lif_neurons.nir's lif1 has v_leak = 1.2 above its threshold 1: with no input it fires
    // by itself. With r = 1 (Norse's convention) its membrane starts at v_leak, so it fires at
    // step 0 and resets to 0; at --dt 1e-4, v = 1.2 (1 - 0.99^k) k steps later first exceeds 1
    // at k = 179 (0.99^179 = 0.1658): steps 179, 358, 537.
    NirOptions fine;
    fine.dt = 1e-4;
    fine.dtFromFile = false;
    const Graph g = nir::importNir(sample(QStringLiteral("two_lif_neurons.nir")), fine);
    const Eigen::MatrixXf spikes = simulate(g, Eigen::MatrixXf::Zero(600, 1)).front();
    std::vector<int> fired;
    for (int t = 0; t < 600; ++t)
        if (spikes(t, 0) != 0.0f)
            fired.push_back(t);
    QCOMPARE(fired, (std::vector<int>{0, 179, 358, 537}));
}

QTEST_GUILESS_MAIN(TestNirImport)
#include "tst_nirimport.moc"
