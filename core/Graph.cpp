#include "Graph.h"

#include "Error.h"
#include "Names.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace snn {

namespace {

bool allFinite(const Eigen::Ref<const Eigen::MatrixXf> &m)
{
    return m.array().isFinite().all();
}

QString shape(Eigen::Index rows, Eigen::Index cols)
{
    return QStringLiteral("[%1 x %2]").arg(rows).arg(cols);
}

} // namespace

QString weightsShapeProblem(Eigen::Index rows, Eigen::Index cols, const QString &sourceName,
                            Eigen::Index sourceSize)
{
    if (cols == sourceSize)
        return {};
    QString message = QStringLiteral("weights are %1 but its source '%2' gives %3 values")
                          .arg(shape(rows, cols), sourceName)
                          .arg(sourceSize);
    if (rows == sourceSize)
        message += QStringLiteral(" (the transpose %1 would fit: weights are stored "
                                  "[n_neurons x n_inputs])")
                       .arg(shape(cols, rows));
    return message;
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
    std::vector<LayerId> result;
    for (const Layer &l : m_layers)
        if (isOutput(l.id))
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

void Graph::sortTopologically()
{
    // Kahn's algorithm, taking layers in their current order whenever several are ready, so an
    // already sorted graph keeps its order.
    std::vector<Layer> sorted;
    sorted.reserve(m_layers.size());
    std::vector<bool> placed(m_layers.size(), false);
    auto isPlaced = [&](LayerId id) {
        if (id == kNetworkInput)
            return true;
        const int i = indexOf(id);
        if (i < 0)
            return false;
        return bool(placed[std::size_t(i)]);
    };
    for (std::size_t round = 0; round < m_layers.size(); ++round) {
        bool progressed = false;
        for (std::size_t i = 0; i < m_layers.size(); ++i) {
            if (placed[i] || !isPlaced(m_layers[i].source))
                continue;
            placed[i] = true;
            sorted.push_back(m_layers[i]);
            progressed = true;
        }
        if (!progressed)
            break;
    }
    if (sorted.size() != m_layers.size()) {
        QStringList stuck;
        for (std::size_t i = 0; i < m_layers.size(); ++i) {
            if (placed[i])
                continue;
            if (m_layers[i].source != kNetworkInput && !find(m_layers[i].source))
                throw Error(
                    QStringLiteral("layer '%1': its source does not exist").arg(m_layers[i].name));
            stuck << m_layers[i].name;
        }
        throw Error(
            QStringLiteral("the layers %1 form a cycle").arg(stuck.join(QStringLiteral(", "))));
    }
    m_layers = std::move(sorted);
}

void Graph::validate() const
{
    if (m_inputSize <= 0)
        throw Error(
            QStringLiteral("the network input size must be positive, not %1").arg(m_inputSize));
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        const Layer &l = m_layers[i];
        const QString where = QStringLiteral("layer '%1'").arg(l.name);
        checkLayerName(l.name, int(i));
        if (l.id == kNetworkInput)
            throw Error(where + QStringLiteral(": invalid id 0"));
        for (std::size_t j = 0; j < i; ++j) {
            if (m_layers[j].name == l.name)
                throw Error(QStringLiteral("two layers are named '%1'").arg(l.name));
            if (m_layers[j].id == l.id)
                throw Error(where + QStringLiteral(": id %1 is used twice").arg(l.id));
        }
        if (l.source != kNetworkInput) {
            const int s = indexOf(l.source);
            if (s < 0)
                throw Error(where + QStringLiteral(": its source does not exist"));
            if (std::size_t(s) >= i)
                throw Error(where + QStringLiteral(": its source '%1' comes after it (a cycle or "
                                                   "unsorted layers)")
                                        .arg(m_layers[std::size_t(s)].name));
        }
        if (l.neurons() == 0)
            throw Error(where + QStringLiteral(": has no neurons"));
        if (const QString problem = weightsShapeProblem(l.weights.rows(), l.weights.cols(),
                                                        sourceName(l), sourceSize(l));
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
        if (!allFinite(l.bias))
            throw Error(where + QStringLiteral(": bias contains NaN or Inf"));
        if (!allFinite(l.rates))
            throw Error(where + QStringLiteral(": firing_rates contain NaN or Inf"));
        if (l.hasRates() && (l.rates.minCoeff() < 0.0f || l.rates.maxCoeff() > 1.0f))
            throw Error(where +
                        QStringLiteral(": firing rates must lie in [0, 1] (spikes per step), "
                                       "found %1 to %2")
                            .arg(double(l.rates.minCoeff()))
                            .arg(double(l.rates.maxCoeff())));
        const NeuronParams &p = l.neuron;
        if (!std::isfinite(p.threshold) || p.threshold <= 0.0f)
            throw Error(where + QStringLiteral(": threshold must be a positive number, not %1")
                                    .arg(double(p.threshold)));
        if (!std::isfinite(p.beta) || p.beta < 0.0f || p.beta > 1.0f)
            throw Error(where +
                        QStringLiteral(": beta must lie in [0, 1], not %1").arg(double(p.beta)));
        if (p.type == NeuronType::IF && p.beta != 1.0f)
            throw Error(where +
                        QStringLiteral(": an IF layer has beta = 1, not %1").arg(double(p.beta)));
        if (!std::isfinite(p.resetValue))
            throw Error(where + QStringLiteral(": the reset value must be a number, not %1")
                                    .arg(double(p.resetValue)));
        if (p.resetValue != 0.0f && p.reset != ResetMode::Zero)
            throw Error(where + QStringLiteral(": a reset value (%1) needs the zero reset, not %2")
                                    .arg(double(p.resetValue))
                                    .arg(toString(p.reset)));
    }
}

} // namespace snn
