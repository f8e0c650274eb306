#include "PassLists.h"
#include "PassTestData.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "graph/Example.h"
#include "opt/Optimizer.h"
#include "opt/Passes.h"
#include "sim/Sequences.h"

#include <QJsonArray>

using namespace snn;
using namespace snn::test;

namespace {

void measureRates(Graph &g, const Eigen::MatrixXf &input)
{
    const std::vector<Eigen::MatrixXf> out = simulate(g, input);
    for (std::size_t k = 0; k < out.size(); ++k) {
        Layer &l = g.layer(g.layers()[k].id);
        l.rates = out[k].colwise().mean().transpose();
    }
}

bool sameGraph(const Graph &a, const Graph &b)
{
    if (a.layerCount() != b.layerCount() || a.inputSize() != b.inputSize())
        return false;
    for (int i = 0; i < a.layerCount(); ++i) {
        const Layer &x = a.layers()[std::size_t(i)], &y = b.layers()[std::size_t(i)];
        if (x.name != y.name || x.source != y.source || x.weights != y.weights ||
            x.bias != y.bias || x.rates != y.rates || !(x.neuron == y.neuron))
            return false;
    }
    return true;
}

} // namespace

class TestPasses : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deadEliminationOnTheExample();
    void deadEliminationKeepsOutputNeurons();
    void deadEliminationKeepsAllDeadLayer();
    void deadEliminationSkipsLayersWithoutRates();
    void deadEliminationWarnsAboveZero();
    void deadEliminationPreservesMeasuredOutputs_data();
    void deadEliminationPreservesMeasuredOutputs();
    void fusionOfLinearLayerIsExact_data();
    void fusionOfLinearLayerIsExact();
    void fusionOfSilentSpikingLayerWarns();
    void fusionRefusals_data();
    void fusionRefusals();
    void unknownPassListsValidNames();
    void passesRunInGivenOrderOnACopy();
    void optionsAreChecked();
    void cancelAndProgress();
    void reportJson();
    void neuronMapsOfEachPass();
};

void TestPasses::deadEliminationOnTheExample()
{
    const Graph g = exampleGraph();
    const OptimizeResult r = optimize(g, kDead);
    QCOMPARE(r.graph.totalParams(), std::int64_t(192288));
    QCOMPARE(r.report.before.params, std::int64_t(217728));
    QCOMPARE(r.report.after.params, std::int64_t(192288));
    QCOMPARE(r.report.passReports.size(), std::size_t(1));
    const PassReport &p = r.report.passReports.front();
    QCOMPARE(p.neuronsRemoved, 30);
    QCOMPARE(p.layers[0].removed, 30);
    QCOMPARE(p.layers[0].neuronsAfter, 226);
    QCOMPARE(p.layers[1].removed, 0);
    const Layer &h1 = r.graph.layers()[0];
    const Layer &h2 = r.graph.layers()[1];
    QCOMPARE(h1.neurons(), 226);
    QCOMPARE(h2.inputs(), 226);
    // The survivors are exactly the original neurons 30..255, rows and downstream columns.
    QVERIFY(h1.weights == g.layers()[0].weights.bottomRows(226));
    QVERIFY(h1.rates == g.layers()[0].rates.tail(226));
    QVERIFY(h2.weights == g.layers()[1].weights.rightCols(226));
    QVERIFY(r.graph.layers()[2].weights == g.layers()[2].weights);
    QCOMPARE(r.report.compressionRatio(), 217728.0 / 192288.0);
    r.graph.validate();
}

void TestPasses::deadEliminationKeepsOutputNeurons()
{
    Graph g(2);
    Layer h = makeLayer(QStringLiteral("h"), kNetworkInput, 2, 2, {1, 0, 0, 1});
    h.rates = vec({0.5f, 0.5f});
    const LayerId hid = g.addLayer(h);
    Layer o = makeLayer(QStringLiteral("o"), hid, 3, 2, {1, 1, 1, 1, 1, 1});
    o.rates = vec({0.0f, 0.3f, 0.0f});
    g.addLayer(o);
    const OptimizeResult r = optimize(g, kDead);
    QCOMPARE(r.graph.layers()[1].neurons(), 3);
    const PassReport &p = r.report.passReports.front();
    QCOMPARE(p.neuronsRemoved, 0);
    QCOMPARE(p.layers[1].neverFired, 2);
    QCOMPARE(p.notes, QStringList{QStringLiteral("o: 2 of 3 output neurons never fired; output "
                                                 "neurons are never removed")});
}

