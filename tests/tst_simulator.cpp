// snn::simulateSequences and `snnc simulate`: given input trains in, every layer's spikes and
// membranes per step out (docs/simulation.md).

#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "io/GraphFile.h"
#include "io/Hdf5.h"
#include "sim/Sequences.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>

using namespace snn;
using namespace snn::test;

namespace {

// One input, one neuron with weight 0.75, threshold 1.
Graph oneNeuron(float beta, ResetMode reset, float resetValue = 0.0f)
{
    Graph g(1);
    Layer l = makeLayer(QStringLiteral("n"), kNetworkInput, 1, 1, {0.75f});
    l.neuron.type = beta == 1.0f ? NeuronType::IF : NeuronType::LIF;
    l.neuron.beta = beta;
    l.neuron.reset = reset;
    l.neuron.resetValue = resetValue;
    g.addLayer(l);
    return g;
}

// One sample of six steps of one input.
SequenceInput sixSteps(SequenceInput::Kind kind, std::vector<float> values)
{
    SequenceInput in;
    in.kind = kind;
    in.samples = 1;
    in.steps = 6;
    in.inputs = 1;
    in.values = std::move(values);
    return in;
}

// A one-neuron layer's spikes of one sample as "010010".
QString spikeText(const LayerTrace &l)
{
    QString text;
    for (const std::uint8_t s : l.spikes)
        text += s ? QLatin1Char('1') : QLatin1Char('0');
    return text;
}

// input(5) -> hidden(4) -> linear(3, non-spiking) -> out(2): random weights, subtract-next.
Graph smallNet()
{
    Rng rng(3);
    Graph g(5);
    auto random = [&](Layer l) {
        for (Eigen::Index i = 0; i < l.weights.size(); ++i)
            l.weights.data()[i] = float(rng.uniform() * 1.5 - 0.4);
        l.neuron.reset = ResetMode::SubtractNext;
        return l;
    };
    const LayerId h = g.addLayer(random(makeLayer(QStringLiteral("hidden"), kNetworkInput, 4, 5)));
    Layer lin = random(makeLayer(QStringLiteral("lin/ear"), h, 3, 4));
    lin.neuron.spiking = false;
    lin.neuron.reset = ResetMode::Subtract;
    const LayerId m = g.addLayer(lin);
    g.addLayer(random(makeLayer(QStringLiteral("out"), m, 2, 3)));
    return g;
}

void writeInput(const QString &path, const QString &name, const std::vector<float> &values,
                const std::vector<hsize_t> &shape)
{
    h5::saveFile(path, [&](hid_t file) {
        if (name == QLatin1String("spikes"))
            h5::writeBytes(file, name, std::vector<std::uint8_t>(values.begin(), values.end()),
                           shape);
        else if (!name.isEmpty())
            h5::writeFloats(file, name, values, shape);
    });
}

} // namespace

class TestSimulator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void handDerivedTraces_data();
    void newNeuronTraces_data();
    void newNeuronTraces();
    void handDerivedTraces();
    void subtractNoDelayTrace_data();
    void subtractNoDelayTrace();
    void constantCurrentEqualsRepeatedSteps();
    void encodeSampleIsWhatRunFeeds();
    void cliWritesEveryLayer();
    void countsFileHoldsTheActivity();
    void refusesBadInput_data();
    void refusesBadInput();
    void refusesDeclaredSizesBeforeReading_data();
    void refusesDeclaredSizesBeforeReading();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
};

