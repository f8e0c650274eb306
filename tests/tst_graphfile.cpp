#include "GraphEquality.h"
#include "GraphFileEdits.h"
#include "HostileNames.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "graph/Example.h"
#include "io/AtomicFile.h"
#include "io/GraphFile.h"
#include "io/Hdf5.h"
#include "nir/AnyGraphFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <cstring>
#include <functional>

#include <sys/resource.h>

using namespace snn;
using namespace snn::test;

namespace {

// A graph input(53) -> wide(37) -> out(2) with random weights: tiles of the transposition
// that do not divide the sizes.
Graph oddGraph(int inputs, int neurons)
{
    Rng rng(5);
    Graph g(inputs);
    Layer wide = makeLayer(QStringLiteral("wide"), kNetworkInput, neurons, inputs);
    for (Eigen::Index i = 0; i < wide.weights.size(); ++i)
        wide.weights.data()[i] = float(rng.normal());
    const LayerId id = g.addLayer(wide);
    g.addLayer(makeLayer(QStringLiteral("out"), id, 2, neurons));
    return g;
}

} // namespace

class TestGraphFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripIsExact();
    void weightsOfEveryLayout_data();
    void weightsOfEveryLayout();
    void largeWeightsRoundTrip();
    void exampleRoundTrip();
    void roundTripKeepsNeuronValues();
    void readableWithH5py();
    void acceptsEveryDatatypeOfH5py_data();
    void acceptsEveryDatatypeOfH5py();
    void missingAndForeignFiles();
    void savingIgnoresTheWorkingFolder();
    void saveIsAtomic();
    void saveRefusesInvalidGraph();
    void summaryMatchesLoadedGraph();
    void summaryReadsNoWeights();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
};

void TestGraphFile::roundTripIsExact()
{
    const Graph g = smallGraph();
    saveGraph(g, path(QStringLiteral("small.h5")));
    const Graph back = loadGraph(path(QStringLiteral("small.h5")));
    QCOMPARE(back.inputSize(), 4);
    QCOMPARE(back.layerCount(), 2);
    for (int i = 0; i < 2; ++i) {
        const Layer &a = g.layers()[std::size_t(i)], &b = back.layers()[std::size_t(i)];
        QCOMPARE(b.name, a.name);
        QVERIFY(b.weights == a.weights);
        QVERIFY(b.bias == a.bias);
        QVERIFY(b.rates == a.rates);
        QCOMPARE(b.ratesSource, a.ratesSource);
        QVERIFY(b.neuron == a.neuron);
        QCOMPARE(b.position, a.position);
        QCOMPARE(back.sourceName(b), g.sourceName(a));
    }
    QVERIFY(!back.layers()[1].hasBias());
    QVERIFY(!back.layers()[1].hasRates());
    QVERIFY(!back.layers()[1].position.has_value());
}

// Weights are transposed straight out of the file when they are contiguous float32 (what SNN
// Studio writes) and converted by HDF5 otherwise: every layout gives the same matrix.
void TestGraphFile::weightsOfEveryLayout_data()
{
    QTest::addColumn<QString>("layout");
    for (const char *layout : {"float32", "chunked gzip", "float64", "big-endian float32",
                               "integers", "compact", "never written", "userblock"})
        QTest::newRow(layout) << QString::fromLatin1(layout);
}

