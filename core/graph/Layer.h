#pragma once

#include "base/EnumNames.h"

#include <Eigen/Core>
#include <QPointF>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace snn {

using LayerId = int;
// The source id of a layer fed by the network input.
inline constexpr LayerId kNetworkInput = 0;

// LIF: v = beta v + I; IF: LIF with beta = 1; CubaLIF: a synaptic current filters the input
// first, i = alpha i + I, v = beta v + i (NIR's CubaLIF, snnTorch's Synaptic, Norse's LIFCell).
enum class NeuronType { LIF, IF, CubaLIF };
// How a spiking neuron resets after a spike (core/sim/Dynamics.h):
// Subtract: v -= threshold at once (Norse's reset_subtract; snnTorch's reset_delay=False but for
// a membrane still above threshold after its reset, docs/nir.md);
// Zero: v = resetValue at once (NIR's v_reset; snnTorch's "zero" with resetValue 0);
// SubtractNext: the threshold is subtracted at the next step, m[t] = beta m[t-1] + I[t] -
// s[t-1] threshold (snnTorch's default, reset_delay=True);
// SubtractNoDelay: snnTorch's reset_delay=False, exactly: subtract, but a membrane still above
// threshold after its reset needs beta v + I > 2 threshold to spike again (docs/simulation.md);
// ZeroNext: the step after a spike sets v = resetValue in place of its update, losing that step's
// input (snnTorch's Synaptic with reset_mechanism="zero"; the synaptic current keeps its value).
enum class ResetMode { Subtract, Zero, SubtractNext, SubtractNoDelay, ZeroNext };
// When a membrane spikes: Above, v > threshold (NIR, snnTorch, Norse); AtOrAbove, v >= threshold
// (Sinabs).
enum class Firing { Above, AtOrAbove };

// The names in files, on the command line and in the studio; the reset modes in the enum's order.
inline constexpr EnumNames<NeuronType, 3> kNeuronTypeNames({{NeuronType::LIF, "LIF"},
                                                            {NeuronType::IF, "IF"},
                                                            {NeuronType::CubaLIF, "CubaLIF"}});
inline constexpr EnumNames<ResetMode, 5>
    kResetModeNames({{ResetMode::Subtract, "subtract"},
                     {ResetMode::Zero, "zero"},
                     {ResetMode::SubtractNext, "subtract-next"},
                     {ResetMode::SubtractNoDelay, "subtract-nodelay"},
                     {ResetMode::ZeroNext, "zero-next"}});
inline constexpr EnumNames<Firing, 2> kFiringNames({{Firing::Above, "above"},
                                                    {Firing::AtOrAbove, "at-or-above"}});
QString toString(NeuronType type);
QString toString(ResetMode mode);
QString toString(Firing firing);
// Whether a reset sets the membrane to resetValue (zero, zero-next) rather than subtracting.
inline bool resetsToValue(ResetMode mode)
{
    return mode == ResetMode::Zero || mode == ResetMode::ZeroNext;
}

struct NeuronParams;
// The reset as a user reads it: "subtract", "zero", "zero to -0.5", "subtract-next",
// "subtract-nodelay", "zero-next".
QString resetDescription(const NeuronParams &params);

// Layer::ratesSource of rates that were made up, not measured (the built-in example's).
inline const QString kSyntheticRates = QStringLiteral("synthetic");

// Discrete-time neuron parameters of a layer (Layer::perNeuron holds those that differ between
// its neurons). Each step: (CubaLIF: i = alpha * i + W s + b, the current below) v = beta * v +
// W s + b; spike when v > threshold (v >= threshold with Firing::AtOrAbove); then reset
// (subtract: v -= threshold; zero: v = resetValue; subtract-next, subtract-nodelay, zero-next: see
// ResetMode). IF is LIF with beta = 1. Membranes start at `initial`, synaptic currents at 0.
struct NeuronParams {
    NeuronType type = NeuronType::LIF;
    float threshold = 1.0f;
    float beta = 0.9f;
    ResetMode reset = ResetMode::Subtract;
    // A non-spiking layer passes its input current W s + b straight on (a linear layer).
    bool spiking = true;
    // The membrane value after a zero or zero-next reset (NIR's v_reset); 0 for the other modes.
    float resetValue = 0.0f;
    // CubaLIF: the synaptic current's decay per step, in [0, 1]; 0 for LIF and IF.
    float alpha = 0.0f;
    Firing firing = Firing::Above;
    // The membrane at the first step of every sample (Norse starts at v_leak).
    float initial = 0.0f;

