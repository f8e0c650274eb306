#include "nir/NirInternal.h"

#include "io/Hdf5.h"

#include <algorithm>
#include <map>
#include <set>

namespace snn::nir {

namespace {

class KeySet {
public:
    // A node key for `wanted`, unique in this file and valid as an HDF5 link name.
    QString take(const QString &wanted)
    {
        QString base = wanted;
        base.replace(QLatin1Char('/'), QLatin1Char('_'));
        if (base.isEmpty() || base == QLatin1String(".") || base == QLatin1String(".."))
            base = QStringLiteral("_") + base;
        QString key = base;
        for (int i = 2; m_used.count(key); ++i)
            key = QStringLiteral("%1_%2").arg(base).arg(i);
        m_used.insert(key);
        return key;
    }

private:
    std::set<QString> m_used;
};

void writeString(hid_t loc, const QString &name, const QString &value)
{
    h5::writeStrings(loc, name, {value}, {});
}

// A neuron value of every neuron of l (Layer::beta, ...), as float64.
std::vector<double> perNeuron(const Layer &l, float (Layer::*value)(int) const)
{
    std::vector<double> values(std::size_t(l.neurons()));
    for (int i = 0; i < l.neurons(); ++i)
        values[std::size_t(i)] = double((l.*value)(i));
    return values;
}

// A LIF layer written as IF: IF, or every beta 1 (no finite tau).
bool integrates(const Layer &l)
{
    if (l.neuron.type == NeuronType::IF)
        return true;
    const std::vector<double> beta = perNeuron(l, &Layer::beta);
    return l.neuron.type == NeuronType::LIF &&
           std::all_of(beta.begin(), beta.end(), [](double b) { return b == 1.0; });
}

// Writes the neuron node of spiking layer l (whose Affine key is `key`) and returns its key:
// IF with r = 1, or LIF / CubaLIF in snnTorch's convention tau = dt / (1 - beta), r = tau / dt
// (tau_syn = dt / (1 - alpha), w_in = tau_syn / dt), so that r dt / tau = 1 and the weights are
// written as they are. Float64 keeps 1 - dt / tau == beta exactly on re-import; beta = 1 gives
// tau = r = +Inf.
QString writeNeurons(hid_t nodes, KeySet &keys, const QString &key, const Layer &l, double dt,
                     const NirOptions &options)
{
    const h5::WriteOptions f64{.gzip = options.gzip, .asDouble = true};
    const hsize_t n = hsize_t(l.neurons());
    const bool integrate = integrates(l);
    const bool cuba = l.neuron.type == NeuronType::CubaLIF;
    const QString type = integrate ? QStringLiteral("IF")
                         : cuba    ? QStringLiteral("CubaLIF")
                                   : QStringLiteral("LIF");
    const QString neuronKey = keys.take(key + QLatin1Char('.') + type.toLower());
    h5::Handle g = h5::createGroup(nodes, neuronKey);
    writeString(g, QStringLiteral("type"), type);
    const auto write = [&](const char *name, const std::vector<double> &values) {
        h5::writeDoubles(g, QLatin1String(name), values, {n}, f64);
    };
    if (integrate) {
        write("r", std::vector<double>(n, 1.0));
    } else {
        // A decay d as tau = dt / (1 - d) and its gain tau / dt.
        const auto constants = [&](float (Layer::*decay)(int) const, const char *tauName,
                                   const char *gainName) {
            std::vector<double> tau = perNeuron(l, decay);
            std::vector<double> gain = tau;
            for (std::size_t i = 0; i < tau.size(); ++i) {
                tau[i] = dt / (1.0 - tau[i]);
                gain[i] = tau[i] / dt;
            }
            write(tauName, tau);
            write(gainName, gain);
        };
        constants(&Layer::beta, cuba ? "tau_mem" : "tau", "r");
        write("v_leak", std::vector<double>(n, 0.0));
        if (cuba)
            constants(&Layer::alpha, "tau_syn", "w_in");
    }
    write("v_threshold", perNeuron(l, &Layer::threshold));
    // v_reset: the zero reset's value (0 for the subtract resets, which NIR cannot say).
    write("v_reset", std::vector<double>(n, double(l.neuron.resetValue)));
    return neuronKey;
}

} // namespace

double exportDt(const Graph &graph, const NirOptions &options)
{
    return options.dtFromFile && graph.dt() ? *graph.dt() : options.dt;
}

void writeNir(const Graph &graph, hid_t file, const NirOptions &options)
{
    const h5::WriteOptions f32{.gzip = options.gzip, .asDouble = false};
    const h5::WriteOptions f64{.gzip = options.gzip, .asDouble = true};
    writeString(file, QStringLiteral("version"), QString::fromLatin1(kNirVersion));
    h5::Handle root = h5::createGroup(file, QStringLiteral("node"));
    writeString(root, QStringLiteral("type"), QStringLiteral("NIRGraph"));
    h5::Handle nodes = h5::createGroup(root, QStringLiteral("nodes"));
    h5::Handle meta = h5::createGroup(root, QStringLiteral("metadata"));
    const double dt = exportDt(graph, options);
    h5::writeDoubles(meta, kMetaPrefix + QStringLiteral(".dt"), {dt}, {}, f64);

    // Layer keys first, so that layers keep their names; then the input and outputs.
    KeySet keys;
    std::map<LayerId, QString> affineKey;
    std::map<LayerId, QString> outKey; // the node whose output is the layer's output
    for (const Layer &l : graph.layers())
        affineKey[l.id] = keys.take(l.name);
    const QString inputKey = keys.take(QStringLiteral("input"));
    const std::vector<LayerId> outputs = graph.outputs();
    const std::set<LayerId> isOutput(outputs.begin(), outputs.end());
    QStringList edges;
    auto edge = [&](const QString &src, const QString &dst) { edges << src << dst; };

    // The input as the file gave it: a shape before a Flatten (Graph::inputShape).
    QString inputOut = inputKey;
    {
        const std::vector<int> &shape = graph.inputShape();
        std::vector<long long> dims(shape.begin(), shape.end());
        if (dims.empty())
            dims.push_back(graph.inputSize());
        h5::Handle g = h5::createGroup(nodes, inputKey);
        writeString(g, QStringLiteral("type"), QStringLiteral("Input"));
        h5::writeInts(g, QStringLiteral("shape"), dims, {hsize_t(dims.size())}, f32);
        if (!shape.empty()) {
            inputOut = keys.take(QStringLiteral("flatten"));
            h5::Handle f = h5::createGroup(nodes, inputOut);
            writeString(f, QStringLiteral("type"), QStringLiteral("Flatten"));
            h5::writeInts(f, QStringLiteral("start_dim"), {0}, {}, f32);
            h5::writeInts(f, QStringLiteral("end_dim"), {-1}, {}, f32);
            h5::writeInts(f, QStringLiteral("input_type"), dims, {hsize_t(dims.size())}, f32);
            edge(inputKey, inputOut);
        }
    }
    for (const Layer &l : graph.layers()) {
        const QString key = affineKey.at(l.id);
        const hsize_t n = hsize_t(l.neurons());
        edge(l.source == kNetworkInput ? inputOut : outKey.at(l.source), key);
        {
            h5::Handle g = h5::createGroup(nodes, key);
            writeString(g, QStringLiteral("type"),
                        l.hasBias() ? QStringLiteral("Affine") : QStringLiteral("Linear"));
            h5::writeColumnMajorMatrix(g, QStringLiteral("weight"), l.weights, f32);
            if (l.hasBias())
                h5::writeVector(g, QStringLiteral("bias"), l.bias, f32);
        }
        outKey[l.id] = key;
        if (l.neuron.spiking) {
            const QString neuronKey = writeNeurons(nodes, keys, key, l, dt, options);
            edge(key, neuronKey);
            outKey[l.id] = neuronKey;
            writeString(meta, metaName(key, QStringLiteral("reset")), toString(l.neuron.reset));
            writeString(meta, metaName(key, QStringLiteral("firing")), toString(l.neuron.firing));
            if (integrates(l) && l.neuron.type != NeuronType::IF)
                writeString(meta, metaName(key, QStringLiteral("neuron_type")),
                            toString(l.neuron.type));
            const std::vector<double> initial = perNeuron(l, &Layer::initial);
            if (std::any_of(initial.begin(), initial.end(), [](double v) { return v != 0.0; }))
                h5::writeDoubles(meta, metaName(key, QStringLiteral("initial_membrane")), initial,
                                 {n}, f64);
        }
        if (key != l.name)
            writeString(meta, metaName(key, QStringLiteral("name")), l.name);
        if (l.hasRates()) {
            h5::writeVector(meta, metaName(key, QStringLiteral("firing_rates")), l.rates, f32);
            if (!l.ratesSource.isEmpty())
                writeString(meta, metaName(key, QStringLiteral("rates_source")), l.ratesSource);
        }
        if (l.position)
            h5::writeDoubles(meta, metaName(key, QStringLiteral("position")),
                             {l.position->x(), l.position->y()}, {2}, f64);
        // Each output right after its layer, so that re-import keeps the layer order.
        if (isOutput.count(l.id)) {
            const QString output =
                keys.take(outputs.size() == 1 ? QStringLiteral("output")
                                              : QStringLiteral("output_") + l.name);
            h5::Handle g = h5::createGroup(nodes, output);
            writeString(g, QStringLiteral("type"), QStringLiteral("Output"));
            h5::writeInts(g, QStringLiteral("shape"), {l.neurons()}, {1}, f32);
            edge(outKey.at(l.id), output);
        }
    }
    h5::writeStrings(root, QStringLiteral("edges"), edges, {hsize_t(edges.size() / 2), 2}, f32);
}

} // namespace snn::nir
