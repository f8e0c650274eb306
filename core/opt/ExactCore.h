#pragma once

// The passes kept exact on the deployed FPGA core (docs/passes.md, "Exact on the core"), for the
// weight widths of PassOptions::exactBits. hw::quantize gives each layer the scale
// maxWeight(bits) / clip, clip being the clipMagnitude of its weights (their largest |w| at the
// default percentile 100), and every weight, bias and threshold on that grid; hw::runModel then
// computes with integers only. So a change is exact on the core when every layer's clip stays (its
// threshold, bias and untouched weights keep their integers) and the integers the model reads are
// the same sums as before. The redundancy pass's candidates come from its similarity search
// (findRedundantNeurons); what is decided here is which of them keep the core exact.

#include "graph/Graph.h"
#include "opt/PassOptions.h"

#include <QStringList>

#include <vector>

namespace snn::passes {

// Merges, on the core's integer grid, each neuron j of layer `id` into keeper[j] (j itself: not
// merged) where that keeps the core exact at every width of options.exactBits: j and its keeper
// have the same integer fan-in weights and bias at every width (so they spike alike on any input),
// each consumer's keeper column becomes, at every width, q(keeper) + q(j) within the weight range
// (the float weight nearest the float sum that rounds to those sums at every width, never beyond
// the consumer's clip), and no clip moves. The merged neurons' columns stay for the caller to
// remove. A candidate that fails is not merged: keeper[j] becomes j and `notes` gets a line saying
// why. Returns the merged neurons, ascending.
std::vector<int> mergeExactly(Graph &graph, LayerId id, std::vector<int> &keeper,
                              const PassOptions &options, QStringList &notes);

// The neurons of `gone` (ascending) that layer `id` can lose (its rows, and its columns in every
// consumer) with every clip kept: at the percentile 100, the lowest of them holding a matrix's
// only largest |w| stays; at a lower percentile, all stay when removing them moves a clip.
// `notes` gets a line for each neuron or set kept. Returns what may go, ascending.
std::vector<int> removableExactly(const Graph &graph, LayerId id, std::vector<int> gone,
                                  const PassOptions &options, QStringList &notes);

// "the 4-bit core", "the 8- and 4-bit cores"
QString coreText(const std::vector<int> &bits);

} // namespace snn::passes
