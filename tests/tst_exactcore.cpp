#include "PassLists.h"
#include "TestUtils.h"
#include "base/Rng.h"
#include "hw/Quantizer.h"
#include "opt/Optimizer.h"

#include <QJsonArray>

using namespace snn;
using snn::test::kDead;
using snn::test::kFusion;
using snn::test::kRedundancy;
using snn::test::makeLayer;
using snn::test::vec;

namespace {

// Random 8-bit input intensities, one vector per sample.
std::vector<std::vector<std::uint8_t>> randomInputs(int samples, int inputs, std::uint64_t seed)
{
    Rng rng(seed);
    std::vector<std::vector<std::uint8_t>> all;
    for (int s = 0; s < samples; ++s) {
        std::vector<std::uint8_t> x;
        for (int i = 0; i < inputs; ++i)
            x.push_back(std::uint8_t(rng.uniform() * 256.0));
        all.push_back(std::move(x));
    }
    return all;
}

// How many of `samples` the bit-accurate core at `bits` answers with other output spike counts
// for `a` than for `b` (the oracle: hw::quantize and the model, not the passes' arithmetic).
int coreDifferences(const Graph &a, const Graph &b, int bits, int samples = 300)
{
    hw::QuantConfig c;
    c.weightBits = bits;
    const hw::QuantizedNetwork qa = hw::quantize(a, c), qb = hw::quantize(b, c);
    hw::ModelRunner ra(qa), rb(qb);
    int differ = 0;
    for (const auto &x : randomInputs(samples, a.inputSize(), 7))
        differ += ra.run(x).counts != rb.run(x).counts;
    return differ;
}

// The duplicated-neuron case on a small graph: hidden neurons 5, 6, 7 are exact copies of 1, 2,
// 3, neuron 4 is 0 with one weight a grid step away (its 4-bit fan-in differs), hidden's largest
// |w| (1.4: scale 5 at 4 bits) is in 2 and its copy 6; out's largest |w| (2.0: scale 3.5) is in
// column 0, and columns 3 and 7 (1.5: 5 at 4 bits each) sum beyond the 4-bit range.
Graph copies()
{
    Graph g(6);
    Layer h =
        makeLayer(QStringLiteral("hidden"), kNetworkInput, 8, 6,
                  {0.6f, -0.4f, 0.8f,  0.2f, -1.0f, 0.4f,  -0.2f, 0.9f, 0.1f,  -0.7f, 0.3f,  0.5f,
                   1.4f, 0.1f,  -0.3f, 0.4f, 0.2f,  -0.6f, 0.3f,  0.3f, -0.9f, 0.8f,  -0.2f, 0.1f,
                   0.6f, -0.4f, 0.8f,  0.2f, -1.0f, 0.52f, -0.2f, 0.9f, 0.1f,  -0.7f, 0.3f,  0.5f,
                   1.4f, 0.1f,  -0.3f, 0.4f, 0.2f,  -0.6f, 0.3f,  0.3f, -0.9f, 0.8f,  -0.2f, 0.1f});
    h.neuron.threshold = 0.5f;
    h.rates = vec({0.3f, 0.2f, 0.4f, 0.1f, 0.3f, 0.2f, 0.4f, 0.1f});
    const LayerId hid = g.addLayer(h);
    g.addLayer(makeLayer(QStringLiteral("out"), hid, 3, 8,
                         {0.5f,  0.4f,  -0.8f, 1.5f,  0.3f,  0.7f,  0.2f,  1.5f, //
                          2.0f,  -0.6f, 0.3f,  0.2f,  -0.5f, 0.5f,  -0.9f, 0.1f, //
                          -0.3f, 0.9f,  0.6f,  -0.4f, 0.7f,  -0.2f, 0.4f,  0.3f}));
    return g;
}

OptimizeOptions exactAt(std::vector<int> bits)
{
    OptimizeOptions o;
    o.normTolerance = 0.03f; // neuron 4 is 2.3% longer than 0: a candidate
    o.exactBits = std::move(bits);
    return o;
}

// Neurons 1, 2 and 3 of `hidden` never fire (no positive weight, no bias): 1 holds hidden's only
// largest |w|, 3's outgoing column holds out's only largest |w|.
Graph deadHolders()
{
    Graph g(4);
    Layer h = makeLayer(QStringLiteral("hidden"), kNetworkInput, 4, 4,
                        {0.5f, 0.3f, -0.2f, 0.4f,    //
                         -1.2f, -0.1f, -0.3f, -0.2f, //
                         -0.4f, -0.5f, -0.1f, -0.3f, //
                         -0.2f, -0.6f, -0.4f, -0.1f});
    h.neuron.threshold = 0.3f;
    h.rates = vec({0.4f, 0.0f, 0.0f, 0.0f});
    const LayerId hid = g.addLayer(h);
    g.addLayer(makeLayer(QStringLiteral("out"), hid, 2, 4,
                         {0.7f, 0.2f, 0.4f, -1.6f, //
                          0.9f, -0.3f, 0.1f, 0.5f}));
    return g;
}

} // namespace

