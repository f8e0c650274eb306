#include "GraphEquality.h"
#include "HostileNames.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "graph/Example.h"
#include "graph/GraphEdit.h"

using namespace snn;
using snn::test::makeLayer;
using snn::test::vec;

namespace {

// input(3) -> a(2) -> b(2) -> c(1), and a -> d(3): a feeds two layers.
Graph smallGraph()
{
    Graph g(3);
    Layer a = makeLayer(QStringLiteral("a"), kNetworkInput, 2, 3, {1, 2, 3, 4, 5, 6});
    a.bias = vec({0.5f, -0.5f});
    a.rates = vec({0.1f, 0.0f});
    const LayerId ida = g.addLayer(a);
    const LayerId idb = g.addLayer(makeLayer(QStringLiteral("b"), ida, 2, 2, {1, 2, 3, 4}));
    g.addLayer(makeLayer(QStringLiteral("c"), idb, 1, 2, {7, 8}));
    g.addLayer(makeLayer(QStringLiteral("d"), ida, 3, 2, {1, 1, 2, 2, 3, 3}));
    g.validate();
    return g;
}

LayerId idOf(const Graph &g, const char *name)
{
    return g.findByName(QString::fromLatin1(name))->id;
}

} // namespace

class TestGraphEdit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void growAddsSeededRowsAndConsumerColumns();
    void shrinkDropsRowsAndConsumerColumns();
    void resizeRefusesZero();
    void resizeKeepsValuesPerNeuron();
    void reconnectResizesColumns();
    void reconnectRefusesCycles_data();
    void reconnectRefusesCycles();
    void removeRewiresConsumers();
    void newLayerAndNames();
    void renameRules();
    void hostileNames();
    void autoLayoutColumns();
};

void TestGraphEdit::growAddsSeededRowsAndConsumerColumns()
{
    Graph g = smallGraph();
    const Graph original = g;
    const LayerId a = idOf(g, "a");
    edit::resizeLayer(g, a, 4);
    g.validate();
    const Layer &la = g.layer(a);
    QCOMPARE(la.neurons(), 4);
    QCOMPARE(la.inputs(), 3);
    // Old rows kept, old bias kept, new bias 0, rates cleared (new neurons never measured).
    QVERIFY(la.weights.topRows(2) == original.layer(a).weights);
    QCOMPARE(la.bias, vec({0.5f, -0.5f, 0.0f, 0.0f}));
    QVERIFY(!la.hasRates());
    // New rows: kNewWeightScale * N(0,1) from Rng(kEditSeed + id), row by row.
    Rng rng(edit::kEditSeed + std::uint64_t(a));
    for (int r = 2; r < 4; ++r)
        for (int c = 0; c < 3; ++c)
            QCOMPARE(la.weights(r, c), float(rng.normal()) * edit::kNewWeightScale);
    // Both consumers got two new input columns; their old columns are untouched.
    for (const char *name : {"b", "d"}) {
        const Layer &l = g.layer(idOf(g, name));
        const Layer &o = original.layer(l.id);
        QCOMPARE(l.inputs(), 4);
        QVERIFY(l.weights.leftCols(2) == o.weights);
        QVERIFY(l.weights.rightCols(2).cwiseAbs().maxCoeff() < 0.1f);
        QVERIFY(l.weights.rightCols(2).cwiseAbs().maxCoeff() > 0.0f);
    }
    // The same edit gives the same weights.
    Graph again = original;
    edit::resizeLayer(again, a, 4);
    SNN_COMPARE_GRAPHS(again, g);
}

void TestGraphEdit::shrinkDropsRowsAndConsumerColumns()
{
    Graph g = smallGraph();
    const LayerId a = idOf(g, "a");
    edit::resizeLayer(g, a, 1);
    g.validate();
    QCOMPARE(g.layer(a).weights, (Eigen::MatrixXf(1, 3) << 1, 2, 3).finished());
    QCOMPARE(g.layer(a).bias, vec({0.5f}));
    QCOMPARE(g.layer(a).rates, vec({0.1f}));
    QCOMPARE(g.layer(idOf(g, "b")).weights, (Eigen::MatrixXf(2, 1) << 1, 3).finished());
    QCOMPARE(g.layer(idOf(g, "d")).weights, (Eigen::MatrixXf(3, 1) << 1, 2, 3).finished());
    QCOMPARE(g.layer(idOf(g, "c")).inputs(), 2); // not a consumer of a
}

