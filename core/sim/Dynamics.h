#pragma once

// The one definition of a spiking neuron's step (core/Layer.h), shared by the simulation engine
// and the trainer's forward pass so that both run exactly the same dynamics.

#include "Layer.h"

namespace snn::sim {

// One time step of one neuron, starting from the membrane potential v the previous step left:
// subtract:      v = beta v + current; spike when v > threshold; then v -= threshold;
// zero:          v = beta v + current; spike when v > threshold; then v = resetValue;
// subtract-next: v = beta v + current - (threshold if the previous v > threshold); spike when
//                v > threshold; v keeps its value (snnTorch's reset_delay=True, in its order of
//                operations: (beta v + current) - threshold).
// Returns whether it spiked; `pre`, when given, receives the membrane potential before the reset
// (what the trainer's surrogate gradient looks at). v starts at 0.
inline bool neuronStep(float &v, float current, const NeuronParams &p, float *pre = nullptr)
{
    const float pending =
        p.reset == ResetMode::SubtractNext && v > p.threshold ? p.threshold : 0.0f;
    v = p.beta * v + current - pending;
    if (pre)
        *pre = v;
    if (!(v > p.threshold))
        return false;
    if (p.reset == ResetMode::Subtract)
        v -= p.threshold;
    else if (p.reset == ResetMode::Zero)
        v = p.resetValue;
    return true;
}

} // namespace snn::sim
