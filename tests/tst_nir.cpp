#include "HostileNames.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "graph/Example.h"
#include "io/GraphFile.h"
#include "io/Hdf5.h"
#include "nir/AnyGraphFile.h"
#include "nir/NirFile.h"
#include "sim/Sequences.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <functional>
#include <map>
#include <set>

using namespace snn;
using snn::nir::NirOptions;
using snn::test::makeLayer;
using snn::test::vec;

namespace {

QString sample(const QString &name)
{
    return QStringLiteral(SNN_NIR_SAMPLES "/") + name;
}

// One dataset of a hand-written NIR node: numbers (float32, float64 or int64) or a string.
struct Data {
    QString name;
    std::vector<double> values;
    std::vector<hsize_t> shape;
    bool isInt = false;
};

Data arr(const QString &name, std::vector<double> values)
{
    const hsize_t n = values.size();
    return {name, std::move(values), {n}};
}
Data scalar(const QString &name, double value)
{
    return {name, {value}, {}};
}
Data mat(const QString &name, hsize_t rows, hsize_t cols, std::vector<double> values)
{
    return {name, std::move(values), {rows, cols}};
}
Data shape(std::vector<double> dims)
{
    const hsize_t n = dims.size();
    return {QStringLiteral("shape"), std::move(dims), {n}, true};
}

// Writes NIR files the way the reference writer lays them out, in the variants the tests need.
class NirWriter {
public:
    explicit NirWriter(h5::WriteOptions options = {})
        : m_options(options)
    {}
    NirWriter &node(const QString &key, const QString &type, std::vector<Data> data = {})
    {
        m_nodes.push_back({key, type, std::move(data)});
        return *this;
    }
    NirWriter &edge(const QString &src, const QString &dst)
    {
        m_edges << src << dst;
        return *this;
    }
    // A chain: edges between consecutive keys.
    NirWriter &chain(const QStringList &keys)
    {
        for (qsizetype i = 0; i + 1 < keys.size(); ++i)
            edge(keys[i], keys[i + 1]);
        return *this;
    }
    void write(const QString &path) const
    {
        h5::saveFile(path, [&](hid_t file) {
            h5::writeStrings(file, QStringLiteral("version"), {QStringLiteral("0.2.0")}, {});
            h5::Handle root = h5::createGroup(file, QStringLiteral("node"));
            h5::writeStrings(root, QStringLiteral("type"), {QStringLiteral("NIRGraph")}, {});
            h5::Handle nodes = h5::createGroup(root, QStringLiteral("nodes"));
            for (const Node &n : m_nodes) {
                h5::Handle g = h5::createGroup(nodes, n.key);
                if (!n.type.isEmpty())
                    h5::writeStrings(g, QStringLiteral("type"), {n.type}, {});
                for (const Data &d : n.data) {
                    if (d.isInt)
                        h5::writeInts(g, d.name,
                                      std::vector<long long>(d.values.begin(), d.values.end()),
                                      d.shape, m_options);
                    else
                        h5::writeDoubles(g, d.name, d.values, d.shape, m_options);
                }
            }
            h5::writeStrings(root, QStringLiteral("edges"), m_edges,
                             {hsize_t(m_edges.size() / 2), 2}, m_options);
        });
    }

private:
    struct Node {
        QString key;
        QString type;
        std::vector<Data> data;
    };
    h5::WriteOptions m_options;
    std::vector<Node> m_nodes;
    QStringList m_edges;
};

// input(2) -> fc: Affine 2x2 -> lif: LIF(2) -> output, with the LIF datasets given.
NirWriter lifChain(std::vector<Data> lif, h5::WriteOptions options = {})
{
    NirWriter w(options);
    w.node(QStringLiteral("input"), QStringLiteral("Input"), {shape({2})})
        .node(QStringLiteral("fc"), QStringLiteral("Affine"),
              {mat(QStringLiteral("weight"), 2, 2, {1, 2, 3, 4}),
               arr(QStringLiteral("bias"), {0.5, -0.5})})
        .node(QStringLiteral("lif"), QStringLiteral("LIF"), std::move(lif))
        .node(QStringLiteral("output"), QStringLiteral("Output"), {shape({2})})
        .chain({QStringLiteral("input"), QStringLiteral("fc"), QStringLiteral("lif"),
                QStringLiteral("output")});
    return w;
}

std::vector<Data> lifData(double tau = 0.01, double r = 1.0, double leak = 0.0, double thr = 1.0)
{
    return {arr(QStringLiteral("tau"), {tau, tau}), arr(QStringLiteral("r"), {r, r}),
            arr(QStringLiteral("v_leak"), {leak, leak}),
            arr(QStringLiteral("v_threshold"), {thr, thr}), arr(QStringLiteral("v_reset"), {0, 0})};
}

QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.message();
    }
    return QStringLiteral("(no error)");
}

void compareGraphs(const Graph &a, const Graph &b)
{
    QCOMPARE(b.inputSize(), a.inputSize());
    QCOMPARE(b.layerCount(), a.layerCount());
    for (int i = 0; i < a.layerCount(); ++i) {
        const Layer &x = a.layers()[std::size_t(i)];
        const Layer &y = b.layers()[std::size_t(i)];
        QCOMPARE(y.name, x.name);
        QCOMPARE(b.sourceName(y), a.sourceName(x));
        QVERIFY2(y.neuron == x.neuron, qPrintable(x.name));
        QCOMPARE(y.weights.rows(), x.weights.rows());
        QCOMPARE(y.weights.cols(), x.weights.cols());
        QVERIFY2(y.weights == x.weights, qPrintable(x.name)); // exact
        QCOMPARE(y.bias.size(), x.bias.size());
        QVERIFY(y.bias == x.bias);
        QCOMPARE(y.rates.size(), x.rates.size());
        QVERIFY(y.rates == x.rates);
        QCOMPARE(y.ratesSource, x.ratesSource);
        QCOMPARE(y.position, x.position);
        for (std::size_t f = 0; f < x.perNeuron.fields().size(); ++f)
            QVERIFY2(*y.perNeuron.fields()[f].second == *x.perNeuron.fields()[f].second,
                     qPrintable(x.name + QLatin1Char(' ') + x.perNeuron.fields()[f].first));
    }
    QCOMPARE(b.inputShape(), a.inputShape());
}