void TestGraphEdit::resizeRefusesZero()
{
    Graph g = smallGraph();
    const Graph original = g;
    try {
        edit::resizeLayer(g, idOf(g, "b"), 0);
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("layer 'b': a layer needs at least one neuron, not 0"));
    }
    SNN_COMPARE_GRAPHS(g, original);
}

void TestGraphEdit::resizeKeepsValuesPerNeuron()
{
    // A NIR import's beta per neuron: kept neurons keep theirs, new ones take the first one's;
    // down to values that no longer differ, the layer has one again.
    Graph g = smallGraph();
    const LayerId a = idOf(g, "a");
    g.layer(a).setPerNeuron("beta", vec({0.5f, 0.75f}));
    edit::resizeLayer(g, a, 4);
    g.validate();
    QCOMPARE(g.layer(a).perNeuron.beta, vec({0.5f, 0.75f, 0.5f, 0.5f}));
    edit::resizeLayer(g, a, 1);
    g.validate();
    QCOMPARE(g.layer(a).perNeuron.beta.size(), Eigen::Index(0));
    QCOMPARE(g.layer(a).neuron.beta, 0.5f);
}

void TestGraphEdit::reconnectResizesColumns()
{
    Graph g = smallGraph();
    const LayerId c = idOf(g, "c");
    // c (2 inputs from b) now reads d (3 neurons): one new column.
    edit::setLayerSource(g, c, idOf(g, "d"));
    g.validate();
    QCOMPARE(g.layer(c).source, idOf(g, "d"));
    QCOMPARE(g.layer(c).inputs(), 3);
    QCOMPARE(g.layer(c).weights(0, 0), 7.0f);
    QCOMPARE(g.layer(c).weights(0, 1), 8.0f);
    // ... and then the input (3 values): same count, weights kept.
    edit::setLayerSource(g, c, kNetworkInput);
    g.validate();
    QCOMPARE(g.layer(c).inputs(), 3);
    QCOMPARE(g.layer(c).weights(0, 1), 8.0f);
    // b (2 inputs) reads the input (3): the graph stays valid and sorted.
    edit::setLayerSource(g, idOf(g, "b"), kNetworkInput);
    g.validate();
    QCOMPARE(g.layer(idOf(g, "b")).inputs(), 3);
}

void TestGraphEdit::reconnectRefusesCycles_data()
{
    QTest::addColumn<QString>("layer");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("error");
    QTest::newRow("self") << "b"
                          << "b"
                          << "layer 'b' cannot feed itself";
    QTest::newRow("consumer") << "a"
                              << "b"
                              << "connecting 'b' to 'a' would make a cycle";
    QTest::newRow("indirect") << "a"
                              << "c"
                              << "connecting 'c' to 'a' would make a cycle";
}

void TestGraphEdit::reconnectRefusesCycles()
{
    QFETCH(QString, layer);
    QFETCH(QString, source);
    QFETCH(QString, error);
    Graph g = smallGraph();
    const Graph original = g;
    try {
        edit::setLayerSource(g, g.findByName(layer)->id, g.findByName(source)->id);
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(), error);
    }
    SNN_COMPARE_GRAPHS(g, original);
}

void TestGraphEdit::removeRewiresConsumers()
{
    Graph g = smallGraph();
    const LayerId a = idOf(g, "a");
    const LayerId b = idOf(g, "b");
    // Removing b: c is fed by a (2 neurons, same as b): weights unchanged.
    edit::removeLayer(g, b);
    g.validate();
    QCOMPARE(g.layerCount(), 3);
    QCOMPARE(g.layer(idOf(g, "c")).source, a);
    QCOMPARE(g.layer(idOf(g, "c")).weights, (Eigen::MatrixXf(1, 2) << 7, 8).finished());
    // Removing a: c and d are fed by the input (3 values): one new column each.
    edit::removeLayer(g, a);
    g.validate();
    QCOMPARE(g.layer(idOf(g, "c")).source, kNetworkInput);
    QCOMPARE(g.layer(idOf(g, "c")).inputs(), 3);
    QCOMPARE(g.layer(idOf(g, "d")).inputs(), 3);
}

