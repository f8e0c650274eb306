#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "hw/Quantizer.h"

using namespace snn;
using namespace snn::hw;
using snn::test::makeLayer;
using snn::test::vec;

class TestQuantizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void weightsUseTheLayerScale_data();
    void weightsUseTheLayerScale();
    void saturation();
    void leakShift_data();
    void leakShift();
    void refusesWhatTheHardwareCannotRun_data();
    void refusesWhatTheHardwareCannotRun();
    void generatorIsXorshift32();
    void modelCountsHandComputedSpikes();
    void modelSaturatesTheMembrane();
    void stepInputIsSummedBeforeSaturating();
    void zeroResetAndLeak();
    void tieGoesToLowestIndex();
    void clipByPercentile();
    void onGridQuantisesBackToItself_data();
    void onGridQuantisesBackToItself();
};

void TestQuantizer::weightsUseTheLayerScale_data()
{
    QTest::addColumn<int>("bits");
    QTest::addColumn<QList<int>>("expected");
    // weights 0.5, -0.25, 0.125, -0.0625, 0.3, 0.0 with max |w| 0.5.
    // Scale qmax / 0.5; halves round away from zero (-0.25 * 14 = -3.5 -> -4).
    QTest::newRow("8 bits") << 8 << QList<int>{127, -64, 32, -16, 76, 0};
    QTest::newRow("4 bits") << 4 << QList<int>{7, -4, 2, -1, 4, 0};
    QTest::newRow("2 bits") << 2 << QList<int>{1, -1, 0, 0, 1, 0};
}

void TestQuantizer::weightsUseTheLayerScale()
{
    QFETCH(int, bits);
    QFETCH(QList<int>, expected);
    Graph g(6);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 1, 6,
                        {0.5f, -0.25f, 0.125f, -0.0625f, 0.3f, 0.0f});
    l.neuron.threshold = 0.5f;
    g.addLayer(l);
    QuantConfig c;
    c.weightBits = bits;
    const QuantizedNetwork q = quantize(g, c);
    const QuantLayer &ql = q.layers.front();
    QCOMPARE(ql.scale, maxWeight(bits) / 0.5);
    QCOMPARE(QList<int>(ql.weights.begin(), ql.weights.end()), expected);
    // The threshold is in the same domain: 0.5 * scale = qmax.
    QCOMPARE(ql.threshold, maxWeight(bits));
}

void TestQuantizer::saturation()
{
    QCOMPARE(saturate(40000, 16), std::int64_t(32767));
    QCOMPARE(saturate(-40000, 16), std::int64_t(-32768));
    QCOMPARE(saturate(-32768, 16), std::int64_t(-32768));
    QCOMPARE(saturate(127, 8), std::int64_t(127));
    QCOMPARE(saturate(128, 8), std::int64_t(127));
    QCOMPARE(roundToInt(2.5), std::int64_t(3));
    QCOMPARE(roundToInt(-2.5), std::int64_t(-3));
    QCOMPARE(roundToInt(-2.4), std::int64_t(-2));
}

void TestQuantizer::leakShift_data()
{
    QTest::addColumn<float>("beta");
    QTest::addColumn<int>("shift");
    QTest::newRow("0.9 -> 1-1/8") << 0.9f << 3;
    QTest::newRow("0.5 -> 1-1/2") << 0.5f << 1;
    QTest::newRow("0.95 -> 1-1/16") << 0.95f << 4;
    QTest::newRow("0.99 -> 1-1/128") << 0.99f << 7;
    QTest::newRow("0.1 clamps to 1") << 0.1f << 1;
    QTest::newRow("1.0 no leak") << 1.0f << 0;
}

void TestQuantizer::leakShift()
{
    QFETCH(float, beta);
    QFETCH(int, shift);
    QCOMPARE(leakShiftFor(beta, 16), shift);
}

