// NIR files written and read back: round trips through NIR and .h5, what the export writes
// (the reference reader's rules, gzip, atomic), the format picked by content, and snnc's import
// and export-nir.
#include "HostileNames.h"
#include "NirTestData.h"
#include "TestUtils.h"
#include "graph/Example.h"
#include "io/GraphFile.h"
#include "nir/AnyGraphFile.h"
#include "nir/NirFile.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <map>
#include <set>

using namespace snn;
using namespace snn::test;
using snn::nir::NirOptions;

namespace {

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

class TestNir : public NirTest {
    Q_OBJECT
private Q_SLOTS:
    void roundTripSamples_data();
    void roundTripSamples();
    void roundTripStudioGraph();
    void roundTripDt();
    void roundTripThroughH5PerMode_data();
    void roundTripThroughH5PerMode();
    void exportFollowsReaderRules();
    void exportGzipOption();
    void exportIsAtomic();
    void loadAnyGraphPicksFormat();
    void cliImportExport();
    void hostileNamesRoundTrip();
};

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
