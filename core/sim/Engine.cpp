#include "sim/Engine.h"

#include "base/Error.h"
#include "base/Matrix.h"
#include "base/Rng.h"
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

// The input spikes of consecutive steps: step t's are indices[offsets[t]], ...,
// indices[offsets[t + 1] - 1], ascending.
struct SpikeSteps {
    std::vector<int> indices;
    std::vector<std::size_t> offsets{0};

    std::size_t steps() const { return offsets.size() - 1; }
    void clear()
    {
        indices.clear();
        offsets.assign(1, 0);
    }
};

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
    // Appends the inputs that spike at the next step to `spikes`.
    void step(SpikeSteps &spikes)
    {
        const std::size_t n = m_inputs.size();
        const std::size_t first = spikes.indices.size();
        spikes.indices.resize(first + n);
        int *active = spikes.indices.data() + first;
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
        spikes.indices.resize(first + count);
        spikes.offsets.push_back(spikes.indices.size());
    }

private:
    Rng m_rng{0};
    std::vector<int> m_inputs;              // the inputs with x_j > 0, ascending
    std::vector<std::uint64_t> m_threshold; // their x_j 2^32
};

// The weights of the layers that take spikes, packed for addColumnSets (the others' empty): those
// fed by a spiking layer, and with spikingInput those fed by the network input. All empty
// without sparse (SimOptions::sparse).
std::vector<PackedColumns> packSpikeWeights(const Graph &graph, bool spikingInput, bool sparse)
{
    std::vector<PackedColumns> packed;
    for (const Layer &l : graph.layers()) {
        const bool spikes =
            l.source == kNetworkInput ? spikingInput : graph.layer(l.source).neuron.spiking;
        packed.push_back(sparse && spikes ? PackedColumns(l.weights.data(), l.neurons(), l.inputs(),
                                                          l.weights.outerStride())
                                          : PackedColumns());
    }
    return packed;
}

// Runs one sample at a time; each thread owns one. The currents of the layers fed by the network
// input are computed ahead for several steps at once (inputCurrents: they do not depend on the
// membranes), the other layers' step by step.
class SampleRunner {
public:
    // packed: packSpikeWeights(graph, ...); sparse: SimOptions::sparse.
    SampleRunner(const Graph &graph, const std::vector<PackedColumns> &packed, bool sparse)
        : m_graph(graph)
        , m_packed(packed)
        , m_sparse(sparse)
    {
        const auto &layers = graph.layers();
        m_source.reserve(layers.size());
        for (const Layer &l : layers) {
            m_source.push_back(l.source == kNetworkInput ? -1 : graph.indexOf(l.source));
            m_v.push_back(Eigen::VectorXf::Zero(l.neurons()));
            m_syn.push_back(Eigen::VectorXf::Zero(
                l.neuron.spiking && l.neuron.type == NeuronType::CubaLIF ? l.neurons() : 0));
            m_current.push_back(Eigen::MatrixXf::Zero(l.neurons(), 1));
            m_active.emplace_back();
            m_active.back().reserve(std::size_t(l.neurons()));
            m_out.push_back(Eigen::VectorXf::Zero(l.neurons()));
        }
    }

    // Starts a sample: membranes at their initial values, synaptic currents at zero.
    void reset()
    {
        const auto &layers = m_graph.layers();
        for (std::size_t k = 0; k < layers.size(); ++k) {
            initialMembranes(layers[k], m_v[k]);
            m_syn[k].setZero();
        }
    }

    // The network input of the next steps, spikes.steps() of them: step(t) takes step t's.
    void inputCurrents(const SpikeSteps &spikes)
    {
        forInputLayers(Eigen::Index(spikes.steps()), [&](std::size_t k, Eigen::MatrixXf &c) {
            accumulate(k, spikes.indices.data(), spikes.offsets.data(), spikes.steps(), c.data());
        });
    }
    // A real-valued network input: step(0) takes it (at as many steps as it lasts).
    void inputCurrents(const Eigen::VectorXf &x)
    {
        forInputLayers(1, [&](std::size_t k, Eigen::MatrixXf &c) { accumulate(k, x, c.data()); });
    }