void TestSimulator::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestSimulator::handDerivedTraces_data()
{
    QTest::addColumn<float>("beta");
    QTest::addColumn<int>("reset");
    QTest::addColumn<float>("resetValue");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QList<float>>("membrane");
    // Input spike every step, weight .75, threshold 1. The membrane is what a step leaves.
    // subtract, beta .5: .75; 1.125 -> .125; .8125; 1.15625 -> .15625; .828125; 1.1640625 -> ..
    QTest::newRow("subtract") << 0.5f << int(ResetMode::Subtract) << 0.0f
                              << QStringLiteral("010101")
                              << QList<float>{0.75f,    0.125f,    0.8125f,
                                              0.15625f, 0.828125f, 0.1640625f};
    // subtract-next, beta .5: .75; 1.125 (spike, kept); .5625 + .75 - 1 = .3125; .90625;
    // 1.203125 (spike); .6015625 + .75 - 1 = .3515625.
    QTest::newRow("subtract-next")
        << 0.5f << int(ResetMode::SubtractNext) << 0.0f << QStringLiteral("010010")
        << QList<float>{0.75f, 1.125f, 0.3125f, 0.90625f, 1.203125f, 0.3515625f};
    // zero to -0.5, IF: .75; 1.5 -> -.5; .25; 1.0 (not > 1); 1.75 -> -.5; .25.
    QTest::newRow("zero to -0.5") << 1.0f << int(ResetMode::Zero) << -0.5f
                                  << QStringLiteral("010010")
                                  << QList<float>{0.75f, -0.5f, 0.25f, 1.0f, -0.5f, 0.25f};
}

void TestSimulator::handDerivedTraces()
{
    QFETCH(float, beta);
    QFETCH(int, reset);
    QFETCH(float, resetValue);
    QFETCH(QString, spikes);
    QFETCH(QList<float>, membrane);
    SequenceInput in;
    in.kind = SequenceInput::Spikes;
    in.samples = 2; // the second sample gets no input: no spike, membrane 0
    in.steps = 6;
    in.inputs = 1;
    in.values = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    const SequenceTraces t =
        simulateSequences(oneNeuron(beta, ResetMode(reset), resetValue), in, 6, true);
    QCOMPARE(t.samples, 2);
    QCOMPARE(t.steps, 6);
    const LayerTrace &l = t.layers.front();
    QString trace;
    for (int s = 0; s < 6; ++s) {
        trace += l.spikes[std::size_t(s)] ? QLatin1Char('1') : QLatin1Char('0');
        QCOMPARE(l.membrane[std::size_t(s)], membrane[s]);
        QCOMPARE(l.spikes[std::size_t(6 + s)], std::uint8_t(0));
        QCOMPARE(l.membrane[std::size_t(6 + s)], 0.0f);
    }
    QCOMPARE(trace, spikes);
    QCOMPARE(t.countLayer, 0);
    QCOMPARE(t.counts, (std::vector<std::int64_t>{spikes.count(QLatin1Char('1')), 0}));
}

void TestSimulator::newNeuronTraces_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<float>("alpha");
    QTest::addColumn<float>("beta");
    QTest::addColumn<int>("reset");
    QTest::addColumn<int>("firing");
    QTest::addColumn<float>("initial");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QList<float>>("membrane");
    QTest::addColumn<QList<float>>("synaptic");
    // Input spike every step, weight .75, threshold 1.
    // CubaLIF, alpha .5, beta .5, subtract: i = .75, 1.125, 1.3125, 1.40625, 1.453125,
    // 1.4765625; v = .75; .375 + 1.125 = 1.5 -> .5; .25 + 1.3125 = 1.5625 -> .5625; 1.6875 ->
    // .6875; 1.796875 -> .796875; 1.875 -> .875.
    QTest::newRow("CubaLIF") << int(NeuronType::CubaLIF) << 0.5f << 0.5f << int(ResetMode::Subtract)
                             << int(Firing::Above) << 0.0f << QStringLiteral("011111")
                             << QList<float>{0.75f, 0.5f, 0.5625f, 0.6875f, 0.796875f, 0.875f}
                             << QList<float>{0.75f,    1.125f,    1.3125f,
                                             1.40625f, 1.453125f, 1.4765625f};
    // zero-next, LIF beta .5: .75; 1.125 (spike, kept); the step after: 0, its input lost; .75;
    // 1.125 (spike); 0.
    QTest::newRow("zero-next") << int(NeuronType::LIF) << 0.0f << 0.5f << int(ResetMode::ZeroNext)
                               << int(Firing::Above) << 0.0f << QStringLiteral("010010")
                               << QList<float>{0.75f, 1.125f, 0.0f, 0.75f, 1.125f, 0.0f}
                               << QList<float>{};
    // at-or-above, IF, subtract: .75; 1.5 -> .5; 1.25 -> .25; 1.0 spikes (v >= 1) -> 0; .75;
    // 1.5 -> .5 (with "above", 1.0 does not spike).
    QTest::newRow("at-or-above") << int(NeuronType::IF) << 0.0f << 1.0f << int(ResetMode::Subtract)
                                 << int(Firing::AtOrAbove) << 0.0f << QStringLiteral("011101")
                                 << QList<float>{0.75f, 0.5f, 0.25f, 0.0f, 0.75f, 0.5f}
                                 << QList<float>{};
    // initial membrane .5, LIF beta .5, subtract: .25 + .75 = 1 (not > 1); 1.25 -> .25; .875;
    // 1.1875 -> .1875; .84375; 1.171875 -> .171875.
    QTest::newRow("initial membrane")
        << int(NeuronType::LIF) << 0.0f << 0.5f << int(ResetMode::Subtract) << int(Firing::Above)
        << 0.5f << QStringLiteral("010101")
        << QList<float>{1.0f, 0.25f, 0.875f, 0.1875f, 0.84375f, 0.171875f} << QList<float>{};
}

