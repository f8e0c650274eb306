#include "graph/Graph.h"

#include "base/Error.h"
#include "base/Names.h"
#include "base/Text.h"

#include <QLocale>
#include <QSet>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace snn {

namespace {

// Column by column, on the bits: a float is NaN or infinite exactly when its magnitude's bits
// exceed the largest finite float's (integer comparisons, which vectorise; Eigen's
// isFinite().all() does not, and cost as much as reading the weights from the file).
bool allFinite(const Eigen::Ref<const Eigen::MatrixXf> &m)
{
    constexpr std::int32_t kLargestFinite = 0x7f7fffff;
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
        const float *x = m.col(c).data();
        std::int32_t beyond = 0;
        for (Eigen::Index r = 0; r < m.rows(); ++r) {
            std::int32_t bits = 0;
            std::memcpy(&bits, x + r, sizeof bits);
            beyond |= std::int32_t((bits & 0x7fffffff) > kLargestFinite);
        }
        if (beyond)
            return false;
    }
    return true;
}

} // namespace

QString weightsShapeProblem(Eigen::Index rows, Eigen::Index cols, const QString &sourceName,
                            Eigen::Index sourceSize)
{
    if (cols == sourceSize)
        return {};
    QString message = QStringLiteral("weights are %1 but its source '%2' gives %3 values")
                          .arg(shapeText(rows, cols), sourceName)
                          .arg(sourceSize);
    if (rows == sourceSize)
        message += QStringLiteral(" (the transpose %1 would fit: weights are stored "
                                  "[n_neurons x n_inputs])")
                       .arg(shapeText(cols, rows));
    return message;
}

void Graph::setInputSize(int size)
{
    if (size != m_inputSize)
        m_inputShape.clear();
    m_inputSize = size;
}

const Layer *Graph::find(LayerId id) const
{
    const int i = indexOf(id);
    return i < 0 ? nullptr : &m_layers[std::size_t(i)];
}

const Layer &Graph::layer(LayerId id) const
{
    if (const Layer *l = find(id))
        return *l;
    throw Error(QStringLiteral("no layer with id %1").arg(id));
}

Layer &Graph::layer(LayerId id)
{
    return const_cast<Layer &>(std::as_const(*this).layer(id));
}

const Layer *Graph::findByName(const QString &name) const
{
    auto it = std::find_if(m_layers.begin(), m_layers.end(),
                           [&](const Layer &l) { return l.name == name; });
    return it == m_layers.end() ? nullptr : &*it;
}

int Graph::indexOf(LayerId id) const
{
    auto it =
        std::find_if(m_layers.begin(), m_layers.end(), [id](const Layer &l) { return l.id == id; });
    return it == m_layers.end() ? -1 : int(it - m_layers.begin());
}

LayerId Graph::addLayer(Layer layer)
{
    checkLayerName(layer.name, int(m_layers.size()));
    if (layer.source != kNetworkInput && !find(layer.source))
        throw Error(QStringLiteral("layer '%1': its source (id %2) does not exist")
                        .arg(layer.name)
                        .arg(layer.source));
    if (findByName(layer.name))
        throw Error(QStringLiteral("a layer named '%1' already exists").arg(layer.name));
    if (layer.id == kNetworkInput || find(layer.id)) {
        LayerId next = 1;
        for (const Layer &l : m_layers)
            next = std::max(next, l.id + 1);
        layer.id = next;
    }
    m_layers.push_back(std::move(layer));
    return m_layers.back().id;
}

void Graph::removeLayer(LayerId id)
{
    const int i = indexOf(id);
    if (i < 0)
        throw Error(QStringLiteral("no layer with id %1").arg(id));
    m_layers.erase(m_layers.begin() + i);
}

void Graph::setSource(LayerId id, LayerId source)
{
    Layer &target = layer(id);
    if (source != kNetworkInput && !find(source))
        throw Error(QStringLiteral("no layer with id %1").arg(source));
    const LayerId previous = target.source;
    target.source = source;
    try {
        sortTopologically();
    } catch (const Error &) {
        layer(id).source = previous;
        throw;
    }
}

