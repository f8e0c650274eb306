#pragma once

// Fixed-point quantisation of a graph for the iCE40 core, and the bit-accurate integer model of
// exactly what the generated hardware computes (docs/hardware.md states the arithmetic).

#include "graph/Graph.h"

#include <cstdint>
#include <vector>

namespace snn::hw {

struct QuantConfig {
    int weightBits = 8;           // signed weights, 2..8 bits
    int membraneBits = 16;        // saturating signed membrane, 8..24 bits
    int steps = 16;               // time steps per sample, 1..255
    std::uint32_t seed = 0xACE1u; // input generator seed, reloaded for every sample (non-zero)
    // Per layer, the weight magnitude that maps to qmax is this percentile of |W| (100: the
    // largest); larger weights clamp to +-qmax. 50..100.
    double clipPercentile = 100.0;

    void validate() const; // throws Error naming the setting out of range
    bool operator==(const QuantConfig &) const = default;
};

// One layer in the integer domain: every value is in units of 1/scale of the float model.
struct QuantLayer {
    QString name;
    int inputs = 0;
    int neurons = 0;
    double scale = 1.0;       // integer units per float unit: qmax / max|W|
    std::vector<int> weights; // [neurons x inputs] row-major, each in [-qmax, qmax]
    std::vector<int> bias;    // one per neuron (zeros when the layer has none)
    int threshold = 1;        // >= 1
    int leakShift = 0;        // 0: no leak (IF); k >= 1: v -= v >>> k (beta = 1 - 2^-k)
    ResetMode reset = ResetMode::Subtract;

    int weight(int neuron, int input) const
    {
        return weights[std::size_t(neuron) * std::size_t(inputs) + std::size_t(input)];
    }
};

struct QuantizedNetwork {
    QuantConfig config;
    int inputSize = 0;
    std::vector<QuantLayer> layers;

    int outputSize() const { return layers.empty() ? 0 : layers.back().neurons; }
    // Bits of an output spike counter: enough for `steps`.
    int countBits() const;
};

// Largest weight magnitude for `bits` (symmetric range [-qmax, qmax]).
int maxWeight(int bits);
// Saturates to the signed range of `bits` bits.
std::int64_t saturate(std::int64_t value, int bits);
// Round half away from zero (std::lround), the one rounding used everywhere.
std::int64_t roundToInt(double value);
// The leak shift k for a decay beta: round(-log2(1 - beta)) clamped to [1, membraneBits - 2];
// 0 for beta >= 1 (no leak).
int leakShiftFor(float beta, int membraneBits);

// The magnitude that maps to the largest weight: the `percentile` of |weights| (100: the largest;
// the nearest rank, so a value that occurs in the matrix). 0 for an empty matrix.
double clipMagnitude(const Eigen::MatrixXf &weights, double percentile);

// Integer units per float unit of a layer's weights: maxWeight(bits) / clipMagnitude(weights,
// clipPercentile), or 1 for a matrix of zeros. What quantize() gives QuantLayer::scale.
double weightScale(const Eigen::MatrixXf &weights, const QuantConfig &config);
// A weight on the integer grid of `scale`: round(w * scale) clamped to [-maxWeight, maxWeight].
int quantizeWeight(float weight, double scale, int bits);

// Quantises a chain of spiking layers (input -> L1 -> L2 ... -> output). Throws Error naming the
// layer for anything the hardware cannot compute: branches, non-spiking layers, a threshold or
// bias that does not fit the membrane, a threshold that rounds to zero.
QuantizedNetwork quantize(const Graph &graph, const QuantConfig &config);

// The float graph that computes what `net` (quantised from `graph`) computes: weights w / scale,
// biases b / scale, thresholds theta / scale and, for leaking layers, beta = 1 - 2^-k. It differs
// from the hardware only by the leak's floor and saturation, and quantising it again at the same
// weight width gives `net` back. This is what quantisation-aware training saves.
Graph onGrid(const Graph &graph, const QuantizedNetwork &net);

// The on-chip input generator: 32-bit xorshift (x ^= x << 13; x ^= x >> 17; x ^= x << 5), a
// linear feedback shift register over GF(2) with period 2^32 - 1.
std::uint32_t xorshift32(std::uint32_t x);
// Input values in [0, 1] to 8-bit intensities round(x * 255) (values outside are clamped).
std::vector<std::uint8_t> intensities(const Eigen::VectorXf &values);
// The spike train the hardware generates from intensities: [steps x inputs] of 0/1. For each step
// and each input in order the generator advances once and the input spikes when its top byte is
// below the intensity.
Eigen::MatrixXf inputSpikes(const QuantConfig &config, const std::vector<std::uint8_t> &input);

struct ModelResult {
    std::vector<int> counts; // output spikes per output neuron over all steps
    int predicted = 0;       // the neuron with most spikes; a tie goes to the lowest index
};

// What every layer did at every time step of one sample, for a testbench that checks inside.
struct ModelTrace {
    // [step][layer][neuron]: the spikes of the layer's sweep, the membranes the sweep read (after
    // the step's events) and the membranes it wrote (after reset, leak and the next step's bias).
    std::vector<std::vector<std::vector<char>>> spikes;
    std::vector<std::vector<std::vector<std::int32_t>>> accumulated;
    std::vector<std::vector<std::vector<std::int32_t>>> membranes;
    std::vector<int> inputSpikes;          // [step]: how many inputs the generator made spike
    std::vector<std::vector<char>> inputs; // [step][input]: the generator's spikes
};

// The bit-accurate model of one sample: what the generated hardware answers. With `trace`, also
// every layer's spikes and membranes at every step. Each layer adds a step's input as one exact
// sum: v = sat(v + the sum of the weights of the sources that spiked).
ModelResult runModel(const QuantizedNetwork &net, const std::vector<std::uint8_t> &input,
                     ModelTrace *trace = nullptr);

// The bit-accurate model made once for many samples, one at a time (one runner per thread; `net`
// must outlive it). Each layer's weights are kept by input: the column a source spike adds to
// every neuron's sum. Sums fit 32 bits: at most 2^24 sources of 8-bit weights.
class ModelRunner {
public:
    explicit ModelRunner(const QuantizedNetwork &net);
    // As runModel(net, input, trace). Throws Error when the sample's size is not the network's.
    ModelResult run(const std::vector<std::uint8_t> &input, ModelTrace *trace = nullptr);

private:
    // run() with or without the trace: without, its bookkeeping is compiled out of the loops (the
    // batch path of eval::quantizedPredictions is about 1.5 times as fast).
    template <bool Traced>
    ModelResult sample(const std::vector<std::uint8_t> &input, ModelTrace *trace);
    // Layer k's input at one step: the weights of the sources that spiked (m_previous) summed
    // exactly, then v = sat(v + sum).
    void addInput(std::size_t k);

    const QuantizedNetwork &m_net;
    const std::int32_t m_hi;
    const std::int32_t m_lo;
    std::vector<std::vector<std::int32_t>> m_columns; // per layer: [inputs x neurons]
    std::vector<std::vector<std::int32_t>> m_v;       // per layer: membranes
    std::vector<char> m_previous;                     // spikes of the previous layer this step
    std::vector<char> m_current;
    std::vector<std::int32_t> m_sum; // a layer's input at this step
};

// Class = most spikes, tie to the lowest index (the hardware's rule).
int argmaxLowest(const std::vector<int> &counts);

} // namespace snn::hw
