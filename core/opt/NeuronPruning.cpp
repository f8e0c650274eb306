#include "opt/Passes.h"

#include "base/Error.h"
#include "base/Text.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace snn::passes {

namespace {

// One budget set: the figure it limits and the limit for this graph.
struct Budget {
    QString name;
    double (*figure)(const eval::HardwareFigures &);
    PruningBudget budget;
    double limit = 0.0;
    double original = 0.0;
};

std::vector<Budget> budgetsOf(const PassOptions &options)
{
    std::vector<Budget> all{
        {QStringLiteral("cycles per inference"),
         [](const eval::HardwareFigures &f) { return f.cyclesPerInference; }, options.budgetCycles},
        {QStringLiteral("weight memory (Kbit)"),
         [](const eval::HardwareFigures &f) { return f.weightKbit(); }, options.budgetKbit},
        {QStringLiteral("logic cells"),
         [](const eval::HardwareFigures &f) { return double(f.fit.estimate.logicCells); },
         options.budgetLogicCells}};
    std::erase_if(all, [](const Budget &b) { return !b.budget.isSet(); });
    return all;
}

bool met(const std::vector<Budget> &budgets, const eval::HardwareFigures &f)
{
    return std::all_of(budgets.begin(), budgets.end(),
                       [&](const Budget &b) { return b.figure(f) <= b.limit; });
}

// What `f` saves of the reductions the budgets still need, summed over them (1: all of one).
double saving(const std::vector<Budget> &budgets, const eval::HardwareFigures &f)
{
    double total = 0.0;
    for (const Budget &b : budgets)
        if (b.original > b.limit)
            total += (b.original - b.figure(f)) / (b.original - b.limit);
    return total;
}

struct Candidate {
    LayerId layer = 0;
    int neuron = 0;
    double importance = 0.0; // rate x outgoing norm over the layer's mean
    double score = 0.0;      // importance over what one neuron of its layer saves
};

// The first `count` candidates of `order` by layer, ascending.
std::map<LayerId, std::vector<int>> byLayer(const std::vector<Candidate> &order, std::size_t count)
{
    std::map<LayerId, std::vector<int>> gone;
    for (std::size_t i = 0; i < count; ++i)
        gone[order[i].layer].push_back(order[i].neuron);
    for (auto &[id, neurons] : gone)
        std::sort(neurons.begin(), neurons.end());
    return gone;
}

// `graph` without the first `count` candidates of `order`.
Graph pruned(const Graph &graph, const std::vector<Candidate> &order, std::size_t count)
{
    Graph g = graph;
    for (const auto &[id, neurons] : byLayer(order, count))
        removeNeurons(g, id, neurons);
    return g;
}

// Each hidden layer's neurons with measured rates, least important first; `notes` gets the layers
// left out.
std::map<LayerId, std::vector<Candidate>> candidates(const Graph &graph, QStringList &notes)
{
    std::map<LayerId, std::vector<Candidate>> layers;
    for (const Layer &l : graph.layers()) {
        if (graph.isOutput(l.id))
            continue;
        if (!l.hasRates()) {
            notes << QStringLiteral("%1: no firing rates, not pruned").arg(l.name);
            continue;
        }
        Eigen::VectorXd norms = Eigen::VectorXd::Zero(l.neurons());
        for (LayerId c : graph.consumers(l.id))
            norms += graph.layer(c).weights.colwise().squaredNorm().transpose().cast<double>();
        std::vector<Candidate> neurons;
        double sum = 0.0;
        for (int n = 0; n < l.neurons(); ++n) {
            neurons.push_back({l.id, n, double(l.rates(n)) * std::sqrt(norms(n)), 0.0});
            sum += neurons.back().importance;
        }
        const double mean = sum / double(l.neurons());
        for (Candidate &c : neurons)
            c.importance = mean > 0.0 ? c.importance / mean : 0.0;
        std::stable_sort(
            neurons.begin(), neurons.end(),
            [](const Candidate &a, const Candidate &b) { return a.importance < b.importance; });
        layers[l.id] = std::move(neurons);
    }
    return layers;
}

} // namespace