void TestPasses::deadEliminationKeepsAllDeadLayer()
{
    Graph g(2);
    Layer h = makeLayer(QStringLiteral("h"), kNetworkInput, 2, 2, {1, 0, 0, 1});
    h.rates = vec({0.0f, 0.0f});
    const LayerId hid = g.addLayer(h);
    g.addLayer(makeLayer(QStringLiteral("o"), hid, 1, 2, {1, 1}));
    const OptimizeResult r = optimize(g, kDead);
    QVERIFY(sameGraph(r.graph, g));
    QCOMPARE(
        r.report.passReports[0].warnings,
        QStringList{QStringLiteral("h: all 2 neurons never fired, so the network's output does "
                                   "not depend on its input there; the layer is kept")});
}

void TestPasses::deadEliminationSkipsLayersWithoutRates()
{
    Graph g(2);
    const LayerId hid = g.addLayer(makeLayer(QStringLiteral("h"), kNetworkInput, 2, 2));
    g.addLayer(makeLayer(QStringLiteral("o"), hid, 1, 2));
    const OptimizeResult r = optimize(g, kDead);
    QVERIFY(sameGraph(r.graph, g));
    QCOMPARE(r.report.passReports[0].notes,
             (QStringList{QStringLiteral("h: no firing rates, skipped"),
                          QStringLiteral("o: no firing rates, skipped")}));
}

void TestPasses::deadEliminationWarnsAboveZero()
{
    OptimizeOptions options;
    options.deadThreshold = 0.05f;
    const Graph g = exampleGraph();
    const OptimizeResult r = optimize(g, kDead, options);
    const Layer &h1 = g.layers()[0];
    const Layer &h2 = g.layers()[1];
    const int expected =
        int((h1.rates.array() <= 0.05f).count() + (h2.rates.array() <= 0.05f).count());
    QVERIFY(expected > 30);
    QCOMPARE(r.report.passReports[0].neuronsRemoved, expected);
    // The example's rates are synthetic: the report says so, for the hidden layers only.
    QCOMPARE(r.report.passReports[0].warnings.size(), 2);
    QCOMPARE(r.report.passReports[0].warnings[0],
             QStringLiteral("the firing rates of hidden1, hidden2 are synthetic, not measured: "
                            "the neurons removed may fire on real data (measure the rates first: "
                            "snnc rates)"));
    QVERIFY(r.report.passReports[0].warnings[1].contains(QStringLiteral("did fire")));
    // Measured rates (the same numbers) give no such warning.
    Graph measured = g;
    for (const Layer &l : g.layers())
        measured.layer(l.id).ratesSource = QStringLiteral("measured: toy, train, 9 samples");
    const OptimizeResult m = optimize(measured, kDead, options);
    QCOMPARE(m.report.passReports[0].neuronsRemoved, expected);
    QCOMPARE(m.report.passReports[0].warnings.size(), 1);
}

void TestPasses::deadEliminationPreservesMeasuredOutputs_data()
{
    QTest::addColumn<int>("reset");
    QTest::addColumn<int>("type");
    for (NeuronType type : {NeuronType::LIF, NeuronType::CubaLIF})
        for (ResetMode mode : kResetModeNames.values())
            QTest::addRow("%s, %s", qPrintable(toString(type)), qPrintable(toString(mode)))
                << int(mode) << int(type);
}