    // One step, with column t of the input currents. perLayer(k) is called after layer k has run,
    // with its spikes in m_active[k] (spiking) or its output in m_out[k] (non-spiking; a spiking
    // layer's spikes as 1 or 0).
    template <typename PerLayer> void step(Eigen::Index t, PerLayer &&perLayer)
    {
        const auto &layers = m_graph.layers();
        for (std::size_t k = 0; k < layers.size(); ++k) {
            const Layer &l = layers[k];
            Eigen::MatrixXf &current = m_current[k];
            const int s = m_source[k];
            if (s >= 0) {
                if (layers[std::size_t(s)].neuron.spiking) {
                    const std::vector<int> &in = m_active[std::size_t(s)];
                    const std::size_t offsets[2] = {0, in.size()};
                    accumulate(k, in.data(), offsets, 1, current.data());
                } else {
                    accumulate(k, m_out[std::size_t(s)], current.data());
                }
            }
            if (!l.neuron.spiking) {
                m_out[k] = current.col(s >= 0 ? 0 : t);
            } else {
                layerStep(m_v[k].data(), m_syn[k].data(), current.col(s >= 0 ? 0 : t).data(), l,
                          m_out[k].data(), m_active[k]);
            }
            perLayer(k);
        }
    }

    const std::vector<int> &active(std::size_t k) const { return m_active[k]; }
    const Eigen::VectorXf &out(std::size_t k) const { return m_out[k]; }
    const Eigen::VectorXf &membrane(std::size_t k) const { return m_v[k]; }
    // A CubaLIF layer's synaptic currents (empty for the other layers).
    const Eigen::VectorXf &synaptic(std::size_t k) const { return m_syn[k]; }

private:
    // f(layer index, its currents resized to [neurons x columns]) for each layer fed by the network
    // input.
    template <typename F> void forInputLayers(Eigen::Index columns, F &&f)
    {
        const auto &layers = m_graph.layers();
        for (std::size_t k = 0; k < layers.size(); ++k) {
            if (m_source[k] >= 0)
                continue;
            resizeSafely(m_current[k], layers[k].neurons(), columns);
            f(k, m_current[k]);
        }
    }

    // current = W x + b for `sets` binary inputs x at once (the columns of current, [neurons x
    // sets]): set s's spikes are idx[offsets[s]], ..., idx[offsets[s + 1] - 1], and its current
    // the sum of their columns in index order, then the bias added (last, as PyTorch's Linear
    // adds it). sparse == false uses dense products instead.
    void accumulate(std::size_t k, const int *idx, const std::size_t *offsets, std::size_t sets,
                    float *current)
    {
        const Layer &l = m_graph.layers()[k];
        Eigen::Map<Eigen::MatrixXf> c(current, l.neurons(), Eigen::Index(sets));
        if (!m_sparse) {
            for (std::size_t s = 0; s < sets; ++s) {
                setZeroSafely(m_dense, l.inputs(), 1);
                for (std::size_t i = offsets[s]; i < offsets[s + 1]; ++i)
                    m_dense(idx[i]) = 1.0f;
                denseProduct(l, m_dense, c.col(Eigen::Index(s)));
            }
            return;
        }
        c.setZero();
        addColumnSets(current, l.neurons(), m_packed[k], idx, offsets, sets);
        if (l.hasBias())
            c.colwise() += l.bias;
    }
    // current = W x + b for a real input x: the columns scaled by the non-zero inputs, in index
    // order, then the bias (the order of the additions depends only on which inputs are active, so
    // removing a silent input changes no result, not even by rounding), or with sparse == false a
    // dense product.
    void accumulate(std::size_t k, const Eigen::VectorXf &x, float *current)
    {
        const Layer &l = m_graph.layers()[k];
        Eigen::Map<Eigen::VectorXf> c(current, l.neurons());
        if (!m_sparse) {
            denseProduct(l, x, c);
            return;
        }
        c.setZero();
        for (Eigen::Index j = 0; j < x.size(); ++j)
            if (x(j) != 0.0f)
                c += x(j) * l.weights.col(j);
        if (l.hasBias())
            c += l.bias;
    }
    static void denseProduct(const Layer &l, const Eigen::VectorXf &x,
                             Eigen::Ref<Eigen::VectorXf> current)
    {
        current.noalias() = l.weights * x;
        if (l.hasBias())
            current += l.bias;
    }