void neuronPruning(Graph &graph, const PassOptions &options, const FiguresOf &figures,
                   const RunControl &control, PassReport &report)
{
    std::vector<Budget> budgets = budgetsOf(options);
    if (budgets.empty())
        throw Error(QStringLiteral("neuron_pruning needs a budget"));
    // Probes: the graph, one per layer, then a bisection (at most ~20 for a million neurons).
    int probe = 0;
    const auto measure = [&](const Graph &g) {
        const double at = 1.0 - std::pow(0.85, probe++);
        return figures(g, control.part(at, 1.0 - std::pow(0.85, probe), QStringLiteral("budget ")));
    };
    const eval::HardwareFigures original = measure(graph);
    for (Budget &b : budgets) {
        b.original = b.figure(original);
        b.limit = b.budget.limit(b.original);
    }
    std::vector<LayerChange> changes;
    for (const Layer &l : graph.layers())
        changes.push_back({.layer = l.name,
                           .layerId = l.id,
                           .neuronsBefore = l.neurons(),
                           .neuronsAfter = l.neurons(),
                           .neurons = removalMap(l.neurons(), {}, NeuronFate::Removed)});
    const auto note = [&](const eval::HardwareFigures &f) {
        for (const Budget &b : budgets)
            report.notes << QStringLiteral("budget: %1 <= %2 (%3; the input graph's: %4): %5")
                                .arg(b.name, numberText(b.limit, 1), b.budget.text(),
                                     numberText(b.original, 1), numberText(b.figure(f), 1));
    };
    if (met(budgets, original)) {
        note(original);
        report.notes << QStringLiteral("every budget is met already: nothing pruned");
        report.layers = changes;
        return;
    }

    // The order: least important first, weighed by what one neuron of the layer saves; every
    // layer keeps its most important neuron.
    std::vector<Candidate> order;
    for (auto &[id, neurons] : candidates(graph, report.notes)) {
        control.checkCancelled();
        const std::size_t probeCount =
            std::clamp<std::size_t>(neurons.size() / 8, 1, neurons.size() - 1);
        if (neurons.size() < 2)
            continue;
        const double perNeuron =
            saving(budgets, measure(pruned(graph, neurons, probeCount))) / double(probeCount);
        if (!(perNeuron > 0.0)) {
            report.notes << QStringLiteral("%1: removing neurons saves nothing budgeted, not "
                                           "pruned")
                                .arg(graph.layer(id).name);
            continue;
        }
        for (std::size_t i = 0; i + 1 < neurons.size(); ++i) {
            neurons[i].score = neurons[i].importance / perNeuron;
            order.push_back(neurons[i]);
        }
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const Candidate &a, const Candidate &b) { return a.score < b.score; });

    // The fewest neurons in that order that meet every budget: a bisection.
    const eval::HardwareFigures most = measure(pruned(graph, order, order.size()));
    if (order.empty() || !met(budgets, most)) {
        note(most);
        report.warnings << QStringLiteral("the budget cannot be met by pruning: even %1 neurons "
                                          "fewer miss it; nothing pruned")
                               .arg(order.size());
        report.layers = changes;
        return;
    }
    std::size_t lo = 0, hi = order.size(); // lo misses the budget, hi meets it
    eval::HardwareFigures at = most;
    while (hi - lo > 1) {
        const std::size_t mid = lo + (hi - lo) / 2;
        const eval::HardwareFigures f = measure(pruned(graph, order, mid));
        if (met(budgets, f)) {
            hi = mid;
            at = f;
        } else {
            lo = mid;
        }
    }
    note(at);

    int firing = 0;
    for (const auto &[id, neurons] : byLayer(order, hi)) {
        for (int n : neurons)
            firing += graph.layer(id).rates(n) > 0.0f;
        removeNeurons(graph, id, neurons);
        for (LayerChange &c : changes)
            if (c.layerId == id) {
                c.neurons = removalMap(c.neuronsBefore, neurons, NeuronFate::Removed);
                c.removed = int(neurons.size());
                c.neuronsAfter = graph.layer(id).neurons();
            }
    }
    report.neuronsRemoved = int(hi);
    report.layers = changes;
    if (firing > 0)
        report.warnings << QStringLiteral("%1 of the %2 pruned neurons fired: the network's "
                                          "function changes; fine-tune it for the core to "
                                          "recover accuracy (snnc finetune --qat BITS)")
                               .arg(firing)
                               .arg(hi);
    control.report(1.0, QStringLiteral("budget met"));
}

} // namespace snn::passes