void TestPasses::deadEliminationPreservesMeasuredOutputs()
{
    QFETCH(int, reset);
    QFETCH(int, type);
    // Rates measured by simulation; neurons with negative drive never fire there. Removing them
    // must leave every output spike unchanged on the same input.
    Rng rng(11);
    Graph g(20);
    Layer h1 = makeLayer(QStringLiteral("h1"), kNetworkInput, 40, 20);
    h1.weights = randomMatrix(rng, 40, 20, 0.6f);
    h1.weights.topRows(12) = -h1.weights.topRows(12).cwiseAbs(); // never fire
    const LayerId a = g.addLayer(h1);
    Layer h2 = makeLayer(QStringLiteral("h2"), a, 16, 40);
    h2.weights = randomMatrix(rng, 16, 40, 0.6f);
    const LayerId b = g.addLayer(h2);
    Layer out = makeLayer(QStringLiteral("out"), b, 5, 16);
    out.weights = randomMatrix(rng, 5, 16, 0.8f);
    g.addLayer(out);
    const Eigen::MatrixXf input = randomSpikes(rng, 50, 20, 0.3);
    g = withType(withReset(g, ResetMode(reset)), NeuronType(type));
    measureRates(g, input);
    const auto dead = (g.layers()[0].rates.array() == 0.0f).count() +
                      (g.layers()[1].rates.array() == 0.0f).count();
    QVERIFY(dead >= 12);

    const OptimizeResult r = optimize(g, kDead);
    QCOMPARE(r.report.passReports[0].neuronsRemoved, int(dead));
    QCOMPARE(r.graph.totalNeurons(), g.totalNeurons() - dead);
    QVERIFY(simulate(r.graph, input).back() == simulate(g, input).back());
}

void TestPasses::fusionOfLinearLayerIsExact_data()
{
    QTest::addColumn<int>("type");
    QTest::newRow("into LIF") << int(NeuronType::LIF);
    // A CubaLIF consumer filters W (W_l x + b_l) + b linearly: the fusion stays exact.
    QTest::newRow("into CubaLIF") << int(NeuronType::CubaLIF);
}

void TestPasses::fusionOfLinearLayerIsExact()
{
    QFETCH(int, type);
    Graph g(3);
    Layer l = makeLayer(QStringLiteral("L"), kNetworkInput, 2, 3, {1, 2, 0, 0, 1, -1});
    l.neuron.spiking = false;
    l.bias = vec({0.5f, -0.25f});
    const LayerId lid = g.addLayer(l);
    Layer c = makeLayer(QStringLiteral("C"), lid, 2, 2, {1, 1, 2, -1});
    c.bias = vec({0.1f, 0.2f});
    c.neuron.threshold = 1.5f;
    c.neuron.type = NeuronType(type);
    c.neuron.alpha = c.neuron.type == NeuronType::CubaLIF ? 0.5f : 0.0f;
    const LayerId cid = g.addLayer(c);
    g.addLayer(makeLayer(QStringLiteral("out"), cid, 1, 2, {1, 1}));

    const OptimizeResult r = optimize(g, kFusion);
    QCOMPARE(r.report.passReports[0].layersFused, 1);
    QCOMPARE(r.graph.layerCount(), 2);
    const Layer &f = r.graph.layers()[0];
    QCOMPARE(f.name, QStringLiteral("L+C"));
    QCOMPARE(f.source, kNetworkInput);
    QCOMPARE(f.weights, (Eigen::MatrixXf(2, 3) << 1, 3, -1, 2, 3, 1).finished());
    QCOMPARE(f.bias, vec({0.1f + 0.25f, 0.2f + 1.25f}));
    QCOMPARE(f.neuron.threshold, 1.5f);
    QCOMPARE(r.graph.layers()[1].source, f.id); // the consumer of C still connected
    QVERIFY(r.report.passReports[0].warnings.isEmpty());
    QCOMPARE(r.graph.totalParams(), std::int64_t(6 + 2 + 2));

    Rng rng(2);
    const Eigen::MatrixXf input = randomSpikes(rng, 30, 3, 0.5);
    QVERIFY(simulate(r.graph, input).back() == simulate(g, input).back());
}