void TestSimulator::newNeuronTraces()
{
    QFETCH(int, type);
    QFETCH(float, alpha);
    QFETCH(float, beta);
    QFETCH(int, reset);
    QFETCH(int, firing);
    QFETCH(float, initial);
    QFETCH(QString, spikes);
    QFETCH(QList<float>, membrane);
    QFETCH(QList<float>, synaptic);
    Graph g = oneNeuron(beta, ResetMode(reset));
    NeuronParams &p = g.layer(g.layers().front().id).neuron;
    p.type = NeuronType(type);
    p.alpha = alpha;
    p.firing = Firing(firing);
    p.initial = initial;
    g.validate();
    const SequenceTraces t =
        simulateSequences(g, sixSteps(SequenceInput::Spikes, {1, 1, 1, 1, 1, 1}), 6, true);
    const LayerTrace &l = t.layers.front();
    QCOMPARE(l.membrane, std::vector<float>(membrane.begin(), membrane.end()));
    QCOMPARE(spikeText(l), spikes);
    QCOMPARE(l.synaptic, std::vector<float>(synaptic.begin(), synaptic.end()));
    // The engine runs the same dynamics: its spike count for one constant spike train.
    QCOMPARE(simulate(g, Eigen::MatrixXf::Ones(6, 1)).front().sum(),
             float(spikes.count(QLatin1Char('1'))));
}

void TestSimulator::subtractNoDelayTrace_data()
{
    QTest::addColumn<int>("reset");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QList<float>>("membrane");
    // Currents 3, .75, .75, .75, 0, 0 (input 4, 1, 1, 1, 0, 0 times the weight .75), beta .5.
    // subtract: 3 -> 2; 1.75 -> .75; 1.125 -> .125; .8125; .40625; .203125.
    QTest::newRow("subtract") << int(ResetMode::Subtract) << QStringLiteral("111000")
                              << QList<float>{2.0f, 0.75f, 0.125f, 0.8125f, 0.40625f, 0.203125f};
    // subtract-nodelay (snnTorch's reset_delay=False): 3 spikes, 2 is left above threshold, so
    // each later step subtracts the threshold first (r = 1) and needs m > 1 to spike:
    // m = 1 + .75 - 1 = .75, no spike, v = m + 1 = 1.75; m = .875 + .75 - 1 = .625 -> 1.625;
    // m = .8125 + .75 - 1 = .5625 -> 1.5625; m = .78125 - 1 -> .78125 (now below); .390625.
    QTest::newRow("subtract-nodelay")
        << int(ResetMode::SubtractNoDelay) << QStringLiteral("100000")
        << QList<float>{2.0f, 1.75f, 1.625f, 1.5625f, 0.78125f, 0.390625f};
}

