#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "graph/Example.h"
#include "io/GraphFile.h"

#include <QTemporaryDir>

using namespace snn;
using snn::test::makeLayer;
using snn::test::vec;

class TestGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exampleHasTheSeedsShape();
    void exampleIsDeterministic();
    void countsParamsAndNeurons();
    void connectionsAndOutputs();
    void setSourceRefusesCycles();
    void topologicalOrderTakesRounds();
    void manyLayersRoundTrip();
    void removeNeuronsAndInputs();
    void validateReportsProblems_data();
    void validateReportsProblems();
    void rngIsReproducible();
};

void TestGraph::exampleHasTheSeedsShape()
{
    const Graph g = exampleGraph();
    QCOMPARE(g.inputSize(), 784);
    QCOMPARE(g.layerCount(), 3);
    QCOMPARE(g.layers()[0].neurons(), 256);
    QCOMPARE(g.layers()[1].neurons(), 64);
    QCOMPARE(g.layers()[2].neurons(), 10);
    QCOMPARE(g.totalParams(), std::int64_t(217728));
    QCOMPARE(g.totalNeurons(), std::int64_t(330));
    const Layer &h1 = g.layers()[0];
    QCOMPARE((h1.rates.array() == 0.0f).count(), Eigen::Index(30));
    QVERIFY((h1.rates.head(30).array() == 0.0f).all());
    QVERIFY(h1.rates.maxCoeff() < 0.2f);
    QVERIFY(g.layers()[1].rates.maxCoeff() < 0.15f && g.layers()[1].rates.minCoeff() > 0.0f);
    QVERIFY(g.layers()[2].rates.maxCoeff() < 0.5f);
    // Gaussian weights scaled 0.05: the sample standard deviation is close to it.
    const double mean = double(h1.weights.mean());
    const double sd = std::sqrt(double((h1.weights.array() - float(mean)).square().mean()));
    QVERIFY(std::abs(sd - 0.05) < 0.001);
    QVERIFY(!h1.hasBias());
    g.validate();
}

void TestGraph::exampleIsDeterministic()
{
    QVERIFY(exampleGraph().layers()[1].weights == exampleGraph().layers()[1].weights);
    QVERIFY(exampleGraph(1).layers()[1].weights != exampleGraph(2).layers()[1].weights);
}

void TestGraph::countsParamsAndNeurons()
{
    Graph g(3);
    Layer a = makeLayer(QStringLiteral("a"), kNetworkInput, 2, 3);
    a.bias = vec({0.5f, -0.5f});
    const LayerId ida = g.addLayer(a);
    g.addLayer(makeLayer(QStringLiteral("b"), ida, 4, 2));
    QCOMPARE(g.totalParams(), std::int64_t(2 * 3 + 2 + 4 * 2));
    QCOMPARE(g.totalNeurons(), std::int64_t(6));
    QCOMPARE(g.layer(ida).paramCount(), std::int64_t(8));
    QCOMPARE(layersText(g.layerCount()), QStringLiteral("2 layers"));
    QCOMPARE(layersText(1), QStringLiteral("1 layer"));
    QCOMPARE(layersText(0), QStringLiteral("0 layers"));
}

void TestGraph::connectionsAndOutputs()
{
    Graph g(2);
    const LayerId a = g.addLayer(makeLayer(QStringLiteral("a"), kNetworkInput, 3, 2));
    const LayerId b = g.addLayer(makeLayer(QStringLiteral("b"), a, 2, 3));
    const LayerId c = g.addLayer(makeLayer(QStringLiteral("c"), a, 4, 3));
    QVERIFY(a != b && b != c && a != kNetworkInput);
    QCOMPARE(g.consumers(a), (std::vector<LayerId>{b, c}));
    QCOMPARE(g.consumers(kNetworkInput), std::vector<LayerId>{a});
    QCOMPARE(g.outputs(), (std::vector<LayerId>{b, c}));
    QVERIFY(!g.isOutput(a));
    QCOMPARE(g.sourceSize(g.layer(b)), 3);
    QCOMPARE(g.sourceName(g.layer(a)), QStringLiteral("input"));
    QCOMPARE(g.findByName(QStringLiteral("c"))->id, c);
    QVERIFY(!g.find(99));
    QVERIFY_THROWS_EXCEPTION(Error, g.layer(99));
    QVERIFY_THROWS_EXCEPTION(Error,
                             g.addLayer(makeLayer(QStringLiteral("a"), kNetworkInput, 1, 2)));
    QVERIFY_THROWS_EXCEPTION(Error, g.addLayer(makeLayer(QStringLiteral("d"), 42, 1, 2)));
    g.validate();
}