// The datasets of each node group, by node type: what the reference reader passes on.
const std::map<QString, std::set<QString>> &allowedDatasets()
{
    static const std::map<QString, std::set<QString>> allowed = {
        {QStringLiteral("Input"), {QStringLiteral("type"), QStringLiteral("shape")}},
        {QStringLiteral("Output"), {QStringLiteral("type"), QStringLiteral("shape")}},
        {QStringLiteral("Affine"),
         {QStringLiteral("type"), QStringLiteral("weight"), QStringLiteral("bias")}},
        {QStringLiteral("Linear"), {QStringLiteral("type"), QStringLiteral("weight")}},
        {QStringLiteral("LIF"),
         {QStringLiteral("type"), QStringLiteral("tau"), QStringLiteral("r"),
          QStringLiteral("v_leak"), QStringLiteral("v_threshold"), QStringLiteral("v_reset")}},
        {QStringLiteral("IF"),
         {QStringLiteral("type"), QStringLiteral("r"), QStringLiteral("v_threshold"),
          QStringLiteral("v_reset")}},
        {QStringLiteral("CubaLIF"),
         {QStringLiteral("type"), QStringLiteral("tau_mem"), QStringLiteral("tau_syn"),
          QStringLiteral("r"), QStringLiteral("w_in"), QStringLiteral("v_leak"),
          QStringLiteral("v_threshold"), QStringLiteral("v_reset")}},
        {QStringLiteral("Flatten"),
         {QStringLiteral("type"), QStringLiteral("start_dim"), QStringLiteral("end_dim"),
          QStringLiteral("input_type")}},
    };
    return allowed;
}

bool isGzipped(hid_t loc, const QString &name)
{
    h5::Handle ds(H5Dopen2(loc, name.toUtf8().constData(), H5P_DEFAULT), H5Dclose);
    h5::Handle plist(H5Dget_create_plist(ds), H5Pclose);
    for (int i = 0; i < H5Pget_nfilters(plist); ++i) {
        unsigned flags = 0;
        std::size_t count = 0;
        unsigned config = 0;
        if (H5Pget_filter2(plist, unsigned(i), &flags, &count, nullptr, 0, nullptr, &config) ==
            H5Z_FILTER_DEFLATE)
            return true;
    }
    return false;
}

// A graph with every feature export must carry: LIF and IF, every reset, a non-spiking layer,
// a layer feeding two layers, biases, rates, positions, and names that are not HDF5-safe or
// collide with the Input/Output node keys.
Graph featureGraph()
{
    Graph g(3);
    Layer a = makeLayer(QStringLiteral("input"), kNetworkInput, 2, 3,
                        {0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f});
    a.neuron.beta = 0.1f;
    a.neuron.threshold = 0.75f;
    a.bias = vec({0.01f, -0.02f});
    a.rates = vec({0.25f, 0.0f});
    a.ratesSource = QStringLiteral("measured: fashion-mnist, validation, 5000 samples, rate, T=25");
    a.position = QPointF(10.5, -3.25);
    const LayerId ia = g.addLayer(a);
    Layer b = makeLayer(QStringLiteral("conv/like"), ia, 2, 2, {1.5f, -2.5f, 0.125f, 3.0f});
    b.neuron.type = NeuronType::IF;
    b.neuron.beta = 1.0f;
    b.neuron.reset = ResetMode::Zero;
    b.neuron.resetValue = -0.25f;
    const LayerId ib = g.addLayer(b);
    Layer c = makeLayer(QStringLiteral("readout"), ib, 1, 2, {0.7f, -0.9f});
    c.neuron.spiking = false;
    c.bias = vec({0.3f});
    g.addLayer(c);
    Layer d = makeLayer(QStringLiteral("output"), ia, 2, 2, {0.2f, 0.2f, -0.1f, 0.9f});
    d.neuron.beta = 0.999f;
    d.neuron.threshold = 2.0f;
    d.neuron.reset = ResetMode::SubtractNext;
    d.rates = vec({1.0f, 0.5f});
    g.addLayer(d);
    Layer e = makeLayer(QStringLiteral("e"), ia, 1, 2, {1.0f, 1.0f});
    e.neuron.beta = 0.0f;
    e.neuron.reset = ResetMode::SubtractNoDelay;
    g.addLayer(e);
    return g;
}

} // namespace

class TestNir : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void importsNorseSample();
    void importsRockpoolSample();
    void importsTwoNeuronChain();
    void refusesSamples_data();
    void refusesSamples();
    void variantsImport_data();
    void variantsImport();
    void scaleIsFolded();
    void refusesVariants_data();
    void refusesVariants();
    void roundTripSamples_data();
    void roundTripSamples();
    void roundTripStudioGraph();
    void roundTripDt();
    void roundTripThroughH5PerMode_data();
    void roundTripThroughH5PerMode();
    void importAssumptions();
    void snntorchGoldenSpikes_data();
    void snntorchGoldenSpikes();
    void exportFollowsReaderRules();
    void exportGzipOption();
    void exportIsAtomic();
    void singleNeuronSpikeTrain();
    void leakDrivenSpikeTrain();
    void loadAnyGraphPicksFormat();
    void cliImportExport();
    void hostileNodeKeysAreMapped();
    void hostileMetadataNameIsRefused();
    void hostileNamesRoundTrip();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &name) const { return m_dir->filePath(name); }
};

void TestNir::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestNir::importsNorseSample()
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

void TestNir::importsRockpoolSample()
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

void TestNir::importsTwoNeuronChain()
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

void TestNir::refusesSamples_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");
    QTest::newRow("braille") << QStringLiteral("braille_noDelay_bias_zero.nir")
                             << QStringLiteral("braille_noDelay_bias_zero.nir: recurrent edge from "
                                               "node 'lif1.w_rec' (Affine) back to node "
                                               "'lif1.lif' (CubaLIF): SNN Studio graphs are "
                                               "feed-forward");
    QTest::newRow("sinabs") << QStringLiteral("cnn_sinabs.nir")
                            << QStringLiteral("cnn_sinabs.nir: node '0' (Conv2d): convolutions are "
                                              "not supported (SNN Studio layers are fully "
                                              "connected)");
}

void TestNir::refusesSamples()
{
    QFETCH(QString, file);
    QFETCH(QString, message);
    QCOMPARE(errorOf([&] { nir::importNir(sample(file)); }), message);
}

void TestNir::variantsImport_data()
{
    QTest::addColumn<QString>("variant");
    QTest::newRow("per-neuron arrays") << QStringLiteral("arrays");
    QTest::newRow("0-d scalar parameters") << QStringLiteral("scalars");
    QTest::newRow("float64") << QStringLiteral("float64");
    QTest::newRow("gzip") << QStringLiteral("gzip");
    QTest::newRow("old file without v_reset") << QStringLiteral("no-v_reset");
    QTest::newRow("[1, n] parameters") << QStringLiteral("row-shaped");
}

void TestNir::variantsImport()
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

void TestNir::scaleIsFolded()
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