void TestGraphFile::weightsOfEveryLayout()
{
    QFETCH(QString, layout);
    const QString file = path(QStringLiteral("layout.h5"));
    const Graph g = oddGraph(53, 37);
    saveGraph(g, file);
    RowMatrixXd w = g.layers()[0].weights.cast<double>();
    if (layout == QLatin1String("integers"))
        w = (w * 100.0).array().round();
    else if (layout == QLatin1String("never written"))
        w.setZero(); // the fill value
    const h5::Handle create(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    hid_t type = H5T_IEEE_F32LE;
    if (layout == QLatin1String("chunked gzip")) {
        const hsize_t chunk[2] = {8, 16};
        H5Pset_chunk(create, 2, chunk);
        H5Pset_deflate(create, 4);
    } else if (layout == QLatin1String("float64")) {
        type = H5T_IEEE_F64LE;
    } else if (layout == QLatin1String("big-endian float32")) {
        type = H5T_IEEE_F32BE;
    } else if (layout == QLatin1String("integers")) {
        type = H5T_STD_I16LE;
    } else if (layout == QLatin1String("compact")) {
        H5Pset_layout(create, H5D_COMPACT);
    }
    if (layout == QLatin1String("never written")) {
        editFile(file, [&](hid_t f) {
            h5::Handle group = h5::openGroup(f, QStringLiteral("layers/0"));
            H5Ldelete(group, "weights", H5P_DEFAULT);
            const hsize_t dims[2] = {37, 53};
            h5::Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
            h5::Handle(H5Dcreate2(group, "weights", H5T_IEEE_F32LE, space, H5P_DEFAULT, create,
                                  H5P_DEFAULT),
                       H5Dclose);
        });
    } else if (layout == QLatin1String("userblock")) {
        // The same file behind 512 bytes of user block: the values lie 512 bytes further on.
        const QString script =
            QStringLiteral("import h5py, sys\n"
                           "src = h5py.File(sys.argv[1], 'r')\n"
                           "dst = h5py.File(sys.argv[2], 'w', userblock_size=512)\n"
                           "for k, v in src.attrs.items(): dst.attrs[k] = v\n"
                           "src.copy('layers', dst)\n");
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"), script, file, file + QStringLiteral(".ub")});
        QVERIFY2(python.waitForFinished(30000), "python3 did not finish");
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QVERIFY(QFile::remove(file) && QFile::rename(file + QStringLiteral(".ub"), file));
    } else if (layout != QLatin1String("float32")) {
        editFile(file, [&](hid_t f) { rewriteWeights(f, QStringLiteral("0"), w, type, create); });
    }
    const Graph back = loadGraph(file);
    QCOMPARE(back.layers()[0].weights.rows(), 37);
    QCOMPARE(back.layers()[0].weights.cols(), 53);
    QVERIFY(back.layers()[0].weights == w.cast<float>());
    QVERIFY(back.layers()[1].weights == g.layers()[1].weights);
}

void TestGraphFile::largeWeightsRoundTrip()
{
    // More rows than one slab of the writer (2^18 values) and sizes no tile divides.
    const Graph g = oddGraph(4099, 131);
    const QString file = path(QStringLiteral("large.h5"));
    saveGraph(g, file);
    const Graph back = loadGraph(file);
    QVERIFY(back.layers()[0].weights == g.layers()[0].weights);
    QVERIFY(back.layers()[1].weights == g.layers()[1].weights);
    // In the file, row-major [neurons x inputs] as documented: h5py reads the same values.
    const QString script =
        QStringLiteral("import h5py, sys\n"
                       "w = h5py.File(sys.argv[1], 'r')['layers/0/weights']\n"
                       "print(w.shape, w.dtype, '%.17g %.17g' % (w[130, 4098], w[7, 11]))\n");
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script, file});
    QVERIFY2(python.waitForFinished(30000), "python3 did not finish");
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    const Eigen::MatrixXf &w = g.layers()[0].weights;
    QCOMPARE(QString::fromUtf8(python.readAllStandardOutput()).trimmed(),
             QStringLiteral("(131, 4099) float32 %1 %2")
                 .arg(QString::number(double(w(130, 4098)), 'g', 17),
                      QString::number(double(w(7, 11)), 'g', 17)));
}

