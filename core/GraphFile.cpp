#include "GraphFile.h"

#include "AtomicFile.h"
#include "Error.h"
#include "Hdf5.h"
#include "Names.h"

#include <QFileInfo>

#include <cmath>
#include <map>

namespace snn {

namespace {

const QString kFormat = QStringLiteral("snn-studio");

QString shapeText(const h5::RowMatrixXf &m)
{
    return QStringLiteral("[%1 x %2]").arg(m.rows()).arg(m.cols());
}

struct FileLayer {
    Layer layer;
    QString input;
};

FileLayer readLayer(hid_t layers, const QString &key)
{
    h5::Handle group = h5::openGroup(layers, key);
    FileLayer result;
    Layer &l = result.layer;
    const QString where = QStringLiteral("layer %1").arg(key);
    std::optional<QString> name;
    try {
        name = h5::readStringAttribute(group, QStringLiteral("name"));
    } catch (const Error &e) {
        throw Error(where + QStringLiteral(": ") + e.message());
    }
    if (!name)
        throw Error(where + QStringLiteral(" has no name attribute"));
    checkLayerName(*name, where);
    l.name = *name;
    try {
        const std::optional<QString> type =
            h5::readStringAttribute(group, QStringLiteral("neuron_type"));
        if (!type)
            throw Error(QStringLiteral("missing attribute 'neuron_type'"));
        if (!parseNeuronType(*type, &l.neuron.type))
            throw Error(QStringLiteral("unknown neuron_type '%1' (expected LIF or IF)").arg(*type));
        const std::optional<QString> input =
            h5::readStringAttribute(group, QStringLiteral("input"));
        if (!input)
            throw Error(QStringLiteral("missing attribute 'input'"));
        if (!input->isEmpty())
            checkLayerName(*input, QStringLiteral("input"));
        result.input = *input;
        l.neuron.beta = l.neuron.type == NeuronType::IF ? 1.0f : 0.9f;
        if (auto v = h5::readNumberAttribute(group, QStringLiteral("threshold")))
            l.neuron.threshold = float(*v);
        if (auto v = h5::readNumberAttribute(group, QStringLiteral("beta")))
            l.neuron.beta = float(*v);
        if (auto v = h5::readStringAttribute(group, QStringLiteral("reset"))) {
            if (!parseResetMode(*v, &l.neuron.reset))
                throw Error(
                    QStringLiteral("unknown reset '%1' (expected subtract, zero or subtract-next)")
                        .arg(*v));
        }
        if (auto v = h5::readNumberAttribute(group, QStringLiteral("reset_value")))
            l.neuron.resetValue = float(*v);
        if (auto v = h5::readNumberAttribute(group, QStringLiteral("spiking")))
            l.neuron.spiking = *v != 0.0;

        const h5::RowMatrixXf weights = h5::readMatrix(group, QStringLiteral("weights"));
        const auto declaredNeurons = h5::readNumberAttribute(group, QStringLiteral("n_neurons"));
        const auto declaredInputs = h5::readNumberAttribute(group, QStringLiteral("n_inputs"));
        if (declaredNeurons && declaredInputs &&
            (weights.rows() != Eigen::Index(*declaredNeurons) ||
             weights.cols() != Eigen::Index(*declaredInputs))) {
            QString message =
                QStringLiteral("weights are %1 but the layer declares %2 neurons x %3 "
                               "inputs")
                    .arg(shapeText(weights))
                    .arg(*declaredNeurons)
                    .arg(*declaredInputs);
            if (weights.cols() == Eigen::Index(*declaredNeurons) &&
                weights.rows() == Eigen::Index(*declaredInputs))
                message += QStringLiteral(" (the transpose would fit: weights are stored "
                                          "[n_neurons x n_inputs])");
            throw Error(message);
        }
        l.weights = weights;
        if (h5::exists(group, QStringLiteral("bias")))
            l.bias = h5::readVector(group, QStringLiteral("bias"));
        if (h5::exists(group, QStringLiteral("firing_rates")))
            l.rates = h5::readVector(group, QStringLiteral("firing_rates"));
    } catch (const Error &e) {
        throw Error(QStringLiteral("layer '%1': %2").arg(l.name, e.message()));
    }
    return result;
}

Graph readGraph(hid_t file)
{
    const std::optional<QString> format = h5::readStringAttribute(file, QStringLiteral("format"));
    if (!format)
        throw Error(QStringLiteral("not an SNN Studio graph file (no 'format' attribute)"));
    if (*format != kFormat)
        throw Error(QStringLiteral("unknown format '%1' (expected '%2')").arg(*format, kFormat));
    const std::optional<double> version =
        h5::readNumberAttribute(file, QStringLiteral("format_version"));
    if (!version)
        throw Error(QStringLiteral("missing attribute 'format_version'"));
    if (*version != kFormatVersion)
        throw Error(QStringLiteral("unsupported format_version %1 (this build reads version %2)")
                        .arg(*version)
                        .arg(kFormatVersion));
    if (!h5::isGroup(file, QStringLiteral("layers")))
        throw Error(QStringLiteral("missing group 'layers'"));
    h5::Handle layers = h5::openGroup(file, QStringLiteral("layers"));

    // Groups are named 0, 1, 2, ...; HDF5 lists them by name, so order them by number.
    const QStringList keys = h5::childNames(layers);
    std::map<int, QString> ordered;
    for (const QString &key : keys) {
        bool ok = false;
        const int index = key.toInt(&ok);
        if (!ok || index < 0 || QString::number(index) != key)
            throw Error(QStringLiteral("unexpected entry 'layers/%1' (layer groups are named 0, 1, "
                                       "2, ...)")
                            .arg(key));
        ordered[index] = key;
    }
    if (!ordered.empty() && ordered.rbegin()->first != int(ordered.size()) - 1)
        throw Error(QStringLiteral("layer groups must be numbered 0 to %1 without gaps")
                        .arg(ordered.size() - 1));

    std::vector<FileLayer> fileLayers;
    for (const auto &entry : ordered)
        fileLayers.push_back(readLayer(layers, entry.second));

    Graph graph;
    if (auto size = h5::readNumberAttribute(file, QStringLiteral("input_size")))
        graph.setInputSize(int(*size));
    else
        for (const FileLayer &fl : fileLayers)
            if (fl.input.isEmpty()) {
                graph.setInputSize(fl.layer.inputs());
                break;
            }

    // Ids follow file order; sources are resolved by name once every layer is known.
    std::map<QString, LayerId> ids;
    for (std::size_t i = 0; i < fileLayers.size(); ++i) {
        const QString &name = fileLayers[i].layer.name;
        if (ids.count(name))
            throw Error(QStringLiteral("two layers are named '%1'").arg(name));
        ids[name] = LayerId(i + 1);
    }
    std::vector<Layer> resolved;
    for (std::size_t i = 0; i < fileLayers.size(); ++i) {
        Layer l = std::move(fileLayers[i].layer);
        l.id = LayerId(i + 1);
        const QString &input = fileLayers[i].input;
        if (input.isEmpty()) {
            l.source = kNetworkInput;
        } else {
            auto it = ids.find(input);
            if (it == ids.end())
                throw Error(QStringLiteral("layer '%1': unknown input '%2'").arg(l.name, input));
            l.source = it->second;
        }
        resolved.push_back(std::move(l));
    }

    if (h5::exists(file, QStringLiteral("studio/positions"))) {
        std::vector<hsize_t> shape;
        const std::vector<double> xy =
            h5::readDoubles(file, QStringLiteral("studio/positions"), &shape);
        if (shape.size() == 2 && shape[0] == resolved.size() && shape[1] == 2)
            for (std::size_t i = 0; i < resolved.size(); ++i)
                if (std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1]))
                    resolved[i].position = QPointF(xy[2 * i], xy[2 * i + 1]);
    }