void TestNir::refusesVariants_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown node type")
        << QStringLiteral("unknown") << QStringLiteral("node 'lif' (Foo): unknown NIR node type");
    QTest::newRow("missing dataset")
        << QStringLiteral("missing") << QStringLiteral("node 'lif' (LIF): missing dataset 'tau'");
    QTest::newRow("no type") << QStringLiteral("no-type")
                             << QStringLiteral("node 'lif' has no dataset 'type'");
    QTest::newRow("parameter shape")
        << QStringLiteral("tau-shape")
        << QStringLiteral("node 'lif' (LIF): 'tau' has shape [3] for 2 neurons");
    QTest::newRow("weight shape") << QStringLiteral("weight-shape")
                                  << QStringLiteral("node 'fc' (Linear): weight is [2 x 3] but "
                                                    "'input' gives 2 values");
    QTest::newRow("bias shape") << QStringLiteral("bias-shape")
                                << QStringLiteral(
                                       "node 'fc' (Affine): 'bias' has shape [3] for 2 outputs");
    QTest::newRow("output shape") << QStringLiteral("output-shape")
                                  << QStringLiteral("node 'output' (Output): shape holds 3 values "
                                                    "but 'lif' gives 2");
    QTest::newRow("cycle") << QStringLiteral("cycle")
                           << QStringLiteral("recurrent edge from node 'rec' (Affine) back to node "
                                             "'lif' (LIF): SNN Studio graphs are feed-forward");
    QTest::newRow("v_reset with subtract")
        << QStringLiteral("v_reset")
        << QStringLiteral("node 'lif' (LIF): v_reset = -0.5 has no meaning for the subtract reset");
    QTest::newRow("v_reset per neuron") << QStringLiteral("v_reset-varies")
                                        << QStringLiteral("node 'lif' (LIF): 'v_reset' differs "
                                                          "across neurons (-0.5 to 0); an SNN "
                                                          "Studio layer has one reset value");
    QTest::newRow("tau below dt") << QStringLiteral("tau-small")
                                  << QStringLiteral(
                                         "node 'lif' (LIF): tau = 5e-05 s is shorter than "
                                         "the time step dt = 0.001 s");
    QTest::newRow("delay") << QStringLiteral("Delay")
                           << QStringLiteral(
                                  "node 'lif' (Delay): synaptic delays are not supported");
    QTest::newRow("nested graph") << QStringLiteral("NIRGraph")
                                  << QStringLiteral(
                                         "node 'lif' (NIRGraph): nested graphs are not supported");
    QTest::newRow("flatten of a dimension the input lacks")
        << QStringLiteral("Flatten")
        << QStringLiteral("node 'lif' (Flatten): start_dim = 1 is not a dimension of its input's "
                          "[2]");
    QTest::newRow("flatten to a matrix")
        << QStringLiteral("flatten-partial")
        << QStringLiteral("node 'flat' (Flatten): gives [2 x 3], not a flat vector (SNN Studio "
                          "layers take flat inputs)");
    QTest::newRow("CubaLIF with v_leak")
        << QStringLiteral("cuba-leak")
        << QStringLiteral("node 'lif' (CubaLIF): v_leak = 0.5: a CubaLIF's leak adds to its "
                          "membrane past the synaptic current, which SNN Studio's CubaLIF does "
                          "not have");
    QTest::newRow("tau infinite, r finite")
        << QStringLiteral("tau-inf")
        << QStringLiteral("node 'lif' (LIF): r = 1 with tau = inf: the input's factor r dt / tau "
                          "is not a number SNN Studio can use");
    QTest::newRow("two inputs") << QStringLiteral("two-inputs")
                                << QStringLiteral("2 Input nodes ('input', 'input2')");
    QTest::newRow("fan-in") << QStringLiteral("fan-in")
                            << QStringLiteral("node 'lif' (LIF): 2 incoming edges");
    QTest::newRow("unknown edge end") << QStringLiteral("bad-edge")
                                      << QStringLiteral("edge 'lif' -> 'nowhere' names an unknown "
                                                        "node 'nowhere'");
    QTest::newRow("dangling node")
        << QStringLiteral("dangling") << QStringLiteral("node 'extra' (Linear): feeds no node");
    QTest::newRow("non-flat input")
        << QStringLiteral("image")
        << QStringLiteral("node 'fc' (Affine): its input 'input' has shape [2 x 3]; SNN Studio "
                          "layers take flat inputs (a Flatten node would make it flat)");
    QTest::newRow("scale before output")
        << QStringLiteral("scale-output")
        << QStringLiteral("node 'out2' (Output): the Scale node 'gain' before it has no Affine or "
                          "Linear node to fold into");
    QTest::newRow("input to output")
        << QStringLiteral("input-output")
        << QStringLiteral("node 'output2' (Output): the input feeds the "
                          "output directly; there is no layer");
    QTest::newRow("NaN weight") << QStringLiteral("nan")
                                << QStringLiteral(
                                       "node 'fc' (Affine): 'weight' contains NaN or Inf");
    QTest::newRow("unconnected node") << QStringLiteral("island")
                                      << QStringLiteral("node 'island' (Linear): not connected to "
                                                        "the input");
    QTest::newRow("studio file") << QStringLiteral("studio")
                                 << QStringLiteral("studio.h5: not a NIR file (no group 'node')");
    QTest::newRow("missing file") << QStringLiteral("absent") << QStringLiteral("no such file");
    QTest::newRow("duplicate edge")
        << QStringLiteral("duplicate-edge") << QStringLiteral("edge 'fc' -> 'lif' appears twice");
    QTest::newRow("input shape inf")
        << QStringLiteral("shape-inf")
        << QStringLiteral("node 'input' (Input): shape entry inf makes more than 67108864 values");
    QTest::newRow("input shape 1e12")
        << QStringLiteral("shape-huge")
        << QStringLiteral(
               "node 'input' (Input): shape entry 1e+12 makes more than 67108864 values");
    QTest::newRow("tau 1e300") << QStringLiteral("tau-huge")
                               << QStringLiteral("node 'fc' (Affine): the folded weights underflow "
                                                 "(a nonzero weight or bias becomes 0 as float32; "
                                                 "check tau and dt)");
    QTest::newRow("threshold 1e39")
        << QStringLiteral("threshold-huge")
        << QStringLiteral("node 'lif' (LIF): v_threshold = 1e+39 is outside the float range");
    QTest::newRow("null tau") << QStringLiteral("tau-null")
                              << QStringLiteral("node 'lif' (LIF): 'tau' is empty (a null "
                                                "dataspace)");
    QTest::newRow("huge weight declared")
        << QStringLiteral("weight-huge")
        << QStringLiteral("node 'fc' (Affine): 'weight' [1200000000 x 2] takes the graph past "
                          "67108864 values, the most SNN Studio loads");
    QTest::newRow("huge tau declared")
        << QStringLiteral("tau-declared")
        << QStringLiteral("node 'lif' (LIF): 'tau' has shape [1200000000] for 2 neurons");
    // fuzz_nir: a 'shape' declaring 1e8 entries was read whole (800 MB) before it was checked.
    QTest::newRow("huge shape declared")
        << QStringLiteral("shape-declared")
        << QStringLiteral("node 'input' (Input): 'shape' declares 100000000 entries, more than "
                          "the 32 dimensions an array has");
    // Spikes straight into neurons make a dense one-to-one layer: [n x n] counts.
    QTest::newRow("one-to-one past the ceiling")
        << QStringLiteral("one-to-one-huge")
        << QStringLiteral("node 'lif' (LIF): a one-to-one layer [10000 x 10000] takes the graph "
                          "past 67108864 values, the most SNN Studio loads");
}

