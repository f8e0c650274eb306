#pragma once

#include "base/EnumNames.h"

#include <Eigen/Core>
#include <QPointF>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace snn {

using LayerId = int;
// The source id of a layer fed by the network input.
inline constexpr LayerId kNetworkInput = 0;

enum class NeuronType { LIF, IF };
// How a spiking neuron resets after a spike (core/sim/Dynamics.h):
// Subtract: v -= threshold at once (Norse's reset_subtract; snnTorch's reset_delay=False but for
// a membrane still above threshold after its reset, docs/nir.md);
// Zero: v = resetValue at once (NIR's v_reset; snnTorch's "zero" with resetValue 0);
// SubtractNext: the threshold is subtracted at the next step, m[t] = beta m[t-1] + I[t] -
// s[t-1] threshold (snnTorch's default, reset_delay=True);
// SubtractNoDelay: snnTorch's reset_delay=False, exactly: subtract, but a membrane still above
// threshold after its reset needs beta v + I > 2 threshold to spike again (docs/simulation.md).
enum class ResetMode { Subtract, Zero, SubtractNext, SubtractNoDelay };

// The names in files, on the command line and in the studio; the reset modes in the enum's order.
inline constexpr EnumNames<NeuronType, 2> kNeuronTypeNames({{NeuronType::LIF, "LIF"},
                                                            {NeuronType::IF, "IF"}});
inline constexpr EnumNames<ResetMode, 4>
    kResetModeNames({{ResetMode::Subtract, "subtract"},
                     {ResetMode::Zero, "zero"},
                     {ResetMode::SubtractNext, "subtract-next"},
                     {ResetMode::SubtractNoDelay, "subtract-nodelay"}});
QString toString(NeuronType type);
QString toString(ResetMode mode);

struct NeuronParams;
// The reset as a user reads it: "subtract", "zero", "zero to -0.5", "subtract-next",
// "subtract-nodelay".
QString resetDescription(const NeuronParams &params);

// Layer::ratesSource of rates that were made up, not measured (the built-in example's).
inline const QString kSyntheticRates = QStringLiteral("synthetic");

// Discrete-time neuron parameters shared by every neuron of a layer.
// Each step: v = beta * v + W s + b; spike when v > threshold; then reset (subtract: v -=
// threshold; zero: v = resetValue; subtract-next, subtract-nodelay: see ResetMode). IF is LIF
// with beta = 1.
struct NeuronParams {
    NeuronType type = NeuronType::LIF;
    float threshold = 1.0f;
    float beta = 0.9f;
    ResetMode reset = ResetMode::Subtract;
    // A non-spiking layer passes its input current W s + b straight on (a linear layer).
    bool spiking = true;
    // The membrane value after a zero reset (NIR's v_reset); 0 for the other modes.
    float resetValue = 0.0f;

    bool operator==(const NeuronParams &) const = default;
};

// One fully connected layer of neurons. weights is [neurons x inputs], one row per neuron
// (the PyTorch and NIR convention). bias and rates are either empty or one entry per neuron.
struct Layer {
    LayerId id = 0; // stable within a graph, never kNetworkInput
    LayerId source = kNetworkInput;
    QString name;
    NeuronParams neuron;
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

    // Remove neuron rows (sorted ascending, unique) from weights, bias and rates.
    void removeNeurons(const std::vector<int> &neurons);
    // Remove input columns (sorted ascending, unique) from weights.
    void removeInputs(const std::vector<int> &inputs);
};

} // namespace snn
