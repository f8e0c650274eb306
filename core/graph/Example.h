#pragma once

#include "graph/Graph.h"

namespace snn {

// The seed tutorial's network, 784-256-64-10 LIF layers without biases: Gaussian weights scaled
// 0.05 / 0.1 / 0.2, firing rates uniform x 0.2 / 0.15 / 0.5, the first 30 neurons of hidden1 dead
// (rate exactly 0); the rates are marked synthetic (Layer::ratesSource). 217,728 parameters. The
// same seed always gives the same graph.
inline constexpr std::uint64_t kExampleSeed = 42;
Graph exampleGraph(std::uint64_t seed = kExampleSeed);

} // namespace snn
