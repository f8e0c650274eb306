#include "train/Trainer.h"

#include "base/Blas.h"
#include "base/Error.h"
#include "base/Matrix.h"
#include "base/Rng.h"
#include "eval/Accuracy.h"
#include "sim/SpikeMonitor.h"
#include "train/SpikingLayer.h"

#include <QElapsedTimer>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>
#include <optional>

namespace snn::sim {

namespace {

using Matrix = Eigen::MatrixXf;

std::uint64_t mix(std::uint64_t a, std::uint64_t b)
{
    std::uint64_t z = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct Forward {
    // Per layer: its membrane before reset and its output [neurons x T*B] (column t * B + b is
    // step t of sample b); a layer's input is the network input ([inputs x T*B], or [inputs x B]
    // for a constant input) or its source's output.
    std::vector<Matrix> pre, out;
    // Per zero-next layer: beta v + I at every step, the update its reset replaces (else empty).
    std::vector<Matrix> update;
    Matrix networkInput;
    bool constantInput = false;
    // The layer being computed: its input current, membranes and (CubaLIF) synaptic currents.
    Matrix current, v, syn;
};

} // namespace

QString toString(Loss loss)
{
    return kLossNames.name(loss);
}

void TrainOptions::validate() const
{
    if (epochs < 0 || epochs > 100000)
        throw Error(
            QStringLiteral("the number of epochs must lie in [0, 100000], not %1").arg(epochs));
    if (steps < 1 || steps > 10000)
        throw Error(
            QStringLiteral("the number of time steps must lie in [1, 10000], not %1").arg(steps));
    if (batchSize < 1)
        throw Error(QStringLiteral("the batch size must be positive, not %1").arg(batchSize));
    if (!(learningRate > 0.0f) || !std::isfinite(learningRate))
        throw Error(
            QStringLiteral("the learning rate must be positive, not %1").arg(double(learningRate)));
    if (!(surrogateSlope > 0.0f) || !std::isfinite(surrogateSlope))
        throw Error(QStringLiteral("the surrogate slope must be positive, not %1")
                        .arg(double(surrogateSlope)));
    if (testLimit < 0)
        throw Error(QStringLiteral("the test limit must be >= 0, not %1").arg(testLimit));
    if (threads < 0)
        throw Error(QStringLiteral("the thread count must be >= 0, not %1").arg(threads));
    if (qatBits != 0) {
        if (qatBits < 2 || qatBits > 8)
            throw Error(QStringLiteral("quantisation-aware training takes 2 to 8 weight bits, "
                                       "not %1")
                            .arg(qatBits));
        if (steps > 255)
            throw Error(QStringLiteral("quantisation-aware training runs the hardware's 1 to 255 "
                                       "time steps, not %1")
                            .arg(steps));
        qatConfig(*this).validate();
    }
}

Graph initialGraph(int inputs, const std::vector<int> &layerSizes, const NeuronParams &params,
                   std::uint64_t seed)
{
    Rng rng(seed);
    Graph graph(inputs);
    LayerId source = kNetworkInput;
    int fanIn = inputs;
    for (std::size_t i = 0; i < layerSizes.size(); ++i) {
        Layer l;
        l.name = i + 1 == layerSizes.size() ? QStringLiteral("output")
                                            : QStringLiteral("hidden%1").arg(i + 1);
        l.source = source;
        l.neuron = params;
        const float bound = 1.0f / std::sqrt(float(fanIn));
        l.weights.resize(layerSizes[i], fanIn);
        for (Eigen::Index c = 0; c < l.weights.cols(); ++c)
            for (Eigen::Index r = 0; r < l.weights.rows(); ++r)
                l.weights(r, c) = float(2.0 * rng.uniform() - 1.0) * bound;
        l.bias.resize(layerSizes[i]);
        for (Eigen::Index r = 0; r < l.bias.size(); ++r)
            l.bias(r) = float(2.0 * rng.uniform() - 1.0) * bound;
        source = graph.addLayer(std::move(l));
        fanIn = layerSizes[i];
    }
    graph.validate();
    return graph;
}

TrainState TrainState::start(const Graph &graph)
{
    TrainState s;
    s.graph = graph;
    s.best = graph;
    for (const Layer &l : graph.layers()) {
        s.mW.push_back(Matrix::Zero(l.weights.rows(), l.weights.cols()));
        s.vW.push_back(Matrix::Zero(l.weights.rows(), l.weights.cols()));
        s.mB.push_back(Eigen::VectorXf::Zero(l.bias.size()));
        s.vB.push_back(Eigen::VectorXf::Zero(l.bias.size()));
    }
    return s;
}

namespace {

// The float forward pass: the dynamics of sim/Dynamics.h (or the smooth spike function). x holds
// samples [first, first + x.rows()) of the batch, whose input spikes come from streamSeed.
void floatForward(const Graph &graph, const RowMatrixXf &x, const TrainOptions &options,
                  std::uint64_t streamSeed, int first, Forward &f)
{
    const auto &layers = graph.layers();
    const int B = int(x.rows());
    const int T = options.steps;
    f.constantInput = options.encoding == Encoding::Current;
    if (f.constantInput) {
        resizeSafely(f.networkInput, x.cols(), x.rows());
        f.networkInput = x.transpose();
    } else {
        resizeSafely(f.networkInput, x.cols(), Eigen::Index(T) * B);
        for (int b = 0; b < B; ++b) {
            Rng rng(mix(streamSeed, std::uint64_t(first + b)));
            for (int t = 0; t < T; ++t)
                for (Eigen::Index j = 0; j < x.cols(); ++j)
                    f.networkInput(j, Eigen::Index(t) * B + b) =
                        rng.uniform() < double(x(b, j)) ? 1.0f : 0.0f;
        }
    }
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const Layer &layer = layers[l];
        const bool fromInput = layer.source == kNetworkInput;
        const Matrix &in =
            fromInput ? f.networkInput : f.out[std::size_t(graph.indexOf(layer.source))];
        Matrix &current = f.current;
        resizeSafely(current, layer.neurons(), in.cols());
        blas::gemm(layer.weights, false, in, false, current);
        if (layer.hasBias())
            current.colwise() += layer.bias;
        const bool constant = fromInput && f.constantInput;
        const Eigen::Index n = layer.neurons();
        Matrix &out = f.out[l];
        resizeSafely(out, n, Eigen::Index(T) * B);
        auto currentAt = [&](int t, int b) -> const float * {
            return &current(0, constant ? b : Eigen::Index(t) * B + b);
        };
        if (!layer.neuron.spiking) {
            for (int t = 0; t < T; ++t)
                for (int b = 0; b < B; ++b)
                    out.col(Eigen::Index(t) * B + b) =
                        Eigen::Map<const Eigen::VectorXf>(currentAt(t, b), n);
            continue;
        }
        spikingForward(layer, current, constant, T, B, options, f.pre[l], out, f.update[l], f.v,
                       f.syn);
    }
}

// The hardware's forward pass: every sample through the bit-accurate model (hw::runModel) on the
// input spikes of the on-chip generator; the membranes the sweep read, in float units (divided by
// the layer's scale), are what the surrogate gradient looks at.
void hardwareForward(const hw::QuantizedNetwork &net, const RowMatrixXf &x, Forward &f)
{
    const int B = int(x.rows());
    const int T = net.config.steps;
    f.constantInput = false;
    resizeSafely(f.networkInput, x.cols(), Eigen::Index(T) * B);
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        resizeSafely(f.pre[l], net.layers[l].neurons, Eigen::Index(T) * B);
        resizeSafely(f.out[l], net.layers[l].neurons, Eigen::Index(T) * B);
    }
    for (int b = 0; b < B; ++b) {
        const std::vector<std::uint8_t> input = hw::intensities(x.row(b).transpose());
        const Eigen::MatrixXf spikes = hw::inputSpikes(net.config, input);
        hw::ModelTrace trace;
        hw::runModel(net, input, &trace);
        for (int t = 0; t < T; ++t) {
            const Eigen::Index col = Eigen::Index(t) * B + b;
            f.networkInput.col(col) = spikes.row(t).transpose();
            for (std::size_t l = 0; l < net.layers.size(); ++l) {
                const float unit = float(1.0 / net.layers[l].scale);
                const auto &v = trace.accumulated[std::size_t(t)][l];
                const auto &s = trace.spikes[std::size_t(t)][l];
                for (int i = 0; i < net.layers[l].neurons; ++i) {
                    f.pre[l](i, col) = float(v[std::size_t(i)]) * unit;
                    f.out[l](i, col) = s[std::size_t(i)] ? 1.0f : 0.0f;
                }
            }
        }
    }
}

} // namespace

