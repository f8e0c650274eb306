#pragma once

#include "Graph.h"

#include <vector>

namespace snn {

// Reference discrete-time simulation of one input sequence, straight from the graph's declared
// dynamics (Layer.h): per step and layer in topological order, I = W x + b, then for a spiking
// layer v = beta v + I, s = (v > threshold), reset (subtract: v -= threshold; zero: v = 0);
// a non-spiking layer outputs I. `input` is [steps x inputSize], one row per time step.
// Returns each layer's output per step, [steps x neurons], in graph layer order.
std::vector<Eigen::MatrixXf> simulate(const Graph &graph, const Eigen::MatrixXf &input);

} // namespace snn