void TestNir::refusesVariants()
{
    QFETCH(QString, variant);
    QFETCH(QString, message);
    const QString file = path(QStringLiteral("bad.nir"));
    QString target = file;
    std::vector<Data> lif = lifData();
    QString lifType = QStringLiteral("LIF");
    if (variant == QLatin1String("unknown") || variant == QLatin1String("Delay") ||
        variant == QLatin1String("NIRGraph") || variant == QLatin1String("Flatten"))
        lifType = variant == QLatin1String("unknown") ? QStringLiteral("Foo") : variant;
    if (variant == QLatin1String("no-type"))
        lifType.clear();
    if (variant == QLatin1String("missing"))
        lif.erase(lif.begin());
    if (variant == QLatin1String("tau-shape"))
        lif[0] = arr(QStringLiteral("tau"), {0.01, 0.01, 0.01});
    NirOptions options;
    if (variant == QLatin1String("v_reset")) {
        lif[4] = arr(QStringLiteral("v_reset"), {-0.5, -0.5});
        options.reset = ResetMode::Subtract;
    }
    if (variant == QLatin1String("v_reset-varies"))
        lif[4] = arr(QStringLiteral("v_reset"), {-0.5, 0.0});
    if (variant == QLatin1String("tau-varies"))
        lif[0] = arr(QStringLiteral("tau"), {0.01, 0.02});
    if (variant == QLatin1String("tau-small"))
        lif[0] = arr(QStringLiteral("tau"), {5e-5, 5e-5});
    if (variant == QLatin1String("tau-inf"))
        lif[0] = arr(QStringLiteral("tau"), {HUGE_VAL, HUGE_VAL});
    if (variant == QLatin1String("cuba-leak")) {
        lifType = QStringLiteral("CubaLIF");
        lif = {arr(QStringLiteral("tau_mem"), {0.01, 0.01}),
               arr(QStringLiteral("tau_syn"), {5e-3, 5e-3}),
               arr(QStringLiteral("r"), {1, 1}),
               arr(QStringLiteral("w_in"), {1, 1}),
               arr(QStringLiteral("v_leak"), {0.5, 0.5}),
               arr(QStringLiteral("v_threshold"), {1, 1}),
               arr(QStringLiteral("v_reset"), {0, 0})};
    }
    if (variant == QLatin1String("tau-huge"))
        lif[0] = arr(QStringLiteral("tau"), {1e300, 1e300});
    if (variant == QLatin1String("threshold-huge"))
        lif[3] = arr(QStringLiteral("v_threshold"), {1e39, 1e39});

    NirWriter w({.gzip = false, .asDouble = true});
    w.node(QStringLiteral("input"), QStringLiteral("Input"),
           {variant == QLatin1String("image") || variant == QLatin1String("flatten-partial")
                ? shape({2, 3})
            : variant == QLatin1String("shape-inf")       ? arr(QStringLiteral("shape"), {HUGE_VAL})
            : variant == QLatin1String("shape-huge")      ? shape({1e12})
            : variant == QLatin1String("one-to-one-huge") ? shape({10000})
                                                          : shape({2})});
    const bool oneToOne = variant == QLatin1String("one-to-one-huge"); // input -> lif, no fc
    if (variant == QLatin1String("flatten-partial"))                   // input -> flat -> fc
        w.node(QStringLiteral("flat"), QStringLiteral("Flatten"),
               {{QStringLiteral("start_dim"), {1}, {}, true},
                {QStringLiteral("end_dim"), {1}, {}, true}})
            .chain({QStringLiteral("input"), QStringLiteral("flat")});
    if (variant == QLatin1String("weight-shape"))
        w.node(QStringLiteral("fc"), QStringLiteral("Linear"),
               {mat(QStringLiteral("weight"), 2, 3, {1, 2, 3, 4, 5, 6})});
    else if (variant == QLatin1String("bias-shape"))
        w.node(QStringLiteral("fc"), QStringLiteral("Affine"),
               {mat(QStringLiteral("weight"), 2, 2, {1, 2, 3, 4}),
                arr(QStringLiteral("bias"), {1, 2, 3})});
    else if (!oneToOne)
        w.node(QStringLiteral("fc"), QStringLiteral("Affine"),
               {mat(QStringLiteral("weight"), 2, 2,
                    {1, 2, 3, variant == QLatin1String("nan") ? std::nan("") : 4.0}),
                arr(QStringLiteral("bias"), {0, 0})});
    w.node(QStringLiteral("lif"), lifType, lif)
        .node(QStringLiteral("output"), QStringLiteral("Output"),
              {variant == QLatin1String("output-shape") ? shape({3}) : shape({2})})
        .chain(oneToOne ? QStringList{QStringLiteral("input"), QStringLiteral("lif"),
                                      QStringLiteral("output")}
               : variant == QLatin1String("flatten-partial")
                   ? QStringList{QStringLiteral("flat"), QStringLiteral("fc"),
                                 QStringLiteral("lif"), QStringLiteral("output")}
                   : QStringList{QStringLiteral("input"), QStringLiteral("fc"),
                                 QStringLiteral("lif"), QStringLiteral("output")});
    if (variant == QLatin1String("cycle"))
        w.node(QStringLiteral("rec"), QStringLiteral("Affine"),
               {mat(QStringLiteral("weight"), 2, 2, {0, 1, 1, 0}),
                arr(QStringLiteral("bias"), {0, 0})})
            .chain({QStringLiteral("lif"), QStringLiteral("rec"), QStringLiteral("lif")});
    if (variant == QLatin1String("two-inputs"))
        w.node(QStringLiteral("input2"), QStringLiteral("Input"), {shape({2})})
            .edge(QStringLiteral("input2"), QStringLiteral("fc"));
    if (variant == QLatin1String("fan-in"))
        w.edge(QStringLiteral("input"), QStringLiteral("lif"));
    if (variant == QLatin1String("bad-edge"))
        w.edge(QStringLiteral("lif"), QStringLiteral("nowhere"));
    if (variant == QLatin1String("duplicate-edge"))
        w.edge(QStringLiteral("fc"), QStringLiteral("lif"));
    if (variant == QLatin1String("dangling"))
        w.node(QStringLiteral("extra"), QStringLiteral("Linear"),
               {mat(QStringLiteral("weight"), 1, 2, {1, 1})})
            .edge(QStringLiteral("lif"), QStringLiteral("extra"));
    if (variant == QLatin1String("scale-output"))
        w.node(QStringLiteral("gain"), QStringLiteral("Scale"),
               {arr(QStringLiteral("scale"), {2, 2})})
            .node(QStringLiteral("out2"), QStringLiteral("Output"), {shape({2})})
            .chain({QStringLiteral("lif"), QStringLiteral("gain"), QStringLiteral("out2")});
    if (variant == QLatin1String("input-output"))
        w.node(QStringLiteral("output2"), QStringLiteral("Output"), {shape({2})})
            .edge(QStringLiteral("input"), QStringLiteral("output2"));
    if (variant == QLatin1String("island"))
        w.node(QStringLiteral("island"), QStringLiteral("Linear"),
               {mat(QStringLiteral("weight"), 1, 1, {1})})
            .node(QStringLiteral("island_out"), QStringLiteral("Output"), {shape({1})})
            .edge(QStringLiteral("island"), QStringLiteral("island_out"));
    w.write(file);
    // Datasets replaced in place: a null dataspace, and sizes declared (chunked, never written)
    // far beyond what the graph gives.
    const auto replace = [&](const char *node, const char *name, std::vector<hsize_t> dims) {
        auto guard = h5::lock();
        const hid_t f = H5Fopen(QFile::encodeName(file).constData(), H5F_ACC_RDWR, H5P_DEFAULT);
        {
            h5::Handle g = h5::openGroup(f, QStringLiteral("node/nodes/") + QLatin1String(node));
            H5Ldelete(g, name, H5P_DEFAULT);
            h5::Handle space(dims.empty()
                                 ? H5Screate(H5S_NULL)
                                 : H5Screate_simple(int(dims.size()), dims.data(), nullptr),
                             H5Sclose);
            h5::Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
            if (!dims.empty()) {
                std::vector<hsize_t> chunk(dims.size(), 1);
                chunk.back() = std::min<hsize_t>(dims.back(), 4096);
                H5Pset_chunk(plist, int(chunk.size()), chunk.data());
            }
            h5::Handle ds(
                H5Dcreate2(g, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, plist, H5P_DEFAULT),
                H5Dclose);
        }
        H5Fclose(f);
    };
    if (variant == QLatin1String("tau-null"))
        replace("lif", "tau", {});
    if (variant == QLatin1String("weight-huge"))
        replace("fc", "weight", {1200000000, 2});
    if (variant == QLatin1String("tau-declared"))
        replace("lif", "tau", {1200000000});
    if (variant == QLatin1String("shape-declared"))
        replace("input", "shape", {100000000});
    if (variant == QLatin1String("studio")) {
        target = path(QStringLiteral("studio.h5"));
        saveGraph(exampleGraph(), target);
    }
    if (variant == QLatin1String("absent"))
        target = path(QStringLiteral("absent.nir"));

    const QString error = errorOf([&] { nir::importNir(target, options); });
    QVERIFY2(error.contains(message), qPrintable(error));
    if (variant != QLatin1String("absent"))
        QVERIFY2(error.startsWith(QFileInfo(target).fileName() + QStringLiteral(": ")),
                 qPrintable(error));
}