hw::QuantConfig qatConfig(const TrainOptions &options)
{
    hw::QuantConfig c;
    c.weightBits = options.qatBits;
    c.clipPercentile = options.qatClip;
    c.steps = options.steps;
    return c;
}

Graph trainedGraph(const Graph &graph, const TrainOptions &options)
{
    return options.qatBits > 0 ? hw::onGrid(graph, hw::quantize(graph, qatConfig(options))) : graph;
}

namespace {

// What one share of a batch computes with and its result, kept from batch to batch so that the
// buffers are allocated once.
struct ShareWork {
    Forward f;
    std::vector<Matrix> dOut, dPre, dI;
    Matrix dNext, dSum;
    Gradients g;
};

// Softmax cross-entropy on the output layer's logits (its spike counts summed over the steps; the
// membrane before reset with `membrane`, or a non-spiking output, averaged), mean over the `batch`
// samples of the whole batch: the loss and the predictions of this share's B samples into g.
// Returns the gradient of the loss with respect to the logits, [outputs x B].
Matrix outputLoss(const Layer &outLayer, const Forward &f, int outputIndex,
                  const std::vector<int> &labels, int T, int B, bool membrane, int batch,
                  Gradients &g)
{
    const Eigen::Index C = outLayer.neurons();
    Matrix logits = Matrix::Zero(C, B);
    const Matrix &source =
        membrane ? f.pre[std::size_t(outputIndex)] : f.out[std::size_t(outputIndex)];
    for (int t = 0; t < T; ++t)
        logits += source.middleCols(Eigen::Index(t) * B, B);
    // Non-spiking outputs and the membrane are averaged over the steps; spike counts are summed.
    const float logitScale = outLayer.neuron.spiking && !membrane ? 1.0f : 1.0f / float(T);
    logits *= logitScale;
    Matrix dLogits(C, B);
    g.predictions.resize(std::size_t(B));
    for (int b = 0; b < B; ++b) {
        const int y = labels[std::size_t(b)];
        const float m = logits.col(b).maxCoeff();
        Eigen::VectorXf e = (logits.col(b).array() - m).exp();
        const double sum = e.sum();
        g.loss += -(double(logits(y, b) - m) - std::log(sum));
        dLogits.col(b) = e / float(sum);
        dLogits(y, b) -= 1.0f;
        // Predictions as the engine makes them (spike counts, lowest index on ties).
        Eigen::RowVectorXf score = Eigen::RowVectorXf::Zero(C);
        for (int t = 0; t < T; ++t)
            score += f.out[std::size_t(outputIndex)].col(Eigen::Index(t) * B + b).transpose();
        g.predictions[std::size_t(b)] = predict(score);
    }
    g.loss /= batch;
    dLogits *= logitScale / float(batch);
    return dLogits;
}

// From dI (the gradient of layer l's input current at every step), the gradients of its weights
// and bias into w.g, and the gradient of its source's output (layer s; -1: the network input)
// added into w.dOut[s]. The products go through OpenBLAS (blas::gemm).
void weightGradients(const Layer &layer, int l, int s, const Matrix &dI, int T, int B, ShareWork &w)
{
    const Forward &f = w.f;
    Gradients &g = w.g;
    const Eigen::Index n = layer.neurons();
    const Matrix &in = s < 0 ? f.networkInput : f.out[std::size_t(s)];
    if (s < 0 && f.constantInput) {
        Matrix &dSum = w.dSum;
        setZeroSafely(dSum, n, B);
        for (int t = 0; t < T; ++t)
            dSum += dI.middleCols(Eigen::Index(t) * B, B);
        resizeSafely(g.dW[std::size_t(l)], n, in.rows());
        blas::gemm(dSum, false, in, true, g.dW[std::size_t(l)]);
        if (layer.hasBias()) {
            resizeSafely(g.dB[std::size_t(l)], n, 1);
            g.dB[std::size_t(l)] = dSum.rowwise().sum();
        }
    } else {
        resizeSafely(g.dW[std::size_t(l)], n, in.rows());
        blas::gemm(dI, false, in, true, g.dW[std::size_t(l)]);
        if (layer.hasBias()) {
            resizeSafely(g.dB[std::size_t(l)], n, 1);
            g.dB[std::size_t(l)] = dI.rowwise().sum();
        }
        if (s >= 0)
            blas::gemm(layer.weights, true, dI, false, w.dOut[std::size_t(s)], 1.0f);
    }
}

// The gradients of samples [first, first + x.rows()) of a batch of `batch` samples, on the calling
// thread, into w.g: loss and gradients are those of the whole batch's mean, so that the shares add
// up to the batch's.
void shareGradients(const Graph &latent, const RowMatrixXf &x, const std::vector<int> &labels,
                    const TrainOptions &options, std::uint64_t streamSeed, int first, int batch,
                    ShareWork &w)
{
    const int L = latent.layerCount();
    Forward &f = w.f;
    f.pre.resize(std::size_t(L));
    f.out.resize(std::size_t(L));
    f.update.resize(std::size_t(L));
    // With QAT the backward pass runs on the graph the hardware computes (weights, threshold and
    // leak on its grid), and the gradients of those values pass straight to the latent weights.
    std::optional<Graph> grid;
    if (options.qatBits > 0) {
        const hw::QuantizedNetwork net = hw::quantize(latent, qatConfig(options));
        grid = hw::onGrid(latent, net);
        hardwareForward(net, x, f);
    } else {
        floatForward(latent, x, options, streamSeed, first, f);
    }
    const Graph &graph = grid ? *grid : latent;
    const auto &layers = graph.layers();
    const int B = int(x.rows());
    const int T = options.steps;
    const int outputIndex = graph.indexOf(classifierLayer(graph));
    std::vector<int> sourceIndex(static_cast<std::size_t>(L));
    Gradients &g = w.g;
    g.loss = 0.0;
    g.spikesPerLayer.assign(std::size_t(L), 0.0);
    for (int l = 0; l < L; ++l) {
        const Layer &layer = layers[std::size_t(l)];
        sourceIndex[std::size_t(l)] =
            layer.source == kNetworkInput ? -1 : graph.indexOf(layer.source);
        if (layer.neuron.spiking)
            g.spikesPerLayer[std::size_t(l)] = double(f.out[std::size_t(l)].sum());
    }
    const Layer &outLayer = layers[std::size_t(outputIndex)];
    const bool membrane = outLayer.neuron.spiking && options.loss == Loss::Membrane;
    const Matrix dLogits = outputLoss(outLayer, f, outputIndex, labels, T, B, membrane, batch, g);

    // Backward, layers in reverse order; dOut[l] accumulates from the consumers.
    std::vector<Matrix> &dOut = w.dOut, &dPre = w.dPre;
    dOut.resize(std::size_t(L));
    dPre.resize(std::size_t(L));
    w.dI.resize(std::size_t(L));
    for (int l = 0; l < L; ++l) {
        setZeroSafely(dOut[std::size_t(l)], layers[std::size_t(l)].neurons(), Eigen::Index(T) * B);
        dPre[std::size_t(l)].resize(0, 0);
    }
    if (membrane)
        setZeroSafely(dPre[std::size_t(outputIndex)], outLayer.neurons(), Eigen::Index(T) * B);
    for (int t = 0; t < T; ++t) {
        (membrane ? dPre : dOut)[std::size_t(outputIndex)].middleCols(Eigen::Index(t) * B, B) =
            dLogits;
    }
    g.dW.resize(std::size_t(L));
    g.dB.resize(std::size_t(L));
    for (int l = 0; l < L; ++l)
        if (!layers[std::size_t(l)].hasBias())
            g.dB[std::size_t(l)].resize(0);
    for (int l = L - 1; l >= 0; --l) {
        const Layer &layer = layers[std::size_t(l)];
        Matrix &dI = w.dI[std::size_t(l)];
        if (!layer.neuron.spiking)
            dI.swap(dOut[std::size_t(l)]);
        else
            spikingBackward(layer, f.pre[std::size_t(l)], f.out[std::size_t(l)],
                            f.update[std::size_t(l)], dOut[std::size_t(l)], dPre[std::size_t(l)],
                            options, T, B, w.dNext, dI);
        weightGradients(layer, l, sourceIndex[std::size_t(l)], dI, T, B, w);
    }
}

// g = from, into g's buffers when the shapes are unchanged; a changed shape reallocates through
// resizeSafely, so that running out of memory leaves g valid.
void copyGradients(const Gradients &from, Gradients &g)
{
    g.loss = from.loss;
    g.predictions = from.predictions;
    g.spikesPerLayer = from.spikesPerLayer;
    g.dW.resize(from.dW.size());
    g.dB.resize(from.dB.size());
    for (std::size_t l = 0; l < from.dW.size(); ++l) {
        resizeSafely(g.dW[l], from.dW[l].rows(), from.dW[l].cols());
        g.dW[l] = from.dW[l];
        resizeSafely(g.dB[l], from.dB[l].size(), 1);
        g.dB[l] = from.dB[l];
    }
}

// A batch is cut into this many shares (fewer for a smaller batch), whatever the thread count;
// their gradients are added in share order, so the result is the same on any number of threads.
constexpr int kShares = 4;

} // namespace

