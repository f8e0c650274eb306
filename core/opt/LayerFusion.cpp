#include "opt/Passes.h"

#include "base/Names.h"
#include "opt/ExactCore.h"

#include <set>

namespace snn::passes {

namespace {

// Why `l` may not be fused into its consumer, or an empty string when it may.
QString refusal(const Graph &graph, const Layer &l, const PassOptions &options)
{
    if (graph.isOutput(l.id))
        return QStringLiteral("output layer");
    if (graph.consumers(l.id).size() != 1)
        return QStringLiteral("feeds %1 layers").arg(graph.consumers(l.id).size());
    if (l.neurons() == 0)
        return QStringLiteral("has no neurons");
    if (!l.neuron.spiking)
        return {};
    if (l.neuron.type == NeuronType::CubaLIF)
        return QStringLiteral("CubaLIF: its synaptic current is a second state, which fusing it as "
                              "a linear layer would drop");
    if (!l.hasRates())
        return QStringLiteral("spiking, with no firing rates");
    const float maxRate = l.rates.maxCoeff();
    if (maxRate == 0.0f)
        return QStringLiteral("never fired at all: fusing it as a linear layer would create "
                              "activity it never had");
    if (maxRate >= options.fusionActivity)
        return QStringLiteral("max firing rate %1 is not below %2")
            .arg(double(maxRate))
            .arg(double(options.fusionActivity));
    if (!options.exactBits.empty())
        return QStringLiteral("spiking: fusing it as if linear is not exact on %1")
            .arg(coreText(options.exactBits));
    return {};
}

} // namespace

void layerFusion(Graph &graph, const PassOptions &options, PassReport &report)
{
    // Fuse one layer at a time and look again: a fused layer may itself qualify.
    std::set<LayerId> refused;
    PassOptions inFloat = options; // what the float pass would fuse: a fusion skipped when exact
    inFloat.exactBits.clear();
    for (;;) {
        const Layer *candidate = nullptr;
        for (const Layer &l : graph.layers()) {
            if (refused.count(l.id))
                continue;
            const QString reason = refusal(graph, l, options);
            if (reason.isEmpty()) {
                candidate = &l;
                break;
            }
            refused.insert(l.id);
            if (!graph.isOutput(l.id))
                report.notes << QStringLiteral("%1: not fused: %2").arg(l.name, reason);
            if (!options.exactBits.empty() && refusal(graph, l, inFloat).isEmpty())
                ++report.skipped;
        }
        if (!candidate)
            break;

        const Layer inner = *candidate;
        const Layer outer = graph.layer(graph.consumers(inner.id).front());
        const bool hasBias = inner.hasBias() || outer.hasBias();
        const std::int64_t fusedParams =
            std::int64_t(outer.neurons()) * inner.inputs() + (hasBias ? outer.neurons() : 0);
        const std::int64_t oldParams = inner.paramCount() + outer.paramCount();
        if (fusedParams > oldParams) {
            refused.insert(inner.id);
            report.notes << QStringLiteral("%1: not fused into %2: the fused layer would have %3 "
                                           "parameters instead of %4")
                                .arg(inner.name, outer.name)
                                .arg(fusedParams)
                                .arg(oldParams);
            continue;
        }

        // outer(inner(x)) = W_o (W_i x + b_i) + b_o, treating `inner` as linear.
        Layer fused = outer;
        fused.name = nameFromText(inner.name + QLatin1Char('+') + outer.name);
        fused.source = inner.source;
        fused.weights = outer.weights * inner.weights;
        if (hasBias) {
            fused.bias = outer.hasBias() ? outer.bias : Eigen::VectorXf::Zero(outer.neurons());
            if (inner.hasBias())
                fused.bias += outer.weights * inner.bias;
        }
        if (inner.neuron.spiking)
            report.warnings << QStringLiteral(
                                   "%1 fired at most %2 per step and was fused into %3 as "
                                   "if it were linear: the network's function changes; "
                                   "measure accuracy")
                                   .arg(inner.name)
                                   .arg(double(inner.rates.maxCoeff()))
                                   .arg(outer.name);
        report.layers.push_back(LayerChange{
            .layer = inner.name,
            .layerId = inner.id,
            .neuronsBefore = inner.neurons(),
            .neuronsAfter = 0,
            .fusedInto = fused.name,
            .neurons = NeuronMap(std::size_t(inner.neurons()), {NeuronFate::Fused, -1})});
        report.layers.push_back(
            LayerChange{.layer = outer.name,
                        .layerId = outer.id,
                        .neuronsBefore = outer.neurons(),
                        .neuronsAfter = outer.neurons(),
                        .fusedInto = fused.name,
                        .neurons = removalMap(outer.neurons(), {}, NeuronFate::Removed)});
        ++report.layersFused;
        graph.removeLayer(inner.id);
        graph.layer(outer.id) = std::move(fused); // keeps the id, so consumers stay connected
    }
}

} // namespace snn::passes
