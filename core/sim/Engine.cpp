#include "sim/Engine.h"

#include "Error.h"
#include "Rng.h"
#include "sim/Dynamics.h"
#include "sim/Kernels.h"

#include <omp.h>

#include <atomic>
#include <cmath>

namespace snn::sim {

namespace {

// The generator of one sample's input spikes: the same for a sample wherever and whenever it runs.
std::uint64_t sampleSeed(std::uint64_t seed, std::int64_t sample)
{
    return seed ^ (0xd1b54a32d192ed03ULL * std::uint64_t(sample + 1));
}

// Rate encoding of one sample: input j spikes at a step when a 32-bit draw is below x_j 2^32. The
// draws come from the sample's own generator, seeded from (seed, sample), two per 64-bit number,
// for the inputs with x_j > 0 in index order.
class RateEncoder {
public:
    void start(const Eigen::Ref<const Eigen::VectorXf> &x, std::uint64_t seed, std::int64_t sample)
    {
        m_rng = Rng(sampleSeed(seed, sample));
        m_inputs.clear();
        m_threshold.clear();
        for (Eigen::Index j = 0; j < x.size(); ++j) {
            const auto threshold = std::uint64_t(double(x(j)) * 0x1.0p32); // exact: x_j 2^32
            if (threshold > 0) {
                m_inputs.push_back(int(j));
                m_threshold.push_back(threshold);
            }
        }
    }
    // The inputs that spike at the next step, ascending.
    void step(std::vector<int> &active)
    {
        const std::size_t n = m_inputs.size();
        active.resize(n);
        std::size_t count = 0;
        // Branch-free: each comparison is a coin toss.
        const auto draw = [&](std::size_t i, std::uint64_t bits) {
            active[count] = m_inputs[i];
            count += bits < m_threshold[i];
        };
        std::size_t i = 0;
        for (; i + 2 <= n; i += 2) {
            const std::uint64_t bits = m_rng.next();
            draw(i, bits & 0xffffffffULL);
            draw(i + 1, bits >> 32);
        }
        if (i < n)
            draw(i, m_rng.next() & 0xffffffffULL);
        active.resize(count);
    }

private:
    Rng m_rng{0};
    std::vector<int> m_inputs;              // the inputs with x_j > 0, ascending
    std::vector<std::uint64_t> m_threshold; // their x_j 2^32
};

// How a layer's input arrives at one step.
struct LayerInput {
    const std::vector<int> *active = nullptr; // binary input: the indices that spiked
    const Eigen::VectorXf *dense = nullptr;   // real-valued input
};

// Runs one sample at a time; each thread owns one.
class SampleRunner {
public:
    SampleRunner(const Graph &graph, bool sparse)
        : m_graph(graph)
        , m_sparse(sparse)
    {
        const auto &layers = graph.layers();
        m_source.reserve(layers.size());
        for (const Layer &l : layers) {
            m_source.push_back(l.source == kNetworkInput ? -1 : graph.indexOf(l.source));
            m_v.push_back(Eigen::VectorXf::Zero(l.neurons()));
            m_current.push_back(Eigen::VectorXf::Zero(l.neurons()));
            m_cached.push_back(Eigen::VectorXf());
            m_active.emplace_back();
            m_active.back().reserve(std::size_t(l.neurons()));
            m_out.push_back(Eigen::VectorXf::Zero(l.neurons()));
        }
    }

    // Starts a sample: membranes at zero, no cached input currents.
    void reset()
    {
        for (std::size_t k = 0; k < m_v.size(); ++k) {
            m_v[k].setZero();
            m_cached[k].resize(0);
        }
    }

    // One step. `input` is the network input at this step; `constantInput` says it is the same at
    // every step of the sample, so the currents it causes are computed once.
    // perLayer(k) is called after layer k has run, with its spikes in m_active[k] (spiking) or
    // its output in m_out[k] (non-spiking; a spiking layer's spikes as 1 or 0).
    template <typename PerLayer>
    void step(const LayerInput &input, bool constantInput, PerLayer &&perLayer)
    {
        const auto &layers = m_graph.layers();
        for (std::size_t k = 0; k < layers.size(); ++k) {
            const Layer &l = layers[k];
            Eigen::VectorXf &current = m_current[k];
            const int s = m_source[k];
            if (s < 0 && constantInput) {
                if (m_cached[k].size() == 0)
                    accumulate(l, input, m_cached[k]);
                current = m_cached[k];
            } else {
                LayerInput in = input;
                if (s >= 0) {
                    if (layers[std::size_t(s)].neuron.spiking)
                        in = {&m_active[std::size_t(s)], nullptr};
                    else
                        in = {nullptr, &m_out[std::size_t(s)]};
                }
                accumulate(l, in, current);
            }
            if (!l.neuron.spiking) {
                m_out[k] = current;
            } else {
                layerStep(m_v[k].data(), current.data(), l.neurons(), l.neuron, m_out[k].data(),
                          m_active[k]);
            }
            perLayer(k);
        }
    }