    // Add layers in an order where every source comes first; a cycle leaves some behind.
    std::vector<bool> added(resolved.size(), false);
    for (bool progress = true; progress;) {
        progress = false;
        for (std::size_t i = 0; i < resolved.size(); ++i) {
            if (added[i])
                continue;
            const LayerId src = resolved[i].source;
            if (src != kNetworkInput && !graph.find(src))
                continue;
            graph.addLayer(resolved[i]);
            added[i] = progress = true;
        }
    }
    QStringList cycle;
    for (std::size_t i = 0; i < resolved.size(); ++i)
        if (!added[i])
            cycle << QStringLiteral("'%1'").arg(resolved[i].name);
    if (!cycle.isEmpty())
        throw Error(QStringLiteral("the inputs of layers %1 form a cycle")
                        .arg(cycle.join(QStringLiteral(", "))));
    graph.validate();
    return graph;
}

void writeGraph(const Graph &graph, hid_t file)
{
    h5::writeStringAttribute(file, QStringLiteral("format"), kFormat);
    h5::writeIntAttribute(file, QStringLiteral("format_version"), kFormatVersion);
    h5::writeIntAttribute(file, QStringLiteral("input_size"), graph.inputSize());
    h5::Handle layers = h5::createGroup(file, QStringLiteral("layers"));
    bool anyPosition = false;
    std::vector<double> positions;
    for (int i = 0; i < graph.layerCount(); ++i) {
        const Layer &l = graph.layers()[std::size_t(i)];
        h5::Handle group = h5::createGroup(layers, QString::number(i));
        h5::writeStringAttribute(group, QStringLiteral("name"), l.name);
        h5::writeStringAttribute(group, QStringLiteral("neuron_type"), toString(l.neuron.type));
        h5::writeStringAttribute(group, QStringLiteral("input"),
                                 l.source == kNetworkInput ? QString()
                                                           : graph.layer(l.source).name);
        h5::writeFloatAttribute(group, QStringLiteral("threshold"), l.neuron.threshold);
        h5::writeFloatAttribute(group, QStringLiteral("beta"), l.neuron.beta);
        h5::writeStringAttribute(group, QStringLiteral("reset"), toString(l.neuron.reset));
        if (l.neuron.resetValue != 0.0f)
            h5::writeFloatAttribute(group, QStringLiteral("reset_value"), l.neuron.resetValue);
        h5::writeIntAttribute(group, QStringLiteral("spiking"), l.neuron.spiking ? 1 : 0);
        h5::writeIntAttribute(group, QStringLiteral("n_neurons"), l.neurons());
        h5::writeIntAttribute(group, QStringLiteral("n_inputs"), l.inputs());
        h5::writeMatrix(group, QStringLiteral("weights"), l.weights);
        if (l.hasBias())
            h5::writeVector(group, QStringLiteral("bias"), l.bias);
        if (l.hasRates())
            h5::writeVector(group, QStringLiteral("firing_rates"), l.rates);
        anyPosition = anyPosition || l.position.has_value();
        positions.push_back(l.position ? l.position->x() : std::nan(""));
        positions.push_back(l.position ? l.position->y() : std::nan(""));
    }
    if (anyPosition) {
        h5::Handle studio = h5::createGroup(file, QStringLiteral("studio"));
        h5::writeDoubles(studio, QStringLiteral("positions"), positions,
                         {hsize_t(graph.layerCount()), 2}, {.gzip = false, .asDouble = true});
    }
}

} // namespace

Graph loadGraph(const QString &path)
{
    auto guard = h5::lock();
    h5::Handle file = h5::openFile(path);
    try {
        return readGraph(file);
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), e.message()));
    }
}

void saveGraph(const Graph &graph, const QString &path)
{
    writeAtomically(path, graphFileBytes(graph));
}

QByteArray graphFileBytes(const Graph &graph)
{
    graph.validate();
    return h5::buildFile([&](hid_t file) { writeGraph(graph, file); });
}

} // namespace snn