void TestGraphFile::roundTripKeepsNeuronValues()
{
    // What NIR imports bring: CubaLIF, values per neuron, the zero-next reset, firing at
    // v >= threshold, membranes starting away from 0, the input's shape and the time step.
    Graph g = smallGraph();
    Layer &hidden = g.layer(g.layers()[0].id);
    hidden.neuron.type = NeuronType::CubaLIF;
    hidden.neuron.reset = ResetMode::ZeroNext;
    hidden.neuron.resetValue = -0.25f;
    hidden.neuron.firing = Firing::AtOrAbove;
    hidden.setPerNeuron("beta", vec({0.5f, 0.75f, 0.875f}));
    hidden.setPerNeuron("threshold", vec({1.0f, 1.5f, 2.0f}));
    hidden.setPerNeuron("alpha", vec({0.25f, 0.5f, 0.5f}));
    hidden.setPerNeuron("initial_membrane", vec({0.0f, 0.125f, -0.5f}));
    g.layer(g.layers()[1].id).neuron.initial = 0.75f;
    g.setInputShape({1, 2, 2});
    g.setDt(1e-3);
    g.validate();
    saveGraph(g, path(QStringLiteral("values.h5")));
    const Graph back = loadGraph(path(QStringLiteral("values.h5")));
    SNN_COMPARE_GRAPHS(back, g);
    QCOMPARE(back.layers()[0].perNeuron.alpha, vec({0.25f, 0.5f, 0.5f}));
    QCOMPARE(back.layers()[1].neuron.initial, 0.75f);
    // The summary reads the values per neuron too (snnc info shows them).
    const GraphSummary summary = loadGraphSummary(path(QStringLiteral("values.h5")));
    QCOMPARE(summary.layers[0].layer.neuronValuesText(),
             QStringLiteral("threshold 1 to 2 per neuron, beta 0.5 to 0.875 per neuron, alpha "
                            "0.25 to 0.5 per neuron, fires at v >= threshold, starts at -0.5 to "
                            "0.125 per neuron"));
}

void TestGraphFile::exampleRoundTrip()
{
    const Graph g = exampleGraph();
    saveGraph(g, path(QStringLiteral("example.h5")));
    const Graph back = loadGraph(path(QStringLiteral("example.h5")));
    QCOMPARE(back.totalParams(), std::int64_t(217728));
    for (std::size_t i = 0; i < 3; ++i) {
        QVERIFY(back.layers()[i].weights == g.layers()[i].weights);
        QVERIFY(back.layers()[i].rates == g.layers()[i].rates);
        QCOMPARE(back.layers()[i].ratesSource, QStringLiteral("synthetic"));
        QVERIFY(back.layers()[i].hasSyntheticRates());
    }
}

void TestGraphFile::readableWithH5py()
{
    // The format promises h5py readability: Debian's python3-h5py (scripts/debian-packages.txt).
    saveGraph(smallGraph(), path(QStringLiteral("py.h5")));
    const QString script = QStringLiteral(
        "import h5py, sys\n"
        "f = h5py.File(sys.argv[1], 'r')\n"
        "print(f.attrs['format'], int(f.attrs['format_version']))\n"
        "for k in sorted(f['layers'], key=int):\n"
        "    g = f['layers'][k]\n"
        "    w = g['weights'][()]\n"
        "    print(g.attrs['name'], g.attrs['neuron_type'], repr(g.attrs['input']), w.shape,\n"
        "          float(w[1, 2]), g.attrs['reset'], float(g.attrs['threshold']),\n"
        "          'firing_rates' in g, 'bias' in g, g.attrs.get('rates_source'))\n");
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"), script, path(QStringLiteral("py.h5"))});
    QVERIFY2(python.waitForFinished(30000), "python3 did not finish");
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    QCOMPARE(QString::fromUtf8(python.readAllStandardOutput()),
             QStringLiteral("snn-studio 1\n"
                            "hidden LIF '' (3, 4) -3.0 subtract 1.25 True True measured: toy, "
                            "validation, 3 samples, rate, T=8\n"
                            "out IF 'hidden' (2, 3) 6.0 zero 2.0 False False None\n"));
}

