#include "io/GraphFile.h"

#include "base/Error.h"
#include "base/Names.h"
#include "base/Text.h"
#include "io/AtomicFile.h"
#include "io/Hdf5.h"

#include <QFileInfo>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <unordered_map>

namespace snn {

namespace {

const QString kFormat = QStringLiteral("snn-studio");

// A layer as declared in the file: attributes and dataset shapes, no data yet.
struct FileLayer {
    Layer layer;
    QString key;
    QString input;
    Eigen::Index rows = 0;
    Eigen::Index cols = 0;
    std::optional<hsize_t> biasLength;
    std::optional<hsize_t> ratesLength;
    // The declared lengths of the per-neuron datasets, in PerNeuron::fields() order.
    std::array<std::optional<hsize_t>, 4> perNeuronLength;
};

// The dataset that holds a PerNeuron field ("beta_per_neuron", ...).
QString perNeuronDataset(const char *field)
{
    return QLatin1String(field) + QStringLiteral("_per_neuron");
}

// The length of an optional 1-D dataset, from its shape.
std::optional<hsize_t> vectorLength(hid_t group, const QString &name)
{
    if (!h5::exists(group, name))
        return std::nullopt;
    const std::vector<hsize_t> shape = h5::datasetShape(group, name);
    if (shape.size() != 1)
        throw Error(QStringLiteral("'%1' has %2 dimensions, not 1").arg(name).arg(shape.size()));
    return shape[0];
}

FileLayer readLayer(hid_t layers, const QString &key)
{
    h5::Handle group = h5::openGroup(layers, key);
    FileLayer result;
    result.key = key;
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
        if (const std::optional<NeuronType> t = kNeuronTypeNames.find(*type))
            l.neuron.type = *t;
        else
            throw Error(QStringLiteral("unknown neuron_type '%1' (expected %2)")
                            .arg(*type, kNeuronTypeNames.choices()));
        const std::optional<QString> input =
            h5::readStringAttribute(group, QStringLiteral("input"));
        if (!input)
            throw Error(QStringLiteral("missing attribute 'input'"));
        if (!input->isEmpty())
            checkLayerName(*input, QStringLiteral("input"));
        result.input = *input;
        l.neuron.beta = l.neuron.type == NeuronType::IF ? 1.0f : 0.9f;
        if (auto v = h5::readFloatAttribute(group, QStringLiteral("threshold")))
            l.neuron.threshold = *v;
        if (auto v = h5::readFloatAttribute(group, QStringLiteral("beta")))
            l.neuron.beta = *v;
        if (auto v = h5::readStringAttribute(group, QStringLiteral("reset"))) {
            if (const std::optional<ResetMode> reset = kResetModeNames.find(*v))
                l.neuron.reset = *reset;
            else
                throw Error(QStringLiteral("unknown reset '%1' (expected %2)")
                                .arg(*v, kResetModeNames.choices()));
        }
        if (auto v = h5::readFloatAttribute(group, QStringLiteral("reset_value")))
            l.neuron.resetValue = *v;
        if (auto v = h5::readFloatAttribute(group, QStringLiteral("alpha")))
            l.neuron.alpha = *v;
        if (auto v = h5::readFloatAttribute(group, QStringLiteral("initial_membrane")))
            l.neuron.initial = *v;
        if (auto v = h5::readStringAttribute(group, QStringLiteral("firing")))
            l.neuron.firing = kFiringNames.parse(*v, QStringLiteral("'firing'"));
        if (auto v = h5::readIntegerAttribute(group, QStringLiteral("spiking"), 0, 1))
            l.neuron.spiking = *v != 0;

        // Shapes only: the data is read once every size is checked against the graph.
        const std::vector<hsize_t> weights = h5::datasetShape(group, QStringLiteral("weights"));
        if (weights.size() != 2)
            throw Error(QStringLiteral("'weights' has %1 dimensions, not 2").arg(weights.size()));
        if (weights[0] > hsize_t(std::numeric_limits<int>::max()) ||
            weights[1] > hsize_t(std::numeric_limits<int>::max()))
            throw Error(QStringLiteral("'weights' declares %1, more than a layer holds")
                            .arg(shapeText(weights)));
        result.rows = Eigen::Index(weights[0]);
        result.cols = Eigen::Index(weights[1]);
        const int intMax = std::numeric_limits<int>::max();
        const auto declaredNeurons =
            h5::readIntegerAttribute(group, QStringLiteral("n_neurons"), 0, intMax);
        const auto declaredInputs =
            h5::readIntegerAttribute(group, QStringLiteral("n_inputs"), 0, intMax);
        if (declaredNeurons && declaredInputs &&
            (result.rows != *declaredNeurons || result.cols != *declaredInputs)) {
            QString message =
                QStringLiteral("weights are %1 but the layer declares %2 neurons x %3 "
                               "inputs")
                    .arg(shapeText(result.rows, result.cols))
                    .arg(*declaredNeurons)
                    .arg(*declaredInputs);
            if (result.cols == *declaredNeurons && result.rows == *declaredInputs)
                message += QStringLiteral(" (the transpose would fit: weights are stored "
                                          "[n_neurons x n_inputs])");
            throw Error(message);
        }
        result.biasLength = vectorLength(group, QStringLiteral("bias"));
        result.ratesLength = vectorLength(group, QStringLiteral("firing_rates"));
        const auto fields = l.perNeuron.fields();
        for (std::size_t i = 0; i < fields.size(); ++i)
            result.perNeuronLength[i] = vectorLength(group, perNeuronDataset(fields[i].first));
        if (result.ratesLength)
            l.ratesSource =
                h5::readStringAttribute(group, QStringLiteral("rates_source")).value_or(QString());
    } catch (const Error &e) {
        throw Error(QStringLiteral("layer '%1': %2").arg(l.name, e.message()));
    }
    return result;
}

// Checks a layer's declared sizes against its source, and takes its values from `budget` (the
// graph's ceiling), before any data is read.
void checkSizes(const FileLayer &fl, Eigen::Index sourceSize, const QString &sourceName,
                SizeBudget &budget)
{
    const QString where = QStringLiteral("layer '%1': ").arg(fl.layer.name);
    if (const QString problem = weightsShapeProblem(fl.rows, fl.cols, sourceName, sourceSize);
        !problem.isEmpty())
        throw Error(where + problem);
    std::vector<std::pair<QString, std::optional<hsize_t>>> vectors{
        {QStringLiteral("bias"), fl.biasLength}, {QStringLiteral("firing_rates"), fl.ratesLength}};
    const auto fields = fl.layer.perNeuron.fields();
    for (std::size_t i = 0; i < fields.size(); ++i)
        vectors.emplace_back(perNeuronDataset(fields[i].first), fl.perNeuronLength[i]);
    quint64 values = quint64(fl.rows) * quint64(fl.cols);
    for (const auto &[what, length] : vectors) {
        if (length && Eigen::Index(*length) != fl.rows)
            throw Error(where + QStringLiteral("%1 has %2 entries for %3 neurons")
                                    .arg(what)
                                    .arg(*length)
                                    .arg(fl.rows));
        values += length ? quint64(fl.rows) : 0;
    }
    budget.take(values, where + QStringLiteral("'weights' %1").arg(shapeText(fl.rows, fl.cols)));
}

// Reads a layer's bias and rates, and its weights when asked.
void readData(hid_t layers, FileLayer &fl, bool weights)
{
    h5::Handle group = h5::openGroup(layers, fl.key);
    try {
        if (weights)
            fl.layer.weights = h5::readColumnMajorMatrix(group, QStringLiteral("weights"));
        if (fl.biasLength)
            fl.layer.bias = h5::readVector(group, QStringLiteral("bias"));
        if (fl.ratesLength)
            fl.layer.rates = h5::readVector(group, QStringLiteral("firing_rates"));
        const auto fields = fl.layer.perNeuron.fields();
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (fl.perNeuronLength[i])
                *fields[i].second = h5::readVector(group, perNeuronDataset(fields[i].first));
    } catch (const Error &e) {
        throw Error(QStringLiteral("layer '%1': %2").arg(fl.layer.name, e.message()));
    }
}

// A file's layers as declared, every size checked, no data read yet.
struct Declared {
    h5::Handle layers; // the 'layers' group
    int inputSize = 0;
    std::vector<int> inputShape;
    std::optional<double> dt;
    std::vector<FileLayer> fileLayers; // in file order
    std::vector<std::size_t> order;    // every source before its consumers
};

Declared readDeclared(hid_t file)
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