void TestSimulator::subtractNoDelayTrace()
{
    QFETCH(int, reset);
    QFETCH(QString, spikes);
    QFETCH(QList<float>, membrane);
    const SequenceTraces t =
        simulateSequences(oneNeuron(0.5f, ResetMode(reset)),
                          sixSteps(SequenceInput::Current, {4, 1, 1, 1, 0, 0}), 6, true);
    const LayerTrace &l = t.layers.front();
    QCOMPARE(l.membrane, std::vector<float>(membrane.begin(), membrane.end()));
    QCOMPARE(spikeText(l), spikes);
}

void TestSimulator::constantCurrentEqualsRepeatedSteps()
{
    const Graph g = smallNet();
    SequenceInput constant;
    constant.kind = SequenceInput::ConstantCurrent;
    constant.samples = 2;
    constant.inputs = 5;
    constant.values = {0.5f, 0.1f, 0.9f, 0.3f, 0.0f, 1.0f, 0.2f, 0.2f, 0.7f, 0.4f};
    SequenceInput repeated = constant;
    repeated.kind = SequenceInput::Current;
    repeated.steps = 7;
    repeated.values.clear();
    for (int s = 0; s < 2; ++s)
        for (int t = 0; t < 7; ++t)
            repeated.values.insert(repeated.values.end(), constant.values.begin() + 5 * s,
                                   constant.values.begin() + 5 * (s + 1));
    const SequenceTraces a = simulateSequences(g, constant, 7, true);
    const SequenceTraces b = simulateSequences(g, repeated, 7, true);
    for (std::size_t k = 0; k < 3; ++k) {
        QVERIFY(a.layers[k].spikes == b.layers[k].spikes);
        QVERIFY(a.layers[k].membrane == b.layers[k].membrane);
        QVERIFY(a.layers[k].output == b.layers[k].output);
    }
    QVERIFY(a.layers[0].membrane.size() == 2 * 7 * 4);
    QVERIFY(a.layers[1].membrane.empty()); // a linear layer has no membrane
    QCOMPARE(a.layers[1].output.size(), std::size_t(2 * 7 * 3));
}

void TestSimulator::encodeSampleIsWhatRunFeeds()
{
    // A data set's sample as sim::run feeds it: the same output spike counts, sample by sample,
    // with rate encoding (the very spikes run() draws) and with a constant current.
    const Graph g = smallNet();
    Rng rng(6);
    RowMatrixXf x(6, 5);
    for (Eigen::Index i = 0; i < x.size(); ++i)
        x.data()[i] = float(rng.uniform());
    x(2, 3) = 0.0f; // never spikes
    x(4, 1) = 1.0f; // spikes at every step
    for (sim::Encoding encoding : {sim::Encoding::Rate, sim::Encoding::Current}) {
        sim::SimOptions o;
        o.steps = 30;
        o.seed = 9;
        o.encoding = encoding;
        const sim::SimResult r = sim::run(g, x, o);
        std::int64_t outputSpikes = 0;
        for (int i = 0; i < 6; ++i) {
            const SequenceInput in = encodeSample(x.row(i), i, o);
            QCOMPARE(in.samples, 1);
            QCOMPARE(in.inputs, 5);
            if (encoding == sim::Encoding::Rate) {
                QCOMPARE(in.kind, SequenceInput::Spikes);
                QCOMPARE(in.steps, 30);
            } else {
                QCOMPARE(in.kind, SequenceInput::ConstantCurrent);
                QCOMPARE(in.values, (std::vector<float>(x.row(i).data(), x.row(i).data() + 5)));
            }
            const SequenceTraces t = simulateSequences(g, in, 30, false);
            for (int n = 0; n < 2; ++n)
                QCOMPARE(double(t.counts[std::size_t(n)]), double(r.scores(i, n)));
            outputSpikes += t.counts[0] + t.counts[1];
        }
        QVERIFY(outputSpikes > 30);
    }
    // The rate spikes themselves: x = 0 never, x = 1 always.
    sim::SimOptions o;
    o.steps = 30;
    const Eigen::MatrixXf none = sim::rateSpikes(x.row(2), 2, o);
    const Eigen::MatrixXf all = sim::rateSpikes(x.row(4), 4, o);
    QCOMPARE(none.rows(), Eigen::Index(30));
    QCOMPARE(none.col(3).sum(), 0.0f);
    QCOMPARE(all.col(1).sum(), 30.0f);
    // Sample 1 of a two-sample input is that sample alone.
    const SequenceInput two = [&] {
        SequenceInput in = encodeSample(x.row(0), 0, o);
        const SequenceInput second = encodeSample(x.row(1), 1, o);
        in.samples = 2;
        in.values.insert(in.values.end(), second.values.begin(), second.values.end());
        return in;
    }();
    QCOMPARE(two.sample(1).values, encodeSample(x.row(1), 1, o).values);
    QCOMPARE(two.sample(1).samples, 1);
}