std::vector<LayerId> Graph::consumers(LayerId id) const
{
    std::vector<LayerId> result;
    for (const Layer &l : m_layers)
        if (l.source == id)
            result.push_back(l.id);
    return result;
}

std::vector<LayerId> Graph::outputs() const
{
    std::unordered_set<LayerId> sources;
    for (const Layer &l : m_layers)
        sources.insert(l.source);
    std::vector<LayerId> result;
    for (const Layer &l : m_layers)
        if (!sources.count(l.id))
            result.push_back(l.id);
    return result;
}

int Graph::sourceSize(const Layer &l) const
{
    if (l.source == kNetworkInput)
        return m_inputSize;
    const Layer *src = find(l.source);
    return src ? src->neurons() : 0;
}

QString Graph::sourceName(const Layer &l) const
{
    if (l.source == kNetworkInput)
        return QStringLiteral("input");
    const Layer *src = find(l.source);
    return src ? src->name : QStringLiteral("<missing>");
}

std::int64_t Graph::totalParams() const
{
    std::int64_t n = 0;
    for (const Layer &l : m_layers)
        n += l.paramCount();
    return n;
}

std::int64_t Graph::totalNeurons() const
{
    std::int64_t n = 0;
    for (const Layer &l : m_layers)
        n += l.neurons();
    return n;
}

std::vector<std::size_t> stableTopologicalOrder(const std::vector<std::ptrdiff_t> &sources)
{
    // Taking items in rounds over the list, an item is placed in its source's round when the
    // source comes before it and in the next round when the source comes after it; so each
    // item's round follows from its source's, and the order is by round, then by position.
    const std::size_t n = sources.size();
    constexpr std::ptrdiff_t kUnknown = -1, kVisiting = -2, kNever = -3;
    std::vector<std::ptrdiff_t> round(n, kUnknown);
    std::vector<std::size_t> path;
    auto known = [&](std::ptrdiff_t s) { return s < 0 || std::size_t(s) >= n; };
    for (std::size_t start = 0; start < n; ++start) {
        if (round[start] != kUnknown)
            continue;
        path.clear();
        for (std::size_t at = start;;) {
            round[at] = kVisiting;
            path.push_back(at);
            const std::ptrdiff_t s = sources[at];
            if (known(s) || round[std::size_t(s)] != kUnknown)
                break;
            at = std::size_t(s);
        }
        for (auto it = path.rbegin(); it != path.rend(); ++it) {
            const std::ptrdiff_t s = sources[*it];
            if (s == -1)
                round[*it] = 0;
            else if (known(s) || round[std::size_t(s)] < 0)
                round[*it] = kNever;
            else
                round[*it] = round[std::size_t(s)] + (std::size_t(s) > *it ? 1 : 0);
        }
    }
    std::vector<std::size_t> count(n + 1, 0);
    for (const std::ptrdiff_t r : round)
        if (r >= 0)
            ++count[std::size_t(r) + 1];
    for (std::size_t r = 1; r <= n; ++r)
        count[r] += count[r - 1];
    std::vector<std::size_t> order(count[n]);
    for (std::size_t i = 0; i < n; ++i)
        if (round[i] >= 0)
            order[count[std::size_t(round[i])]++] = i;
    return order;
}

