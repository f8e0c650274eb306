#include "opt/Passes.h"

#include "opt/ExactCore.h"

namespace snn::passes {

void removeNeurons(Graph &graph, LayerId id, const std::vector<int> &neurons)
{
    graph.layer(id).removeNeurons(neurons);
    for (LayerId consumer : graph.consumers(id))
        graph.layer(consumer).removeInputs(neurons);
}

NeuronMap removalMap(int count, const std::vector<int> &gone, NeuronFate::Kind fate)
{
    NeuronMap map;
    map.reserve(std::size_t(count));
    auto next = gone.begin();
    int kept = 0;
    for (int n = 0; n < count; ++n) {
        if (next != gone.end() && *next == n) {
            map.push_back({fate, -1});
            ++next;
        } else {
            map.push_back({NeuronFate::Kept, kept++});
        }
    }
    return map;
}

void deadNeuronElimination(Graph &graph, const PassOptions &options, PassReport &report)
{
    std::vector<LayerId> ids;
    for (const Layer &l : graph.layers())
        ids.push_back(l.id);
    QStringList synthetic;
    for (LayerId id : ids) {
        const Layer &l = graph.layer(id);
        LayerChange change{.layer = l.name,
                           .layerId = id,
                           .neuronsBefore = l.neurons(),
                           .neuronsAfter = l.neurons(),
                           .neurons = removalMap(l.neurons(), {}, NeuronFate::Removed)};
        if (!l.hasRates()) {
            report.notes << QStringLiteral("%1: no firing rates, skipped").arg(l.name);
            report.layers.push_back(change);
            continue;
        }
        if (l.hasSyntheticRates() && !graph.isOutput(id))
            synthetic << l.name;
        std::vector<int> dead;
        for (int n = 0; n < l.neurons(); ++n)
            if (l.rates(n) <= options.deadThreshold)
                dead.push_back(n);
        change.neverFired = int(dead.size());
        if (graph.isOutput(id)) {
            if (!dead.empty())
                report.notes << QStringLiteral("%1: %2 of %3 output neurons never fired; output "
                                               "neurons are never removed")
                                    .arg(l.name)
                                    .arg(dead.size())
                                    .arg(l.neurons());
        } else if (int(dead.size()) == l.neurons()) {
            report.warnings << QStringLiteral(
                                   "%1: all %2 neurons never fired, so the network's output "
                                   "does not depend on its input there; the layer is kept")
                                   .arg(l.name)
                                   .arg(l.neurons());
        } else if (!dead.empty()) {
            // On the core's grid only what keeps every layer's scale goes.
            const std::vector<int> gone =
                options.exactBits.empty()
                    ? dead
                    : removableExactly(graph, id, dead, options, report.notes);
            change.skipped = int(dead.size() - gone.size());
            report.skipped += change.skipped;
            if (!gone.empty()) {
                removeNeurons(graph, id, gone);
                change.neurons = removalMap(change.neuronsBefore, gone, NeuronFate::Removed);
                change.removed = int(gone.size());
                change.neuronsAfter = graph.layer(id).neurons();
                report.neuronsRemoved += change.removed;
            }
        }
        report.layers.push_back(change);
    }
    if (!synthetic.isEmpty())
        report.warnings << QStringLiteral("the firing rates of %1 are synthetic, not measured: "
                                          "the neurons removed may fire on real data (measure "
                                          "the rates first: snnc rates)")
                               .arg(synthetic.join(QStringLiteral(", ")));
    if (options.deadThreshold > 0.0f && report.neuronsRemoved > 0)
        report.warnings << QStringLiteral("the threshold %1 > 0 removes neurons that did fire: the "
                                          "network's output may change")
                               .arg(double(options.deadThreshold));
}

} // namespace snn::passes
