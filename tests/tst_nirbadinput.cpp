// NIR files that are damaged, hostile or beyond SNN Studio's graphs: each refused with one line
// naming the problem, or its keys mapped to layer names and said so.
#include "NirTestData.h"
#include "TestUtils.h"
#include "graph/Example.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"

#include <QFile>
#include <QFileInfo>

#include <cmath>

using namespace snn;
using namespace snn::test;
using snn::nir::NirOptions;

class TestNirBadInput : public NirTest {
    Q_OBJECT
private Q_SLOTS:
    void refusesSamples_data();
    void refusesSamples();
    void refusesVariants_data();
    void refusesVariants();
    void hostileNodeKeysAreMapped();
    void hostileMetadataNameIsRefused();
};

void TestNirBadInput::refusesSamples_data()
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

void TestNirBadInput::refusesSamples()
{
    QFETCH(QString, file);
    QFETCH(QString, message);
    QCOMPARE(errorOf([&] { nir::importNir(sample(file)); }), message);
}

void TestNirBadInput::refusesVariants_data()
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

void TestNirBadInput::refusesVariants()
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

void TestNirBadInput::hostileNodeKeysAreMapped()
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

void TestNirBadInput::hostileMetadataNameIsRefused()
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

QTEST_GUILESS_MAIN(TestNirBadInput)
#include "tst_nirbadinput.moc"
