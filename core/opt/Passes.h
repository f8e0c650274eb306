#pragma once

// The passes behind optimize(); each changes `graph` in place and fills the counts, layer changes,
// notes and warnings of `report` (optimize() fills the sizes before and after).

#include "base/RunControl.h"
#include "graph/Graph.h"
#include "opt/PassOptions.h"
#include "opt/Report.h"

#include <functional>

namespace snn::passes {

void deadNeuronElimination(Graph &graph, const PassOptions &options, PassReport &report);
void redundancyElimination(Graph &graph, const PassOptions &options, const RunControl &control,
                           PassReport &report);
void layerFusion(Graph &graph, const PassOptions &options, PassReport &report);

// The deployed core's figures of a graph (optimize() gives eval::hardwareFigures at the deployed
// width with the cycles measured on the validation samples, when there are some).
using FiguresOf = std::function<eval::HardwareFigures(const Graph &, const RunControl &)>;
// neuron_pruning (docs/passes.md): removes the least important hidden neurons until every budget
// of `options` is met on `figures`. A neuron's importance is its firing rate times the norm of its
// outgoing weights, over its layer's mean; it is weighed against what a neuron of its layer saves
// in the budgeted figures (measured by removing a few of the layer's least important), and the
// fewest neurons in that order that meet the budgets go (each layer keeps one). Throws Error when
// no budget is set; a budget that cannot be met removes nothing and warns.
void neuronPruning(Graph &graph, const PassOptions &options, const FiguresOf &figures,
                   const RunControl &control, PassReport &report);

// Removes neurons (sorted, unique) from a layer, and the matching input columns from every layer
// it feeds.
void removeNeurons(Graph &graph, LayerId id, const std::vector<int> &neurons);

// The neuron map of a layer of `count` neurons that loses `gone` (sorted, unique) with the
// given fate: the others keep their order.
NeuronMap removalMap(int count, const std::vector<int> &gone, NeuronFate::Kind fate);

// Groups near-identical neurons of a weight matrix: returns for each neuron the index of the
// neuron it merges into, or its own index for a keeper. Each merged neuron satisfies the
// criteria directly with its keeper, which is the lowest index of its group. The similarities come
// from OpenBLAS on `threads` threads (0: all cores); the result does not depend on the count.
// Only neurons whose norms are within the tolerance are compared; their similar pairs are held
// (`pairBudget` of them at most, 0: about as many as a block of the Gram matrix holds floats)
// until all are known; a layer with more goes through the whole triangle instead.
std::vector<int> findRedundantNeurons(const Eigen::MatrixXf &weights, const Eigen::VectorXf &bias,
                                      float similarity, float normTolerance,
                                      const RunControl &control = {}, int threads = 0,
                                      std::size_t pairBudget = 0);

} // namespace snn::passes