Gradients computeGradients(const Graph &latent, const RowMatrixXf &x,
                           const std::vector<int> &labels, const TrainOptions &options,
                           std::uint64_t streamSeed)
{
    Gradients g;
    computeGradients(latent, x, labels, options, streamSeed, g);
    return g;
}

void computeGradients(const Graph &latent, const RowMatrixXf &x, const std::vector<int> &labels,
                      const TrainOptions &options, std::uint64_t streamSeed, Gradients &g)
{
    const int B = int(x.rows());
    const int shares = std::max(1, std::min(kShares, B));
    // Share p works in work[p] whichever thread runs it; kept for the caller's next batch (a
    // reference, so that the threads see the calling thread's buffers).
    thread_local std::vector<ShareWork> callerWork(kShares);
    std::vector<ShareWork> &work = callerWork;
    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
    std::exception_ptr failure;
#pragma omp parallel for schedule(static, 1) num_threads(std::min(threads, shares))
    for (int p = 0; p < shares; ++p) {
        const int first = int(std::int64_t(B) * p / shares);
        const int size = int(std::int64_t(B) * (p + 1) / shares) - first;
        try {
            shareGradients(latent, x.middleRows(first, size),
                           std::vector<int>(labels.begin() + first, labels.begin() + first + size),
                           options, streamSeed, first, B, work[std::size_t(p)]);
        } catch (...) {
#pragma omp critical(snn_share_failure)
            failure = std::current_exception();
        }
    }
    if (failure) {
        // Running out of memory (most likely) leaves the buffers valid (resizeSafely) but large:
        // released, so that a caller that goes on (the studio) gets the memory back.
        for (ShareWork &w : work)
            w = ShareWork();
        std::rethrow_exception(failure);
    }
    copyGradients(work.front().g, g);
    for (int p = 1; p < shares; ++p) {
        const Gradients &part = work[std::size_t(p)].g;
        g.loss += part.loss;
        for (std::size_t l = 0; l < g.dW.size(); ++l) {
            g.dW[l] += part.dW[l];
            if (g.dB[l].size() > 0)
                g.dB[l] += part.dB[l];
            g.spikesPerLayer[l] += part.spikesPerLayer[l];
        }
        g.predictions.insert(g.predictions.end(), part.predictions.begin(), part.predictions.end());
    }
}

