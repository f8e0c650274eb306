// The redundancy pass: near-identical neurons merged with their outgoing weights summed, the same
// pairs as brute force on every path (band, whole triangle, any thread count).
#include "PassLists.h"
#include "PassTestData.h"
#include "base/Error.h"
#include "opt/Optimizer.h"
#include "opt/Passes.h"
#include "sim/Sequences.h"

using namespace snn;
using namespace snn::test;

namespace {

// The redundancy pass's rule by brute force: each keeper, in index order, claims the later
// unclaimed neurons whose cosine passes and whose norms are within the tolerance.
std::vector<int> bruteForceKeepers(const Eigen::MatrixXf &w, float similarity, float tolerance)
{
    const int n = int(w.rows());
    std::vector<int> expected(std::size_t(n), 0);
    for (int i = 0; i < n; ++i)
        expected[std::size_t(i)] = i;
    for (int i = 0; i < n; ++i) {
        if (expected[std::size_t(i)] != i)
            continue;
        for (int j = i + 1; j < n; ++j) {
            const float ni = w.row(i).norm(), nj = w.row(j).norm();
            const float cosine = w.row(i).dot(w.row(j)) / (ni * nj);
            if (expected[std::size_t(j)] == j && cosine > similarity &&
                std::abs(ni - nj) <= tolerance * std::max(ni, nj))
                expected[std::size_t(j)] = i;
        }
    }
    return expected;
}

// A small network: 6 inputs -> hidden (5) -> out (3), hidden has planted duplicates.
Graph duplicateNetwork(bool linearReadout)
{
    Rng rng(3);
    Graph g(6);
    Layer hidden = makeLayer(QStringLiteral("hidden"), kNetworkInput, 5, 6);
    hidden.weights = randomMatrix(rng, 5, 6, 0.8f);
    hidden.weights.row(0) = hidden.weights.row(0).cwiseAbs(); // so the duplicated neuron fires
    hidden.weights.row(3) = hidden.weights.row(0);            // exact duplicates of neuron 0
    hidden.weights.row(4) = hidden.weights.row(0);
    hidden.bias = vec({0.1f, 0.2f, 0.0f, 0.1f, 0.1f});
    hidden.neuron.threshold = 0.5f;
    const LayerId h = g.addLayer(hidden);
    Layer out = makeLayer(QStringLiteral("out"), h, 3, 5);
    out.weights = randomMatrix(rng, 3, 5, 0.7f);
    out.neuron.spiking = !linearReadout;
    out.neuron.threshold = 0.6f;
    g.addLayer(out);
    return g;
}

} // namespace

class TestRedundancy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void redundancyMergesDuplicatesAndSumsOutgoingWeights();
    void redundancyPreservesFunction_data();
    void redundancyPreservesFunction();
    void redundancyKeepsNeuronsWithOtherValuesApart();
    void redundancyRefusesScaledAndBiasedNeurons();
    void redundancyGroupsAreConsistent();
    void redundancyMatchesBruteForceAcrossBlocks();
    void redundancyBandAndWholeTriangleAgree();
    void redundancyIndependentOfThreads();
    void redundancySplitCosinesMissNoPair();
};

void TestRedundancy::redundancyMergesDuplicatesAndSumsOutgoingWeights()
{
    const Graph g = duplicateNetwork(true);
    const OptimizeResult r = optimize(g, kRedundancy);
    const PassReport &p = r.report.passReports.front();
    QCOMPARE(p.neuronsMerged, 2);
    QCOMPARE(p.layers[0].merged, 2);
    QCOMPARE(p.layers[0].groups, 1);
    QCOMPARE(p.layers[1].merged, 0); // outputs are never merged
    const Layer &hidden = r.graph.layers()[0];
    const Layer &out = r.graph.layers()[1];
    QCOMPARE(hidden.neurons(), 3);
    QVERIFY(hidden.weights == g.layers()[0].weights.topRows(3));
    const Eigen::MatrixXf &w = g.layers()[1].weights;
    QCOMPARE(out.inputs(), 3);
    QVERIFY(out.weights.col(0) == (w.col(0) + w.col(3)) + w.col(4));
    QVERIFY(out.weights.col(1) == w.col(1));
    QVERIFY(out.weights.col(2) == w.col(2));
}

