#pragma once

// The one definition of a spiking neuron's step (core/graph/Layer.h), shared by the simulation
// engine and the trainer's forward pass so that both run exactly the same dynamics.

#include "graph/Layer.h"
#include "sim/Kernels.h"

#include <vector>

namespace snn::sim {

// One time step of one neuron, starting from the membrane potential v the previous step left:
// subtract:      v = beta v + current; spike when v > threshold; then v -= threshold;
// zero:          v = beta v + current; spike when v > threshold; then v = resetValue;
// subtract-next: v = beta v + current - (threshold if the previous v > threshold); spike when
//                v > threshold; v keeps its value (snnTorch's reset_delay=True, in its order of
//                operations: (beta v + current) - threshold);
// subtract-nodelay: snnTorch's reset_delay=False, in its order of operations: r = (the previous
//                v > threshold); m = (beta v + current) - r threshold; spike when m > threshold;
//                v = m - (spike - r) threshold. It is subtract (v = beta v + current - spike
//                threshold) but for a membrane left above threshold, which needs beta v +
//                current > 2 threshold to spike again.
// Returns whether it spiked; `pre`, when given, receives the membrane potential before the reset
// (what the trainer's surrogate gradient looks at; m for subtract-nodelay). v starts at 0.
inline bool neuronStep(float &v, float current, const NeuronParams &p, float *pre = nullptr)
{
    const bool above = v > p.threshold;
    const bool delayed =
        p.reset == ResetMode::SubtractNext || p.reset == ResetMode::SubtractNoDelay;
    v = p.beta * v + current - (delayed && above ? p.threshold : 0.0f);
    if (pre)
        *pre = v;
    const bool spike = v > p.threshold;
    if (p.reset == ResetMode::SubtractNoDelay) {
        if (spike != above)
            v = spike ? v - p.threshold : v + p.threshold;
        return spike;
    }
    if (!spike)
        return false;
    if (p.reset == ResetMode::Subtract)
        v -= p.threshold;
    else if (p.reset == ResetMode::Zero)
        v = p.resetValue;
    return true;
}

// One time step of a layer of `count` neurons: neuronStep on each, the indices that spiked in
// `spiked` (ascending); `spike` is room for `count` values.
inline void layerStep(float *v, const float *current, int count, const NeuronParams &p,
                      float *spike, std::vector<int> &spiked)
{
    spiked.resize(std::size_t(count));
    std::size_t spikes = 0;
    if (p.reset == ResetMode::Subtract) {
        subtractStep(v, current, count, p.beta, p.threshold, spike);
        for (int n = 0; n < count; ++n) {
            spiked[spikes] = n;
            spikes += spike[n] != 0.0f;
        }
    } else {
        for (int n = 0; n < count; ++n) {
            spiked[spikes] = n;
            spikes += neuronStep(v[n], current[n], p);
        }
    }
    spiked.resize(spikes);
}

} // namespace snn::sim