namespace {

constexpr float kBeta1 = 0.9f, kBeta2 = 0.999f, kEps = 1e-8f; // Adam's

// Throws Error when the data sets do not fit the graph (state.graph) or the optimiser state does
// not match it.
void checkTrainable(const TrainState &state, const DataSplit &data)
{
    state.graph.validate();
    const int outputs = state.graph.layer(classifierLayer(state.graph)).neurons();
    data.train.checkFits(state.graph.inputSize(), outputs);
    if (data.validation)
        data.validation->checkFits(state.graph.inputSize(), outputs);
    if (data.test)
        data.test->checkFits(state.graph.inputSize(), outputs);
    if (state.mW.size() != std::size_t(state.graph.layerCount()))
        throw Error(QStringLiteral("the training state does not match the graph"));
}

// The order of the n training samples in `epoch`: a shuffle seeded from (seed, epoch).
std::vector<int> epochOrder(int n, std::uint64_t seed, int epoch)
{
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    Rng shuffle(mix(seed, std::uint64_t(epoch)));
    for (int i = n - 1; i > 0; --i)
        std::swap(order[std::size_t(i)], order[std::size_t(shuffle.next() % std::uint64_t(i + 1))]);
    return order;
}

// One Adam step on every layer's weights and biases of state.graph with the gradients g.
void adamStep(TrainState &state, const Gradients &g, const TrainOptions &options)
{
    ++state.adamStep;
    const float c1 = 1.0f - std::pow(kBeta1, float(state.adamStep));
    const float c2 = 1.0f - std::pow(kBeta2, float(state.adamStep));
    const float rate = options.learningRate * std::sqrt(c2) / c1;
    for (int l = 0; l < state.graph.layerCount(); ++l) {
        Layer &layer = state.graph.layer(state.graph.layers()[std::size_t(l)].id);
        auto adam = [&](auto &param, auto &m, auto &v, const auto &grad) {
            m = kBeta1 * m + (1.0f - kBeta1) * grad;
            v = kBeta2 * v + (1.0f - kBeta2) * grad.cwiseAbs2();
            param.array() -= rate * m.array() / (v.array().sqrt() + kEps);
        };
        adam(layer.weights, state.mW[std::size_t(l)], state.vW[std::size_t(l)],
             g.dW[std::size_t(l)]);
        if (layer.hasBias())
            adam(layer.bias, state.mB[std::size_t(l)], state.vB[std::size_t(l)],
                 g.dB[std::size_t(l)]);
    }
}

// An epoch's batches so far.
struct EpochTotals {
    double lossSum = 0.0; // loss times samples, over the batches
    int correct = 0;
    int seen = 0;
};

// The progress after batch `batch` (0-based) of `batches` in `epoch`, whose gradients g were
// computed on `size` samples of `graph`; `names` are the graph's layer names.
TrainProgress batchProgress(const Graph &graph, const TrainOptions &options, int epoch, int batch,
                            int batches, const Gradients &g, int size, const EpochTotals &totals,
                            double seconds, const std::vector<QString> &names)
{
    TrainProgress p;
    p.epoch = epoch;
    p.epochs = options.epochs;
    p.batch = batch + 1;
    p.batches = batches;
    p.fraction = (double(epoch - 1) + double(batch + 1) / batches) / options.epochs;
    p.loss = g.loss;
    p.trainAccuracy = double(totals.correct) / totals.seen;
    p.seconds = seconds;
    p.samplesPerSecond = p.seconds > 0.0 ? totals.seen / p.seconds : 0.0;
    p.layerNames = names;
    for (int l = 0; l < graph.layerCount(); ++l) {
        const double per = double(graph.layers()[std::size_t(l)].neurons()) * options.steps;
        p.meanRate.push_back(g.spikesPerLayer[std::size_t(l)] / (per * size));
    }
    return p;
}

// The batches of `epoch` over the training samples in `order`: each a gradient and an Adam step
// on `next`, reported to `progress` (when set) with the time on `clock`.
EpochTotals trainBatches(TrainState &next, const Dataset &train, const std::vector<int> &order,
                         const TrainOptions &options, int epoch, int batches,
                         const std::vector<QString> &names, const QElapsedTimer &clock,
                         const std::function<void(const TrainProgress &)> &progress,
                         const RunControl &control)
{
    const int n = int(order.size());
    EpochTotals totals;
    RowMatrixXf x;
    std::vector<int> y;
    Gradients g;
    for (int batch = 0; batch < batches; ++batch) {
        control.checkCancelled();
        const int first = batch * options.batchSize;
        const int size = std::min(options.batchSize, n - first);
        resizeSafely(x, size, train.features());
        y.resize(std::size_t(size));
        for (int i = 0; i < size; ++i) {
            const int sample = order[std::size_t(first + i)];
            x.row(i) = train.x.row(sample);
            y[std::size_t(i)] = train.y[std::size_t(sample)];
        }
        computeGradients(
            next.graph, x, y, options,
            mix(mix(options.seed, std::uint64_t(epoch)), std::uint64_t(batch) + 0x51ed2701ULL), g);
        adamStep(next, g, options);
        totals.lossSum += g.loss * size;
        for (int i = 0; i < size; ++i)
            totals.correct += g.predictions[std::size_t(i)] == y[std::size_t(i)];
        totals.seen += size;
        if (progress)
            progress(batchProgress(next.graph, options, epoch, batch, batches, g, size, totals,
                                   double(clock.nsecsElapsed()) * 1e-9, names));
    }
    return totals;
}

// The report at the end of `epoch`: its batches' totals, the accuracy that selects it (with a
// validation set) and the activity the simulation engine measured.
TrainProgress epochSummary(const TrainOptions &options, int epoch, int batches,
                           const EpochTotals &totals, double seconds,
                           std::optional<double> validationAccuracy, const Activity &activity,
                           const std::vector<QString> &names)
{
    TrainProgress p;
    p.epochEnd = true;
    p.epoch = epoch;
    p.epochs = options.epochs;
    p.batch = batches;
    p.batches = batches;
    p.fraction = double(epoch) / options.epochs;
    p.loss = totals.lossSum / totals.seen;
    p.trainAccuracy = double(totals.correct) / totals.seen;
    p.validationAccuracy = validationAccuracy;
    p.seconds = seconds;
    p.samplesPerSecond = seconds > 0.0 ? totals.seen / seconds : 0.0;
    p.layerNames = names;
    for (const Eigen::VectorXf &r : activity.rates)
        p.meanRate.push_back(r.size() > 0 ? double(r.mean()) : 0.0);
    p.deadNeurons = activity.silentNeurons();
    return p;
}

} // namespace