    int inputSize = 0;
    if (auto size = h5::readIntegerAttribute(file, QStringLiteral("input_size"), 1,
                                             std::numeric_limits<int>::max()))
        inputSize = int(*size);
    else
        for (const FileLayer &fl : fileLayers)
            if (fl.input.isEmpty()) {
                inputSize = int(fl.cols);
                break;
            }
    std::vector<int> inputShape;
    if (h5::exists(file, QStringLiteral("input_shape"))) {
        // The declared length first: at most 32 dimensions, as any array.
        const std::vector<hsize_t> shape = h5::datasetShape(file, QStringLiteral("input_shape"));
        if (shape.size() != 1 || shape[0] > 32)
            throw Error(QStringLiteral("'input_shape' has shape %1, not [at most 32]")
                            .arg(shapeText(shape)));
        for (const double d : h5::readDoubles(file, QStringLiteral("input_shape"))) {
            if (!(d >= 1 && d <= std::numeric_limits<int>::max()) || d != std::floor(d))
                throw Error(QStringLiteral("'input_shape' holds %1, not a size").arg(d));
            inputShape.push_back(int(d));
        }
    }
    const std::optional<double> dt = h5::readNumberAttribute(file, QStringLiteral("dt"));

    // Ids follow file order; sources are resolved by name once every layer is known.
    std::map<QString, LayerId> ids;
    for (std::size_t i = 0; i < fileLayers.size(); ++i) {
        const QString &name = fileLayers[i].layer.name;
        if (ids.count(name))
            throw Error(QStringLiteral("two layers are named '%1'").arg(name));
        ids[name] = LayerId(i + 1);
    }
    for (std::size_t i = 0; i < fileLayers.size(); ++i) {
        FileLayer &fl = fileLayers[i];
        fl.layer.id = LayerId(i + 1);
        if (fl.input.isEmpty()) {
            fl.layer.source = kNetworkInput;
        } else {
            auto it = ids.find(fl.input);
            if (it == ids.end())
                throw Error(
                    QStringLiteral("layer '%1': unknown input '%2'").arg(fl.layer.name, fl.input));
            fl.layer.source = it->second;
        }
    }