void TestSimulator::cliWritesEveryLayer()
{
    // Random spike trains through snnc simulate; every layer's record equals snn::simulate's.
    const Graph g = smallNet();
    saveGraph(g, path(QStringLiteral("net.h5")));
    Rng rng(9);
    const int samples = 3, steps = 12;
    std::vector<float> values(std::size_t(samples * steps * 5));
    for (float &v : values)
        v = rng.uniform() < 0.5 ? 1.0f : 0.0f;
    writeInput(path(QStringLiteral("in.h5")), QStringLiteral("spikes"), values,
               {hsize_t(samples), hsize_t(steps), 5});
    const SnncRun r = runSnnc({QStringLiteral("simulate"), path(QStringLiteral("net.h5")),
                               QStringLiteral("--input"), path(QStringLiteral("in.h5")),
                               QStringLiteral("-o"), path(QStringLiteral("out.h5")),
                               QStringLiteral("--record"), QStringLiteral("spikes,membrane"),
                               QStringLiteral("--steps"), QStringLiteral("10")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith(QStringLiteral("simulated 3 samples x 10 steps through 3 layers\n")),
             qPrintable(r.out));
    auto guard = h5::lock();
    const h5::Handle out = h5::openFile(path(QStringLiteral("out.h5")));
    std::vector<std::vector<float>> spikes, membranes;
    std::vector<hsize_t> shape;
    for (const QString &key : {QStringLiteral("hidden"), QStringLiteral("out")}) {
        const h5::Handle group = h5::openGroup(out, QStringLiteral("layers/") + key);
        spikes.push_back(h5::readFloats(group, QStringLiteral("spikes"), &shape));
        membranes.push_back(h5::readFloats(group, QStringLiteral("membrane"), nullptr));
    }
    QCOMPARE(shape, (std::vector<hsize_t>{3, 10, 2}));
    const h5::Handle linear = h5::openGroup(out, QStringLiteral("layers/lin_ear"));
    QCOMPARE(h5::readStringAttribute(linear, QStringLiteral("name")).value_or(QString()),
             QStringLiteral("lin/ear"));
    const std::vector<float> linearOut = h5::readFloats(linear, QStringLiteral("output"), nullptr);
    QVERIFY(!h5::exists(linear, QStringLiteral("spikes")));
    const std::vector<double> counts = h5::readDoubles(out, QStringLiteral("counts"), &shape);
    QCOMPARE(shape, (std::vector<hsize_t>{3, 2}));
    int total = 0;
    for (int s = 0; s < samples; ++s) {
        Eigen::MatrixXf x(10, 5);
        for (int t = 0; t < 10; ++t)
            for (int j = 0; j < 5; ++j)
                x(t, j) = values[std::size_t((s * steps + t) * 5 + j)];
        const std::vector<Eigen::MatrixXf> expected = simulate(g, x);
        for (int t = 0; t < 10; ++t) {
            for (int n = 0; n < 4; ++n)
                QCOMPARE(spikes[0][std::size_t((s * 10 + t) * 4 + n)], expected[0](t, n));
            for (int n = 0; n < 3; ++n)
                QCOMPARE(linearOut[std::size_t((s * 10 + t) * 3 + n)], expected[1](t, n));
            for (int n = 0; n < 2; ++n)
                QCOMPARE(spikes[1][std::size_t((s * 10 + t) * 2 + n)], expected[2](t, n));
        }
        for (int n = 0; n < 2; ++n) {
            QCOMPARE(counts[std::size_t(s * 2 + n)], double(expected[2].col(n).sum()));
            total += int(expected[2].col(n).sum());
        }
    }
    QVERIFY(total > 0); // the output is not trivially silent
    QCOMPARE(membranes[0].size(), std::size_t(3 * 10 * 4));
}

void TestSimulator::countsFileHoldsTheActivity()
{
    sim::Activity a;
    a.samples = 3;
    a.outputCounts = Eigen::MatrixXf(3, 2);
    a.outputCounts << 4, 0, 1, 7, 2, 2;
    a.predictions = {0, 1, 0};
    const QString file = path(QStringLiteral("counts.h5"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(activityCountsFileBytes(a, {0, 1, 1}));
    out.close();
    auto guard = h5::lock();
    const h5::Handle h = h5::openFile(file);
    QCOMPARE(h5::readMatrix(h, QStringLiteral("output_counts")), RowMatrixXf(a.outputCounts));
    std::vector<hsize_t> shape;
    QCOMPARE(h5::readDoubles(h, QStringLiteral("predictions"), &shape),
             (std::vector<double>{0, 1, 0}));
    QCOMPARE(shape, std::vector<hsize_t>{3});
    QCOMPARE(h5::readDoubles(h, QStringLiteral("labels"), &shape), (std::vector<double>{0, 1, 1}));
    QCOMPARE(h5::childNames(h),
             (QStringList{QStringLiteral("labels"), QStringLiteral("output_counts"),
                          QStringLiteral("predictions")}));
}

void TestSimulator::refusesBadInput_data()
{
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QList<int>>("shape");
    QTest::addColumn<float>("value");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("error");
    QTest::newRow("2-D spikes") << QStringLiteral("spikes") << QList<int>{2, 5} << 1.0f
                                << QStringList()
                                << QStringLiteral("in.h5: 'spikes' has shape [2 x 5], not "
                                                  "[samples x steps x inputs]");
    // A step's inputs may have a shape ([2 x 3 x 5 x 1] fits the 5 inputs): its size must fit.
    QTest::newRow("4-D current of another size")
        << QStringLiteral("current") << QList<int>{2, 3, 2, 3} << 0.5f << QStringList()
        << QStringLiteral("the input has 6 values per step, the network takes 5");
    QTest::newRow("1-D current")
        << QStringLiteral("current") << QList<int>{5} << 0.5f << QStringList()
        << QStringLiteral("in.h5: 'current' has shape [5], not [samples x steps x inputs] or "
                          "[samples x inputs]");
    QTest::newRow("input width") << QStringLiteral("spikes") << QList<int>{2, 3, 4} << 1.0f
                                 << QStringList()
                                 << QStringLiteral("the input has 4 values per step, the network "
                                                   "takes 5");
    QTest::newRow("not a spike") << QStringLiteral("spikes") << QList<int>{2, 3, 5} << 2.0f
                                 << QStringList()
                                 << QStringLiteral("in.h5: 'spikes' holds 2 at sample 0, step 0, "
                                                   "input 0; spikes are 0 or 1");
    QTest::newRow("too many steps") << QStringLiteral("spikes") << QList<int>{2, 3, 5} << 1.0f
                                    << QStringList{QStringLiteral("--steps"), QStringLiteral("4")}
                                    << QStringLiteral("4 steps asked for; the input has 3");
    QTest::newRow("no samples") << QStringLiteral("spikes") << QList<int>{0, 3, 5} << 1.0f
                                << QStringList()
                                << QStringLiteral("in.h5: 'spikes' has shape [0 x 3 x 5]: nothing "
                                                  "to simulate");
    QTest::newRow("nan current") << QStringLiteral("current") << QList<int>{2, 3, 5}
                                 << std::nanf("") << QStringList()
                                 << QStringLiteral("in.h5: 'current' holds nan at sample 0, step "
                                                   "0, input 0; currents are finite");
    // Recording 1,000 samples x 10^6 steps x 9 neurons: refused before it is allocated.
    QTest::newRow("recording") << QStringLiteral("current") << QList<int>{1000, 5} << 0.5f
                               << QStringList{QStringLiteral("--steps"), QStringLiteral("1000000")}
                               << QStringLiteral("1000 samples x 1000000 steps x 9 neurons make "
                                                 "9000000000 values to record, more than the "
                                                 "268435456 SNN Studio records; simulate fewer "
                                                 "samples or steps");
    QTest::newRow("neither") << QString() << QList<int>{} << 0.0f << QStringList()
                             << QStringLiteral("in.h5: holds neither 'spikes' nor 'current'");
    QTest::newRow("record") << QStringLiteral("spikes") << QList<int>{2, 3, 5} << 1.0f
                            << QStringList{QStringLiteral("--record"), QStringLiteral("voltage")}
                            << QStringLiteral("--record takes spikes, membrane or "
                                              "spikes,membrane, not 'voltage'");
}

void TestSimulator::refusesBadInput()
{
    QFETCH(QString, dataset);
    QFETCH(QList<int>, shape);
    QFETCH(float, value);
    QFETCH(QStringList, options);
    QFETCH(QString, error);
    saveGraph(smallNet(), path(QStringLiteral("net.h5")));
    std::vector<hsize_t> dims(shape.begin(), shape.end());
    std::size_t count = dims.empty() ? 0 : 1;
    for (hsize_t d : dims)
        count *= std::size_t(d);
    writeInput(path(QStringLiteral("in.h5")), dataset, std::vector<float>(count, value), dims);
    const SnncRun r =
        runSnnc(QStringList{QStringLiteral("simulate"), path(QStringLiteral("net.h5")),
                            QStringLiteral("--input"), path(QStringLiteral("in.h5")),
                            QStringLiteral("-o"), path(QStringLiteral("bad.h5"))} +
                options);
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err, QStringLiteral("snnc: ") + error + QLatin1Char('\n'));
    QVERIFY(!QFile::exists(path(QStringLiteral("bad.h5"))));
}

void TestSimulator::refusesDeclaredSizesBeforeReading_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error");
    // Files of a few KB from the fuzz corpus (tests/fuzz/make_corpus.py) declaring shapes whose
    // values would not fit in memory: the outside fuzz round's [2^62, 1, 8] ended in
    // std::length_error (exit status 134).
    QTest::newRow("2^62 samples")
        << QStringLiteral("spikes-2e62.h5")
        << QStringLiteral("spikes-2e62.h5: 'spikes' declares 18446744073709551615 values (shape "
                          "[4611686018427387904 x 1 x 8]), more than the 134217728 SNN Studio "
                          "reads from one dataset");
    QTest::newRow("10^9 steps")
        << QStringLiteral("steps-1e9.h5")
        << QStringLiteral("steps-1e9.h5: 'current' declares 8000000000 values (shape [1 x "
                          "1000000000 x 8]), more than the 134217728 SNN Studio reads from one "
                          "dataset");
    QTest::newRow("2^62 x 0")
        << QStringLiteral("zero-2e62.h5")
        << QStringLiteral("zero-2e62.h5: 'spikes' has shape [4611686018427387904 x 0 x 8]: "
                          "nothing to simulate");
}

void TestSimulator::refusesDeclaredSizesBeforeReading()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    saveGraph(smallNet(), path(QStringLiteral("net.h5")));
    const QString input = QStringLiteral(SNN_SOURCE_DIR "/tests/fuzz/corpus/simulate/") + file;
    QVERIFY(QFileInfo(input).size() < 16 * 1024);
    QElapsedTimer clock;
    clock.start();
    const SnncRun r = runSnnc({QStringLiteral("simulate"), path(QStringLiteral("net.h5")),
                               QStringLiteral("--input"), input, QStringLiteral("-o"),
                               path(QStringLiteral("bad.h5"))});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err, QStringLiteral("snnc: ") + error + QLatin1Char('\n'));
    // A refusal from the declared shape takes no time (10 s: room for a loaded machine).
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!QFile::exists(path(QStringLiteral("bad.h5"))));
}

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