void TestPasses::fusionOfSilentSpikingLayerWarns()
{
    const Graph g = test::quietSpikingGraph();
    const OptimizeResult r = optimize(g, kFusion);
    QCOMPARE(r.graph.layerCount(), 1);
    QCOMPARE(r.graph.layers()[0].name, QStringLiteral("quiet+C"));
    QVERIFY(r.graph.layers()[0].weights.isApprox(Eigen::MatrixXf::Constant(2, 4, 0.3f)));
    QCOMPARE(r.report.passReports[0].warnings.size(), 1);
    QVERIFY(r.report.passReports[0].warnings[0].startsWith(QStringLiteral(
        "quiet fired at most 0.005 per step and was fused into C as if it were linear")));
}

void TestPasses::fusionRefusals_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("note");
    QTest::newRow("grows") << 0
                           << QStringLiteral("L: not fused into C: the fused layer would have 100 "
                                             "parameters instead of 40");
    QTest::newRow("all dead") << 1
                              << QStringLiteral("L: not fused: never fired at all: fusing it as a "
                                                "linear layer would create activity it never had");
    QTest::newRow("two consumers") << 2 << QStringLiteral("L: not fused: feeds 2 layers");
    QTest::newRow("no rates") << 3 << QStringLiteral("L: not fused: spiking, with no firing rates");
    QTest::newRow("busy") << 4
                          << QStringLiteral("L: not fused: max firing rate 0.5 is not below 0.01");
    QTest::newRow("CubaLIF") << 5
                             << QStringLiteral("L: not fused: CubaLIF: its synaptic current is a "
                                               "second state, which fusing it as a linear layer "
                                               "would drop");
}

void TestPasses::fusionRefusals()
{
    QFETCH(int, kind);
    QFETCH(QString, note);
    Graph g(10);
    Layer l = makeLayer(QStringLiteral("L"), kNetworkInput, 2, 10);
    l.rates = vec({0.001f, 0.0f});
    if (kind == 1)
        l.rates = vec({0.0f, 0.0f});
    if (kind == 3)
        l.rates = {};
    if (kind == 4)
        l.rates = vec({0.5f, 0.0f});
    if (kind == 5) { // as quiet as a fusable LIF, but with a synaptic current
        l.neuron.type = NeuronType::CubaLIF;
        l.neuron.alpha = 0.5f;
    }
    const LayerId lid = g.addLayer(l);
    g.addLayer(makeLayer(QStringLiteral("C"), lid, kind == 0 ? 10 : 1, 2));
    if (kind == 2)
        g.addLayer(makeLayer(QStringLiteral("D"), lid, 1, 2));
    const OptimizeResult r = optimize(g, kFusion);
    QVERIFY(sameGraph(r.graph, g));
    QCOMPARE(r.report.passReports[0].layersFused, 0);
    QVERIFY2(r.report.passReports[0].notes.contains(note),
             qPrintable(r.report.passReports[0].notes.join(QLatin1Char('|'))));
}

void TestPasses::unknownPassListsValidNames()
{
    try {
        optimize(exampleGraph(), {passes::kDeadNeuronElimination, QStringLiteral("prune_all")});
        QFAIL("an unknown pass was accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("unknown pass 'prune_all' (valid passes: "
                                             "dead_neuron_elimination, redundancy_elimination, "
                                             "layer_fusion, neuron_pruning)"));
    }
}

void TestPasses::passesRunInGivenOrderOnACopy()
{
    const Graph g = exampleGraph();
    const Graph copy = g;
    const QStringList order{passes::kLayerFusion, passes::kDeadNeuronElimination};
    const OptimizeResult r = optimize(g, order);
    QVERIFY(sameGraph(g, copy));
    QCOMPARE(r.report.passes, order);
    QCOMPARE(r.report.passReports.size(), std::size_t(2));
    QCOMPARE(r.report.passReports[0].pass, passes::kLayerFusion);
    QCOMPARE(r.report.passReports[1].pass, passes::kDeadNeuronElimination);
    QCOMPARE(r.report.passReports[1].before, r.report.passReports[0].after);
    QCOMPARE(r.graph.totalParams(), std::int64_t(192288));
    QCOMPARE(availablePasses(),
             (QStringList{passes::kDeadNeuronElimination, passes::kRedundancyElimination,
                          passes::kLayerFusion}));
    const OptimizeResult none = optimize(g, {});
    QVERIFY(sameGraph(none.graph, g));
    QCOMPARE(none.report.compressionRatio(), 1.0);
}