    // An order where every source comes first; a cycle leaves some layers behind.
    std::vector<std::ptrdiff_t> sources;
    for (const FileLayer &fl : fileLayers)
        sources.push_back(std::ptrdiff_t(fl.layer.source) - 1);
    std::vector<std::size_t> order = stableTopologicalOrder(sources);
    std::vector<bool> added(fileLayers.size(), false);
    for (const std::size_t i : order)
        added[i] = true;
    QStringList cycle;
    for (std::size_t i = 0; i < fileLayers.size(); ++i)
        if (!added[i])
            cycle << QStringLiteral("'%1'").arg(fileLayers[i].layer.name);
    if (!cycle.isEmpty())
        throw Error(QStringLiteral("the inputs of layers %1 form a cycle")
                        .arg(cycle.join(QStringLiteral(", "))));

    // Every declared size against its source and the ceiling.
    SizeBudget budget(kMaxGraphValues, QStringLiteral("the graph"));
    for (const FileLayer &fl : fileLayers) {
        if (fl.layer.source == kNetworkInput) {
            checkSizes(fl, inputSize, QStringLiteral("input"), budget);
        } else {
            const FileLayer &source = fileLayers[std::size_t(fl.layer.source - 1)];
            checkSizes(fl, source.rows, source.layer.name, budget);
        }
    }
    return {std::move(layers),     inputSize,       std::move(inputShape), dt,
            std::move(fileLayers), std::move(order)};
}

} // namespace

Graph readGraph(hid_t file)
{
    Declared declared = readDeclared(file);
    std::vector<FileLayer> &fileLayers = declared.fileLayers;
    for (FileLayer &fl : fileLayers)
        readData(declared.layers, fl, true);

    if (h5::exists(file, QStringLiteral("studio/positions")) &&
        h5::datasetShape(file, QStringLiteral("studio/positions")) ==
            std::vector<hsize_t>{fileLayers.size(), 2}) {
        const std::vector<double> xy = h5::readDoubles(file, QStringLiteral("studio/positions"));
        for (std::size_t i = 0; i < fileLayers.size(); ++i)
            if (std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1]))
                fileLayers[i].layer.position = QPointF(xy[2 * i], xy[2 * i + 1]);
    }
    std::vector<Layer> sorted;
    sorted.reserve(declared.order.size());
    for (const std::size_t i : declared.order)
        sorted.push_back(std::move(fileLayers[i].layer));
    Graph graph(declared.inputSize, std::move(sorted));
    graph.setInputShape(std::move(declared.inputShape));
    graph.setDt(declared.dt);
    graph.validate();
    return graph;
}

namespace {

GraphSummary readSummary(hid_t file)
{
    Declared declared = readDeclared(file);
    if (const QString problem = inputShapeProblem(declared.inputShape, int(declared.inputSize));
        !problem.isEmpty())
        throw Error(problem);
    GraphSummary summary;
    summary.inputSize = declared.inputSize;
    std::vector<bool> feeds(declared.fileLayers.size(), false);
    std::vector<QString> sources;
    for (const FileLayer &fl : declared.fileLayers) {
        const LayerId source = fl.layer.source;
        if (source != kNetworkInput)
            feeds[std::size_t(source - 1)] = true;
        sources.push_back(source == kNetworkInput
                              ? QStringLiteral("input")
                              : declared.fileLayers[std::size_t(source - 1)].layer.name);
    }
    for (const std::size_t i : declared.order) {
        FileLayer &fl = declared.fileLayers[i];
        readData(declared.layers, fl, false);
        for (const QString &problem :
             {layerValuesProblem(fl.layer), perNeuronProblem(fl.layer, int(fl.rows))})
            if (!problem.isEmpty())
                throw Error(QStringLiteral("layer '%1': %2").arg(fl.layer.name, problem));
        summary.layers.push_back({.layer = std::move(fl.layer),
                                  .source = sources[i],
                                  .neurons = int(fl.rows),
                                  .inputs = int(fl.cols),
                                  .output = !feeds[i]});
    }
    return summary;
}

} // namespace