void TestNir::roundTripSamples_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("norse") << QStringLiteral("lif_norse.nir");
    QTest::newRow("rockpool") << QStringLiteral("lif_rockpool.nir");
    QTest::newRow("two neurons") << QStringLiteral("two_lif_neurons.nir");
}

void TestNir::roundTripSamples()
{
    QFETCH(QString, file);
    const Graph first = nir::importNir(sample(file));
    nir::exportNir(first, path(QStringLiteral("again.nir")));
    const Graph second = nir::importNir(path(QStringLiteral("again.nir")));
    compareGraphs(first, second);
}

void TestNir::roundTripStudioGraph()
{
    for (const bool gzip : {true, false}) {
        const Graph g = featureGraph();
        NirOptions options;
        options.gzip = gzip;
        nir::exportNir(g, path(QStringLiteral("features.nir")), options);
        compareGraphs(g, nir::importNir(path(QStringLiteral("features.nir"))));
    }
    // A non-spiking layer feeding two layers, and a LIF without leak (written as IF).
    Graph hub(2);
    Layer h = makeLayer(QStringLiteral("hub"), kNetworkInput, 2, 2, {1, 2, 3, 4});
    h.neuron.spiking = false;
    const LayerId ih = hub.addLayer(h);
    Layer p = makeLayer(QStringLiteral("p"), ih, 1, 2, {0.5f, 0.25f});
    p.neuron.beta = 1.0f;
    hub.addLayer(p);
    hub.addLayer(makeLayer(QStringLiteral("q"), ih, 2, 2, {1, 0, 0, 1}));
    nir::exportNir(hub, path(QStringLiteral("hub.nir")));
    compareGraphs(hub, nir::importNir(path(QStringLiteral("hub.nir"))));
    // The example network (784-256-64-10, rates) through NIR and back.
    const Graph example = exampleGraph();
    nir::exportNir(example, path(QStringLiteral("example.nir")));
    compareGraphs(example, nir::importNir(path(QStringLiteral("example.nir"))));
}

void TestNir::roundTripDt()
{
    // Beta survives any dt, as long as export and import agree on it; a different dt on import
    // is a different discretisation of the same continuous network.
    Graph g(1);
    Layer l = makeLayer(QStringLiteral("l"), kNetworkInput, 1, 1, {0.5f});
    l.neuron.beta = 0.8f;
    g.addLayer(l);
    NirOptions coarse;
    coarse.dt = 1e-3;
    nir::exportNir(g, path(QStringLiteral("dt.nir")), coarse);
    compareGraphs(g, nir::importNir(path(QStringLiteral("dt.nir")), coarse));
    // The file records its dt: an import without --dt takes it; --dt (dtFromFile = false) wins.
    compareGraphs(g, nir::importNir(path(QStringLiteral("dt.nir"))));
    NirOptions given;
    given.dtFromFile = false;
    const Graph fine = nir::importNir(path(QStringLiteral("dt.nir")), given);
    // tau = 1e-3 / 0.2 = 5e-3 s; at dt = 1e-4: beta = 1 - 0.02, weight 0.5 * r * dt / tau.
    QCOMPARE(fine.layers()[0].neuron.beta, float(1.0 - 1e-4 / (1e-3 / (1.0 - double(0.8f)))));
    QVERIFY(qAbs(fine.layers()[0].weights(0, 0) - 0.05f) < 1e-6f);
}

void TestNir::roundTripThroughH5PerMode_data()
{
    QTest::addColumn<int>("reset");
    for (ResetMode mode : kResetModeNames.values())
        QTest::newRow(qPrintable(toString(mode))) << int(mode);
}

void TestNir::roundTripThroughH5PerMode()
{
    // A foreign NIR file (no metadata; v_reset -0.5 for the zero reset, else 0) imported in each
    // mode, saved as .h5, exported to NIR and imported again with no option: the mode and the
    // reset value come back from the metadata.
    QFETCH(int, reset);
    const ResetMode mode = ResetMode(reset);
    std::vector<Data> lif = lifData(0.02, 1.0, 0.0, 0.5);
    if (mode == ResetMode::Zero)
        lif[4] = arr(QStringLiteral("v_reset"), {-0.5, -0.5});
    lifChain(lif).write(path(QStringLiteral("foreign.nir")));
    NirOptions options;
    options.reset = mode;
    const Graph first = nir::importNir(path(QStringLiteral("foreign.nir")), options);
    QVERIFY(first.layers()[0].neuron.reset == mode);
    QCOMPARE(first.layers()[0].neuron.resetValue, mode == ResetMode::Zero ? -0.5f : 0.0f);
    saveGraph(first, path(QStringLiteral("first.h5")));
    nir::exportNir(loadGraph(path(QStringLiteral("first.h5"))), path(QStringLiteral("again.nir")));
    compareGraphs(first, nir::importNir(path(QStringLiteral("again.nir"))));
    {
        auto guard = h5::lock();
        h5::Handle file = h5::openFile(path(QStringLiteral("again.nir")));
        QCOMPARE(h5::readDoubles(file, QStringLiteral("node/nodes/fc.lif/v_reset")),
                 (std::vector<double>(2, mode == ResetMode::Zero ? -0.5 : 0.0)));
    }
}