void TestGraph::setSourceRefusesCycles()
{
    Graph g(2);
    const LayerId a = g.addLayer(makeLayer(QStringLiteral("a"), kNetworkInput, 2, 2));
    const LayerId b = g.addLayer(makeLayer(QStringLiteral("b"), a, 2, 2));
    const LayerId c = g.addLayer(makeLayer(QStringLiteral("c"), b, 2, 2));
    try {
        g.setSource(a, c);
        QFAIL("a cycle was accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the layers a, b, c form a cycle"));
    }
    QCOMPARE(g.layer(a).source, kNetworkInput); // unchanged
    QCOMPARE(g.layers()[0].id, a);

    // A legal rewire that needs reordering: c fed by the input, then b fed by c.
    g.setSource(c, kNetworkInput);
    g.setSource(b, c);
    QCOMPARE(g.indexOf(c) < g.indexOf(b), true);
    g.validate();
}

void TestGraph::topologicalOrderTakesRounds()
{
    using Order = std::vector<std::size_t>;
    QCOMPARE(stableTopologicalOrder({-1, 0, 1, 2}), (Order{0, 1, 2, 3}));
    // A chain listed backwards: one round per layer.
    QCOMPARE(stableTopologicalOrder({1, 2, 3, -1}), (Order{3, 2, 1, 0}));
    // 0 waits for the second round; 1 and 2 are ready in the first.
    QCOMPARE(stableTopologicalOrder({1, -1, -1}), (Order{1, 2, 0}));
    QCOMPARE(stableTopologicalOrder({2, -1, 1, 0}), (Order{1, 2, 0, 3}));
    // A cycle (0, 1), a layer fed by it (2), a missing source (4) and its consumer (5) are left
    // out; a self-loop too.
    QCOMPARE(stableTopologicalOrder({1, 0, 0, -1, -2, 4}), (Order{3}));
    QCOMPARE(stableTopologicalOrder({0}), Order{});
    QCOMPARE(stableTopologicalOrder({}), Order{});
}

void TestGraph::manyLayersRoundTrip()
{
    // 3,000 layers listed backwards: sorted, validated, saved and loaded back in order.
    const int n = 3000;
    std::vector<Layer> layers;
    for (int i = n; i >= 1; --i) {
        Layer l = makeLayer(QStringLiteral("l%1").arg(i), i - 1, 2, 2, {1, 0, 0, 1});
        l.id = i;
        layers.push_back(std::move(l));
    }
    Graph g(2, std::move(layers));
    try {
        g.validate();
        QFAIL("validate() accepted unsorted layers");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("layer 'l3000': its source 'l2999' comes after it (a "
                                             "cycle or unsorted layers)"));
    }
    g.sortTopologically();
    g.validate();
    QCOMPARE(g.layers().front().name, QStringLiteral("l1"));
    QCOMPARE(g.layers().back().name, QStringLiteral("l3000"));
    QCOMPARE(g.outputs(), std::vector<LayerId>{n});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("chain.h5"));
    saveGraph(g, path);
    const Graph loaded = loadGraph(path);
    QCOMPARE(loaded.layerCount(), n);
    for (int i = 0; i < n; ++i) {
        QCOMPARE(loaded.layers()[std::size_t(i)].name, QStringLiteral("l%1").arg(i + 1));
        QCOMPARE(loaded.sourceName(loaded.layers()[std::size_t(i)]),
                 i == 0 ? QStringLiteral("input") : QStringLiteral("l%1").arg(i));
    }
}

