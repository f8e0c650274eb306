#pragma once

// The thresholds of the passes (docs/passes.md): what deadNeuronElimination,
// redundancyElimination, layerFusion and neuronPruning read. optimize() takes them inside
// OptimizeOptions (opt/Optimizer.h).

#include "hw/Quantizer.h"

#include <vector>

namespace snn {

// A neuron_pruning budget: an absolute figure, or a percentage of the input graph's (0: none).
struct PruningBudget {
    double value = 0.0;
    bool percent = false;

    bool isSet() const { return value > 0.0; }
    // The figure to reach for a graph whose figure is `original`.
    double limit(double original) const { return percent ? original * value / 100.0 : value; }
    // "60% of the original", "88,000"
    QString text() const;
};

struct PassOptions {
    // dead_neuron_elimination: hidden neurons with a firing rate <= this are removed.
    float deadThreshold = 0.0f;
    // redundancy_elimination: merge when cosine similarity of fan-in weights > similarity and
    // the weight norms (and biases) agree within normTolerance (relative).
    float similarity = 0.99f;
    float normTolerance = 0.01f;
    // layer_fusion: a hidden layer fires at most this often (max rate) to count as nearly silent.
    float fusionActivity = 0.01f;
    // neuron_pruning: the least important hidden neurons go until every budget set is met, each
    // on the hardware figures of the deployed core (eval::hardwareFigures): cycles per inference
    // (measured on the validation set), stored weight Kbit, estimated logic cells.
    PruningBudget budgetCycles;
    PruningBudget budgetKbit;
    PruningBudget budgetLogicCells;
    // Worker threads of the redundancy pass (0: all cores); its result does not depend on them.
    int threads = 0;

    // The FPGA core the passes keep exact (docs/passes.md, "Exact on the core"): at each of these
    // weight widths (with `hardware`'s clipping percentile), no pass changes what the bit-accurate
    // model computes: merges and removals work on the core's integer grid and keep every layer's
    // scale; what cannot be exact is skipped, counted and its reason noted. Empty: the float
    // passes (a merge exact in float).
    std::vector<int> exactBits;
    // The core's settings: membrane, steps, seed, clipping (its weight bits are replaced by each
    // width kept exact or measured).
    hw::QuantConfig hardware;

    // Throws Error naming the option that is out of range.
    void validate() const;
};

} // namespace snn