void TestPasses::optionsAreChecked()
{
    OptimizeOptions options;
    options.similarity = 1.5f;
    try {
        optimize(exampleGraph(), availablePasses(), options);
        QFAIL("a similarity of 1.5 was accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the similarity must be in (0, 1], not 1.5"));
    }
    Graph bad = exampleGraph();
    bad.layer(bad.layers()[0].id).weights(0, 0) = std::numeric_limits<float>::infinity();
    QVERIFY_THROWS_EXCEPTION(Error, optimize(bad, availablePasses()));
}

void TestPasses::cancelAndProgress()
{
    RunControl cancelled;
    cancelled.cancelRequested = [] { return true; };
    QVERIFY_THROWS_EXCEPTION(Cancelled, optimize(exampleGraph(), availablePasses(), {}, cancelled));

    std::vector<double> fractions;
    QStringList steps;
    RunControl watched;
    watched.progress = [&](double f, const QString &step) {
        fractions.push_back(f);
        steps << step;
    };
    optimize(exampleGraph(), availablePasses(), {}, watched);
    QVERIFY(fractions.size() >= 4);
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);
    // The redundancy pass reports inside its share, named by pass and layer.
    QVERIFY(steps.filter(QStringLiteral("redundancy_elimination: hidden1 ")).size() > 0);

    // A part of a job maps its 0..1 into its range and names its steps; cancelling is shared.
    bool cancel = false;
    watched.cancelRequested = [&cancel] { return cancel; };
    fractions.clear();
    steps.clear();
    const RunControl part = watched.part(0.5, 0.75, QStringLiteral("part: "));
    part.report(0.5, QStringLiteral("step"));
    QCOMPARE(fractions, std::vector<double>{0.625});
    QCOMPARE(steps, QStringList{QStringLiteral("part: step")});
    part.checkCancelled();
    cancel = true;
    QVERIFY_THROWS_EXCEPTION(Cancelled, part.checkCancelled());
    QVERIFY(!RunControl().part(0.0, 0.5).progress);
}

void TestPasses::reportJson()
{
    const OptimizeResult r = optimize(exampleGraph(), availablePasses());
    const QJsonObject json = r.report.toJson();
    QCOMPARE(json[QStringLiteral("before")][QStringLiteral("params")].toInteger(), 217728);
    QCOMPARE(json[QStringLiteral("after")][QStringLiteral("params")].toInteger(), 192288);
    QCOMPARE(json[QStringLiteral("accuracy")].toString(), QStringLiteral("not measured"));
    const QJsonArray passes = json[QStringLiteral("pass_reports")].toArray();
    QCOMPARE(passes.size(), 3);
    QCOMPARE(passes[0][QStringLiteral("neurons_removed")].toInt(), 30);
    const QString summary = r.report.summary();
    QVERIFY(summary.contains(QStringLiteral("Parameters:  217,728 -> 192,288 (-11.7%)")));
    QVERIFY(summary.contains(QStringLiteral("hidden1: 256 -> 226 neurons, 30 dead removed")));
    QVERIFY(summary.contains(QStringLiteral("Accuracy:    not measured")));
}