    bool operator==(const NeuronParams &) const = default;
};

// Neuron values that differ between the neurons of a layer (learned per neuron in snnTorch; NIR
// stores every parameter per neuron): one entry per neuron, or empty when every neuron has the
// layer's NeuronParams value (which then is that of the first neuron).
struct PerNeuron {
    Eigen::VectorXf beta, threshold, alpha, initial;

    bool isEmpty() const
    {
        return beta.size() == 0 && threshold.size() == 0 && alpha.size() == 0 &&
               initial.size() == 0;
    }
    // The vectors as (name in files and messages, vector), in a fixed order.
    std::array<std::pair<const char *, Eigen::VectorXf *>, 4> fields()
    {
        return {{{"beta", &beta},
                 {"threshold", &threshold},
                 {"alpha", &alpha},
                 {"initial_membrane", &initial}}};
    }
    std::array<std::pair<const char *, const Eigen::VectorXf *>, 4> fields() const
    {
        return {{{"beta", &beta},
                 {"threshold", &threshold},
                 {"alpha", &alpha},
                 {"initial_membrane", &initial}}};
    }
};

// One fully connected layer of neurons. weights is [neurons x inputs], one row per neuron
// (the PyTorch and NIR convention). bias and rates are either empty or one entry per neuron.
struct Layer {
    LayerId id = 0; // stable within a graph, never kNetworkInput
    LayerId source = kNetworkInput;
    QString name;
    NeuronParams neuron;
    PerNeuron perNeuron;
    Eigen::MatrixXf weights;
    Eigen::VectorXf bias;  // empty: no bias
    Eigen::VectorXf rates; // empty: not measured; else spikes per time step in [0, 1]
    // Where the rates come from: kSyntheticRates, "measured: <data set>, <split>, <N> samples,
    // <encoding>, T=<steps>" (sim::measuredRatesSource), or empty when the file did not say.
    QString ratesSource;
    std::optional<QPointF> position; // where the studio's canvas shows the layer

    int neurons() const { return int(weights.rows()); }
    int inputs() const { return int(weights.cols()); }
    bool hasBias() const { return bias.size() > 0; }
    bool hasRates() const { return rates.size() > 0; }
    bool hasSyntheticRates() const { return hasRates() && ratesSource == kSyntheticRates; }
    std::int64_t paramCount() const { return std::int64_t(weights.size()) + bias.size(); }

    // Neuron n's beta, threshold, alpha and initial membrane (per neuron or the layer's).
    float beta(int n) const { return perNeuron.beta.size() ? perNeuron.beta(n) : neuron.beta; }
    float threshold(int n) const
    {
        return perNeuron.threshold.size() ? perNeuron.threshold(n) : neuron.threshold;
    }
    float alpha(int n) const { return perNeuron.alpha.size() ? perNeuron.alpha(n) : neuron.alpha; }
    float initial(int n) const
    {
        return perNeuron.initial.size() ? perNeuron.initial(n) : neuron.initial;
    }
    // The neuron values as a user reads them: "threshold 1, beta 0.9" ("beta 0.5 to 0.98 per
    // neuron" where they differ), then "alpha 0.8" (CubaLIF), "fires at v >= threshold" and
    // "starts at 0.2" where not the defaults.
    QString neuronValuesText() const;
    // Whether neurons a and b have the same beta, threshold, alpha and initial membrane.
    bool sameNeuronValues(int a, int b) const;
    // Sets the per-neuron `values` of one PerNeuron field (its name as in fields()): kept as a
    // vector when they differ, else as the layer's NeuronParams value with the vector cleared.
    void setPerNeuron(const char *field, const Eigen::VectorXf &values);

    // Remove neuron rows (sorted ascending, unique) from weights, bias, rates and the per-neuron
    // values.
    void removeNeurons(const std::vector<int> &neurons);
    // Remove input columns (sorted ascending, unique) from weights.
    void removeInputs(const std::vector<int> &inputs);
};

} // namespace snn
