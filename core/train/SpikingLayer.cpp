#include "train/SpikingLayer.h"

#include "base/Matrix.h"
#include "sim/Dynamics.h"

#include <cmath>

namespace snn::sim {

using Matrix = Eigen::MatrixXf;

namespace {

// Calls f(betaAt, thresholdAt) with functions of the neuron index giving its beta and threshold:
// constants for a layer with one of each (so the loops keep them in registers), else lookups.
template <typename F> void withNeuronValues(const Layer &layer, F &&f)
{
    if (layer.perNeuron.beta.size() == 0 && layer.perNeuron.threshold.size() == 0) {
        const float beta = layer.neuron.beta, threshold = layer.neuron.threshold;
        f([beta](Eigen::Index) { return beta; }, [threshold](Eigen::Index) { return threshold; });
    } else {
        f([&layer](Eigen::Index i) { return layer.beta(int(i)); },
          [&layer](Eigen::Index i) { return layer.threshold(int(i)); });
    }
}

// One step of neuron i with the smooth spike function (gradient checks): subtract-next subtracts
// the previous step's (smooth) spike now; subtract-nodelay the threshold when the membrane was
// left above it (a step, detached as snnTorch's reset), and the rest of the spike; zero-next
// weighs its update and the reset value by the previous step's (smooth) spike `previous`
// (`leftAbove` at the first step). `update` receives beta v + c. Returns S(v - threshold).
float smoothStep(float &vi, float c, const NeuronParams &p, float beta, float threshold, float k,
                 float previous, bool first, float leftAbove, float &pre, float &update)
{
    const bool left = fires(vi, threshold, p.firing);
    const auto spike = [&](float u) {
        const float xr = u - threshold;
        return 0.5f + xr / (1.0f + k * std::abs(xr));
    };
    if (p.reset == ResetMode::ZeroNext) {
        const float a = first ? leftAbove : previous;
        update = beta * vi + c;
        vi = (1.0f - a) * update + a * p.resetValue;
        pre = vi;
        return spike(vi);
    }
    const float above = p.reset == ResetMode::SubtractNoDelay && left ? 1.0f : 0.0f;
    const float pending =
        p.reset == ResetMode::SubtractNext && !first ? threshold * previous : threshold * above;
    vi = beta * vi + c - pending;
    pre = vi;
    const float sp = spike(vi);
    if (p.reset == ResetMode::Subtract)
        vi -= threshold * sp;
    else if (p.reset == ResetMode::SubtractNoDelay)
        vi -= threshold * (sp - above);
    else if (p.reset == ResetMode::Zero)
        vi = vi * (1.0f - sp) + p.resetValue * sp;
    return sp;
}

// A CubaLIF's synaptic current i[t] = alpha i[t-1] + I[t] carries the gradient of i[t] back to
// I[t] and to i[t-1]: in place, dI[t] = di[t] + alpha dI[t+1].
void synapseBackward(const Layer &layer, int T, int B, Matrix &dI)
{
    for (int t = T - 2; t >= 0; --t)
        for (int b = 0; b < B; ++b) {
            const Eigen::Index col = Eigen::Index(t) * B + b;
            for (Eigen::Index i = 0; i < dI.rows(); ++i)
                dI(i, col) += layer.alpha(int(i)) * dI(i, col + B);
        }
}

} // namespace

void spikingForward(const Layer &layer, const Matrix &current, bool constant, int T, int B,
                    const TrainOptions &options, Matrix &pre, Matrix &out, Matrix &update,
                    Matrix &v, Matrix &syn)
{
    const Eigen::Index n = layer.neurons();
    const float k = options.surrogateSlope;
    resizeSafely(pre, n, Eigen::Index(T) * B);
    resizeSafely(out, n, Eigen::Index(T) * B);
    const bool zeroNext = layer.neuron.reset == ResetMode::ZeroNext;
    resizeSafely(update, zeroNext ? n : 0, zeroNext ? Eigen::Index(T) * B : 0);
    resizeSafely(v, n, B);
    for (int b = 0; b < B; ++b)
        initialMembranes(layer, v.col(b));
    const NeuronParams p = layer.neuron; // a copy: stays in registers across the stores
    const bool cuba = p.type == NeuronType::CubaLIF;
    if (cuba)
        setZeroSafely(syn, n, B);
    const bool subtract = !options.smoothSpikes && subtractKernelFits(layer);
    withNeuronValues(layer, [&](auto betaAt, auto thresholdAt) {
        for (int t = 0; t < T; ++t) {
            for (int b = 0; b < B; ++b) {
                const float *c = &current(0, constant ? b : Eigen::Index(t) * B + b);
                if (cuba) {
                    synapseStep(&syn(0, b), c, layer);
                    c = &syn(0, b);
                }
                const Eigen::Index col = Eigen::Index(t) * B + b;
                if (subtract) {
                    subtractStep(&v(0, b), c, int(n), p.beta, p.threshold, &out(0, col),
                                 &pre(0, col));
                    continue;
                }
                float scratch = 0.0f; // the update, for the other resets
                for (Eigen::Index i = 0; i < n; ++i) {
                    float &vi = v(i, b);
                    float &w = zeroNext ? update(i, col) : scratch;
                    if (options.smoothSpikes) {
                        const float left =
                            fires(layer.initial(int(i)), thresholdAt(i), p.firing) ? 1.0f : 0.0f;
                        out(i, col) = smoothStep(vi, c[i], p, betaAt(i), thresholdAt(i), k,
                                                 t > 0 ? out(i, col - B) : 0.0f, t == 0, left,
                                                 pre(i, col), w);
                        continue;
                    }
                    if (zeroNext)
                        w = betaAt(i) * vi + c[i];
                    out(i, col) = neuronStep(vi, c[i], p, betaAt(i), thresholdAt(i), &pre(i, col))
                                      ? 1.0f
                                      : 0.0f;
                }
            }
        }
    });
}

void spikingBackward(const Layer &layer, const Matrix &pre, const Matrix &out, const Matrix &update,
                     const Matrix &dO, const Matrix &dPre, const TrainOptions &options, int T,
                     int B, Matrix &dNext, Matrix &dI)
{
    const Eigen::Index n = layer.neurons();
    const float k = options.surrogateSlope;
    resizeSafely(dI, n, Eigen::Index(T) * B);
    const NeuronParams p = layer.neuron; // a copy, as in the forward pass
    const bool hasDPre = dPre.size() > 0;
    // dNext: the gradient of the membrane before reset at step t + 1, u[t+1] = beta v[t]
    // + I[t+1] (subtract, zero: v[t] is u[t] after the reset; subtract-nodelay: minus
    // the detached r[t+1] threshold, v[t] = u[t] - (s[t] - r[t]) threshold, so its
    // gradients are subtract's), beta u[t] + I[t+1] - threshold s[t] (subtract-next), or
    // (1 - s[t]) w[t+1] + s[t] reset value with w[t+1] = beta u[t] + I[t+1] (zero-next, whose
    // s[t] is the step "u[t] spikes", or the smooth spike; `update` holds w).
    setZeroSafely(dNext, n, B);
    // The subtract resets, detached (the default): the loop below without its branches,
    // which the compiler vectorises (dv * 1.0f is dv: the same values).
    const bool detachedSubtract = options.detachReset && (p.reset == ResetMode::Subtract ||
                                                          p.reset == ResetMode::SubtractNoDelay);
    withNeuronValues(layer, [&](auto betaAt, auto thresholdAt) {
        for (int t = T - 1; t >= 0; --t) {
            for (int b = 0; b < B; ++b) {
                const Eigen::Index col = Eigen::Index(t) * B + b;
                if (detachedSubtract) {
                    const float *u = &pre(0, col), *dOc = &dO(0, col);
                    const float *dPc = hasDPre ? &dPre(0, col) : nullptr;
                    float *dIc = &dI(0, col), *dN = &dNext(0, b);
                    for (Eigen::Index i = 0; i < n; ++i) {
                        const float a = 1.0f + k * std::abs(u[i] - thresholdAt(i));
                        float du = betaAt(i) * dN[i] + dOc[i] * (1.0f / (a * a));
                        if (dPc)
                            du += dPc[i];
                        dIc[i] = du;
                        dN[i] = du;
                    }
                    continue;
                }
                for (Eigen::Index i = 0; i < n; ++i) {
                    const float u = pre(i, col);
                    const float s = out(i, col);
                    const float beta = betaAt(i), threshold = thresholdAt(i);
                    const float xr = u - threshold;
                    const float a = 1.0f + k * std::abs(xr);
                    const float surrogate = 1.0f / (a * a);
                    float ds = dO(i, col);
                    float du;
                    float dCurrent = 1.0f; // d u[t] / d I[t]
                    if (p.reset == ResetMode::SubtractNext) {
                        if (!options.detachReset)
                            ds -= dNext(i, b) * threshold;
                        du = beta * dNext(i, b) + ds * surrogate;
                    } else if (p.reset == ResetMode::ZeroNext) {
                        // v[t] is u[t]; the step after a spike does not see it.
                        if (!options.detachReset && t + 1 < T)
                            ds += dNext(i, b) * (p.resetValue - update(i, col + B));
                        du = (1.0f - s) * beta * dNext(i, b) + ds * surrogate;
                        const float left =
                            t > 0
                                ? out(i, col - B)
                                : (fires(layer.initial(int(i)), threshold, p.firing) ? 1.0f : 0.0f);
                        dCurrent = 1.0f - left;
                    } else {
                        const float dv = beta * dNext(i, b); // d loss / d v[t]
                        const bool subtract =
                            p.reset == ResetMode::Subtract || p.reset == ResetMode::SubtractNoDelay;
                        if (!options.detachReset)
                            ds += dv * (subtract ? -threshold : p.resetValue - u);
                        du = dv * (subtract ? 1.0f : 1.0f - s) + ds * surrogate;
                    }
                    if (hasDPre)
                        du += dPre(i, col);
                    dI(i, col) = dCurrent * du;
                    dNext(i, b) = du;
                }
            }
        }
    });
    if (p.type == NeuronType::CubaLIF)
        synapseBackward(layer, T, B, dI);
}

} // namespace snn::sim
