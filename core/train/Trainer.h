#pragma once

// Surrogate-gradient training (back-propagation through time) of a graph's weights and biases
// (docs/simulation.md). The forward pass runs the dynamics of sim/Dynamics.h; the spike's
// derivative is replaced by the fast sigmoid 1 / (1 + k |v - threshold|)^2. Loss: cross-entropy on
// the output spike counts (or on the mean output membrane), Adam, seeded mini-batches.

#include "base/RunControl.h"
#include "graph/Graph.h"
#include "hw/Quantizer.h"
#include "sim/Dataset.h"
#include "sim/Engine.h"

#include <functional>
#include <optional>

namespace snn::sim {

enum class Loss {
    SpikeCount, // logits = each output neuron's spike count over the T steps
    Membrane,   // logits = each output neuron's membrane (before reset) averaged over the steps
};
inline constexpr EnumNames<Loss, 2> kLossNames({{Loss::SpikeCount, "count"},
                                                {Loss::Membrane, "membrane"}});
QString toString(Loss loss);

struct TrainOptions {
    int epochs = 5;
    int steps = 25;
    int batchSize = 128;
    float learningRate = 1e-3f; // Adam
    Encoding encoding = Encoding::Current;
    Loss loss = Loss::SpikeCount;
    std::uint64_t seed = 1;
    float surrogateSlope = 5.0f; // k of the fast sigmoid
    // Do not back-propagate through the reset (as snnTorch does by default).
    bool detachReset = true;
    // Report the selected graph's accuracy on at most this many test samples (0: all).
    int testLimit = 0;
    // For gradient checks only: the forward pass uses the smooth spike function
    // S(x) = 0.5 + x / (1 + k|x|), whose derivative is exactly the surrogate, instead of the step.
    bool smoothSpikes = false;
    // Quantisation-aware training: 0 trains the float model; 2..8 runs the forward pass as the
    // hardware's bit-accurate model at this weight width (hw::runModel on hw::quantize of the
    // weights, the on-chip input generator, T = steps) with straight-through gradients; the
    // encoding is then the generator's. `qatClip` is the weight-scale percentile (QuantConfig).
    int qatBits = 0;
    double qatClip = 100.0;
    // Worker threads (0: all cores). Not a setting of the run: every batch is cut into the same
    // shares whatever the count, so the trained weights are identical for any value.
    int threads = 0;

    void validate() const; // throws Error naming a bad option
    bool operator==(const TrainOptions &) const = default;
};

// The hardware configuration quantisation-aware training runs (qatBits > 0): those weight bits,
// the clip percentile, T = steps, the default membrane width and generator seed.
hw::QuantConfig qatConfig(const TrainOptions &options);
// What training keeps of a graph: the graph itself, or with qatBits its values on the hardware's
// grid (hw::onGrid), so that the saved model is the network the hardware runs.
Graph trainedGraph(const Graph &graph, const TrainOptions &options);

// What the training reports, per batch and at the end of each epoch.
struct TrainProgress {
    bool epochEnd = false;
    int epoch = 0; // 1-based
    int epochs = 0;
    int batch = 0; // 1-based within the epoch
    int batches = 0;
    double fraction = 0.0;      // of the whole run
    double loss = 0.0;          // the batch's loss, or the epoch's mean loss at epochEnd
    double trainAccuracy = 0.0; // so far in this epoch
    std::optional<double> validationAccuracy; // at epochEnd, when there is a validation set
    double seconds = 0.0;                     // spent in this epoch so far
    double samplesPerSecond = 0.0;            // training samples, in this epoch so far
    std::vector<QString> layerNames;
    std::vector<double> meanRate; // per layer, spikes per neuron and step
    std::vector<int> deadNeurons; // per layer, at epochEnd: neurons that never fired on the
                                  // validation set (the training set when there is none)
};

// Everything needed to continue a run where it stopped: the graph after the last completed epoch
// and the optimiser's state; and the model selected so far (sim/TrainRun.h keeps it on disk).
struct TrainState {
    Graph graph;
    int epoch = 0; // completed epochs
    std::int64_t adamStep = 0;
    std::vector<Eigen::MatrixXf> mW, vW; // per layer
    std::vector<Eigen::VectorXf> mB, vB;
    std::vector<TrainProgress> history; // one per completed epoch
    // The epoch with the best validation accuracy (the earliest of equals; the last epoch when
    // there is no validation set) and its graph, with the rates measured on the validation set.
    Graph best;
    int bestEpoch = 0;
    // The best graph's accuracy on the test set, once every epoch has run: reported only.
    std::optional<double> testAccuracy;

    static TrainState start(const Graph &graph);
};

// A fresh network: layers of LIF neurons with `params`, weights and biases uniform in
// +-1/sqrt(inputs) (PyTorch's default for Linear), seeded.
Graph initialGraph(int inputs, const std::vector<int> &layerSizes, const NeuronParams &params,
                   std::uint64_t seed);

// Loss and gradients of one mini-batch (exposed for gradient checks and benchmarks).
struct Gradients {
    double loss = 0.0;
    std::vector<Eigen::MatrixXf> dW;
    std::vector<Eigen::VectorXf> dB;
    std::vector<int> predictions;
    std::vector<double> spikesPerLayer; // total spikes of each layer in the batch
};
// `streamSeed` seeds the batch's input spikes (rate encoding). The batch is cut into fixed shares,
// computed on options.threads threads and added in a fixed order: the same for any thread count.
Gradients computeGradients(const Graph &graph, const RowMatrixXf &x, const std::vector<int> &labels,
                           const TrainOptions &options, std::uint64_t streamSeed);
// The same into g, reusing its buffers (and the calling thread's working memory) from the last
// batch.
void computeGradients(const Graph &graph, const RowMatrixXf &x, const std::vector<int> &labels,
                      const TrainOptions &options, std::uint64_t streamSeed, Gradients &g);

// Trains state.graph on data.train from epoch state.epoch + 1 to options.epochs; after each
// completed epoch `state` holds the result (so a cancelled run keeps its last completed epoch and
// resumes from it with the same outcome as an uninterrupted run). After each epoch the graph's
// accuracy and firing rates are measured by the SpikeMonitor on data.validation (the training set
// when there is none; rates_source says which) and the best epoch is kept in state.best. The test
// set never chooses anything: once all epochs have run, the best graph's test accuracy is
// reported in state.testAccuracy. Throws Error for data that do not fit the graph, Cancelled when
// asked to stop.
void train(TrainState &state, const DataSplit &data, const TrainOptions &options,
           const std::function<void(const TrainProgress &)> &progress = {},
           const RunControl &control = {});

} // namespace snn::sim