class TestExactCore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mergesOnTheGridKeepTheCore();
    void floatMergesChangeTheCore();
    void mergesExactAtEveryWidth();
    void clippedLayersMergeOnlyWhenTheClipStays();
    void deadRemovalKeepsEveryScale();
    void spikingFusionIsSkipped();
    void reportShowsTheCorePerPass();
};

void TestExactCore::mergesOnTheGridKeepTheCore()
{
    const Graph g = copies();
    const OptimizeResult r = optimize(g, kRedundancy, exactAt({4}));
    const PassReport &p = r.report.passReports.front();
    QCOMPARE(p.neuronsMerged, 2); // 5 into 1 and 6 into 2
    QCOMPARE(p.skipped, 2);
    QCOMPARE(p.layers[0].merged, 2);
    QCOMPARE(p.layers[0].skipped, 2);
    QCOMPARE(p.notes,
             (QStringList{QStringLiteral("hidden: neuron 4 not merged into 0 (not exact on the "
                                         "4-bit core): its 4-bit fan-in differs from neuron 0's "
                                         "(1 of 6 weights)"),
                          QStringLiteral("hidden: neuron 7 not merged into 3 (not exact on the "
                                         "4-bit core): out neuron 0 would get 5 + 5 = 10, beyond "
                                         "the 4-bit range +-7")}));
    QCOMPARE(r.graph.layers()[0].neurons(), 6);
    // The keepers' columns hold the integer sums: 1 + 5 is {1 + 2, -2 + 2, 3 - 1} at scale 3.5.
    hw::QuantConfig c;
    c.weightBits = 4;
    const hw::QuantizedNetwork before = hw::quantize(g, c), after = hw::quantize(r.graph, c);
    QCOMPARE(after.layers[1].scale, before.layers[1].scale);
    QCOMPARE(after.layers[0].scale, before.layers[0].scale);
    QCOMPARE(after.layers[1].threshold, before.layers[1].threshold);
    for (int n = 0; n < 3; ++n) {
        QCOMPARE(after.layers[1].weight(n, 1),
                 before.layers[1].weight(n, 1) + before.layers[1].weight(n, 5));
        QCOMPARE(after.layers[1].weight(n, 2),
                 before.layers[1].weight(n, 2) + before.layers[1].weight(n, 6));
    }
    QCOMPARE(after.layers[1].weight(0, 1), 3);
    QCOMPARE(coreDifferences(g, r.graph, 4), 0);
}

void TestExactCore::floatMergesChangeTheCore()
{
    // The float merge sums columns 3 and 7 to 3.0 > 2.0: out's scale moves, and with it the core's
    // answers, which is what the exact merge refuses.
    const Graph g = copies();
    OptimizeOptions o = exactAt({});
    const OptimizeResult r = optimize(g, kRedundancy, o);
    QCOMPARE(r.report.passReports.front().neuronsMerged, 4);
    QCOMPARE(r.report.passReports.front().skipped, 0);
    QVERIFY(coreDifferences(g, r.graph, 4) > 0);
}