void TestQuantizer::refusesWhatTheHardwareCannotRun_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("linear") << 0 << QStringLiteral("layer a is not spiking");
    QTest::newRow("branch") << 1 << QStringLiteral("layer c: the hardware runs a chain of layers");
    QTest::newRow("threshold too big") << 2 << QStringLiteral("beyond the 16-bit membrane");
    QTest::newRow("bad bits") << 3 << QStringLiteral("weight bits must be 2 to 8, got 9");
    QTest::newRow("subtract-next")
        << 4
        << QStringLiteral("layer a: the hardware resets at once (subtract or zero); it does not "
                          "implement the subtract-next reset");
    QTest::newRow("reset value") << 5
                                 << QStringLiteral("layer a: the hardware's zero reset sets the "
                                                   "membrane to 0, not to -0.5");
    QTest::newRow("subtract-nodelay")
        << 7
        << QStringLiteral("layer a: the hardware resets at once (subtract or zero); it does not "
                          "implement the subtract-nodelay reset");
    // What the core's neurons are not (docs/hardware.md): one line naming the layer and why.
    QTest::newRow("CubaLIF") << 8
                             << QStringLiteral("layer a is CubaLIF: the hardware core has no "
                                               "synaptic current (a second state per neuron); it "
                                               "runs LIF and IF neurons");
    QTest::newRow("beta per neuron")
        << 9
        << QStringLiteral("layer a: its beta differs between the neurons (0.5 to 0.9): the "
                          "hardware core has one per layer");
    QTest::newRow("threshold per neuron")
        << 10
        << QStringLiteral("layer a: its threshold differs between the neurons (0.75 to 1): the "
                          "hardware core has one per layer");
    QTest::newRow("zero-next")
        << 11
        << QStringLiteral("layer a: the hardware resets at once (subtract or zero); it does not "
                          "implement the zero-next reset");
    QTest::newRow("at-or-above") << 12
                                 << QStringLiteral("layer a fires at v >= threshold: the hardware "
                                                   "fires at v > threshold");
    QTest::newRow("initial membrane") << 13
                                      << QStringLiteral("layer a's membranes start at 0.25: the "
                                                        "hardware starts them at 0");
    QTest::newRow("initial membrane per neuron")
        << 14
        << QStringLiteral("layer a: its initial membrane differs between the neurons (0 to 0.25): "
                          "the hardware core has one per layer");
    // 3e38 x scale 127 is past int64: saturated, not wrapped to a negative "rounds to 0".
    QTest::newRow("threshold 3e38")
        << 6
        << QStringLiteral("layer a: threshold 3e+38 is 4600000000000000000 at scale 127, beyond "
                          "the 16-bit membrane");
}

void TestQuantizer::refusesWhatTheHardwareCannotRun()
{
    QFETCH(int, kind);
    QFETCH(QString, message);
    Graph g(2);
    Layer a = makeLayer(QStringLiteral("a"), kNetworkInput, 2, 2, {1, 0, 0, 1});
    QuantConfig c;
    if (kind == 0)
        a.neuron.spiking = false;
    if (kind == 2)
        a.neuron.threshold = 1000.0f;
    if (kind == 3)
        c.weightBits = 9;
    if (kind == 4)
        a.neuron.reset = ResetMode::SubtractNext;
    if (kind == 5) {
        a.neuron.reset = ResetMode::Zero;
        a.neuron.resetValue = -0.5f;
    }
    if (kind == 6)
        a.neuron.threshold = 3e38f;
    if (kind == 7)
        a.neuron.reset = ResetMode::SubtractNoDelay;
    if (kind == 8) {
        a.neuron.type = NeuronType::CubaLIF;
        a.neuron.alpha = 0.5f;
    }
    if (kind == 9)
        a.setPerNeuron("beta", vec({0.9f, 0.5f}));
    if (kind == 10)
        a.setPerNeuron("threshold", vec({1.0f, 0.75f}));
    if (kind == 11)
        a.neuron.reset = ResetMode::ZeroNext;
    if (kind == 12)
        a.neuron.firing = Firing::AtOrAbove;
    if (kind == 13)
        a.neuron.initial = 0.25f;
    if (kind == 14)
        a.setPerNeuron("initial_membrane", vec({0.0f, 0.25f}));
    const LayerId ida = g.addLayer(a);
    g.addLayer(makeLayer(QStringLiteral("b"), ida, 2, 2, {1, 0, 0, 1}));
    if (kind == 1)
        g.addLayer(makeLayer(QStringLiteral("c"), ida, 2, 2, {1, 0, 0, 1}));
    try {
        quantize(g, c);
        QFAIL("quantize accepted the graph");
    } catch (const Error &e) {
        QVERIFY2(e.message().contains(message), qPrintable(e.message()));
    }
}