void TestGraph::removeNeuronsAndInputs()
{
    Layer l = makeLayer(QStringLiteral("l"), kNetworkInput, 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    l.bias = vec({10, 20, 30});
    l.rates = vec({0.1f, 0.2f, 0.3f});
    l.removeNeurons({1});
    QCOMPARE(l.neurons(), 2);
    QCOMPARE(l.weights(1, 2), 9.0f);
    QCOMPARE(l.bias, vec({10, 30}));
    QCOMPARE(l.rates, vec({0.1f, 0.3f}));
    l.removeInputs({0, 2});
    QCOMPARE(l.inputs(), 1);
    QCOMPARE(l.weights(0, 0), 2.0f);
    QCOMPARE(l.weights(1, 0), 8.0f);
}

void TestGraph::validateReportsProblems_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("transposed") << 0
                                << QStringLiteral(
                                       "layer 'b': weights are [3 x 2] but its source 'a' "
                                       "gives 3 values (the transpose [2 x 3] would fit: "
                                       "weights are stored [n_neurons x n_inputs])");
    QTest::newRow("nan") << 1 << QStringLiteral("layer 'a': weights contain NaN or Inf");
    QTest::newRow("rate") << 2
                          << QStringLiteral(
                                 "layer 'a': firing rates must lie in [0, 1] (spikes per "
                                 "step), found 0 to 1.5");
    QTest::newRow("bias size") << 3
                               << QStringLiteral("layer 'a': bias has 1 entries for 3 neurons");
    QTest::newRow("threshold") << 4
                               << QStringLiteral(
                                      "layer 'a': threshold must be a positive number, not 0");
    QTest::newRow("if beta") << 5 << QStringLiteral("layer 'a': an IF layer has beta = 1, not 0.5");
    QTest::newRow("no neurons") << 6 << QStringLiteral("layer 'b': has no neurons");
    QTest::newRow("same name") << 7 << QStringLiteral("two layers are named 'a'");
    QTest::newRow("same id") << 8 << QStringLiteral("layer 'b': id 1 is used twice");
    QTest::newRow("no source") << 9 << QStringLiteral("layer 'b': its source does not exist");
    QTest::newRow("own source")
        << 10
        << QStringLiteral("layer 'b': its source 'b' comes after it (a cycle or unsorted "
                          "layers)");
}

void TestGraph::validateReportsProblems()
{
    QFETCH(int, kind);
    QFETCH(QString, message);
    Graph g(2);
    const LayerId a = g.addLayer(makeLayer(QStringLiteral("a"), kNetworkInput, 3, 2));
    const LayerId b = g.addLayer(makeLayer(QStringLiteral("b"), a, 2, 3));
    g.validate();
    switch (kind) {
    case 0:
        g.layer(b).weights = Eigen::MatrixXf::Zero(3, 2);
        break;
    case 1:
        g.layer(a).weights(1, 1) = std::numeric_limits<float>::quiet_NaN();
        break;
    case 2:
        g.layer(a).rates = vec({0.0f, 1.5f, 0.5f});
        break;
    case 3:
        g.layer(a).bias = vec({1.0f});
        break;
    case 4:
        g.layer(a).neuron.threshold = 0.0f;
        break;
    case 5:
        g.layer(a).neuron = {NeuronType::IF, 1.0f, 0.5f, ResetMode::Zero, true};
        break;
    case 6:
        g.layer(b).weights.resize(0, 3);
        break;
    case 7:
        g.layer(b).name = QStringLiteral("a");
        break;
    case 8:
        g.layer(b).id = a;
        break;
    case 9:
        g.layer(b).source = 42;
        break;
    case 10:
        g.layer(b).source = b;
        break;
    }
    try {
        g.validate();
        QFAIL("validate() accepted a bad graph");
    } catch (const Error &e) {
        QCOMPARE(e.message(), message);
    }
}

void TestGraph::rngIsReproducible()
{
    Rng a(7), b(7), c(8);
    for (int i = 0; i < 100; ++i) {
        const double u = a.uniform();
        QCOMPARE(u, b.uniform());
        QVERIFY(u > 0.0 && u < 1.0);
    }
    QVERIFY(a.next() != c.next());
    // Box-Muller normals: mean ~0, variance ~1 over many draws.
    Rng n(1);
    double sum = 0, sq = 0;
    const int count = 200000;
    for (int i = 0; i < count; ++i) {
        const double x = n.normal();
        sum += x;
        sq += x * x;
    }
    QVERIFY(std::abs(sum / count) < 0.01);
    QVERIFY(std::abs(sq / count - 1.0) < 0.01);
}

QTEST_GUILESS_MAIN(TestGraph)
#include "tst_graph.moc"