void Graph::sortTopologically()
{
    std::unordered_map<LayerId, std::ptrdiff_t> position;
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        position.emplace(m_layers[i].id, std::ptrdiff_t(i));
    std::vector<std::ptrdiff_t> sources;
    sources.reserve(m_layers.size());
    for (const Layer &l : m_layers) {
        const auto it = position.find(l.source);
        sources.push_back(l.source == kNetworkInput ? -1 : it == position.end() ? -2 : it->second);
    }
    const std::vector<std::size_t> order = stableTopologicalOrder(sources);
    if (order.size() != m_layers.size()) {
        std::vector<bool> placed(m_layers.size(), false);
        for (const std::size_t i : order)
            placed[i] = true;
        QStringList stuck;
        for (std::size_t i = 0; i < m_layers.size(); ++i) {
            if (placed[i])
                continue;
            if (sources[i] == -2)
                throw Error(
                    QStringLiteral("layer '%1': its source does not exist").arg(m_layers[i].name));
            stuck << m_layers[i].name;
        }
        throw Error(
            QStringLiteral("the layers %1 form a cycle").arg(stuck.join(QStringLiteral(", "))));
    }
    std::vector<Layer> sorted;
    sorted.reserve(m_layers.size());
    for (const std::size_t i : order)
        sorted.push_back(std::move(m_layers[i]));
    m_layers = std::move(sorted);
}

void Graph::validate() const
{
    if (m_inputSize <= 0)
        throw Error(
            QStringLiteral("the network input size must be positive, not %1").arg(m_inputSize));
    if (const QString problem = inputShapeProblem(m_inputShape, m_inputSize); !problem.isEmpty())
        throw Error(problem);
    if (m_dt && !(*m_dt > 0.0 && std::isfinite(*m_dt)))
        throw Error(
            QStringLiteral("the time step dt must be a positive number, not %1").arg(*m_dt));
    // The layers seen so far by id and by name, so that the checks take linear time.
    std::unordered_map<LayerId, const Layer *> earlier;
    QSet<QString> names;
    earlier.reserve(m_layers.size());
    names.reserve(qsizetype(m_layers.size()));
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        const Layer &l = m_layers[i];
        const QString where = QStringLiteral("layer '%1'").arg(l.name);
        checkLayerName(l.name, int(i));
        if (l.id == kNetworkInput)
            throw Error(where + QStringLiteral(": invalid id 0"));
        if (names.contains(l.name))
            throw Error(QStringLiteral("two layers are named '%1'").arg(l.name));
        if (earlier.count(l.id))
            throw Error(where + QStringLiteral(": id %1 is used twice").arg(l.id));
        const Layer *source = nullptr;
        if (l.source != kNetworkInput) {
            const auto it = earlier.find(l.source);
            if (it == earlier.end()) {
                if (const Layer *later = find(l.source))
                    throw Error(where + QStringLiteral(": its source '%1' comes after it (a cycle "
                                                       "or unsorted layers)")
                                            .arg(later->name));
                throw Error(where + QStringLiteral(": its source does not exist"));
            }
            source = it->second;
        }
        names.insert(l.name);
        earlier.emplace(l.id, &l);
        if (l.neurons() == 0)
            throw Error(where + QStringLiteral(": has no neurons"));
        if (const QString problem = weightsShapeProblem(
                l.weights.rows(), l.weights.cols(), source ? source->name : QStringLiteral("input"),
                source ? source->neurons() : m_inputSize);
            !problem.isEmpty())
            throw Error(where + QStringLiteral(": ") + problem);
        if (l.hasBias() && l.bias.size() != l.neurons())
            throw Error(where + QStringLiteral(": bias has %1 entries for %2 neurons")
                                    .arg(l.bias.size())
                                    .arg(l.neurons()));
        if (l.hasRates() && l.rates.size() != l.neurons())
            throw Error(where + QStringLiteral(": firing_rates has %1 entries for %2 neurons")
                                    .arg(l.rates.size())
                                    .arg(l.neurons()));
        if (!allFinite(l.weights))
            throw Error(where + QStringLiteral(": weights contain NaN or Inf"));
        if (const QString problem = layerValuesProblem(l); !problem.isEmpty())
            throw Error(where + QStringLiteral(": ") + problem);
        if (const QString problem = perNeuronProblem(l); !problem.isEmpty())
            throw Error(where + QStringLiteral(": ") + problem);
    }
}