// The check before opening walks every datatype HDF5 decodes (compound and enum member names,
// base types): objects of every class h5py writes, in both object header versions, next to the
// layers leave the graph readable.
void TestGraphFile::acceptsEveryDatatypeOfH5py_data()
{
    QTest::addColumn<QString>("libver");
    QTest::newRow("earliest") << QStringLiteral("earliest");
    QTest::newRow("latest") << QStringLiteral("latest");
}

void TestGraphFile::acceptsEveryDatatypeOfH5py()
{
    QFETCH(QString, libver);
    const QString file = path(QStringLiteral("types-%1.h5").arg(libver));
    saveGraph(smallGraph(), file);
    const QString script = QStringLiteral(
        "import h5py, numpy as np, sys\n"
        "f = h5py.File(sys.argv[1], 'r+', libver=sys.argv[2])\n"
        "g = f.create_group('extra')\n"
        "g.attrs['flag'] = np.bool_(True)\n"
        "g.attrs['pair'] = np.array((1, 2.5), dtype=[('a', 'i4'), ('b', 'f8')])\n"
        "g.attrs.create('colour', 42, dtype=h5py.enum_dtype({'RED': 0, 'BLUE': 42}, 'i1'))\n"
        "g['bools'] = np.array([True, False])\n"
        "g['nested'] = np.zeros(3, dtype=[('x', 'i2'), ('y', [('u', 'f4'), ('v', 'u1', (2,))])])\n"
        "g['array'] = np.zeros(2, dtype=np.dtype(('f4', (3,))))\n"
        "v = np.empty(2, dtype=object); v[0] = np.arange(3, dtype='i4'); v[1] = v[0][:1]\n"
        "g.create_dataset('ragged', data=v, dtype=h5py.vlen_dtype('i4'))\n"
        "g['opaque'] = np.void(b'abc')\n"
        "g['named'] = np.dtype([('p', 'f4'), ('q', 'i8')])\n"
        "g.create_dataset('of_named', shape=(2,), dtype=g['named'])\n"
        "f['layers']['0'].attrs['pair'] = g.attrs['pair']\n");
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script, file, libver});
    QVERIFY2(python.waitForFinished(30000), "python3 did not finish");
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    const Graph back = loadGraph(file);
    QCOMPARE(back.layerCount(), 2);
    QVERIFY(back.layers()[0].weights == smallGraph().layers()[0].weights);
}

