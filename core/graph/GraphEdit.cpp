#include "graph/GraphEdit.h"

#include "base/Error.h"
#include "base/Names.h"
#include "base/Rng.h"

#include <algorithm>

namespace snn::edit {

namespace {

// Resizes a [rows x cols] matrix in place, keeping the top-left block and filling new entries
// with new weights (row by row) from a generator seeded for layer `id`.
void resizeMatrix(Eigen::MatrixXf &m, int rows, int cols, LayerId id)
{
    if (m.rows() == rows && m.cols() == cols)
        return;
    Rng rng(kEditSeed + std::uint64_t(id));
    Eigen::MatrixXf out(rows, cols);
    const Eigen::Index keepRows = std::min<Eigen::Index>(rows, m.rows());
    const Eigen::Index keepCols = std::min<Eigen::Index>(cols, m.cols());
    for (Eigen::Index r = 0; r < rows; ++r)
        for (Eigen::Index c = 0; c < cols; ++c)
            out(r, c) =
                r < keepRows && c < keepCols ? m(r, c) : float(rng.normal()) * kNewWeightScale;
    m = std::move(out);
}

void resizeInputs(Layer &layer, int inputs)
{
    resizeMatrix(layer.weights, layer.neurons(), inputs, layer.id);
}

QString nameOf(const Graph &graph, LayerId id)
{
    return id == kNetworkInput ? QStringLiteral("input") : graph.layer(id).name;
}

} // namespace

void resizeLayer(Graph &graph, LayerId id, int neurons)
{
    Layer &layer = graph.layer(id);
    if (neurons < 1)
        throw Error(QStringLiteral("layer '%1': a layer needs at least one neuron, not %2")
                        .arg(layer.name)
                        .arg(neurons));
    const int old = layer.neurons();
    if (neurons == old)
        return;
    resizeMatrix(layer.weights, neurons, layer.inputs(), layer.id);
    if (layer.hasBias()) {
        Eigen::VectorXf bias = Eigen::VectorXf::Zero(neurons);
        const int keep = std::min(neurons, old);
        bias.head(keep) = layer.bias.head(keep);
        layer.bias = std::move(bias);
    }
    if (neurons > old) {
        layer.rates.resize(0);
        layer.ratesSource.clear();
    } else if (layer.hasRates())
        layer.rates = Eigen::VectorXf(layer.rates.head(neurons));
    // Values per neuron: the kept neurons keep theirs, new ones take the first neuron's.
    for (auto &[field, values] : layer.perNeuron.fields()) {
        if (values->size() == 0)
            continue;
        Eigen::VectorXf resized = Eigen::VectorXf::Constant(neurons, (*values)(0));
        const int keep = std::min(neurons, old);
        resized.head(keep) = values->head(keep);
        layer.setPerNeuron(field, resized);
    }
    for (LayerId consumer : graph.consumers(id))
        resizeInputs(graph.layer(consumer), neurons);
}

void setLayerSource(Graph &graph, LayerId id, LayerId source)
{
    const QString name = graph.layer(id).name;
    if (source == id)
        throw Error(QStringLiteral("layer '%1' cannot feed itself").arg(name));
    if (source != kNetworkInput && !graph.find(source))
        throw Error(QStringLiteral("layer '%1': no layer with id %2 to connect from")
                        .arg(name)
                        .arg(source));
    if (graph.layer(id).source == source)
        return;
    try {
        graph.setSource(id, source);
    } catch (const Error &) {
        throw Error(QStringLiteral("connecting '%1' to '%2' would make a cycle")
                        .arg(nameOf(graph, source), name));
    }
    Layer &layer = graph.layer(id);
    resizeInputs(layer, graph.sourceSize(layer));
}

void removeLayer(Graph &graph, LayerId id)
{
    const Layer &layer = graph.layer(id);
    const LayerId source = layer.source;
    const std::vector<LayerId> consumers = graph.consumers(id);
    for (LayerId consumer : consumers)
        graph.layer(consumer).source = source;
    graph.removeLayer(id);
    graph.sortTopologically();
    for (LayerId consumer : consumers) {
        Layer &c = graph.layer(consumer);
        resizeInputs(c, graph.sourceSize(c));
    }
}

Layer newLayer(const Graph &graph, LayerId source, int neurons, const QString &name)
{
    if (neurons < 1)
        throw Error(QStringLiteral("a layer needs at least one neuron, not %1").arg(neurons));
    if (source != kNetworkInput && !graph.find(source))
        throw Error(QStringLiteral("no layer with id %1 to connect from").arg(source));
    Layer layer;
    layer.id = nextLayerId(graph);
    layer.source = source;
    layer.name = name.isEmpty() ? uniqueName(graph, QStringLiteral("layer")) : name;
    checkLayerName(layer.name, graph.layerCount());
    if (graph.findByName(layer.name))
        throw Error(QStringLiteral("a layer named '%1' already exists").arg(layer.name));
    const int inputs = source == kNetworkInput ? graph.inputSize() : graph.layer(source).neurons();
    Eigen::MatrixXf empty(0, 0);
    resizeMatrix(empty, neurons, inputs, layer.id);
    layer.weights = std::move(empty);
    return layer;
}

void renameLayer(Graph &graph, LayerId id, const QString &name)
{
    graph.layer(id).name = checkedName(graph, id, name);
}

QString checkedName(const Graph &graph, LayerId id, const QString &name)
{
    const Layer &layer = graph.layer(id);
    const QString trimmed = name.trimmed();
    checkLayerName(trimmed, QStringLiteral("layer '%1'").arg(layer.name));
    if (trimmed != layer.name && graph.findByName(trimmed))
        throw Error(QStringLiteral("a layer named '%1' already exists").arg(trimmed));
    return trimmed;
}

LayerId nextLayerId(const Graph &graph)
{
    LayerId next = 1;
    for (const Layer &l : graph.layers())
        next = std::max(next, l.id + 1);
    return next;
}

QString uniqueName(const Graph &graph, const QString &base)
{
    for (int i = 1;; ++i) {
        const QString name = base + QString::number(i);
        if (!graph.findByName(name))
            return name;
    }
}

std::map<LayerId, QPointF> autoLayout(const Graph &graph)
{
    std::map<LayerId, int> depth;
    std::map<int, int> rowsInColumn;
    std::map<LayerId, QPointF> positions;
    // Layers are in topological order, so a source's depth is known before its consumers'.
    for (const Layer &l : graph.layers()) {
        const int d = l.source == kNetworkInput ? 1 : depth[l.source] + 1;
        depth[l.id] = d;
        const int row = rowsInColumn[d]++;
        positions[l.id] = QPointF(d * kColumnSpacing, row * kRowSpacing);
    }
    return positions;
}

} // namespace snn::edit