QString inputShapeProblem(const std::vector<int> &shape, int inputSize)
{
    if (shape.empty())
        return {};
    std::int64_t product = 1;
    for (const int d : shape)
        product = d < 1 ? 0 : std::min<std::int64_t>(product * d, std::int64_t(1) << 40);
    if (product == inputSize)
        return {};
    return QStringLiteral("the input shape %1 does not hold the %2 inputs")
        .arg(shapeText(std::vector<quint64>(shape.begin(), shape.end())))
        .arg(inputSize);
}

QString layerValuesProblem(const Layer &l)
{
    if (!allFinite(l.bias))
        return QStringLiteral("bias contains NaN or Inf");
    if (!allFinite(l.rates))
        return QStringLiteral("firing_rates contain NaN or Inf");
    if (l.hasRates() && (l.rates.minCoeff() < 0.0f || l.rates.maxCoeff() > 1.0f))
        return QStringLiteral("firing rates must lie in [0, 1] (spikes per step), found %1 to %2")
            .arg(double(l.rates.minCoeff()))
            .arg(double(l.rates.maxCoeff()));
    return neuronParamsProblem(l.neuron);
}

QString neuronParamsProblem(const NeuronParams &p)
{
    if (!std::isfinite(p.threshold) || p.threshold <= 0.0f)
        return QStringLiteral("threshold must be a positive number, not %1")
            .arg(double(p.threshold));
    if (!std::isfinite(p.beta) || p.beta < 0.0f || p.beta > 1.0f)
        return QStringLiteral("beta must lie in [0, 1], not %1").arg(double(p.beta));
    if (p.type == NeuronType::IF && p.beta != 1.0f)
        return QStringLiteral("an IF layer has beta = 1, not %1").arg(double(p.beta));
    if (!std::isfinite(p.resetValue))
        return QStringLiteral("the reset value must be a number, not %1").arg(double(p.resetValue));
    if (p.resetValue != 0.0f && !resetsToValue(p.reset))
        return QStringLiteral("a reset value (%1) needs the zero or zero-next reset, not %2")
            .arg(double(p.resetValue))
            .arg(toString(p.reset));
    if (!std::isfinite(p.alpha) || p.alpha < 0.0f || p.alpha > 1.0f)
        return QStringLiteral("alpha must lie in [0, 1], not %1").arg(double(p.alpha));
    if (p.alpha != 0.0f && p.type != NeuronType::CubaLIF)
        return QStringLiteral("alpha (the synaptic current's decay) is for CubaLIF neurons; a %1 "
                              "layer has alpha 0, not %2")
            .arg(toString(p.type))
            .arg(double(p.alpha));
    if (!std::isfinite(p.initial))
        return QStringLiteral("the initial membrane must be a number, not %1")
            .arg(double(p.initial));
    return {};
}

QString perNeuronProblem(const Layer &l, int neurons)
{
    if (l.perNeuron.isEmpty())
        return {};
    const Eigen::Index n = neurons < 0 ? l.neurons() : neurons;
    for (const auto &[name, v] : l.perNeuron.fields())
        if (v->size() != 0 && v->size() != n)
            return QStringLiteral("%1 per neuron has %2 entries for %3 neurons")
                .arg(QLatin1String(name))
                .arg(v->size())
                .arg(n);
    // Each neuron's values as the layer's own: the same rules, the same messages.
    for (int i = 0; i < int(n); ++i) {
        NeuronParams p = l.neuron;
        p.beta = l.beta(i);
        p.threshold = l.threshold(i);
        p.alpha = l.alpha(i);
        p.initial = l.initial(i);
        if (const QString problem = neuronParamsProblem(p); !problem.isEmpty())
            return QStringLiteral("neuron %1: %2").arg(i).arg(problem);
    }
    return {};
}

QString layersText(qsizetype count)
{
    return countText(count, "layer");
}

QString countText(qint64 count, const char *noun)
{
    return QStringLiteral("%1 %2%3").arg(QLocale(QLocale::English).toString(count),
                                         QLatin1String(noun),
                                         count == 1 ? QString() : QStringLiteral("s"));
}

} // namespace snn