    const std::vector<int> &active(std::size_t k) const { return m_active[k]; }
    const Eigen::VectorXf &out(std::size_t k) const { return m_out[k]; }
    const Eigen::VectorXf &membrane(std::size_t k) const { return m_v[k]; }

private:
    // current = b + W x: for binary input the sum of the columns that spiked, in index order;
    // for real input, the columns scaled by the non-zero inputs, in index order (the order of the
    // additions depends only on which inputs are active, so removing a silent input changes no
    // result, not even by rounding). sparse == false uses dense products instead.
    void accumulate(const Layer &l, const LayerInput &in, Eigen::VectorXf &current)
    {
        if (!m_sparse) {
            if (in.active) {
                m_dense.setZero(l.inputs());
                for (int j : *in.active)
                    m_dense(j) = 1.0f;
                current.noalias() = l.weights * m_dense;
            } else {
                current.noalias() = l.weights * *in.dense;
            }
            if (l.hasBias())
                current += l.bias;
            return;
        }
        if (l.hasBias())
            current = l.bias;
        else
            current.setZero(l.neurons());
        if (in.active) {
            addColumns(current.data(), l.neurons(), l.weights.data(), l.weights.outerStride(),
                       in.active->data(), in.active->size());
        } else {
            const Eigen::VectorXf &x = *in.dense;
            for (Eigen::Index j = 0; j < x.size(); ++j)
                if (x(j) != 0.0f)
                    current += x(j) * l.weights.col(j);
        }
    }

