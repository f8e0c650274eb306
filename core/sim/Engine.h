#pragma once

// The batched, multi-threaded simulation engine (docs/simulation.md). It runs a data set through
// a graph with the dynamics of core/graph/Layer.h (sim/Dynamics.h), one sample per thread at a
// time, and counts spikes. Results depend only on the graph, the data and the options, never on the
// thread count: each sample's input spikes come from its own generator, seeded from (seed, sample
// index).

#include "base/RunControl.h"
#include "graph/Graph.h"
#include "sim/Dataset.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace snn::sim {

enum class Encoding {
    Rate,    // Bernoulli spikes: input j spikes at each step with probability x_j
    Current, // constant current: the layers fed by the input receive W x + b at every step
};
inline constexpr EnumNames<Encoding, 2> kEncodingNames({{Encoding::Rate, "rate"},
                                                        {Encoding::Current, "current"}});
QString toString(Encoding encoding);

struct SimOptions {
    int steps = 25;
    Encoding encoding = Encoding::Rate;
    std::uint64_t seed = 1;
    int threads = 0; // 0: OpenMP's default (all cores)
    // Event-driven accumulation of spike inputs (the sum of the weight columns of the inputs that
    // spiked). false: dense matrix-vector products, the baseline the benchmark compares with.
    bool sparse = true;

    void validate() const; // throws Error naming a bad option
};

using CountVector = Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>;

struct SimResult {
    int samples = 0;
    int steps = 0;
    // Per layer (graph order): spikes of each neuron summed over samples and steps (empty for a
    // non-spiking layer).
    std::vector<CountVector> spikeCounts;
    // [samples x outputs]: the output layer's spike counts per sample (for a non-spiking output
    // layer, its output summed over the steps).
    Eigen::MatrixXf scores;
    std::vector<int> predictions; // per sample (predict())

    // Spikes per step of each neuron (empty for non-spiking layers), in [0, 1].
    std::vector<Eigen::VectorXf> rates() const;
};

// The output neuron with the highest score; ties go to the lowest index.
int predict(const Eigen::Ref<const Eigen::RowVectorXf> &scores);
// Fraction of predictions equal to labels / to other predictions (0 for none).
double accuracy(const std::vector<int> &predictions, const std::vector<int> &labels);
double agreement(const std::vector<int> &a, const std::vector<int> &b);

// The one output layer whose scores give predictions; throws Error when the graph has several.
LayerId classifierLayer(const Graph &graph);

// Runs every row of x (values in [0, 1]) through the valid graph. Throws Error for a feature count
// that does not match, Cancelled when asked to stop.
SimResult run(const Graph &graph, const RowMatrixXf &x, const SimOptions &options,
              const RunControl &control = {});

// The input spikes run() feeds the sample at row `index` of its data (`x`, values in [0, 1]) with
// rate encoding: [options.steps x inputs], 0 or 1.
Eigen::MatrixXf rateSpikes(const Eigen::Ref<const Eigen::RowVectorXf> &x, std::int64_t index,
                           const SimOptions &options);

// One sample with an explicit input [steps x inputSize] (used by snn::simulate): calls
// record(layerIndex, step, output) with each layer's output per step (spikes as 0/1), and, when
// given, membrane(layerIndex, step, v) with each spiking layer's membranes after the step (after
// the reset; for subtract-next and zero-next, before the next step's reset) and
// synaptic(layerIndex, step, i) with each CubaLIF layer's synaptic currents after the step.
void runSequence(const Graph &graph, const Eigen::MatrixXf &input,
                 const std::function<void(int, int, const Eigen::VectorXf &)> &record,
                 const std::function<void(int, int, const Eigen::VectorXf &)> &membrane = {},
                 const std::function<void(int, int, const Eigen::VectorXf &)> &synaptic = {});

} // namespace snn::sim