void TestQuantizer::generatorIsXorshift32()
{
    // Marsaglia's xorshift32 from seed 1: 270369, 67634689, 2647435461.
    QCOMPARE(xorshift32(1u), 270369u);
    QCOMPARE(xorshift32(270369u), 67634689u);
    QCOMPARE(xorshift32(67634689u), 2647435461u);
    QuantConfig c;
    c.steps = 3;
    c.seed = 1;
    // Top bytes of the first 6 states: 0, 4, 157, ... so intensity 5 spikes at the first two.
    const Eigen::MatrixXf s = inputSpikes(c, {5, 5});
    QCOMPARE(s(0, 0), 1.0f);
    QCOMPARE(s(0, 1), 1.0f);
    QCOMPARE(s(1, 0), 0.0f);
    QCOMPARE(inputSpikes(c, {0, 0}).sum(), 0.0f);
    QCOMPARE(intensities(vec({0.0f, 1.0f, 0.5f, 2.0f, -1.0f})),
             (std::vector<std::uint8_t>{0, 255, 128, 255, 0}));
}

void TestQuantizer::modelCountsHandComputedSpikes()
{
    // One IF neuron, weight 1 (-> 127), threshold 2.5 (-> 318 after rounding 317.5 away from
    // zero): v grows by 127 on every input spike and fires (subtracting 318) when v > 318.
    Graph g(1);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 1, 1, {1.0f});
    l.neuron.type = NeuronType::IF;
    l.neuron.beta = 1.0f;
    l.neuron.threshold = 2.5f;
    g.addLayer(l);
    QuantConfig c;
    c.steps = 10;
    const QuantizedNetwork q = quantize(g, c);
    QCOMPARE(q.layers[0].threshold, 318);
    const Eigen::MatrixXf spikes = inputSpikes(c, {255});
    // Reference: integrate by hand over the same input spikes.
    int v = 0;
    int expected = 0;
    for (int t = 0; t < c.steps; ++t) {
        v += spikes(t, 0) > 0 ? 127 : 0;
        if (v > 318) {
            ++expected;
            v -= 318;
        }
    }
    QVERIFY(expected >= 3);
    const ModelResult r = runModel(q, {255});
    QCOMPARE(r.counts, std::vector<int>{expected});
}

void TestQuantizer::modelSaturatesTheMembrane()
{
    // An inhibitory weight drives v down without end: the membrane saturates at -128 (8 bits),
    // so after the input stops, a bias of +40 per step needs exactly 5 steps to fire again.
    Graph g(1);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 1, 1, {-1.0f});
    l.neuron.type = NeuronType::IF;
    l.neuron.beta = 1.0f;
    l.neuron.threshold = 1.0f / 127.0f * 60.0f; // 60
    g.addLayer(l);
    QuantConfig c;
    c.membraneBits = 8;
    c.steps = 4;
    QuantizedNetwork q = quantize(g, c);
    QCOMPARE(q.layers[0].threshold, 60);
    QCOMPARE(runModel(q, {255}).counts, std::vector<int>{0});
    // Without saturation v would be -508 after 4 steps; check the model clamps at -128 by giving
    // a bias that would take 13 steps from -508 but 5 from -128.
    q.layers[0].bias = {40};
    q.config.steps = 8;
    // Steps: v starts at 40; each input step adds -127 then +40.
    int v = 40;
    int fired = 0;
    const Eigen::MatrixXf spikes = inputSpikes(q.config, {255});
    for (int t = 0; t < q.config.steps; ++t) {
        if (spikes(t, 0) > 0)
            v = std::max(-128, v - 127);
        if (v > 60) {
            ++fired;
            v -= 60;
        }
        v = std::min(127, std::max(-128, v + 40));
    }
    QCOMPARE(runModel(q, {255}).counts, std::vector<int>{fired});
}