void TestGraphFile::missingAndForeignFiles()
{
    const QString missing = path(QStringLiteral("missing.h5"));
    QVERIFY_THROWS_EXCEPTION(Error, loadGraph(missing));
    try {
        loadGraph(missing);
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("cannot open %1: no such file").arg(missing));
    }
    const QString text = path(QStringLiteral("notes.h5"));
    QFile f(text);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("layer 1: 784 -> 256\n");
    f.close();
    try {
        loadGraph(text);
        QFAIL("a text file was accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("cannot open %1: not an HDF5 file").arg(text));
    }
    // A truncated HDF5 file: an error, never a crash.
    const QString truncated = path(QStringLiteral("truncated.h5"));
    saveGraph(exampleGraph(), truncated);
    QVERIFY(QFile::resize(truncated, QFileInfo(truncated).size() / 2));
    QVERIFY_THROWS_EXCEPTION(Error, loadGraph(truncated));
    QVERIFY_THROWS_EXCEPTION(Error, loadGraph(m_dir.path())); // a folder
    // A symbolic link loop says so (it was "no such file").
    const QString loop = path(QStringLiteral("loop.h5"));
    QVERIFY(QFile::link(loop, loop));
    try {
        loadGraph(loop);
        QFAIL("a link loop was accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("cannot open %1: too many levels of symbolic links").arg(loop));
    }
}

void TestGraphFile::savingIgnoresTheWorkingFolder()
{
    // HDF5 builds the file in memory; its in-memory driver first opens its name as an existing
    // file and reads it whole: a 3 GB ./snn-studio-memory.h5 took every save 19 s and 3.1 GB
    // (issue 29). Here a sparse file of 1 GB of that name, in the working folder, is never read.
    const QString before = QDir::currentPath();
    QVERIFY(QDir::setCurrent(m_dir.path()));
    QFile bait(QStringLiteral("snn-studio-memory.h5"));
    QVERIFY(bait.open(QIODevice::WriteOnly));
    QVERIFY(bait.resize(qint64(1) << 30));
    bait.close();
    rusage start{};
    getrusage(RUSAGE_SELF, &start);
    const QByteArray bytes = graphFileBytes(exampleGraph());
    rusage end{};
    getrusage(RUSAGE_SELF, &end);
    QVERIFY(QDir::setCurrent(before));
    QVERIFY2(end.ru_maxrss - start.ru_maxrss < 100 * 1024, // KB
             qPrintable(QString::number(end.ru_maxrss - start.ru_maxrss)));
    QCOMPARE(QFileInfo(m_dir.filePath(QStringLiteral("snn-studio-memory.h5"))).size(), qint64(1)
                                                                                           << 30);
    const QString out = path(QStringLiteral("built.h5"));
    writeAtomically(out, bytes);
    QCOMPARE(loadGraph(out).layers()[0].weights, exampleGraph().layers()[0].weights);
}

void TestGraphFile::saveIsAtomic()
{
    const QString file = path(QStringLiteral("keep.h5"));
    saveGraph(smallGraph(), file);
    QVERIFY(!readAll(file).isEmpty());
    // (tst_atomicfile covers failed writes: a full disk, kill -9, special files.)
    // A good save replaces it.
    saveGraph(exampleGraph(), file);
    QCOMPARE(loadGraph(file).totalParams(), std::int64_t(217728));
    QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("*.tmp")}, QDir::Files), QStringList());
    try {
        saveGraph(smallGraph(), path(QStringLiteral("no/such/folder/g.h5")));
        QFAIL("saved into a missing folder");
    } catch (const Error &e) {
        QVERIFY(e.message().endsWith(QStringLiteral("the folder does not exist")));
    }
}

void TestGraphFile::saveRefusesInvalidGraph()
{
    const QString file = path(QStringLiteral("valid.h5"));
    saveGraph(smallGraph(), file);
    const QByteArray original = readAll(file);
    Graph bad = smallGraph();
    bad.layer(bad.layers()[0].id).bias(1) = std::numeric_limits<float>::quiet_NaN();
    try {
        saveGraph(bad, file);
        QFAIL("an invalid graph was saved");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("layer 'hidden': bias contains NaN or Inf"));
    }
    QCOMPARE(readAll(file), original);
}

namespace {

// Every field snnc info prints, from the summary and from the loaded graph, agree.
void compareSummaries(const GraphSummary &actual, const GraphSummary &expected)
{
    QCOMPARE(actual.inputSize, expected.inputSize);
    QCOMPARE(actual.totalNeurons(), expected.totalNeurons());
    QCOMPARE(actual.totalParams(), expected.totalParams());
    QCOMPARE(actual.layers.size(), expected.layers.size());
    for (std::size_t i = 0; i < actual.layers.size(); ++i) {
        const LayerSummary &a = actual.layers[i], &e = expected.layers[i];
        QCOMPARE(a.layer.name, e.layer.name);
        QCOMPARE(a.source, e.source);
        QCOMPARE(a.neurons, e.neurons);
        QCOMPARE(a.inputs, e.inputs);
        QCOMPARE(a.output, e.output);
        QCOMPARE(a.paramCount(), e.paramCount());
        QVERIFY(a.layer.neuron == e.layer.neuron);
        QCOMPARE(a.layer.bias, e.layer.bias);
        QCOMPARE(a.layer.rates, e.layer.rates);
        QCOMPARE(a.layer.ratesSource, e.layer.ratesSource);
        QCOMPARE(a.layer.weights.size(), Eigen::Index(0));
    }
}

} // namespace