void TestExactCore::mergesExactAtEveryWidth()
{
    const Graph g = copies();
    const OptimizeResult r = optimize(g, kRedundancy, exactAt({8, 4}));
    const PassReport &p = r.report.passReports.front();
    // 4 differs at 8 bits already, 7's column sums to 95 + 95 > 127 there too, and for 5 no
    // weight rounds to 1 + 2 = 3 at 4 bits (0.71 to 1.0) and to 25 + 44 = 69 at 8 bits (1.08 to
    // 1.09); 6 into 2 is exact at both.
    QCOMPARE(p.neuronsMerged, 1);
    QCOMPARE(p.skipped, 3);
    QCOMPARE(p.notes[1], QStringLiteral("hidden: neuron 5 not merged into 1 (not exact on the 8- "
                                        "and 4-bit cores): no weight of out neuron 0 rounds to the "
                                        "merged integers at every width"));
    QVERIFY(p.notes[0].startsWith(QStringLiteral("hidden: neuron 4 not merged into 0 (not exact on "
                                                 "the 8- and 4-bit cores): its 8-bit fan-in")));
    QCOMPARE(coreDifferences(g, r.graph, 8), 0);
    QCOMPARE(coreDifferences(g, r.graph, 4), 0);
}

void TestExactCore::clippedLayersMergeOnlyWhenTheClipStays()
{
    // Below the percentile 100 every weight counts: at 97 hidden's clip is the 47th of its 48
    // |w|, 1.4, and without 5 and 6 the 35th of 36, 1.0, so the merges are undone and the core
    // stays as it was (at 90 they keep it, and stand).
    const Graph g = copies();
    OptimizeOptions o = exactAt({4});
    o.hardware.clipPercentile = 90.0;
    const OptimizeResult kept = optimize(g, kRedundancy, o);
    QCOMPARE(kept.report.passReports.front().neuronsMerged, 2);
    hw::QuantConfig c;
    c.weightBits = 4;
    c.clipPercentile = 90.0;
    QCOMPARE(hw::quantize(kept.graph, c).layers[0].scale, hw::quantize(g, c).layers[0].scale);
    o.hardware.clipPercentile = 97.0;
    const OptimizeResult r = optimize(g, kRedundancy, o);
    const PassReport &p = r.report.passReports.front();
    QCOMPARE(p.neuronsMerged, 0);
    QCOMPARE(p.skipped, 4);
    QCOMPARE(p.notes.back(),
             QStringLiteral("hidden: 2 merges undone (not exact on the 4-bit core): they would "
                            "move hidden's clipping magnitude (percentile 97), so its scale"));
    QVERIFY(r.graph.layers()[1].weights == g.layers()[1].weights);
}

void TestExactCore::deadRemovalKeepsEveryScale()
{
    const Graph g = deadHolders();
    OptimizeOptions o;
    o.exactBits = {4};
    const OptimizeResult r = optimize(g, kDead, o);
    const PassReport &p = r.report.passReports.front();
    QCOMPARE(p.neuronsRemoved, 1); // neuron 2
    QCOMPARE(p.skipped, 2);
    QCOMPARE(p.layers[0].neverFired, 3);
    QCOMPARE(p.notes,
             (QStringList{QStringLiteral("hidden: neuron 1 kept for the 4-bit core: its fan-in "
                                         "weights hold hidden's largest |w|, which sets its scale"),
                          QStringLiteral("hidden: neuron 3 kept for the 4-bit core: its outgoing "
                                         "weights hold out's largest |w|, which sets its scale"),
                          QStringLiteral("out: no firing rates, skipped")}));
    QCOMPARE(coreDifferences(g, r.graph, 4), 0);
    // The float pass removes all three, and both scales move: the core answers otherwise.
    const OptimizeResult inFloat = optimize(g, kDead);
    QCOMPARE(inFloat.report.passReports.front().neuronsRemoved, 3);
    QVERIFY(coreDifferences(g, inFloat.graph, 4) > 0);
}

