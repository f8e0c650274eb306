#include "nir/NirInternal.h"

#include "io/Hdf5.h"

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

} // namespace

void writeNir(const Graph &graph, hid_t file, const NirOptions &options)
{
    const h5::WriteOptions f32{.gzip = options.gzip, .asDouble = false};
    const h5::WriteOptions f64{.gzip = options.gzip, .asDouble = true};
    writeString(file, QStringLiteral("version"), QString::fromLatin1(kNirVersion));
    h5::Handle root = h5::createGroup(file, QStringLiteral("node"));
    writeString(root, QStringLiteral("type"), QStringLiteral("NIRGraph"));
    h5::Handle nodes = h5::createGroup(root, QStringLiteral("nodes"));
    h5::Handle meta = h5::createGroup(root, QStringLiteral("metadata"));
    h5::writeDoubles(meta, kMetaPrefix + QStringLiteral(".dt"), {options.dt}, {}, f64);

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

    {
        h5::Handle g = h5::createGroup(nodes, inputKey);
        writeString(g, QStringLiteral("type"), QStringLiteral("Input"));
        h5::writeInts(g, QStringLiteral("shape"), {graph.inputSize()}, {1}, f32);
    }
    for (const Layer &l : graph.layers()) {
        const QString key = affineKey.at(l.id);
        const hsize_t n = hsize_t(l.neurons());
        edge(l.source == kNetworkInput ? inputKey : outKey.at(l.source), key);
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
            // beta = 1 (IF, or LIF without leak) has no finite tau: written as IF.
            const bool integrate = l.neuron.type == NeuronType::IF || l.neuron.beta == 1.0f;
            const QString neuronKey =
                keys.take(key + (integrate ? QStringLiteral(".if") : QStringLiteral(".lif")));
            h5::Handle g = h5::createGroup(nodes, neuronKey);
            const std::vector<double> zeros(n, 0.0);
            writeString(g, QStringLiteral("type"),
                        integrate ? QStringLiteral("IF") : QStringLiteral("LIF"));
            if (integrate) {
                h5::writeDoubles(g, QStringLiteral("r"), std::vector<double>(n, 1.0), {n}, f64);
            } else {
                // snnTorch's convention: tau = dt / (1 - beta), r = tau / dt, so that
                // r * dt / tau = 1 and the weights are used as they are. Float64 keeps
                // 1 - dt / tau == beta exactly on re-import.
                const double tau = options.dt / (1.0 - double(l.neuron.beta));
                h5::writeDoubles(g, QStringLiteral("tau"), std::vector<double>(n, tau), {n}, f64);
                h5::writeDoubles(g, QStringLiteral("r"), std::vector<double>(n, tau / options.dt),
                                 {n}, f64);
                h5::writeDoubles(g, QStringLiteral("v_leak"), zeros, {n}, f64);
            }
            h5::writeDoubles(g, QStringLiteral("v_threshold"),
                             std::vector<double>(n, double(l.neuron.threshold)), {n}, f64);
            // v_reset: the zero reset's value (0 for the subtract resets, which NIR cannot say).
            h5::writeDoubles(g, QStringLiteral("v_reset"),
                             std::vector<double>(n, double(l.neuron.resetValue)), {n}, f64);
            edge(key, neuronKey);
            outKey[l.id] = neuronKey;
            writeString(meta, metaName(key, QStringLiteral("reset")), toString(l.neuron.reset));
            if (integrate && l.neuron.type != NeuronType::IF)
                writeString(meta, metaName(key, QStringLiteral("neuron_type")),
                            toString(l.neuron.type));
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