void TestGraphFile::summaryMatchesLoadedGraph()
{
    // The shipped model; a small graph with bias, rates and two resets; a branching graph whose
    // file lists a consumer before its source (groups 0 and 2 swapped).
    const QString model = QStringLiteral(SNN_SOURCE_DIR "/resources/fashion-mnist-snn.h5");
    compareSummaries(loadGraphSummary(model), summarize(loadGraph(model)));
    QCOMPARE(loadGraphSummary(model).layers.size(), std::size_t(3));

    const QString small = m_dir.filePath(QStringLiteral("summary-small.h5"));
    saveGraph(smallGraph(), small);
    compareSummaries(loadGraphSummary(small), summarize(smallGraph()));

    Graph branching(4);
    const LayerId a = branching.addLayer(
        makeLayer(QStringLiteral("a"), kNetworkInput, 3, 4, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0}));
    branching.addLayer(makeLayer(QStringLiteral("b"), a, 2, 3, {1, 2, 3, 4, 5, 6}));
    branching.addLayer(makeLayer(QStringLiteral("c"), kNetworkInput, 1, 4, {1, 1, 1, 1}));
    const QString path = m_dir.filePath(QStringLiteral("summary-branching.h5"));
    saveGraph(branching, path);
    editFile(path, [](hid_t file) {
        H5Lmove(file, "layers/0", file, "layers/x", H5P_DEFAULT, H5P_DEFAULT);
        H5Lmove(file, "layers/2", file, "layers/0", H5P_DEFAULT, H5P_DEFAULT);
        H5Lmove(file, "layers/x", file, "layers/2", H5P_DEFAULT, H5P_DEFAULT);
    });
    const GraphSummary summary = loadGraphSummary(path);
    compareSummaries(summary, summarize(loadGraph(path)));
    QCOMPARE(summary.layers[0].layer.name, QStringLiteral("c"));
    QCOMPARE(summary.layers[2].source, QStringLiteral("a"));
    QCOMPARE(summary.layers[1].output, false);
    QCOMPARE(summary.layers[2].output, true);

    // NIR: imported whole, then summarised.
    const QString nir = QStringLiteral(SNN_SOURCE_DIR "/tests/data/snntorch/leaky-20-12-8-4.nir");
    compareSummaries(loadAnyGraphSummary(nir), summarize(loadAnyGraph(nir)));
    QCOMPARE(loadAnyGraphSummary(nir).totalParams(), std::int64_t(392));
}

void TestGraphFile::summaryReadsNoWeights()
{
    // A NaN weight makes the file unloadable, but the summary never reads the weights' values.
    const QString path = m_dir.filePath(QStringLiteral("summary-nan.h5"));
    saveGraph(smallGraph(), path);
    RowMatrixXf w = smallGraph().layers()[1].weights;
    w(1, 2) = std::nanf("");
    editFile(path, [&](hid_t file) { replaceWeights(file, QStringLiteral("1"), w); });
    QVERIFY_THROWS_EXCEPTION(Error, loadGraph(path));
    const GraphSummary summary = loadGraphSummary(path);
    QCOMPARE(summary.layers[1].neurons, 2);
    QCOMPARE(summary.totalParams(), std::int64_t(12 + 3 + 6));
    // Declared sizes are still checked before anything is read.
    editFile(path, [](hid_t file) {
        replaceWeights(file, QStringLiteral("1"), RowMatrixXf::Zero(2, 4));
    });
    try {
        loadGraphSummary(path);
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("summary-nan.h5: layer 'out': weights are [2 x 4] but "
                                             "the layer declares 2 neurons x 3 inputs"));
    }
}

QTEST_GUILESS_MAIN(TestGraphFile)
#include "tst_graphfile.moc"
