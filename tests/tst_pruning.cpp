#include "TestUtils.h"
#include "base/Error.h"
#include "opt/Optimizer.h"

#include <numeric>

using namespace snn;

namespace {

const QStringList kPruning{passes::kNeuronPruning};

// input(8) -> hidden(10) -> out(3), with measured-looking rates on hidden.
Graph network()
{
    Graph g = test::randomChain(21, {8, 10, 3}, 0.6, 0.1);
    Layer &h = g.layer(g.layers()[0].id);
    h.rates = test::vec({0.3f, 0.0f, 0.05f, 0.2f, 0.4f, 0.1f, 0.02f, 0.25f, 0.15f, 0.35f});
    g.validate();
    return g;
}

// Hidden's neurons by rate x the norm of their outgoing weights, least first.
std::vector<int> byImportance(const Graph &g)
{
    const Layer &h = g.layers()[0];
    const Eigen::MatrixXf &out = g.layers()[1].weights;
    std::vector<int> order(std::size_t(h.neurons()));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return double(h.rates(a)) * out.col(a).norm() < double(h.rates(b)) * out.col(b).norm();
    });
    return order;
}

// `g` without hidden's first `count` neurons of `order`.
Graph without(const Graph &g, const std::vector<int> &order, int count)
{
    std::vector<int> gone(order.begin(), order.begin() + count);
    std::sort(gone.begin(), gone.end());
    Graph p = g;
    p.layer(p.layers()[0].id).removeNeurons(gone);
    p.layer(p.layers()[1].id).removeInputs(gone);
    return p;
}

double kbit(const Graph &g, const OptimizeOptions &o)
{
    return eval::hardwareFigures(g, o.figureOptions(), RowMatrixXf()).weightKbit();
}

} // namespace

class TestPruning : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void needsABudget();
    void memoryBudgetPrunesTheFewestLeastImportant();
    void budgetMetAlready();
    void budgetOutOfReach();
    void cyclesBudgetOnTheValidationSet();
};

void TestPruning::needsABudget()
{
    try {
        optimize(network(), kPruning);
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("neuron_pruning needs a budget: cycles per inference, "
                                             "weight memory or logic cells"));
    }
    OptimizeOptions o;
    o.budgetCycles = {80.0, true};
    try {
        optimize(network(), kPruning, o);
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("neuron_pruning's cycles budget needs a validation "
                                             "set: the cycles are measured on it"));
    }
    o.budgetCycles = {120.0, true};
    QVERIFY_THROWS_EXCEPTION(Error, optimize(network(), kPruning, o));
}

void TestPruning::memoryBudgetPrunesTheFewestLeastImportant()
{
    const Graph g = network();
    OptimizeOptions o;
    o.hardwareBits = {};
    o.exactBits = {4};
    o.budgetKbit = {60.0, true};
    const OptimizeResult r = optimize(g, kPruning, o);
    const PassReport &p = r.report.passReports.front();
    // The oracle: the smallest count of hidden's least important neurons that meets 60% of the
    // weight memory, by a scan.
    const std::vector<int> order = byImportance(g);
    const double limit = 0.6 * kbit(g, o);
    int count = 0;
    while (kbit(without(g, order, count), o) > limit)
        ++count;
    QVERIFY(count > 0);
    QCOMPARE(p.neuronsRemoved, count);
    QCOMPARE(p.layers[0].removed, count);
    QCOMPARE(p.layers[1].removed, 0); // the output layer is never pruned
    QVERIFY(r.graph.layers()[0].weights == without(g, order, count).layers()[0].weights);
    QVERIFY(kbit(r.graph, o) <= limit);
    QCOMPARE(p.notes.front(),
             QStringLiteral("budget: weight memory (Kbit) <= %1 (60% of the original; the input "
                            "graph's: %2): %3")
                 .arg(QString::number(limit, 'f', 1), QString::number(kbit(g, o), 'f', 1),
                      QString::number(kbit(r.graph, o), 'f', 1)));
    QCOMPARE(p.warnings.size(), 1);
    QVERIFY(p.warnings[0].endsWith(QStringLiteral("pruned neurons fired: the network's function "
                                                  "changes; fine-tune it for the core to recover "
                                                  "accuracy (snnc finetune --qat BITS)")));
    QVERIFY(r.report.summary().contains(
        QStringLiteral("[neuron_pruning] %1 neurons pruned").arg(count)));
}

void TestPruning::budgetMetAlready()
{
    OptimizeOptions o;
    o.budgetKbit = {100.0, true};
    const OptimizeResult r = optimize(network(), kPruning, o);
    QCOMPARE(r.report.passReports.front().neuronsRemoved, 0);
    QCOMPARE(r.report.passReports.front().notes.back(),
             QStringLiteral("every budget is met already: nothing pruned"));
}

void TestPruning::budgetOutOfReach()
{
    // A thousandth of a Kbit: no pruning gets there; nothing is removed.
    OptimizeOptions o;
    o.budgetKbit = {0.001, false};
    const Graph g = network();
    const OptimizeResult r = optimize(g, kPruning, o);
    const PassReport &p = r.report.passReports.front();
    QCOMPARE(p.neuronsRemoved, 0);
    QCOMPARE(p.warnings, QStringList{QStringLiteral("the budget cannot be met by pruning: even 9 "
                                                    "neurons fewer miss it; nothing pruned")});
    QCOMPARE(r.graph.totalNeurons(), g.totalNeurons());
}

void TestPruning::cyclesBudgetOnTheValidationSet()
{
    const Graph g = network();
    auto set = std::make_shared<ValidationSet>();
    Rng rng(4);
    set->data.x.resize(30, 8);
    for (Eigen::Index i = 0; i < set->data.x.size(); ++i)
        set->data.x.data()[i] = float(rng.uniform());
    for (int s = 0; s < 30; ++s)
        set->data.y.push_back(s % 3);
    OptimizeOptions o;
    o.validation = set;
    o.hardwareBits = {4};
    o.hardware.steps = 10;
    // One lane: each hidden neuron a group of its own (at the iCEBreaker's chosen lanes the 10
    // are one or two groups, and a pruned neuron saves only its spikes' cycles).
    o.deployment.lanes = 1;
    o.budgetCycles = {75.0, true};
    const OptimizeResult r = optimize(g, kPruning, o);
    QVERIFY(r.report.figures);
    const double before = r.report.figures->before.cyclesPerInference;
    const double after = r.report.figures->after.cyclesPerInference;
    QVERIFY(after <= 0.75 * before);
    // The fewest: with one hidden layer the pass's order is by importance, and one neuron fewer
    // pruned misses the budget.
    const int removed = r.report.passReports.front().neuronsRemoved;
    QVERIFY(removed > 0);
    const std::vector<int> order = byImportance(g);
    QVERIFY(r.graph.layers()[0].weights == without(g, order, removed).layers()[0].weights);
    QVERIFY(eval::hardwareFigures(without(g, order, removed - 1), o.figureOptions(), set->data.x)
                .cyclesPerInference > 0.75 * before);
    QCOMPARE(r.report.passReports.front().core.size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TestPruning)
#include "tst_pruning.moc"