void TestGraphEdit::newLayerAndNames()
{
    Graph g = smallGraph();
    const Layer l = edit::newLayer(g, idOf(g, "d"), 5);
    QCOMPARE(l.id, 5);
    QCOMPARE(l.name, QStringLiteral("layer1"));
    QCOMPARE(l.neurons(), 5);
    QCOMPARE(l.inputs(), 3);
    QVERIFY(!l.hasBias() && !l.hasRates());
    QVERIFY(l.weights.cwiseAbs().maxCoeff() < 0.1f);
    g.addLayer(l);
    g.validate();
    QCOMPARE(edit::uniqueName(g, QStringLiteral("layer")), QStringLiteral("layer2"));
    QVERIFY_THROWS_EXCEPTION(Error, edit::newLayer(g, kNetworkInput, 0));
    QVERIFY_THROWS_EXCEPTION(Error, edit::newLayer(g, 99, 4));
}

void TestGraphEdit::renameRules()
{
    Graph g = smallGraph();
    edit::renameLayer(g, idOf(g, "a"), QStringLiteral("  first "));
    QVERIFY(g.findByName(QStringLiteral("first")));
    try {
        edit::renameLayer(g, idOf(g, "b"), QStringLiteral("c"));
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("a layer named 'c' already exists"));
    }
    try {
        edit::renameLayer(g, idOf(g, "b"), QStringLiteral(" "));
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("layer 'b': the name is empty (a layer name is 1 to 64 "
                                "printable characters, unique in the graph)"));
    }
}

void TestGraphEdit::hostileNames()
{
    // The rule refuses names with control characters, too long or empty, in a rename and in a
    // new layer, and leaves the graph as it was; printable names of any syntax are taken.
    Graph g = smallGraph();
    const Graph before = g;
    for (const test::RefusedName &r : test::refusedNames()) {
        if (r.name.trimmed() != r.name)
            continue; // surrounding white space is dropped before the rule applies
        try {
            edit::renameLayer(g, idOf(g, "b"), r.name);
            QFAIL(r.label);
        } catch (const Error &e) {
            QCOMPARE(e.message(), QStringLiteral("layer 'b': %1 (a layer name is 1 to 64 "
                                                 "printable characters, unique in the graph)")
                                      .arg(r.why));
        }
        if (!r.name.isEmpty()) // an empty name asks newLayer for a generated one
            QVERIFY_THROWS_EXCEPTION(Error, edit::newLayer(g, kNetworkInput, 2, r.name));
        Layer l = makeLayer(r.name, kNetworkInput, 1, 3);
        QVERIFY_THROWS_EXCEPTION(Error, g.addLayer(std::move(l)));
    }
    QCOMPARE(test::graphDifference(g, before), QString());
    for (const QString &name : test::acceptedHostileNames()) {
        edit::renameLayer(g, idOf(g, "c"), name);
        QCOMPARE(g.layer(idOf(g, "b")).name, QStringLiteral("b"));
        QVERIFY(g.findByName(name));
        g.validate();
        edit::renameLayer(g, g.findByName(name)->id, QStringLiteral("c"));
    }
}

void TestGraphEdit::autoLayoutColumns()
{
    const Graph g = smallGraph();
    const auto pos = edit::autoLayout(g);
    QCOMPARE(int(pos.size()), 4);
    QCOMPARE(pos.at(idOf(g, "a")), QPointF(edit::kColumnSpacing, 0));
    QCOMPARE(pos.at(idOf(g, "b")), QPointF(2 * edit::kColumnSpacing, 0));
    QCOMPARE(pos.at(idOf(g, "d")), QPointF(2 * edit::kColumnSpacing, edit::kRowSpacing));
    QCOMPARE(pos.at(idOf(g, "c")), QPointF(3 * edit::kColumnSpacing, 0));
}

QTEST_GUILESS_MAIN(TestGraphEdit)
#include "tst_graphedit.moc"