void TestRedundancy::redundancyPreservesFunction_data()
{
    QTest::addColumn<bool>("linearReadout");
    QTest::addColumn<int>("reset");
    QTest::addColumn<int>("type");
    for (NeuronType type : {NeuronType::LIF, NeuronType::CubaLIF})
        for (ResetMode mode : kResetModeNames.values()) {
            QTest::addRow("linear read-out, %s, %s", qPrintable(toString(type)),
                          qPrintable(toString(mode)))
                << true << int(mode) << int(type);
            QTest::addRow("spiking output, %s, %s", qPrintable(toString(type)),
                          qPrintable(toString(mode)))
                << false << int(mode) << int(type);
        }
}

void TestRedundancy::redundancyPreservesFunction()
{
    QFETCH(bool, linearReadout);
    QFETCH(int, reset);
    QFETCH(int, type);
    // Equal fan-in and equal neuron values give equal states, both of a CubaLIF's too.
    const Graph g =
        withType(withReset(duplicateNetwork(linearReadout), ResetMode(reset)), NeuronType(type));
    const OptimizeResult r = optimize(g, kRedundancy);
    QCOMPARE(r.graph.layers()[0].neurons(), 3);
    Rng rng(5);
    const Eigen::MatrixXf input = randomSpikes(rng, 40, 6, 0.5);
    const std::vector<Eigen::MatrixXf> trace = simulate(g, input);
    QVERIFY(trace[0].col(0).sum() >= 10.0f); // the duplicated neuron really fires
    const Eigen::MatrixXf before = trace.back();
    const Eigen::MatrixXf after = simulate(r.graph, input).back();
    QVERIFY(before.cwiseAbs().maxCoeff() > 0.0f); // the read-out is not trivially silent
    if (linearReadout)
        QVERIFY((before - after).cwiseAbs().maxCoeff() < 1e-5f);
    else
        QVERIFY(before == after);
}

void TestRedundancy::redundancyKeepsNeuronsWithOtherValuesApart()
{
    // Neurons 3 and 4 copy neuron 0's weights and bias, but neuron 4 has its own threshold (as a
    // per-neuron import gives): only neuron 3 is merged, and the report says why 4 is not.
    Graph g = duplicateNetwork(true);
    Layer &hidden = g.layer(g.layers()[0].id);
    hidden.setPerNeuron("threshold", vec({0.5f, 0.5f, 0.5f, 0.5f, 0.7f}));
    QCOMPARE(hidden.perNeuron.threshold.size(), Eigen::Index(5));
    const OptimizeResult r = optimize(g, kRedundancy);
    const PassReport &p = r.report.passReports.front();
    QCOMPARE(p.neuronsMerged, 1);
    QCOMPARE(r.graph.layers()[0].neurons(), 4);
    QCOMPARE(r.graph.layers()[0].perNeuron.threshold, vec({0.5f, 0.5f, 0.5f, 0.7f}));
    QVERIFY2(p.notes.contains(QStringLiteral("hidden: 1 neuron kept apart from similar neurons: "
                                             "their beta, threshold, alpha or initial membrane "
                                             "differ")),
             qPrintable(p.notes.join(QLatin1Char('|'))));
    Rng rng(5);
    const Eigen::MatrixXf input = randomSpikes(rng, 40, 6, 0.5);
    QVERIFY((simulate(g, input).back() - simulate(r.graph, input).back()).cwiseAbs().maxCoeff() <
            1e-5f);
}

void TestRedundancy::redundancyRefusesScaledAndBiasedNeurons()
{
    Graph g(3);
    Layer h = makeLayer(QStringLiteral("h"), kNetworkInput, 4, 3,
                        {1, 2, 3,      //
                         2, 4, 6,      // 2w: same direction, different norm
                         1, 2, 3.001f, // near copy of row 0...
                         1, 2, 3});    // exact copy of row 0, but a different bias
    h.bias = vec({0.0f, 0.0f, 0.5f, 0.5f});
    const LayerId hid = g.addLayer(h);
    g.addLayer(makeLayer(QStringLiteral("o"), hid, 1, 4, {1, 1, 1, 1}));
    // Rows 2 and 3 share a bias and are near-identical: they merge; nothing else does.
    const OptimizeResult r = optimize(g, kRedundancy);
    QCOMPARE(r.report.passReports[0].neuronsMerged, 1);
    QCOMPARE(r.graph.layers()[0].neurons(), 3);
    QCOMPARE(r.graph.layers()[1].weights, (Eigen::MatrixXf(1, 3) << 1, 1, 2).finished());
}

