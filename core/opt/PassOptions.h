#pragma once

// The thresholds of the passes (docs/passes.md): what deadNeuronElimination, redundancyElimination
// and layerFusion read. optimize() takes them inside OptimizeOptions (opt/Optimizer.h).

namespace snn {

struct PassOptions {
    // dead_neuron_elimination: hidden neurons with a firing rate <= this are removed.
    float deadThreshold = 0.0f;
    // redundancy_elimination: merge when cosine similarity of fan-in weights > similarity and
    // the weight norms (and biases) agree within normTolerance (relative).
    float similarity = 0.99f;
    float normTolerance = 0.01f;
    // layer_fusion: a hidden layer fires at most this often (max rate) to count as nearly silent.
    float fusionActivity = 0.01f;
    // Worker threads of the redundancy pass (0: all cores); its result does not depend on them.
    int threads = 0;

    // Throws Error naming the option that is out of range.
    void validate() const;
};

} // namespace snn
