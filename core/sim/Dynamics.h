#pragma once

// The one definition of a spiking neuron's step (core/graph/Layer.h), shared by the simulation
// engine and the trainer's forward pass so that both run exactly the same dynamics.

#include "graph/Layer.h"
#include "sim/Kernels.h"

#include <vector>

namespace snn::sim {

// Whether a membrane v spikes at `threshold`: v > threshold, or v >= threshold (Firing).
inline bool fires(float v, float threshold, Firing firing)
{
    return firing == Firing::Above ? v > threshold : v >= threshold;
}

// One time step of one neuron with the given beta and threshold (its own, or the layer's),
// starting from the membrane potential v the previous step left ("spikes" below is fires()):
// subtract:      v = beta v + current; spike when v spikes; then v -= threshold;
// zero:          v = beta v + current; spike when v spikes; then v = resetValue;
// subtract-next: v = beta v + current - (threshold if the previous v spiked); spike when v
//                spikes; v keeps its value (snnTorch's reset_delay=True, in its order of
//                operations: (beta v + current) - threshold);
// subtract-nodelay: snnTorch's reset_delay=False, in its order of operations: r = (the previous
//                v spiked); m = (beta v + current) - r threshold; spike when m spikes;
//                v = m - (spike - r) threshold. It is subtract (v = beta v + current - spike
//                threshold) but for a membrane left above threshold, which needs beta v +
//                current > 2 threshold to spike again;
// zero-next:     when the previous v spiked, v = resetValue (this step's current is lost), else
//                v = beta v + current; spike when v spikes; v keeps its value (snnTorch's
//                Synaptic with reset_mechanism="zero": mem - mem * reset).
// Returns whether it spiked; `pre`, when given, receives the membrane potential before the reset
// (what the trainer's surrogate gradient looks at; m for subtract-nodelay). v starts at the
// layer's initial membrane (NeuronParams::initial).
inline bool neuronStep(float &v, float current, const NeuronParams &p, float beta, float threshold,
                       float *pre = nullptr)
{
    const bool above = fires(v, threshold, p.firing);
    if (p.reset == ResetMode::ZeroNext && above) {
        v = p.resetValue;
        if (pre)
            *pre = v;
        return fires(v, threshold, p.firing);
    }
    const bool delayed =
        p.reset == ResetMode::SubtractNext || p.reset == ResetMode::SubtractNoDelay;
    v = beta * v + current - (delayed && above ? threshold : 0.0f);
    if (pre)
        *pre = v;
    const bool spike = fires(v, threshold, p.firing);
    if (p.reset == ResetMode::SubtractNoDelay) {
        if (spike != above)
            v = spike ? v - threshold : v + threshold;
        return spike;
    }
    if (!spike)
        return false;
    if (p.reset == ResetMode::Subtract)
        v -= threshold;
    else if (p.reset == ResetMode::Zero)
        v = p.resetValue;
    return true;
}

// neuronStep with the layer's beta and threshold.
inline bool neuronStep(float &v, float current, const NeuronParams &p, float *pre = nullptr)
{
    return neuronStep(v, current, p, p.beta, p.threshold, pre);
}

// Whether a layer's neurons take the vectorised subtract step (subtractStep): the subtract reset,
// spikes above the threshold, one beta and one threshold for the layer.
inline bool subtractKernelFits(const Layer &l)
{
    return l.neuron.reset == ResetMode::Subtract && l.neuron.firing == Firing::Above &&
           l.perNeuron.beta.size() == 0 && l.perNeuron.threshold.size() == 0;
}

// A CubaLIF layer's synaptic currents for one step: i = alpha i + current, per neuron.
inline void synapseStep(float *i, const float *current, const Layer &l)
{
    const int count = l.neurons();
    if (l.perNeuron.alpha.size() > 0) {
        const float *alpha = l.perNeuron.alpha.data();
        for (int n = 0; n < count; ++n)
            i[n] = alpha[n] * i[n] + current[n];
    } else {
        const float alpha = l.neuron.alpha;
        for (int n = 0; n < count; ++n)
            i[n] = alpha * i[n] + current[n];
    }
}

// One time step of layer l: for CubaLIF first its synaptic currents `syn` (synapseStep, which
// then are the neurons' current), then neuronStep on each neuron, the indices that spiked in
// `spiked` (ascending); `spike` is room for l.neurons() values.
inline void layerStep(float *v, float *syn, const float *current, const Layer &l, float *spike,
                      std::vector<int> &spiked)
{
    const int count = l.neurons();
    const NeuronParams &p = l.neuron;
    if (p.type == NeuronType::CubaLIF) {
        synapseStep(syn, current, l);
        current = syn;
    }
    spiked.resize(std::size_t(count));
    std::size_t spikes = 0;
    if (subtractKernelFits(l)) {
        subtractStep(v, current, count, p.beta, p.threshold, spike);
        for (int n = 0; n < count; ++n) {
            spiked[spikes] = n;
            spikes += spike[n] != 0.0f;
        }
    } else if (l.perNeuron.beta.size() == 0 && l.perNeuron.threshold.size() == 0) {
        for (int n = 0; n < count; ++n) {
            spiked[spikes] = n;
            spikes += neuronStep(v[n], current[n], p);
        }
    } else {
        for (int n = 0; n < count; ++n) {
            spiked[spikes] = n;
            spikes += neuronStep(v[n], current[n], p, l.beta(n), l.threshold(n));
        }
    }
    spiked.resize(spikes);
}

// Sets a layer's membranes to their initial values (NeuronParams::initial, per neuron or not).
inline void initialMembranes(const Layer &l, Eigen::Ref<Eigen::VectorXf> v)
{
    if (l.perNeuron.initial.size() > 0)
        v = l.perNeuron.initial;
    else
        v.setConstant(l.neuron.initial);
}

} // namespace snn::sim