void TestNir::importAssumptions()
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

void TestNir::snntorchGoldenSpikes_data()
{
    QTest::addColumn<QString>("mode");
    // snnTorch's reset_mechanism="zero" is NIR's reset (--reset zero); its default subtract
    // (reset_delay=True) is subtract-next (recognised), its reset_delay=False subtract-nodelay.
    QTest::newRow("zero") << QStringLiteral("zero");
    QTest::newRow("subtract-next") << QStringLiteral("subtract-next");
    QTest::newRow("subtract-nodelay") << QStringLiteral("subtract-nodelay");
}

void TestNir::snntorchGoldenSpikes()
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

void TestNir::exportFollowsReaderRules()
{
    const Graph g = featureGraph();
    nir::exportNir(g, path(QStringLiteral("rules.nir")));
    auto guard = h5::lock();
    h5::Handle file = h5::openFile(path(QStringLiteral("rules.nir")));
    QCOMPARE(h5::childNames(file),
             QStringList({QStringLiteral("node"), QStringLiteral("version")}));
    QCOMPARE(h5::readStrings(file, QStringLiteral("version")),
             QStringList{QString::fromLatin1(nir::kNirVersion)});
    QVERIFY(!h5::hasAttribute(file, QStringLiteral("format")));
    h5::Handle root = h5::openGroup(file, QStringLiteral("node"));
    QCOMPARE(h5::childNames(root), QStringList({QStringLiteral("edges"), QStringLiteral("metadata"),
                                                QStringLiteral("nodes"), QStringLiteral("type")}));
    QCOMPARE(h5::readStrings(root, QStringLiteral("type")),
             QStringList{QStringLiteral("NIRGraph")});
    h5::Handle nodes = h5::openGroup(root, QStringLiteral("nodes"));
    std::map<QString, QString> types;
    for (const QString &key : h5::childNames(nodes)) {
        h5::Handle n = h5::openGroup(nodes, key);
        const QString type = h5::readStrings(n, QStringLiteral("type")).front();
        types[key] = type;
        QVERIFY2(allowedDatasets().count(type), qPrintable(type));
        for (const QString &child : h5::childNames(n))
            QVERIFY2(allowedDatasets().at(type).count(child),
                     qPrintable(key + QStringLiteral("/") + child));
    }
    // Layer 'input' keeps its key; the Input node steps aside. '/' is not allowed in a key.
    const std::map<QString, QString> expected = {
        {QStringLiteral("input"), QStringLiteral("Affine")},
        {QStringLiteral("input.lif"), QStringLiteral("LIF")},
        {QStringLiteral("conv_like"), QStringLiteral("Linear")},
        {QStringLiteral("conv_like.if"), QStringLiteral("IF")},
        {QStringLiteral("readout"), QStringLiteral("Affine")},
        {QStringLiteral("output"), QStringLiteral("Linear")},
        {QStringLiteral("output.lif"), QStringLiteral("LIF")},
        {QStringLiteral("e"), QStringLiteral("Linear")},
        {QStringLiteral("e.lif"), QStringLiteral("LIF")},
        {QStringLiteral("input_2"), QStringLiteral("Input")},
        {QStringLiteral("output_readout"), QStringLiteral("Output")},
        {QStringLiteral("output_output"), QStringLiteral("Output")},
        {QStringLiteral("output_e"), QStringLiteral("Output")},
    };
    QCOMPARE(types, expected);
    // CubaLIF and Flatten nodes (snnTorch's own files, through SNN Studio) hold only theirs too.
    for (const char *name : {"synaptic.nir", "flatten-leaky.nir"}) {
        const QString again = path(QStringLiteral("again-") + QLatin1String(name));
        nir::exportNir(nir::importNir(QStringLiteral(SNN_SOURCE_DIR "/tests/data/snntorch/") +
                                      QLatin1String(name)),
                       again);
        h5::Handle f = h5::openFile(again);
        h5::Handle n = h5::openGroup(f, QStringLiteral("node/nodes"));
        std::set<QString> seen;
        for (const QString &key : h5::childNames(n)) {
            h5::Handle node = h5::openGroup(n, key);
            const QString type = h5::readStrings(node, QStringLiteral("type")).front();
            seen.insert(type);
            QVERIFY2(allowedDatasets().count(type), qPrintable(type));
            const QStringList children = h5::childNames(node);
            QCOMPARE(std::set<QString>(children.begin(), children.end()),
                     allowedDatasets().at(type)); // every one of them (snnTorch's have biases)
        }
        QVERIFY(seen.count(QLatin1String(name).startsWith(QLatin1String("synaptic"))
                               ? QStringLiteral("CubaLIF")
                               : QStringLiteral("Flatten")));
    }
    std::vector<hsize_t> shape;
    const QStringList edges = h5::readStrings(root, QStringLiteral("edges"), &shape);
    QCOMPARE(shape, (std::vector<hsize_t>{12, 2}));
    QCOMPARE(edges.mid(0, 4), QStringList({QStringLiteral("input_2"), QStringLiteral("input"),
                                           QStringLiteral("input"), QStringLiteral("input.lif")}));
    std::set<std::pair<QString, QString>> pairs;
    for (qsizetype i = 0; i + 1 < edges.size(); i += 2)
        pairs.insert({edges[i], edges[i + 1]});
    for (const auto &[src, dst] :
         std::vector<std::pair<const char *, const char *>>{{"input.lif", "conv_like"},
                                                            {"conv_like", "conv_like.if"},
                                                            {"conv_like.if", "readout"},
                                                            {"readout", "output_readout"},
                                                            {"input.lif", "output"},
                                                            {"output.lif", "output_output"},
                                                            {"input.lif", "e"},
                                                            {"e.lif", "output_e"}})
        QVERIFY2(pairs.count({QString::fromLatin1(src), QString::fromLatin1(dst)}), src);
    // Input shape is int64, as the reference writer stores it.
    h5::Handle input = h5::openGroup(nodes, QStringLiteral("input_2"));
    h5::Handle ds(H5Dopen2(input, "shape", H5P_DEFAULT), H5Dclose);
    h5::Handle type(H5Dget_type(ds), H5Tclose);
    QCOMPARE(H5Tget_class(type), H5T_INTEGER);
    QCOMPARE(H5Tget_size(type), std::size_t(8));
    QCOMPARE(h5::readDoubles(input, QStringLiteral("shape")), std::vector<double>{3});
    // snnTorch's convention: r = tau / dt, so that r * dt / tau = 1.
    h5::Handle lif = h5::openGroup(nodes, QStringLiteral("input.lif"));
    const std::vector<double> tau = h5::readDoubles(lif, QStringLiteral("tau"));
    const std::vector<double> r = h5::readDoubles(lif, QStringLiteral("r"));
    QCOMPARE(tau.size(), std::size_t(2));
    QCOMPARE(tau[0], 1e-4 / (1.0 - double(0.1f)));
    QCOMPARE(r[0], tau[0] / 1e-4);
    QVERIFY(isGzipped(lif, QStringLiteral("tau")));
    // Studio data lives in metadata only.
    h5::Handle meta = h5::openGroup(root, QStringLiteral("metadata"));
    QCOMPARE(h5::readDoubles(meta, QStringLiteral("snn_studio.input.position")),
             (std::vector<double>{10.5, -3.25}));
    QCOMPARE(h5::readStrings(meta, QStringLiteral("snn_studio.conv_like.name")),
             QStringList{QStringLiteral("conv/like")});
    QCOMPARE(h5::readStrings(meta, QStringLiteral("snn_studio.conv_like.reset")),
             QStringList{QStringLiteral("zero")});
    QCOMPARE(h5::readDoubles(meta, QStringLiteral("snn_studio.output.firing_rates")),
             (std::vector<double>{1.0, 0.5}));
    QCOMPARE(h5::readStrings(meta, QStringLiteral("snn_studio.input.rates_source")),
             QStringList{
                 QStringLiteral("measured: fashion-mnist, validation, 5000 samples, rate, T=25")});
    QVERIFY(!h5::exists(meta, QStringLiteral("snn_studio.output.rates_source")));
}