    const Graph &m_graph;
    bool m_sparse;
    std::vector<int> m_source; // index of each layer's source, -1 for the network input
    std::vector<Eigen::VectorXf> m_v, m_current, m_cached, m_out;
    std::vector<std::vector<int>> m_active;
    Eigen::VectorXf m_dense;
};

} // namespace

QString toString(Encoding encoding)
{
    return encoding == Encoding::Rate ? QStringLiteral("rate") : QStringLiteral("current");
}

bool parseEncoding(const QString &text, Encoding *encoding)
{
    if (text == QLatin1String("rate"))
        *encoding = Encoding::Rate;
    else if (text == QLatin1String("current"))
        *encoding = Encoding::Current;
    else
        return false;
    return true;
}

void SimOptions::validate() const
{
    if (steps < 1 || steps > 100000)
        throw Error(
            QStringLiteral("the number of time steps must lie in [1, 100000], not %1").arg(steps));
    if (threads < 0)
        throw Error(QStringLiteral("the thread count must be >= 0, not %1").arg(threads));
}

std::vector<Eigen::VectorXf> SimResult::rates() const
{
    std::vector<Eigen::VectorXf> result;
    const double denominator = double(samples) * double(steps);
    for (const CountVector &c : spikeCounts)
        result.push_back(denominator > 0
                             ? Eigen::VectorXf((c.cast<double>() / denominator).cast<float>())
                             : Eigen::VectorXf::Zero(c.size()));
    return result;
}

int predict(const Eigen::Ref<const Eigen::RowVectorXf> &scores)
{
    int best = 0;
    for (int i = 1; i < scores.size(); ++i)
        if (scores(i) > scores(best))
            best = i;
    return best;
}

double accuracy(const std::vector<int> &predictions, const std::vector<int> &labels)
{
    return agreement(predictions, labels);
}

double agreement(const std::vector<int> &a, const std::vector<int> &b)
{
    const std::size_t n = std::min(a.size(), b.size());
    if (n == 0)
        return 0.0;
    std::size_t same = 0;
    for (std::size_t i = 0; i < n; ++i)
        same += a[i] == b[i];
    return double(same) / double(n);
}

LayerId classifierLayer(const Graph &graph)
{
    const std::vector<LayerId> outputs = graph.outputs();
    if (outputs.size() != 1)
        throw Error(QStringLiteral("the network has %1 output layers; predictions need exactly one")
                        .arg(outputs.size()));
    return outputs.front();
}

SimResult run(const Graph &graph, const RowMatrixXf &x, const SimOptions &options,
              const RunControl &control)
{
    options.validate();
    graph.validate();
    if (x.cols() != graph.inputSize())
        throw Error(QStringLiteral("the samples have %1 features, the network takes %2 inputs")
                        .arg(x.cols())
                        .arg(graph.inputSize()));
    const int outputIndex = graph.indexOf(classifierLayer(graph));
    const Layer &outputLayer = graph.layers()[std::size_t(outputIndex)];
    const auto &layers = graph.layers();
    const int n = int(x.rows());

    SimResult result;
    result.samples = n;
    result.steps = options.steps;
    result.scores = Eigen::MatrixXf::Zero(n, outputLayer.neurons());
    result.predictions.assign(std::size_t(n), 0);
    for (const Layer &l : layers)
        result.spikeCounts.push_back(l.neuron.spiking ? CountVector::Zero(l.neurons())
                                                      : CountVector());

    std::atomic<bool> stop{false};
    std::atomic<int> done{0};
    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
    constexpr int kChunk = 16;
#pragma omp parallel num_threads(threads)
    {
        SampleRunner runner(graph, options.sparse);
        std::vector<CountVector> counts;
        for (const Layer &l : layers)
            counts.push_back(CountVector::Zero(l.neuron.spiking ? l.neurons() : 0));
        Eigen::VectorXf dense(graph.inputSize());
        std::vector<int> inputActive;
        RateEncoder encoder;
        Eigen::RowVectorXf score(outputLayer.neurons());

#pragma omp for schedule(dynamic, 1)
        for (int chunk = 0; chunk < (n + kChunk - 1) / kChunk; ++chunk) {
            if (stop.load(std::memory_order_relaxed))
                continue;
            for (int i = chunk * kChunk; i < std::min(n, (chunk + 1) * kChunk); ++i) {
                runner.reset();
                score.setZero();
                dense = x.row(i).transpose();
                if (options.encoding == Encoding::Rate)
                    encoder.start(dense, options.seed, i);
                for (int t = 0; t < options.steps; ++t) {
                    LayerInput input{nullptr, &dense};
                    if (options.encoding == Encoding::Rate) {
                        encoder.step(inputActive);
                        input = {&inputActive, nullptr};
                    }
                    runner.step(input, options.encoding == Encoding::Current, [&](std::size_t k) {
                        if (layers[k].neuron.spiking) {
                            for (int a : runner.active(k))
                                ++counts[k](a);
                            if (int(k) == outputIndex)
                                for (int a : runner.active(k))
                                    score(a) += 1.0f;
                        } else if (int(k) == outputIndex) {
                            score += runner.out(k).transpose();
                        }
                    });
                }
                result.scores.row(i) = score;
                result.predictions[std::size_t(i)] = predict(score);
            }
            const int finished = done.fetch_add(1) + 1;
            if (omp_get_thread_num() == 0) {
                if (control.cancelRequested && control.cancelRequested())
                    stop = true;
                control.report(double(std::min(n, finished * kChunk)) / double(std::max(n, 1)),
                               QStringLiteral("simulating"));
            }
        }
#pragma omp critical
        for (std::size_t k = 0; k < counts.size(); ++k)
            if (counts[k].size() > 0)
                result.spikeCounts[k] += counts[k];
    }
    if (stop)
        throw Cancelled();
    control.checkCancelled();
    return result;
}

Eigen::MatrixXf rateSpikes(const Eigen::Ref<const Eigen::RowVectorXf> &x, std::int64_t index,
                           const SimOptions &options)
{
    options.validate();
    RateEncoder encoder;
    encoder.start(x.transpose(), options.seed, index);
    Eigen::MatrixXf spikes = Eigen::MatrixXf::Zero(options.steps, x.size());
    std::vector<int> active;
    for (int t = 0; t < options.steps; ++t) {
        encoder.step(active);
        for (int j : active)
            spikes(t, j) = 1.0f;
    }
    return spikes;
}

void runSequence(const Graph &graph, const Eigen::MatrixXf &input,
                 const std::function<void(int, int, const Eigen::VectorXf &)> &record,
                 const std::function<void(int, int, const Eigen::VectorXf &)> &membrane)
{
    if (input.cols() != graph.inputSize())
        throw Error(QStringLiteral("the input has %1 values per step, the network takes %2")
                        .arg(input.cols())
                        .arg(graph.inputSize()));
    SampleRunner runner(graph, true);
    runner.reset();
    const auto &layers = graph.layers();
    Eigen::VectorXf x;
    std::vector<Eigen::VectorXf> spikes;
    for (const Layer &l : layers)
        spikes.push_back(Eigen::VectorXf::Zero(l.neurons()));
    for (int t = 0; t < int(input.rows()); ++t) {
        x = input.row(t).transpose();
        runner.step({nullptr, &x}, false, [&](std::size_t k) {
            if (!layers[k].neuron.spiking) {
                record(int(k), t, runner.out(k));
                return;
            }
            spikes[k].setZero();
            for (int a : runner.active(k))
                spikes[k](a) = 1.0f;
            record(int(k), t, spikes[k]);
            if (membrane)
                membrane(int(k), t, runner.membrane(k));
        });
    }
}

} // namespace snn::sim