void TestRedundancy::redundancyGroupsAreConsistent()
{
    // b is similar to a and to c, but a and c are not similar: chaining would merge a and c.
    const float theta = std::acos(0.995f);
    Eigen::MatrixXf w(3, 2);
    w << 1, 0, std::cos(theta), std::sin(theta), std::cos(2 * theta), std::sin(2 * theta);
    const std::vector<int> keeper = passes::findRedundantNeurons(w, {}, 0.99f, 0.01f);
    QCOMPARE(keeper, (std::vector<int>{0, 0, 2}));

    // A group of four identical neurons merges into the first.
    Eigen::MatrixXf same = Eigen::MatrixXf::Ones(5, 3);
    same.row(2) << 1, -1, 0;
    QCOMPARE(passes::findRedundantNeurons(same, {}, 0.99f, 0.01f),
             (std::vector<int>{0, 0, 2, 0, 0}));
    // Zero rows are identical to each other, never to a non-zero row.
    Eigen::MatrixXf zeros = Eigen::MatrixXf::Zero(3, 2);
    zeros.row(1) << 1, 0;
    QCOMPARE(passes::findRedundantNeurons(zeros, {}, 0.99f, 0.01f), (std::vector<int>{0, 1, 0}));
}

void TestRedundancy::redundancyMatchesBruteForceAcrossBlocks()
{
    // More rows than one Gram block (1024), duplicates planted across block boundaries.
    Rng rng(9);
    const int n = 2300, d = 24;
    Eigen::MatrixXf w = randomMatrix(rng, n, d, 1.0f);
    const std::pair<int, int> planted[] = {{5, 1500}, {5, 2299}, {1100, 2200}, {1023, 1024}};
    for (auto [from, to] : planted)
        w.row(to) = w.row(from) * 1.004f;
    const std::vector<int> keeper = passes::findRedundantNeurons(w, {}, 0.99f, 0.01f);
    const std::vector<int> expected = bruteForceKeepers(w, 0.99f, 0.01f);
    QCOMPARE(keeper, expected);
    QCOMPARE(keeper[1500], 5);
    QCOMPARE(keeper[2299], 5);
    QCOMPARE(keeper[2200], 1100);
    QCOMPARE(keeper[1024], 1023);
    QCOMPARE(
        std::count_if(keeper.begin(), keeper.end(), [i = 0](int k) mutable { return k != i++; }),
        std::ptrdiff_t(4));
}

void TestRedundancy::redundancyBandAndWholeTriangleAgree()
{
    // Norms spread over a factor of 4, so that the band of norms within the tolerance (1%) is a
    // small part of the triangle; copies planted just inside (x1.0099) and just outside (x1.0102)
    // the tolerance, and a group of 40 copies of one neuron.
    Rng rng(17);
    const int n = 2100, d = 32;
    Eigen::MatrixXf w = randomMatrix(rng, n, d, 1.0f);
    for (int i = 0; i < n; ++i)
        w.row(i) *= 0.5f + 1.5f * float(rng.uniform());
    for (int p = 0; p < 30; ++p) {
        w.row(n - 1 - p) = w.row(p) * (p % 2 ? 1.0099f : 1.0102f);
        w.row(1000 + p) = w.row(700 + p) * (p % 2 ? 0.9902f : 0.9898f);
    }
    for (int c = 0; c < 40; ++c)
        w.row(1200 + c * 7) = w.row(1199);
    const std::vector<int> expected = bruteForceKeepers(w, 0.99f, 0.01f);
    // The band (default), and the whole triangle after the first similar pair (a budget of one
    // pair): both exactly the rule.
    QCOMPARE(passes::findRedundantNeurons(w, {}, 0.99f, 0.01f), expected);
    QCOMPARE(passes::findRedundantNeurons(w, {}, 0.99f, 0.01f, {}, 2, 1), expected);
    QCOMPARE(expected[std::size_t(n - 2)], 1);     // x1.0099: merged
    QCOMPARE(expected[std::size_t(n - 1)], n - 1); // x1.0102: kept
    QCOMPARE(expected[1001], 701);
    QCOMPARE(expected[1000], 1000);
    QCOMPARE(expected[1200 + 39 * 7], 1199);
    QCOMPARE(std::count_if(expected.begin(), expected.end(),
                           [i = 0](int k) mutable { return k != i++; }),
             std::ptrdiff_t(15 + 15 + 40));
}