void TestNir::exportGzipOption()
{
    NirOptions options;
    options.gzip = false;
    nir::exportNir(featureGraph(), path(QStringLiteral("plain.nir")), options);
    auto guard = h5::lock();
    h5::Handle file = h5::openFile(path(QStringLiteral("plain.nir")));
    QVERIFY(!isGzipped(file, QStringLiteral("node/nodes/input/weight")));
    QVERIFY(!isGzipped(file, QStringLiteral("node/edges")));
}

void TestNir::exportIsAtomic()
{
    const QString target = path(QStringLiteral("keep.nir"));
    nir::exportNir(featureGraph(), target);
    const QByteArray before = [&] {
        QFile f(target);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QVERIFY(!before.isEmpty());
    Graph invalid = featureGraph();
    invalid.layer(invalid.layers()[0].id).neuron.threshold = -1.0f;
    const QString error = errorOf([&] { nir::exportNir(invalid, target); });
    QVERIFY2(error.contains(QStringLiteral("threshold must be a positive number")),
             qPrintable(error));
    QFile f(target);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList{QStringLiteral("keep.nir")});
    QVERIFY(errorOf([&] {
                nir::exportNir(featureGraph(), path(QStringLiteral("no/such/dir.nir")));
            }).contains(QStringLiteral("the folder does not exist")));
}

void TestNir::singleNeuronSpikeTrain()
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

void TestNir::leakDrivenSpikeTrain()
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