    const Graph &m_graph;
    const std::vector<PackedColumns> &m_packed;
    bool m_sparse;
    std::vector<int> m_source; // index of each layer's source, -1 for the network input
    std::vector<Eigen::VectorXf> m_v, m_syn, m_out;
    // Per layer: [neurons x steps] for those fed by the network input (inputCurrents), [neurons x
    // 1] for the others.
    std::vector<Eigen::MatrixXf> m_current;
    std::vector<std::vector<int>> m_active;
    Eigen::VectorXf m_dense;
};

} // namespace

QString toString(Encoding encoding)
{
    return kEncodingNames.name(encoding);
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
    // Rate encoding: the input currents of up to kWindow steps at once (SampleRunner).
    constexpr int kWindow = 32;
    const std::vector<PackedColumns> packed =
        packSpikeWeights(graph, options.encoding == Encoding::Rate, options.sparse);
#pragma omp parallel num_threads(threads)
    {
        SampleRunner runner(graph, packed, options.sparse);
        std::vector<CountVector> counts;
        for (const Layer &l : layers)
            counts.push_back(CountVector::Zero(l.neuron.spiking ? l.neurons() : 0));
        Eigen::VectorXf dense(graph.inputSize());
        SpikeSteps spikes;
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
                const auto perLayer = [&](std::size_t k) {
                    if (layers[k].neuron.spiking) {
                        for (int a : runner.active(k))
                            ++counts[k](a);
                        if (int(k) == outputIndex)
                            for (int a : runner.active(k))
                                score(a) += 1.0f;
                    } else if (int(k) == outputIndex) {
                        score += runner.out(k).transpose();
                    }
                };
                if (options.encoding == Encoding::Current) {
                    runner.inputCurrents(dense);
                    for (int t = 0; t < options.steps; ++t)
                        runner.step(0, perLayer);
                } else {
                    encoder.start(dense, options.seed, i);
                    for (int t0 = 0; t0 < options.steps; t0 += kWindow) {
                        const int window = std::min(kWindow, options.steps - t0);
                        spikes.clear();
                        for (int t = 0; t < window; ++t)
                            encoder.step(spikes);
                        runner.inputCurrents(spikes);
                        for (int t = 0; t < window; ++t)
                            runner.step(t, perLayer);
                    }
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
    SpikeSteps active;
    for (int t = 0; t < options.steps; ++t)
        encoder.step(active);
    for (int t = 0; t < options.steps; ++t)
        for (std::size_t i = active.offsets[std::size_t(t)]; i < active.offsets[std::size_t(t) + 1];
             ++i)
            spikes(t, active.indices[i]) = 1.0f;
    return spikes;
}

void runSequence(const Graph &graph, const Eigen::MatrixXf &input,
                 const std::function<void(int, int, const Eigen::VectorXf &)> &record,
                 const std::function<void(int, int, const Eigen::VectorXf &)> &membrane,
                 const std::function<void(int, int, const Eigen::VectorXf &)> &synaptic)
{
    if (input.cols() != graph.inputSize())
        throw Error(QStringLiteral("the input has %1 values per step, the network takes %2")
                        .arg(input.cols())
                        .arg(graph.inputSize()));
    const std::vector<PackedColumns> packed = packSpikeWeights(graph, false, true);
    SampleRunner runner(graph, packed, true);
    runner.reset();
    const auto &layers = graph.layers();
    Eigen::VectorXf x;
    std::vector<Eigen::VectorXf> spikes;
    for (const Layer &l : layers)
        spikes.push_back(Eigen::VectorXf::Zero(l.neurons()));
    for (int t = 0; t < int(input.rows()); ++t) {
        x = input.row(t).transpose();
        runner.inputCurrents(x);
        runner.step(0, [&](std::size_t k) {
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
            if (synaptic && runner.synaptic(k).size() > 0)
                synaptic(int(k), t, runner.synaptic(k));
        });
    }
}

} // namespace snn::sim