void TestExactCore::spikingFusionIsSkipped()
{
    const Graph g = test::quietSpikingGraph();
    OptimizeOptions o;
    o.exactBits = {4};
    const OptimizeResult r = optimize(g, kFusion, o);
    QCOMPARE(r.graph.layerCount(), 2);
    QCOMPARE(r.report.passReports[0].layersFused, 0);
    QCOMPARE(r.report.passReports[0].skipped, 1);
    QCOMPARE(r.report.passReports[0].notes,
             QStringList{QStringLiteral("quiet: not fused: spiking: fusing it as if linear is not "
                                        "exact on the 4-bit core")});
}

void TestExactCore::reportShowsTheCorePerPass()
{
    // optimize() with the core measured at 4 bits on a validation set: each pass's agreement on
    // the core, the figures after it, and the JSON of both.
    const Graph g = copies();
    auto set = std::make_shared<ValidationSet>();
    const auto inputs = randomInputs(40, 6, 3);
    set->data.x.resize(40, 6);
    for (int s = 0; s < 40; ++s) {
        for (int i = 0; i < 6; ++i)
            set->data.x(s, i) = inputs[std::size_t(s)][std::size_t(i)] / 255.0f;
        set->data.y.push_back(s % 3);
    }
    OptimizeOptions o = exactAt({4});
    o.validation = set;
    o.hardwareBits = {4};
    o.hardware.steps = 12;
    const OptimizeResult r =
        optimize(g, {passes::kDeadNeuronElimination, passes::kRedundancyElimination}, o);
    const PassReport &merge = r.report.passReports[1];
    QCOMPARE(merge.core.size(), std::size_t(1));
    QCOMPARE(merge.core[0].weightBits, 4);
    QCOMPARE(merge.core[0].accuracy.agreement, 1.0);
    QCOMPARE(merge.core[0].accuracy.samples, 40);
    QVERIFY(merge.figures);
    QCOMPARE(merge.figures->samples, 40);
    QVERIFY(r.report.figures);
    QCOMPARE(r.report.figures->after.cyclesPerInference, merge.figures->cyclesPerInference);
    QVERIFY(r.report.figures->after.cyclesPerInference <
            r.report.figures->before.cyclesPerInference);
    const QJsonObject json = r.report.toJson();
    const QJsonObject hardware = json[QStringLiteral("hardware")].toObject();
    for (const char *side : {"before", "after", "after_same_configuration"}) {
        const QJsonObject f = hardware[QLatin1String(side)].toObject();
        for (const char *key : {"config", "cycles_per_inference", "latency_ms", "inferences_per_s",
                                "weight_kbit", "ebr", "spram", "logic_cells"})
            QVERIFY2(f.contains(QLatin1String(key)), key);
    }
    QCOMPARE(hardware[QStringLiteral("after")][QStringLiteral("cycles_per_inference")].toDouble(),
             r.report.figures->after.cyclesPerInference);
    const QJsonObject pass = json[QStringLiteral("pass_reports")].toArray()[1].toObject();
    QCOMPARE(pass[QStringLiteral("skipped")].toInt(), 2);
    QCOMPARE(pass[QStringLiteral("core")]
                 .toArray()[0][QStringLiteral("accuracy")][QStringLiteral("agreement")]
                 .toDouble(),
             1.0);
    QVERIFY(r.report.summary().contains(
        QStringLiteral("[redundancy_elimination] 2 neurons merged, 2 skipped (not exact on the "
                       "core)")));
    QVERIFY(r.report.summary().contains(QStringLiteral("  4-bit core ")));
}

QTEST_GUILESS_MAIN(TestExactCore)
#include "tst_exactcore.moc"