void TestPasses::neuronMapsOfEachPass()
{
    // h1: neurons 1 and 4 never fired; 3 and 5 copy neuron 0. h2 is linear and fuses into out.
    Graph g(3);
    Layer h1 = makeLayer(QStringLiteral("h1"), kNetworkInput, 6, 3,
                         {1, 2, 3, 0, 0, -1, 3, 1, 0, 1, 2, 3, -1, 0, 0, 1, 2, 3});
    h1.rates = vec({0.2f, 0.0f, 0.3f, 0.2f, 0.0f, 0.2f});
    const LayerId a = g.addLayer(h1);
    Layer h2 = makeLayer(QStringLiteral("h2"), a, 2, 6);
    h2.weights.row(0).setConstant(1.0f);
    h2.weights(1, 2) = -1.0f;
    h2.neuron.spiking = false;
    const LayerId b = g.addLayer(h2);
    const LayerId c = g.addLayer(makeLayer(QStringLiteral("out"), b, 1, 2, {1, -1}));
    const OptimizeResult r = optimize(g, availablePasses());
    const std::vector<PassReport> &p = r.report.passReports;
    QCOMPARE(p.size(), std::size_t(3));
    using F = NeuronFate;
    const NeuronMap deadMap{{F::Kept, 0}, {F::Removed, -1}, {F::Kept, 1},
                            {F::Kept, 2}, {F::Removed, -1}, {F::Kept, 3}};
    QCOMPARE(p[0].layers[0].layerId, a);
    QVERIFY(p[0].layers[0].neurons == deadMap);
    QVERIFY(p[0].layers[1].neurons == (NeuronMap{{F::Kept, 0}, {F::Kept, 1}})); // no rates
    // After the dead pass h1 holds old 0, 2, 3, 5; the copies of 0 (now 2 and 3) merge into 0.
    const NeuronMap mergeMap{{F::Kept, 0}, {F::Kept, 1}, {F::Merged, 0}, {F::Merged, 0}};
    QVERIFY(p[1].layers[0].neurons == mergeMap);
    QVERIFY(p[1].layers[1].neurons == (NeuronMap{{F::Kept, 0}, {F::Kept, 1}}));
    QCOMPARE(p[2].layersFused, 1);
    QCOMPARE(p[2].layers[0].layerId, b);
    QVERIFY(p[2].layers[0].neurons == (NeuronMap{{F::Fused, -1}, {F::Fused, -1}}));
    QCOMPARE(p[2].layers[1].layerId, c);
    QVERIFY(p[2].layers[1].neurons == (NeuronMap{{F::Kept, 0}}));
    // Over all passes, in the input graph's indices: merged neurons name their keeper there.
    const NeuronMap overall{{F::Kept, 0},   {F::Removed, -1}, {F::Kept, 1},
                            {F::Merged, 0}, {F::Removed, -1}, {F::Merged, 0}};
    QVERIFY(r.report.neuronMap(a) == overall);
    QVERIFY(r.report.neuronMap(b) == (NeuronMap{{F::Fused, -1}, {F::Fused, -1}}));
    QVERIFY(r.report.neuronMap(c).empty()); // unchanged
    QCOMPARE(r.graph.layer(a).neurons(), 2);
    // A keeper merged in a later pass keeps the index the first pass gave it.
    QVERIFY(optimize(g, kRedundancy).report.neuronMap(a) == (NeuronMap{{F::Kept, 0},
                                                                       {F::Kept, 1},
                                                                       {F::Kept, 2},
                                                                       {F::Merged, 0},
                                                                       {F::Kept, 3},
                                                                       {F::Merged, 0}}));
    // The JSON: the index after, "removed", "fused" or {"merged_into": keeper}.
    const QJsonArray passes = r.report.toJson()[QStringLiteral("pass_reports")].toArray();
    const auto json = [&](int pass, int layer) {
        return passes[pass][QStringLiteral("layers")][layer][QStringLiteral("neuron_map")]
            .toArray();
    };
    QCOMPARE(json(0, 0),
             (QJsonArray{0, QStringLiteral("removed"), 1, 2, QStringLiteral("removed"), 3}));
    QCOMPARE(json(1, 0), (QJsonArray{0, 1, QJsonObject{{QStringLiteral("merged_into"), 0}},
                                     QJsonObject{{QStringLiteral("merged_into"), 0}}}));
    QCOMPARE(json(2, 0), (QJsonArray{QStringLiteral("fused"), QStringLiteral("fused")}));
}

QTEST_GUILESS_MAIN(TestPasses)
#include "tst_passes.moc"