void TestQuantizer::stepInputIsSummedBeforeSaturating()
{
    // Within one step inputs 0..3 bring +127, +127, +127, -127 to an 8-bit membrane. The core sums
    // a step's input exactly and saturates once: 0 + 254 -> 127, which fires (saturating at each
    // add, in input order, would give 127 - 127 = 0 and never fire).
    Graph g(4);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 2, 4,
                        {1.0f, 1.0f, 1.0f, -1.0f, 0.1f, 0.1f, 0.1f, 0.1f});
    l.neuron.type = NeuronType::IF;
    l.neuron.beta = 1.0f;
    l.neuron.threshold = 100.0f / 127.0f;
    g.addLayer(l);
    QuantConfig c;
    c.membraneBits = 8;
    c.steps = 20;
    const QuantizedNetwork q = quantize(g, c);
    QCOMPARE(q.layers[0].threshold, 100);
    const std::vector<std::uint8_t> input{255, 255, 255, 255};
    const Eigen::MatrixXf spikes = inputSpikes(c, input);
    std::vector<int> expected(2, 0);
    int fullSteps = 0;
    for (int n = 0; n < 2; ++n) {
        int v = 0;
        for (int t = 0; t < c.steps; ++t) {
            int sum = 0;
            for (int j = 0; j < 4; ++j)
                if (spikes(t, j) > 0)
                    sum += q.layers[0].weight(n, j);
            if (n == 0 && spikes.row(t).sum() == 4.0f)
                ++fullSteps;
            v = std::clamp(v + sum, -128, 127);
            if (v > 100) {
                ++expected[std::size_t(n)];
                v = std::clamp(v - 100, -128, 127);
            }
        }
    }
    QCOMPARE(runModel(q, input).counts, expected);
    // Neuron 0 fires at least at every step where all four inputs spike (254 saturates to 127);
    // neuron 1 (4 x 13 per step) never nears the bounds.
    QVERIFY(fullSteps > 10);
    QVERIFY(expected[0] >= fullSteps);
    QVERIFY(expected[1] > 0);
}

void TestQuantizer::zeroResetAndLeak()
{
    Graph g(1);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 1, 1, {1.0f});
    l.neuron.type = NeuronType::LIF;
    l.neuron.beta = 0.5f; // shift 1
    l.neuron.reset = ResetMode::Zero;
    l.neuron.threshold = 1.5f; // 191 at scale 127 (190.5 rounds away from zero)
    g.addLayer(l);
    QuantConfig c;
    c.steps = 12;
    const QuantizedNetwork q = quantize(g, c);
    QCOMPARE(q.layers[0].leakShift, 1);
    QCOMPARE(q.layers[0].threshold, 191);
    const Eigen::MatrixXf spikes = inputSpikes(c, {200});
    int v = 0;
    int fired = 0;
    for (int t = 0; t < c.steps; ++t) {
        if (spikes(t, 0) > 0)
            v += 127;
        if (v > 191) {
            ++fired;
            v = 0;
        }
        v -= v >> 1;
    }
    QCOMPARE(runModel(q, {200}).counts, std::vector<int>{fired});
}

void TestQuantizer::tieGoesToLowestIndex()
{
    QCOMPARE(argmaxLowest({3, 5, 5, 1}), 1);
    QCOMPARE(argmaxLowest({0, 0, 0}), 0);
    QCOMPARE(argmaxLowest({1, 2, 3}), 2);
}

