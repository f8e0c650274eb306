#pragma once

#include "graph/Graph.h"

namespace snn {

// What a graph file declares, without its weights (snnc info reads it from the dataset shapes of
// a large file in milliseconds): every layer's attributes, bias and firing rates, and the shape of
// its weights.
struct LayerSummary {
    Layer layer;    // everything but the weights, which stay empty
    QString source; // the source layer's name, "input" for the network input
    int neurons = 0;
    int inputs = 0;
    bool output = false; // feeds no other layer

    std::int64_t paramCount() const { return std::int64_t(neurons) * inputs + layer.bias.size(); }
};

struct GraphSummary {
    int inputSize = 0;
    std::vector<LayerSummary> layers; // in the graph's (topological) order

    std::int64_t totalNeurons() const;
    std::int64_t totalParams() const;
    // "3 layers, 784 inputs, 330 neurons, 218,058 parameters" (snnc info's first line, the
    // studio's recent files).
    QString description() const;
};

GraphSummary summarize(const Graph &graph);

} // namespace snn