void writeGraph(const Graph &graph, hid_t file)
{
    h5::writeStringAttribute(file, QStringLiteral("format"), kFormat);
    h5::writeIntAttribute(file, QStringLiteral("format_version"), kFormatVersion);
    h5::writeIntAttribute(file, QStringLiteral("input_size"), graph.inputSize());
    if (!graph.inputShape().empty())
        h5::writeInts(file, QStringLiteral("input_shape"),
                      std::vector<long long>(graph.inputShape().begin(), graph.inputShape().end()),
                      {hsize_t(graph.inputShape().size())});
    if (graph.dt())
        h5::writeNumberAttribute(file, QStringLiteral("dt"), *graph.dt());
    h5::Handle layers = h5::createGroup(file, QStringLiteral("layers"));
    bool anyPosition = false;
    std::vector<double> positions;
    std::unordered_map<LayerId, QString> names; // sources come first (validated)
    for (int i = 0; i < graph.layerCount(); ++i) {
        const Layer &l = graph.layers()[std::size_t(i)];
        names.emplace(l.id, l.name);
        h5::Handle group = h5::createGroup(layers, QString::number(i));
        h5::writeStringAttribute(group, QStringLiteral("name"), l.name);
        h5::writeStringAttribute(group, QStringLiteral("neuron_type"), toString(l.neuron.type));
        h5::writeStringAttribute(group, QStringLiteral("input"),
                                 l.source == kNetworkInput ? QString() : names.at(l.source));
        h5::writeFloatAttribute(group, QStringLiteral("threshold"), l.neuron.threshold);
        h5::writeFloatAttribute(group, QStringLiteral("beta"), l.neuron.beta);
        h5::writeStringAttribute(group, QStringLiteral("reset"), toString(l.neuron.reset));
        if (l.neuron.resetValue != 0.0f)
            h5::writeFloatAttribute(group, QStringLiteral("reset_value"), l.neuron.resetValue);
        if (l.neuron.type == NeuronType::CubaLIF)
            h5::writeFloatAttribute(group, QStringLiteral("alpha"), l.neuron.alpha);
        if (l.neuron.initial != 0.0f)
            h5::writeFloatAttribute(group, QStringLiteral("initial_membrane"), l.neuron.initial);
        h5::writeStringAttribute(group, QStringLiteral("firing"), toString(l.neuron.firing));
        for (const auto &[field, values] : l.perNeuron.fields())
            if (values->size() > 0)
                h5::writeVector(group, perNeuronDataset(field), *values);
        h5::writeIntAttribute(group, QStringLiteral("spiking"), l.neuron.spiking ? 1 : 0);
        h5::writeIntAttribute(group, QStringLiteral("n_neurons"), l.neurons());
        h5::writeIntAttribute(group, QStringLiteral("n_inputs"), l.inputs());
        h5::writeColumnMajorMatrix(group, QStringLiteral("weights"), l.weights);
        if (l.hasBias())
            h5::writeVector(group, QStringLiteral("bias"), l.bias);
        if (l.hasRates()) {
            h5::writeVector(group, QStringLiteral("firing_rates"), l.rates);
            if (!l.ratesSource.isEmpty())
                h5::writeStringAttribute(group, QStringLiteral("rates_source"), l.ratesSource);
        }
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

namespace {

// Reads `path` with `read`, naming the file in any error.
template <typename Read> auto readFile(const QString &path, Read read)
{
    auto guard = h5::lock();
    h5::Handle file = h5::openFile(path);
    try {
        return read(file.id());
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), e.message()));
    }
}

} // namespace

Graph loadGraph(const QString &path)
{
    return readFile(path, readGraph);
}

GraphSummary loadGraphSummary(const QString &path)
{
    return readFile(path, readSummary);
}

void saveGraph(const Graph &graph, const QString &path)
{
    writeAtomically(path, graphFileBytes(graph));
}

QByteArray graphFileBytes(const Graph &graph)
{
    graph.validate();
    // The values as float32 and room for each layer's attributes and B-tree nodes.
    const qsizetype expected = qsizetype(4 * graph.totalParams()) + (16 << 10) * graph.layerCount();
    return h5::buildFile([&](hid_t file) { writeGraph(graph, file); }, expected);
}

} // namespace snn
