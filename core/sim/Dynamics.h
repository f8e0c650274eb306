#pragma once

// The one definition of a spiking neuron's step (core/Layer.h), shared by the simulation engine
// and the trainer's forward pass so that both run exactly the same dynamics.

#include "Layer.h"

namespace snn::sim {

// One time step of one neuron: v = beta v + current; spike when v > threshold; then reset
// (subtract: v -= threshold; zero: v = 0). Returns whether it spiked; `pre`, when given, receives
// the membrane potential before the reset (what the trainer's surrogate gradient looks at).
inline bool neuronStep(float &v, float current, const NeuronParams &p, float *pre = nullptr)
{
    v = p.beta * v + current;
    if (pre)
        *pre = v;
    if (!(v > p.threshold))
        return false;
    v = p.reset == ResetMode::Subtract ? v - p.threshold : 0.0f;
    return true;
}

} // namespace snn::sim