void TestNir::loadAnyGraphPicksFormat()
{
    const Graph g = featureGraph();
    saveGraph(g, path(QStringLiteral("g.h5")));
    nir::exportNir(g, path(QStringLiteral("g.nir")));
    QVERIFY(!nir::isNirFile(path(QStringLiteral("g.h5"))));
    QVERIFY(nir::isNirFile(path(QStringLiteral("g.nir"))));
    compareGraphs(g, loadAnyGraph(path(QStringLiteral("g.h5"))));
    compareGraphs(g, loadAnyGraph(path(QStringLiteral("g.nir"))));
    // The content decides, not the extension.
    QVERIFY(QFile::copy(path(QStringLiteral("g.nir")), path(QStringLiteral("named.h5"))));
    compareGraphs(g, loadAnyGraph(path(QStringLiteral("named.h5"))));
    QFile text(path(QStringLiteral("text.nir")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not hdf5\n");
    text.close();
    QVERIFY(!nir::isNirFile(text.fileName()));
    QVERIFY(errorOf([&] {
                loadAnyGraph(text.fileName());
            }).contains(QStringLiteral("not an HDF5 file")));
}

void TestNir::cliImportExport()
{
    auto run = [](const QStringList &args, QString *out = nullptr, QString *err = nullptr) {
        QProcess p;
        p.start(QStringLiteral(SNNC_PATH), args);
        if (!p.waitForFinished(60000))
            return -1;
        if (out)
            *out = QString::fromLocal8Bit(p.readAllStandardOutput());
        if (err)
            *err = QString::fromLocal8Bit(p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    };
    const QString h5 = path(QStringLiteral("two.h5"));
    const QString nirOut = path(QStringLiteral("two.nir"));
    QString out, err;
    QCOMPARE(run({QStringLiteral("import"), sample(QStringLiteral("two_lif_neurons.nir")),
                  QStringLiteral("-o"), h5},
                 &out, &err),
             0);
    QVERIFY2(out.contains(QStringLiteral("2 layers, 1 inputs, 3 parameters\nconventions: "
                                         "Norse's (r = 1 and w_in = 1")),
             qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("\nreset: zero, to v_reset (NIR's LIF/IF semantics, as "
                                         "snnTorch")),
             qPrintable(out));
    const Graph imported = nir::importNir(sample(QStringLiteral("two_lif_neurons.nir")));
    compareGraphs(imported, loadGraph(h5));
    QCOMPARE(run({QStringLiteral("export-nir"), h5, QStringLiteral("-o"), nirOut}, &out, &err), 0);
    compareGraphs(imported, nir::importNir(nirOut));
    // info and optimize read NIR directly.
    QCOMPARE(run({QStringLiteral("info"), nirOut}, &out, &err), 0);
    QVERIFY2(out.contains(QStringLiteral("linear2 <- linear1: LIF 1 x 1")), qPrintable(out));
    QCOMPARE(run({QStringLiteral("optimize"), sample(QStringLiteral("lif_norse.nir")),
                  QStringLiteral("-o"), path(QStringLiteral("opt.h5"))},
                 &out, &err),
             0);
    QCOMPARE(loadGraph(path(QStringLiteral("opt.h5"))).layerCount(), 1);
    // --dt and --reset reach the importer.
    QCOMPARE(run({QStringLiteral("import"), sample(QStringLiteral("lif_norse.nir")),
                  QStringLiteral("--dt"), QStringLiteral("0.0005"), QStringLiteral("--reset"),
                  QStringLiteral("zero"), QStringLiteral("-o"), h5}),
             0);
    const Layer l = loadGraph(h5).layers().front();
    QCOMPARE(l.neuron.beta, float(1.0 - 5e-4 / double(0.0025f)));
    QVERIFY(l.neuron.reset == ResetMode::Zero);
    QCOMPARE(
        run({QStringLiteral("import"), sample(QStringLiteral("lif_norse.nir")),
             QStringLiteral("--reset"), QStringLiteral("subtract-next"), QStringLiteral("-o"), h5},
            &out, &err),
        0);
    QVERIFY2(out.contains(QStringLiteral("reset: subtract-next (--reset) for 0\n")),
             qPrintable(out));
    QVERIFY(loadGraph(h5).layers().front().neuron.reset == ResetMode::SubtractNext);
    QCOMPARE(run({QStringLiteral("import"), sample(QStringLiteral("lif_norse.nir")),
                  QStringLiteral("--reset"), QStringLiteral("soft"), QStringLiteral("-o"), h5},
                 &out, &err),
             2);
    QCOMPARE(err, QStringLiteral("snnc: --reset takes subtract, zero, subtract-next, "
                                 "subtract-nodelay or zero-next, not 'soft'\n"));
    // Refusals and bad usage exit with 2 and one line on stderr.
    QCOMPARE(run({QStringLiteral("import"), sample(QStringLiteral("cnn_sinabs.nir")),
                  QStringLiteral("-o"), path(QStringLiteral("cnn.h5"))},
                 &out, &err),
             2);
    QCOMPARE(err, QStringLiteral("snnc: cnn_sinabs.nir: node '0' (Conv2d): convolutions are not "
                                 "supported (SNN Studio layers are fully connected)\n"));
    QVERIFY(!QFile::exists(path(QStringLiteral("cnn.h5"))));
    QCOMPARE(run({QStringLiteral("import"), sample(QStringLiteral("lif_norse.nir"))}, &out, &err),
             2);
    QCOMPARE(err, QStringLiteral("snnc: -o OUT is required\n"));
    QCOMPARE(run({QStringLiteral("export-nir"), h5, QStringLiteral("-o"), nirOut,
                  QStringLiteral("--dt"), QStringLiteral("-1")},
                 &out, &err),
             2);
    QCOMPARE(err, QStringLiteral("snnc: --dt must be positive, not -1\n"));
    QCOMPARE(run({QStringLiteral("export-nir"), QStringLiteral("--help")}, &out, &err), 0);
    QVERIFY(out.contains(QStringLiteral("--no-gzip")));
}

void TestNir::hostileNodeKeysAreMapped()
{
    // Keys that break the name rule name their layers through nameFromText, made unique, and
    // each mapping is reported; keys that keep it stay as they are.
    // ('/' separates HDF5 path components, so a key cannot hold one.)
    const QString fc = QStringLiteral("fc\n        L_THR = 0;");
    const QString again = QStringLiteral("fc\r        L_THR = 0;");
    const QString longKey(70, QLatin1Char('k'));
    NirWriter w;
    w.node(QStringLiteral("input"), QStringLiteral("Input"), {shape({2})})
        .node(fc, QStringLiteral("Affine"),
              {mat(QStringLiteral("weight"), 2, 2, {1, 2, 3, 4}),
               arr(QStringLiteral("bias"), {0.5, -0.5})})
        .node(QStringLiteral("lif"), QStringLiteral("LIF"), lifData())
        .node(again, QStringLiteral("Linear"), {mat(QStringLiteral("weight"), 2, 2, {1, 0, 0, 1})})
        .node(QStringLiteral("if"), QStringLiteral("IF"),
              {arr(QStringLiteral("r"), {1, 1}), arr(QStringLiteral("v_threshold"), {1, 1})})
        .node(longKey, QStringLiteral("Linear"), {mat(QStringLiteral("weight"), 1, 2, {1, 1})})
        .node(QStringLiteral("output"), QStringLiteral("Output"), {shape({1})})
        .chain({QStringLiteral("input"), fc, QStringLiteral("lif"), again, QStringLiteral("if"),
                longKey, QStringLiteral("output")});
    w.write(path(QStringLiteral("keys.nir")));
    QStringList notes;
    const Graph g = nir::importNir(path(QStringLiteral("keys.nir")), {}, &notes);
    QCOMPARE(g.layerCount(), 3);
    const QString mapped = QStringLiteral("fc_        L_THR = 0;");
    QCOMPARE(g.layers()[0].name, mapped);
    QCOMPARE(g.layers()[1].name, mapped + QStringLiteral("_2"));
    QCOMPARE(g.layers()[2].name, QString(64, QLatin1Char('k')));
    const QString rule = QStringLiteral("its key breaks the name rule");
    // The import's assumptions (reset, dt) come first; the key mappings follow.
    QCOMPARE(notes.filter(rule),
             QStringList({QStringLiteral("node 'fc\\n        L_THR = 0;' (Affine) is "
                                         "layer '%1': %2 (the name contains the control "
                                         "character U+000A)")
                              .arg(mapped, rule),
                          QStringLiteral("node 'fc\\r        L_THR = 0;' (Linear) is "
                                         "layer '%1_2': %2 (the name contains the control "
                                         "character U+000D)")
                              .arg(mapped, rule),
                          QStringLiteral("node '%1' (Linear) is layer '%2': %3 (the name has 70 "
                                         "characters)")
                              .arg(longKey, QString(64, QLatin1Char('k')), rule)}));
    // No notes for keys that keep the rule.
    notes.clear();
    lifChain(lifData()).write(path(QStringLiteral("plain.nir")));
    nir::importNir(path(QStringLiteral("plain.nir")), {}, &notes);
    QCOMPARE(notes.filter(rule), QStringList());
}

void TestNir::hostileMetadataNameIsRefused()
{
    Graph g(2);
    const LayerId h = g.addLayer(makeLayer(QStringLiteral("hidden"), kNetworkInput, 2, 2));
    g.addLayer(makeLayer(QStringLiteral("out"), h, 1, 2));
    nir::exportNir(g, path(QStringLiteral("meta.nir")));
    {
        auto guard = h5::lock();
        const hid_t file = H5Fopen(QFile::encodeName(path(QStringLiteral("meta.nir"))).constData(),
                                   H5F_ACC_RDWR, H5P_DEFAULT);
        QVERIFY(file >= 0);
        {
            h5::Handle meta = h5::openGroup(file, QStringLiteral("node/metadata"));
            h5::writeStrings(meta, QStringLiteral("snn_studio.out.name"),
                             {QStringLiteral("out\n        L_THR = 0;")}, {});
        }
        H5Fclose(file);
    }
    QCOMPARE(errorOf([&] { nir::importNir(path(QStringLiteral("meta.nir"))); }),
             QStringLiteral("meta.nir: metadata of layer 'out': layer 1: the name contains the "
                            "control character U+000A (a layer name is 1 to 64 printable "
                            "characters, unique in the graph)"));
}

void TestNir::hostileNamesRoundTrip()
{
    // Printable names of any syntax ('/' included) come back exactly through NIR.
    for (const QString &name : test::acceptedHostileNames()) {
        Graph g(2);
        const LayerId h = g.addLayer(makeLayer(name, kNetworkInput, 2, 2, {1, 2, 3, 4}));
        g.addLayer(makeLayer(QStringLiteral("out"), h, 1, 2, {1, 1}));
        nir::exportNir(g, path(QStringLiteral("names.nir")));
        compareGraphs(g, nir::importNir(path(QStringLiteral("names.nir"))));
    }
}

QTEST_GUILESS_MAIN(TestNir)
#include "tst_nir.moc"