void TestQuantizer::clipByPercentile()
{
    Eigen::MatrixXf w(2, 5);
    w << 0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f, 0.7f, -0.8f, 0.9f, -2.0f;
    QCOMPARE(clipMagnitude(w, 100.0), double(2.0f));
    QCOMPARE(clipMagnitude(w, 90.0), double(0.9f)); // nearest rank: the 9th of 10
    QCOMPARE(clipMagnitude(w, 85.0), double(0.9f));
    QCOMPARE(clipMagnitude(w, 50.0), double(0.5f));
    QCOMPARE(clipMagnitude(Eigen::MatrixXf(0, 3), 99.0), 0.0);
    // At 90 % the outlier -2.0 clamps to -qmax and 0.9 maps to qmax.
    Graph g(5);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 2, 5,
                        {0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f, 0.7f, -0.8f, 0.9f, -2.0f});
    l.neuron.threshold = 0.9f;
    g.addLayer(l);
    QuantConfig c;
    c.weightBits = 4;
    c.clipPercentile = 90.0;
    const QuantLayer q = quantize(g, c).layers.front();
    QCOMPARE(q.scale, 7.0 / double(0.9f));
    QCOMPARE(QList<int>(q.weights.begin(), q.weights.end()),
             (QList<int>{1, -2, 2, -3, 4, -5, 5, -6, 7, -7}));
    QCOMPARE(q.threshold, 7);
    c.clipPercentile = 49.0;
    try {
        c.validate();
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the clipping percentile must be 50 to 100, got 49"));
    }
}

void TestQuantizer::onGridQuantisesBackToItself_data()
{
    QTest::addColumn<int>("bits");
    QTest::addColumn<double>("clip");
    QTest::newRow("8 bits") << 8 << 100.0;
    QTest::newRow("4 bits") << 4 << 100.0;
    QTest::newRow("4 bits, clip 99") << 4 << 99.0;
    QTest::newRow("3 bits, clip 90") << 3 << 90.0;
}

void TestQuantizer::onGridQuantisesBackToItself()
{
    QFETCH(int, bits);
    QFETCH(double, clip);
    // A 784-like chain with biases and a leak: the graph on the grid is the quantised network
    // in float units, and quantising it again (plain maximum, as eval and synth do) gives the
    // same integers.
    Rng rng(5);
    Graph g(20);
    LayerId source = kNetworkInput;
    for (const auto &[name, n, inputs] :
         {std::tuple{QStringLiteral("h"), 12, 20}, std::tuple{QStringLiteral("o"), 4, 12}}) {
        Layer l = makeLayer(name, source, n, inputs);
        for (int r = 0; r < n; ++r)
            for (int j = 0; j < inputs; ++j)
                l.weights(r, j) = float(rng.uniform() - 0.5);
        l.bias.resize(n);
        for (int i = 0; i < n; ++i)
            l.bias(i) = float(0.2 * (rng.uniform() - 0.5));
        l.neuron.beta = 0.9f;
        source = g.addLayer(l);
    }
    QuantConfig c;
    c.weightBits = bits;
    c.clipPercentile = clip;
    const QuantizedNetwork net = quantize(g, c);
    const Graph grid = onGrid(g, net);
    QuantConfig plain = c;
    plain.clipPercentile = 100.0;
    const QuantizedNetwork again = quantize(grid, plain);
    for (std::size_t k = 0; k < net.layers.size(); ++k) {
        QCOMPARE(again.layers[k].weights, net.layers[k].weights);
        QCOMPARE(again.layers[k].bias, net.layers[k].bias);
        QCOMPARE(again.layers[k].threshold, net.layers[k].threshold);
        QCOMPARE(again.layers[k].leakShift, 3);
        const Layer &l = grid.layers()[k];
        QCOMPARE(l.neuron.beta, 0.875f); // 1 - 2^-3, the shift's decay
        QCOMPARE(l.neuron.threshold, float(net.layers[k].threshold / net.layers[k].scale));
        QCOMPARE(l.weights(1, 2), float(net.layers[k].weight(1, 2) / net.layers[k].scale));
    }
    // The same answers on any input.
    for (int s = 0; s < 5; ++s) {
        Eigen::VectorXf x(20);
        for (int j = 0; j < 20; ++j)
            x(j) = float(rng.uniform());
        QCOMPARE(runModel(again, intensities(x)).counts, runModel(net, intensities(x)).counts);
    }
}

QTEST_GUILESS_MAIN(TestQuantizer)
#include "tst_quantizer.moc"