void train(TrainState &state, const DataSplit &data, const TrainOptions &options,
           const std::function<void(const TrainProgress &)> &progress, const RunControl &control)
{
    options.validate();
    checkTrainable(state, data);
    const int n = data.train.size();
    const int batches = (n + options.batchSize - 1) / options.batchSize;
    std::vector<QString> names;
    for (const Layer &l : state.graph.layers())
        names.push_back(l.name);
    const Dataset &evalData = data.validation ? *data.validation : data.train;
    const QString evalSplit = data.validation ? kValidationSplit : kTrainSplit;
    SimOptions sim;
    sim.steps = options.steps;
    // With QAT the hardware's generator makes rate-coded input spikes: rates are measured so.
    sim.encoding = options.qatBits > 0 ? Encoding::Rate : options.encoding;
    sim.seed = options.seed;
    sim.threads = options.threads;
    // The accuracy that chooses the epoch (and that the test set reports): the float graph's, or
    // with QAT the bit-accurate hardware model's.
    const auto accuracyOf = [&](Graph &graph, const Dataset &set, const RunControl &c,
                                const std::optional<Activity> &activity) {
        if (options.qatBits > 0) {
            // The graph is on the grid: its largest weight is the clip, so it quantises back to
            // itself with the plain maximum (as snnc eval and synth quantise it).
            hw::QuantConfig deployed = qatConfig(options);
            deployed.clipPercentile = 100.0;
            return accuracy(eval::quantizedPredictions(hw::quantize(graph, deployed), set.x, c),
                            set.y);
        }
        return activity ? activity->accuracy : SpikeMonitor(sim).record(graph, set, c).accuracy;
    };

    for (int epoch = state.epoch + 1; epoch <= options.epochs; ++epoch) {
        // Work on a copy: `state` changes only when the epoch completes.
        TrainState next = state;
        const std::vector<int> order = epochOrder(n, options.seed, epoch);
        QElapsedTimer clock;
        clock.start();
        const EpochTotals totals = trainBatches(next, data.train, order, options, epoch, batches,
                                                names, clock, progress, control);
        // The epoch's summary, with accuracy and activity measured by the simulation engine.
        const double seconds = double(clock.nsecsElapsed()) * 1e-9;
        Graph selected = trainedGraph(next.graph, options);
        const Activity activity =
            SpikeMonitor(sim).measure(selected, evalData, data.label, evalSplit, control);
        const double selectedAccuracy = accuracyOf(selected, evalData, control, activity);
        const TrainProgress p = epochSummary(
            options, epoch, batches, totals, seconds,
            data.validation ? std::optional(selectedAccuracy) : std::nullopt, activity, names);
        next.epoch = epoch;
        next.history.push_back(p);
        const bool better =
            !data.validation || next.bestEpoch == 0 ||
            selectedAccuracy >
                next.history[std::size_t(next.bestEpoch) - 1].validationAccuracy.value_or(-1.0);
        if (better) {
            next.best = std::move(selected);
            next.bestEpoch = epoch;
        }
        state = std::move(next);
        if (progress)
            progress(p);
    }
    if (data.test && state.epoch >= options.epochs) {
        const Dataset test =
            options.testLimit > 0 ? data.test->head(options.testLimit) : *data.test;
        state.testAccuracy = accuracyOf(state.best, test, control, std::nullopt);
    }
}

} // namespace snn::sim
