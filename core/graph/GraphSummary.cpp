#include "graph/GraphSummary.h"

namespace snn {

std::int64_t GraphSummary::totalNeurons() const
{
    std::int64_t n = 0;
    for (const LayerSummary &l : layers)
        n += l.neurons;
    return n;
}

std::int64_t GraphSummary::totalParams() const
{
    std::int64_t n = 0;
    for (const LayerSummary &l : layers)
        n += l.paramCount();
    return n;
}

QString GraphSummary::description() const
{
    return QStringLiteral("%1, %2, %3, %4")
        .arg(layersText(qsizetype(layers.size())), countText(inputSize, "input"),
             countText(totalNeurons(), "neuron"), countText(totalParams(), "parameter"));
}

GraphSummary summarize(const Graph &graph)
{
    GraphSummary summary;
    summary.inputSize = graph.inputSize();
    for (const Layer &l : graph.layers()) {
        LayerSummary s{.layer = l,
                       .source = graph.sourceName(l),
                       .neurons = l.neurons(),
                       .inputs = l.inputs(),
                       .output = graph.isOutput(l.id)};
        s.layer.weights.resize(0, 0);
        summary.layers.push_back(std::move(s));
    }
    return summary;
}

} // namespace snn