void TestRedundancy::redundancyIndependentOfThreads()
{
    // 300 pairs whose cosine lies within 4 ULP of the threshold (0.99f; one ULP is 2^-24 there),
    // spread over both Gram blocks, strips and pieces: a product that summed in another order on
    // another thread count would flip some of these decisions.
    Rng rng(21);
    const int n = 1500, d = 64, pairs = 300;
    Eigen::MatrixXd w = randomMatrix(rng, n, d, 1.0f).cast<double>();
    for (int p = 0; p < pairs; ++p) {
        const int i = p * 2, j = n - 1 - p * 2;
        const Eigen::VectorXd u = w.row(i).transpose().normalized();
        Eigen::VectorXd v = w.row(j).transpose();
        v = (v - v.dot(u) * u).normalized();
        const double cosine = 0.99 + (rng.uniform() * 8.0 - 4.0) * std::ldexp(1.0, -24);
        w.row(j) = (cosine * u + std::sqrt(1.0 - cosine * cosine) * v).transpose() * 3.0;
        w.row(i) = u.transpose() * 3.0;
    }
    const Eigen::MatrixXf weights = w.cast<float>();
    const std::vector<int> one = passes::findRedundantNeurons(weights, {}, 0.99f, 0.01f, {}, 1);
    const auto merged =
        std::count_if(one.begin(), one.end(), [i = 0](int k) mutable { return k != i++; });
    // The threshold cuts through the pairs: some merge, some do not.
    QVERIFY2(merged > pairs / 10 && merged < pairs - pairs / 10,
             qPrintable(QString::number(merged)));
    for (int p = 0; p < pairs; ++p) {
        const int j = n - 1 - p * 2;
        QVERIFY(one[std::size_t(j)] == j || one[std::size_t(j)] == p * 2);
    }
    for (int threads : {2, 3, 1, 2})
        QCOMPARE(passes::findRedundantNeurons(weights, {}, 0.99f, 0.01f, {}, threads), one);
}

void TestRedundancy::redundancySplitCosinesMissNoPair()
{
    // 256 inputs: each cosine is summed over the first 64 inputs, then the rest only where a pair
    // of the piece may still pass. Copies that differ only in their first inputs (where those
    // hold little of the norm) must be found; rows that agree only there must not merge.
    Rng rng(23);
    const int n = 1400, d = 256;
    Eigen::MatrixXf w = randomMatrix(rng, n, d, 1.0f);
    for (int p = 0; p < 40; ++p) {
        const int i = 3 * p, j = n - 1 - 5 * p;
        w.row(i).head(64) *= 0.01f;
        w.row(j) = w.row(i) * 1.004f;
        w.row(j).head(64) = randomMatrix(rng, 1, 64, 0.01f); // another beginning
        const int k = 600 + p, m = 900 + p;
        w.row(m).head(64) = w.row(k).head(64) * 20.0f; // the beginning alone agrees
    }
    const std::vector<int> expected = bruteForceKeepers(w, 0.99f, 0.01f);
    QCOMPARE(std::count_if(expected.begin(), expected.end(),
                           [i = 0](int k) mutable { return k != i++; }),
             std::ptrdiff_t(40));
    for (int p = 0; p < 40; ++p)
        QCOMPARE(expected[std::size_t(n - 1 - 5 * p)], 3 * p);
    for (int threads : {1, 2})
        QCOMPARE(passes::findRedundantNeurons(w, {}, 0.99f, 0.01f, {}, threads), expected);
    // The whole triangle (a budget of one pair) sums the cosines the same way.
    QCOMPARE(passes::findRedundantNeurons(w, {}, 0.99f, 0.01f, {}, 2, 1), expected);
    // Zero rows merge into the first of them (the rule by brute force has no cosine for them),
    // also in pieces whose other pairs all stop at the first product.
    std::vector<int> withZeros = expected;
    for (const int z : {10, 700, 1300}) {
        w.row(z).setZero();
        withZeros[std::size_t(z)] = 10;
    }
    QCOMPARE(passes::findRedundantNeurons(w, {}, 0.99f, 0.01f, {}, 2), withZeros);
}

QTEST_GUILESS_MAIN(TestRedundancy)
#include "tst_redundancy.moc"
