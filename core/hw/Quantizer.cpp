#include "hw/Quantizer.h"

#include "base/Error.h"

#include <algorithm>
#include <cmath>

namespace snn::hw {

int QuantizedNetwork::countBits() const
{
    int bits = 1;
    while ((1 << bits) <= config.steps)
        ++bits;
    return bits;
}

int maxWeight(int bits)
{
    return (1 << (bits - 1)) - 1;
}

std::int64_t saturate(std::int64_t value, int bits)
{
    const std::int64_t hi = (std::int64_t(1) << (bits - 1)) - 1;
    const std::int64_t lo = -(std::int64_t(1) << (bits - 1));
    return std::clamp(value, lo, hi);
}

// Rounds to the nearest integer, saturating beyond +-2^62 (llround is undefined past int64's
// range; a threshold of 3e38 must read as too large, not wrap to a negative number).
std::int64_t roundToInt(double value)
{
    constexpr double limit = 4.6e18;
    if (value >= limit)
        return std::int64_t(limit);
    if (value <= -limit)
        return -std::int64_t(limit);
    return std::int64_t(std::llround(value));
}

int leakShiftFor(float beta, int membraneBits)
{
    if (beta >= 1.0f)
        return 0;
    const double k = std::round(-std::log2(1.0 - double(beta)));
    return int(std::clamp(k, 1.0, double(membraneBits - 2)));
}

void QuantConfig::validate() const
{
    if (weightBits < 2 || weightBits > 8)
        throw Error(QStringLiteral("weight bits must be 2 to 8, got %1").arg(weightBits));
    if (membraneBits < 8 || membraneBits > 24)
        throw Error(QStringLiteral("membrane bits must be 8 to 24, got %1").arg(membraneBits));
    if (steps < 1 || steps > 255)
        throw Error(QStringLiteral("time steps must be 1 to 255, got %1").arg(steps));
    if (seed == 0)
        throw Error(QStringLiteral("the input generator seed must not be 0"));
    if (!(clipPercentile >= 50.0 && clipPercentile <= 100.0))
        throw Error(QStringLiteral("the clipping percentile must be 50 to 100, got %1")
                        .arg(clipPercentile));
}

double clipMagnitude(const Eigen::MatrixXf &weights, double percentile)
{
    if (weights.size() == 0)
        return 0.0;
    std::vector<float> magnitudes(std::size_t(weights.size()));
    for (Eigen::Index i = 0; i < weights.size(); ++i)
        magnitudes[std::size_t(i)] = std::abs(weights.data()[i]);
    // Nearest rank: the smallest value with at least `percentile` % of the values at or below it.
    const auto n = double(magnitudes.size());
    const auto rank = std::size_t(std::clamp(std::ceil(percentile / 100.0 * n), 1.0, n)) - 1;
    std::nth_element(magnitudes.begin(), magnitudes.begin() + std::ptrdiff_t(rank),
                     magnitudes.end());
    return double(magnitudes[rank]);
}

namespace {

// Throws Error naming the layer when its neurons are not the core's: one state (the membrane),
// one leak and one threshold per layer, spikes at v > threshold, an immediate reset to 0 or by
// subtraction, membranes starting at 0 (docs/hardware.md).
void checkNeuronsFitCore(const Layer &l)
{
    const NeuronParams &p = l.neuron;
    if (p.type == NeuronType::CubaLIF)
        throw Error(QStringLiteral("layer %1 is CubaLIF: the hardware core has no synaptic current "
                                   "(a second state per neuron); it runs LIF and IF neurons")
                        .arg(l.name));
    for (const auto &[field, values] : l.perNeuron.fields())
        if (values->size() > 0)
            throw Error(QStringLiteral("layer %1: its %2 differs between the neurons (%3 to %4): "
                                       "the hardware core has one per layer")
                            .arg(l.name, QString::fromLatin1(field).replace(QLatin1Char('_'),
                                                                            QLatin1Char(' ')))
                            .arg(double(values->minCoeff()))
                            .arg(double(values->maxCoeff())));
    if (p.reset == ResetMode::SubtractNext || p.reset == ResetMode::SubtractNoDelay ||
        p.reset == ResetMode::ZeroNext)
        throw Error(QStringLiteral("layer %1: the hardware resets at once (subtract or zero); "
                                   "it does not implement the %2 reset")
                        .arg(l.name, toString(p.reset)));
    if (p.resetValue != 0.0f)
        throw Error(QStringLiteral("layer %1: the hardware's zero reset sets the membrane to "
                                   "0, not to %2")
                        .arg(l.name)
                        .arg(double(p.resetValue)));
    if (p.firing != Firing::Above)
        throw Error(QStringLiteral("layer %1 fires at v >= threshold: the hardware fires at v > "
                                   "threshold")
                        .arg(l.name));
    if (p.initial != 0.0f)
        throw Error(QStringLiteral("layer %1's membranes start at %2: the hardware starts them "
                                   "at 0")
                        .arg(l.name)
                        .arg(double(p.initial)));
}

} // namespace

double weightScale(const Eigen::MatrixXf &weights, const QuantConfig &config)
{
    const double maxAbs = clipMagnitude(weights, config.clipPercentile);
    return maxAbs > 0.0 ? maxWeight(config.weightBits) / maxAbs : 1.0;
}

int quantizeWeight(float weight, double scale, int bits)
{
    const int qmax = maxWeight(bits);
    return int(std::clamp<std::int64_t>(roundToInt(double(weight) * scale), -qmax, qmax));
}

QuantizedNetwork quantize(const Graph &graph, const QuantConfig &config)
{
    config.validate();
    if (graph.isEmpty())
        throw Error(QStringLiteral("the graph has no layers"));
    graph.validate();

    QuantizedNetwork net;
    net.config = config;
    net.inputSize = graph.inputSize();
    const std::int64_t vmax = (std::int64_t(1) << (config.membraneBits - 1)) - 1;
    LayerId expectedSource = kNetworkInput;
    for (const Layer &l : graph.layers()) {
        if (l.source != expectedSource)
            throw Error(
                QStringLiteral("layer %1: the hardware runs a chain of layers, but %1 is fed "
                               "by %2 instead of the previous layer")
                    .arg(l.name, graph.sourceName(l)));
        if (!l.neuron.spiking)
            throw Error(
                QStringLiteral("layer %1 is not spiking (linear); the hardware runs spiking "
                               "layers only")
                    .arg(l.name));
        if (!(l.neuron.threshold > 0.0f))
            throw Error(QStringLiteral("layer %1: threshold %2 must be positive for the hardware")
                            .arg(l.name)
                            .arg(double(l.neuron.threshold)));
        checkNeuronsFitCore(l);
        expectedSource = l.id;

        QuantLayer q;
        q.name = l.name;
        q.inputs = l.inputs();
        q.neurons = l.neurons();
        q.scale = weightScale(l.weights, config);
        q.weights.resize(std::size_t(l.weights.size()));
        for (int n = 0; n < q.neurons; ++n)
            for (int j = 0; j < q.inputs; ++j)
                q.weights[std::size_t(n) * std::size_t(q.inputs) + std::size_t(j)] =
                    quantizeWeight(l.weights(n, j), q.scale, config.weightBits);
        const std::int64_t threshold = roundToInt(double(l.neuron.threshold) * q.scale);
        if (threshold < 1)
            throw Error(QStringLiteral("layer %1: threshold %2 rounds to 0 at scale %3; use more "
                                       "weight bits")
                            .arg(l.name)
                            .arg(double(l.neuron.threshold))
                            .arg(q.scale));
        if (threshold > vmax)
            throw Error(
                QStringLiteral("layer %1: threshold %2 is %3 at scale %4, beyond the %5-bit "
                               "membrane (max %6); use fewer weight bits or a wider membrane")
                    .arg(l.name)
                    .arg(double(l.neuron.threshold))
                    .arg(threshold)
                    .arg(q.scale)
                    .arg(config.membraneBits)
                    .arg(vmax));
        q.threshold = int(threshold);
        q.bias.assign(std::size_t(q.neurons), 0);
        for (int n = 0; n < q.neurons && l.hasBias(); ++n) {
            const std::int64_t b = roundToInt(double(l.bias(n)) * q.scale);
            if (b > vmax || b < -vmax - 1)
                throw Error(QStringLiteral("layer %1: bias %2 of neuron %3 does not fit the %4-bit "
                                           "membrane at scale %5")
                                .arg(l.name)
                                .arg(double(l.bias(n)))
                                .arg(n)
                                .arg(config.membraneBits)
                                .arg(q.scale));
            q.bias[std::size_t(n)] = int(b);
        }
        q.leakShift =
            l.neuron.type == NeuronType::IF ? 0 : leakShiftFor(l.neuron.beta, config.membraneBits);
        q.reset = l.neuron.reset;
        net.layers.push_back(std::move(q));
    }
    return net;
}

Graph onGrid(const Graph &graph, const QuantizedNetwork &net)
{
    Graph g = graph;
    if (std::size_t(g.layerCount()) != net.layers.size())
        throw Error(QStringLiteral("the quantised network has %1 layers, the graph %2")
                        .arg(net.layers.size())
                        .arg(g.layerCount()));
    for (std::size_t k = 0; k < net.layers.size(); ++k) {
        const QuantLayer &q = net.layers[k];
        Layer &l = g.layer(g.layers()[k].id);
        if (l.neurons() != q.neurons || l.inputs() != q.inputs)
            throw Error(QStringLiteral("layer %1 does not match its quantised shape").arg(l.name));
        for (int n = 0; n < q.neurons; ++n)
            for (int j = 0; j < q.inputs; ++j)
                l.weights(n, j) = float(q.weight(n, j) / q.scale);
        if (l.hasBias())
            for (int n = 0; n < q.neurons; ++n)
                l.bias(n) = float(q.bias[std::size_t(n)] / q.scale);
        l.neuron.threshold = float(q.threshold / q.scale);
        if (q.leakShift > 0)
            l.neuron.beta = 1.0f - std::ldexp(1.0f, -q.leakShift);
    }
    return g;
}

std::uint32_t xorshift32(std::uint32_t x)
{
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

std::vector<std::uint8_t> intensities(const Eigen::VectorXf &values)
{
    std::vector<std::uint8_t> out(std::size_t(values.size()));
    for (Eigen::Index i = 0; i < values.size(); ++i) {
        const double x = std::clamp(double(values(i)), 0.0, 1.0);
        out[std::size_t(i)] = std::uint8_t(roundToInt(x * 255.0));
    }
    return out;
}

Eigen::MatrixXf inputSpikes(const QuantConfig &config, const std::vector<std::uint8_t> &input)
{
    const int n = int(input.size());
    Eigen::MatrixXf spikes = Eigen::MatrixXf::Zero(config.steps, n);
    std::uint32_t state = config.seed;
    for (int t = 0; t < config.steps; ++t)
        for (int j = 0; j < n; ++j) {
            state = xorshift32(state);
            if ((state >> 24) < input[std::size_t(j)])
                spikes(t, j) = 1.0f;
        }
    return spikes;
}

int argmaxLowest(const std::vector<int> &counts)
{
    int best = 0;
    for (int i = 1; i < int(counts.size()); ++i)
        if (counts[std::size_t(i)] > counts[std::size_t(best)])
            best = i;
    return best;
}

ModelRunner::ModelRunner(const QuantizedNetwork &net)
    : m_net(net)
    , m_hi((std::int32_t(1) << (net.config.membraneBits - 1)) - 1)
    , m_lo(-m_hi - 1)
{
    for (const QuantLayer &l : net.layers) {
        std::vector<std::int32_t> columns(l.weights.size());
        for (int n = 0; n < l.neurons; ++n)
            for (int j = 0; j < l.inputs; ++j)
                columns[std::size_t(j) * std::size_t(l.neurons) + std::size_t(n)] = l.weight(n, j);
        m_columns.push_back(std::move(columns));
        m_v.emplace_back(std::size_t(l.neurons));
    }
}

template <bool Traced>
ModelResult ModelRunner::sample(const std::vector<std::uint8_t> &input, ModelTrace *trace)
{
    if (int(input.size()) != m_net.inputSize)
        throw Error(QStringLiteral("the sample has %1 values, the network takes %2")
                        .arg(input.size())
                        .arg(m_net.inputSize));
    for (std::size_t k = 0; k < m_net.layers.size(); ++k) // a sample starts with v = bias
        std::copy(m_net.layers[k].bias.begin(), m_net.layers[k].bias.end(), m_v[k].begin());
    ModelResult result;
    result.counts.assign(std::size_t(m_net.outputSize()), 0);
    const int steps = m_net.config.steps;
    if (Traced) {
        trace->spikes.assign(std::size_t(steps), {});
        trace->accumulated.assign(std::size_t(steps), {});
        trace->membranes.assign(std::size_t(steps), {});
        trace->inputSpikes.assign(std::size_t(steps), 0);
        trace->inputs.assign(std::size_t(steps), {});
    }
    std::uint32_t state = m_net.config.seed;
    for (int t = 0; t < steps; ++t) {
        m_previous.assign(std::size_t(m_net.inputSize), 0); // the generator's spikes
        for (int j = 0; j < m_net.inputSize; ++j) {
            state = xorshift32(state);
            m_previous[std::size_t(j)] = (state >> 24) < input[std::size_t(j)] ? 1 : 0;
        }
        if (Traced) {
            trace->inputs[std::size_t(t)] = m_previous;
            trace->inputSpikes[std::size_t(t)] =
                int(std::count(m_previous.begin(), m_previous.end(), 1));
        }
        for (std::size_t k = 0; k < m_net.layers.size(); ++k) {
            const QuantLayer &l = m_net.layers[k];
            std::int32_t *v = m_v[k].data();
            addInput(k);
            // Sweep: threshold, reset, then leak and bias for the next step.
            if (Traced)
                trace->accumulated[std::size_t(t)].emplace_back(v, v + l.neurons);
            m_current.assign(std::size_t(l.neurons), 0);
            for (int n = 0; n < l.neurons; ++n) {
                std::int32_t x = v[n];
                if (x > l.threshold) {
                    m_current[std::size_t(n)] = 1;
                    x = l.reset == ResetMode::Zero ? 0 : std::clamp(x - l.threshold, m_lo, m_hi);
                }
                if (l.leakShift > 0)
                    x = x - (x >> l.leakShift);
                v[n] = std::clamp(x + l.bias[std::size_t(n)], m_lo, m_hi);
            }
            if (k + 1 == m_net.layers.size())
                for (int n = 0; n < l.neurons; ++n)
                    result.counts[std::size_t(n)] += m_current[std::size_t(n)];
            if (Traced) {
                trace->spikes[std::size_t(t)].push_back(m_current);
                trace->membranes[std::size_t(t)].emplace_back(v, v + l.neurons);
            }
            m_previous.swap(m_current);
        }
    }
    result.predicted = argmaxLowest(result.counts);
    return result;
}

void ModelRunner::addInput(std::size_t k)
{
    const QuantLayer &l = m_net.layers[k];
    m_sum.assign(std::size_t(l.neurons), 0);
    for (int j = 0; j < l.inputs; ++j) {
        if (m_previous[std::size_t(j)] == 0)
            continue;
        const std::int32_t *w = m_columns[k].data() + std::size_t(j) * std::size_t(l.neurons);
        for (int n = 0; n < l.neurons; ++n)
            m_sum[std::size_t(n)] += w[n];
    }
    std::int32_t *v = m_v[k].data();
    for (int n = 0; n < l.neurons; ++n)
        v[n] = std::int32_t(
            std::clamp<std::int64_t>(std::int64_t(v[n]) + m_sum[std::size_t(n)], m_lo, m_hi));
}

ModelResult ModelRunner::run(const std::vector<std::uint8_t> &input, ModelTrace *trace)
{
    return trace ? sample<true>(input, trace) : sample<false>(input, nullptr);
}

ModelResult runModel(const QuantizedNetwork &net, const std::vector<std::uint8_t> &input,
                     ModelTrace *trace)
{
    return ModelRunner(net).run(input, trace);
}

} // namespace snn::hw
