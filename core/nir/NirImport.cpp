#include "nir/NirInternal.h"

#include "base/Error.h"
#include "base/Names.h"
#include "io/GraphFile.h"
#include "io/Hdf5.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace snn::nir {

namespace {

using Eigen::Index;
using Eigen::VectorXd;

QString nodeLabel(const QString &key, const QString &type)
{
    return QStringLiteral("node '%1' (%2)").arg(key, type);
}

// Why a node type that NIR defines has no SNN Studio equivalent; empty for supported types.
std::optional<QString> refusal(const QString &type)
{
    static const std::map<QString, QString> reasons = {
        {QStringLiteral("CubaLI"),
         QStringLiteral("non-spiking integrators with synaptic currents are not supported")},
        {QStringLiteral("LI"), QStringLiteral("non-spiking leaky integrators are not supported (a "
                                              "non-spiking SNN Studio layer has no membrane)")},
        {QStringLiteral("I"), QStringLiteral("non-spiking integrators are not supported (a "
                                             "non-spiking SNN Studio layer has no membrane)")},
        {QStringLiteral("Threshold"),
         QStringLiteral("a threshold without a membrane is not supported")},
        {QStringLiteral("Delay"), QStringLiteral("synaptic delays are not supported")},
        {QStringLiteral("Conv1d"),
         QStringLiteral("convolutions are not supported (SNN Studio layers are fully connected)")},
        {QStringLiteral("Conv2d"),
         QStringLiteral("convolutions are not supported (SNN Studio layers are fully connected)")},
        {QStringLiteral("SumPool2d"), QStringLiteral("pooling is not supported")},
        {QStringLiteral("AvgPool2d"), QStringLiteral("pooling is not supported")},
        {QStringLiteral("NIRGraph"), QStringLiteral("nested graphs are not supported")},
    };
    static const std::set<QString> supported = {
        QStringLiteral("Input"),  QStringLiteral("Output"),  QStringLiteral("Affine"),
        QStringLiteral("Linear"), QStringLiteral("Scale"),   QStringLiteral("LIF"),
        QStringLiteral("IF"),     QStringLiteral("CubaLIF"), QStringLiteral("Flatten")};
    if (supported.count(type))
        return std::nullopt;
    if (auto it = reasons.find(type); it != reasons.end())
        return it->second;
    return QStringLiteral("unknown NIR node type");
}

bool isNeuron(const QString &type)
{
    return type == QLatin1String("LIF") || type == QLatin1String("IF") ||
           type == QLatin1String("CubaLIF");
}

// "a, b" of the nodes behind an assumption.
QString nodeList(const QStringList &nodes)
{
    return nodes.join(QStringLiteral(", "));
}

// What flows out of a node while the graph is walked from the input.
struct Value {
    enum Kind { Spikes, Scaled, Current } kind = Spikes;
    LayerId source = kNetworkInput; // spiking source (the pending layer's source for Current)
    Index size = 0;
    QString origin;           // the node that produced it, for messages
    VectorXd scale;           // Scaled: factors on the source's spikes
    QString name;             // Current: the pending layer's node key
    RowMatrixXd weights;      // Current: [size x inputs]
    VectorXd bias;            // Current: empty when none
    std::vector<Index> shape; // the network input before a Flatten: its shape; else empty (flat)
};

class Importer {
public:
    Importer(hid_t file, const NirOptions &options)
        : m_file(file)
        , m_options(options)
        , m_dt(options.dt)
    {}
    Graph run();
    // The reset semantics and time step the import assumed, and why (after run()).
    QStringList assumptions() const;
    // Node keys that were mapped to layer names, as notes for the user.
    const QStringList &notes() const { return m_notes; }

private:
    void readStructure();
    void checkTypes(const std::vector<QString> &order);
    void checkCycles();
    void checkEdges(const QString &input);
    Value apply(const QString &key, const Value &in);
    Value affine(const QString &key, const QString &type, hid_t group, const Value &in);
    Value scale(const QString &key, hid_t group, const Value &in);
    Value neuron(const QString &key, const QString &type, hid_t group, Value in);
    Value flatten(const QString &key, hid_t group, const Value &in);
    LayerId commit(const Value &pending, NeuronParams params);
    QString label(const QString &key) const { return nodeLabel(key, m_types.at(key)); }
    void readTimeStep();
    void chooseTimeStep(Convention convention, const NeuronNode &node, const QString &key);
    void chooseReset(const QString &key, const VectorXd &vReset, const QString &where,
                     Convention convention, NeuronParams &params);
    void chooseFiring(const QString &key, NeuronParams &params);
    void setNeuronValues(const QString &key, const NeuronMapping &map, Convention convention);

    hid_t m_file;
    NirOptions m_options;
    double m_dt;
    QString m_dtSource;
    bool m_dtChosen = false;   // given, in the file, or set by the first LIF or CubaLIF
    bool m_studioFile = false; // the file has SNN Studio's metadata (snn_studio.dt)
    std::vector<int> m_inputShape;
    // Why each neuron node got its conventions, reset, initial membrane and firing: reason ->
    // the nodes (in import order).
    std::map<QString, QStringList> m_conventions, m_resetReasons, m_initialReasons, m_firingReasons;
    h5::Handle m_graphGroup;
    h5::Handle m_nodes;
    std::optional<h5::Handle> m_metadata;
    std::map<QString, QString> m_types; // node key -> type
    std::map<QString, std::vector<QString>> m_out;
    std::map<QString, std::vector<QString>> m_in;
    std::vector<std::pair<QString, QString>> m_edges;
    int m_inputSize = 0;
    // The layers made so far (each after its source) and their names: the graph is built at the
    // end and validated once, so that import takes linear time in the number of nodes.
    std::vector<Layer> m_layers;
    QSet<QString> m_names;
    ValueBudget m_budget;
    QStringList m_notes;
};

void Importer::readStructure()
{
    if (!h5::isGroup(m_file, QStringLiteral("node")))
        throw Error(QStringLiteral("not a NIR file (no group 'node')"));
    m_graphGroup = h5::openGroup(m_file, QStringLiteral("node"));
    if (!h5::exists(m_graphGroup, QStringLiteral("type")))
        throw Error(QStringLiteral("not a NIR file (no dataset 'node/type')"));
    const QString rootType = readScalarString(m_graphGroup, QStringLiteral("type"));
    if (rootType != QLatin1String("NIRGraph"))
        throw Error(QStringLiteral("the top node is a '%1', not a NIRGraph").arg(rootType));
    if (!h5::isGroup(m_graphGroup, QStringLiteral("nodes")))
        throw Error(QStringLiteral("missing group 'node/nodes'"));
    m_nodes = h5::openGroup(m_graphGroup, QStringLiteral("nodes"));
    if (h5::isGroup(m_graphGroup, QStringLiteral("metadata")))
        m_metadata = h5::openGroup(m_graphGroup, QStringLiteral("metadata"));
    readTimeStep();

    for (const QString &key : h5::childNames(m_nodes)) {
        if (!h5::isGroup(m_nodes, key))
            throw Error(QStringLiteral("node/nodes/%1 is not a group").arg(key));
        h5::Handle group = h5::openGroup(m_nodes, key);
        if (!h5::exists(group, QStringLiteral("type")))
            throw Error(QStringLiteral("node '%1' has no dataset 'type'").arg(key));
        try {
            m_types[key] = readScalarString(group, QStringLiteral("type"));
        } catch (const Error &e) {
            throw Error(QStringLiteral("node '%1': %2").arg(key, e.message()));
        }
    }
    if (m_types.empty())
        throw Error(QStringLiteral("the graph has no nodes"));

    if (!h5::exists(m_graphGroup, QStringLiteral("edges")))
        throw Error(QStringLiteral("missing dataset 'node/edges'"));
    // The declared count first: more edges than ordered pairs of nodes means a repeat.
    std::vector<hsize_t> shape = h5::datasetShape(m_graphGroup, QStringLiteral("edges"));
    const hsize_t nodes = m_types.size();
    if (!shape.empty() && shape[0] > nodes * nodes)
        throw Error(QStringLiteral("'node/edges' declares %1 edges between %2 nodes")
                        .arg(shape[0])
                        .arg(nodes));
    const QStringList flat = h5::readStrings(m_graphGroup, QStringLiteral("edges"), &shape);
    const bool empty = flat.isEmpty();
    if (!empty && (shape.size() != 2 || shape[1] != 2))
        throw Error(
            QStringLiteral("'node/edges' has shape %1, not [edges x 2]").arg(shapeText(shape)));
    std::set<std::pair<QString, QString>> seen;
    for (qsizetype i = 0; i + 1 < flat.size(); i += 2) {
        const QString &src = flat[i];
        const QString &dst = flat[i + 1];
        for (const QString &end : {src, dst})
            if (!m_types.count(end))
                throw Error(QStringLiteral("edge '%1' -> '%2' names an unknown node '%3'")
                                .arg(src, dst, end));
        if (!seen.insert({src, dst}).second)
            throw Error(QStringLiteral("edge '%1' -> '%2' appears twice").arg(src, dst));
        m_edges.emplace_back(src, dst);
        m_out[src].push_back(dst);
        m_in[dst].push_back(src);
    }
}

void Importer::readTimeStep()
{
    const QString name = kMetaPrefix + QStringLiteral(".dt");
    m_studioFile = m_metadata && h5::exists(*m_metadata, name);
    if (!m_options.dtFromFile) {
        m_dtSource = QStringLiteral("given");
        m_dtChosen = true;
        return;
    }
    if (!m_studioFile) {
        m_dtSource = QStringLiteral("not in the file; --dt sets it");
        return;
    }
    // The declared count first: one value, before anything is read.
    if (h5::elementCount(datasetShape(*m_metadata, name, QStringLiteral("metadata"))) != 1)
        throw Error(QStringLiteral("metadata: %1 is not one positive time step").arg(name));
    const std::vector<double> dt =
        readNumbers(*m_metadata, name, QStringLiteral("metadata"), nullptr);
    if (dt.size() != 1 || !(dt[0] > 0) || !std::isfinite(dt[0]))
        throw Error(QStringLiteral("metadata: %1 is not one positive time step").arg(name));
    m_dt = dt[0];
    m_dtSource = QStringLiteral("from the file's SNN Studio metadata");
    m_dtChosen = true;
}

// A time step neither given nor in the file: the first LIF or CubaLIF node's convention sets it.
void Importer::chooseTimeStep(Convention convention, const NeuronNode &node, const QString &key)
{
    if (m_dtChosen)
        return;
    m_dtChosen = true;
    if (convention == Convention::SnnTorch) {
        m_dt = conventionDt(convention, node);
        m_dtSource =
            QStringLiteral("snnTorch's: '%1' has r = tau / dt at that dt; --dt sets it").arg(key);
    } else if (convention == Convention::Rockpool) {
        m_dt = conventionDt(convention, node);
        m_dtSource = QStringLiteral("Rockpool's: '%1' has r = tau exp(-dt / tau) / dt at that dt; "
                                    "--dt sets it")
                         .arg(key);
    } else if (convention == Convention::Norse) {
        m_dt = conventionDt(convention, node);
        m_dtSource = QStringLiteral("Norse's default: '%1' has r = 1 as Norse writes it, and "
                                    "Norse writes no time step; --dt sets it")
                         .arg(key);
    }
}

// The reset of a neuron node: --reset, else the SNN Studio metadata of its layer, else
// snnTorch's default for a node written by snnTorch, else NIR's reset to v_reset. Records why,
// for assumptions().
void Importer::chooseReset(const QString &key, const VectorXd &vReset, const QString &where,
                           Convention convention, NeuronParams &params)
{
    const double value = uniformParam(vReset, QStringLiteral("v_reset"), where,
                                      QStringLiteral("an SNN Studio layer has one reset value"));
    QString reason;
    const QString meta = metaName(key, QStringLiteral("reset"));
    if (m_options.reset) {
        params.reset = *m_options.reset;
        reason = QStringLiteral("%1 (--reset)").arg(toString(params.reset));
    } else if (m_metadata && h5::exists(*m_metadata, meta)) {
        const QString text = readScalarString(*m_metadata, meta);
        const std::optional<ResetMode> reset = kResetModeNames.find(text);
        if (!reset)
            throw Error(QStringLiteral("metadata of layer '%1': unknown reset '%2' (expected %3)")
                            .arg(key, text, kResetModeNames.choices()));
        params.reset = *reset;
        reason = QStringLiteral("%1 (recorded in the file's SNN Studio metadata)")
                     .arg(toString(params.reset));
    } else if (convention == Convention::SnnTorch) {
        params.reset = ResetMode::SubtractNext;
        reason = QStringLiteral("subtract-next (snnTorch's default Leaky and Synaptic, "
                                "reset_mechanism=\"subtract\" with reset_delay=True: NIR cannot "
                                "say it; --reset zero for a Leaky with reset_mechanism=\"zero\", "
                                "zero-next for such a Synaptic, subtract-nodelay for "
                                "reset_delay=False)");
    } else {
        params.reset = ResetMode::Zero;
        reason = QStringLiteral("zero, to v_reset (NIR's LIF/IF semantics, as snnTorch and Norse "
                                "read NIR; the file has no SNN Studio metadata; --reset "
                                "subtract-next for snnTorch's default, subtract-nodelay for its "
                                "reset_delay=False)");
    }
    if (resetsToValue(params.reset))
        params.resetValue = float(value);
    else if (value != 0.0)
        throw Error(where + QStringLiteral(": v_reset = %1 has no meaning for the %2 reset")
                                .arg(value)
                                .arg(toString(params.reset)));
    m_resetReasons[reason] << key;
}

// When a node's neurons fire: --firing, else the SNN Studio metadata of its layer, else NIR's
// v > v_threshold. Records why, for assumptions().
void Importer::chooseFiring(const QString &key, NeuronParams &params)
{
    const QString meta = metaName(key, QStringLiteral("firing"));
    QString reason;
    if (m_options.firing) {
        params.firing = *m_options.firing;
        reason = QStringLiteral("%1 (--firing)").arg(toString(params.firing));
    } else if (m_metadata && h5::exists(*m_metadata, meta)) {
        params.firing =
            kFiringNames.parse(readScalarString(*m_metadata, meta),
                               QStringLiteral("metadata of layer '%1': firing").arg(key));
        reason = QStringLiteral("%1 (recorded in the file's SNN Studio metadata)")
                     .arg(toString(params.firing));
    } else {
        params.firing = Firing::Above;
        reason = QStringLiteral("above, v > v_threshold (NIR's definition, as snnTorch and Norse "
                                "fire; --firing at-or-above for Sinabs's v >= threshold)");
    }
    m_firingReasons[reason] << key;
}

QStringList Importer::assumptions() const
{
    QStringList lines;
    for (const auto &[reason, nodes] : m_conventions)
        lines << QStringLiteral("conventions: %1 for %2").arg(reason, nodeList(nodes));
    for (const auto &[reason, nodes] : m_resetReasons)
        lines << QStringLiteral("reset: %1 for %2").arg(reason, nodeList(nodes));
    lines << QStringLiteral("dt: %1 s (%2)").arg(m_dt).arg(m_dtSource);
    for (const auto &[reason, nodes] : m_initialReasons)
        lines << QStringLiteral("membrane: %1 for %2").arg(reason, nodeList(nodes));
    for (const auto &[reason, nodes] : m_firingReasons)
        lines << QStringLiteral("firing: %1 for %2").arg(reason, nodeList(nodes));
    return lines;
}

void Importer::checkTypes(const std::vector<QString> &order)
{
    for (const QString &key : order)
        if (auto why = refusal(m_types.at(key)))
            throw Error(label(key) + QStringLiteral(": ") + *why);
}

void Importer::checkCycles()
{
    // Depth-first search; an edge to a node still on the stack closes a cycle.
    enum Colour { White, Grey, Black };
    std::map<QString, Colour> colour;
    std::vector<QString> roots;
    for (const auto &[key, type] : m_types)
        if (type == QLatin1String("Input"))
            roots.push_back(key);
    for (const auto &[key, type] : m_types)
        roots.push_back(key);
    for (const QString &root : roots) {
        if (colour[root] != White)
            continue;
        std::vector<std::pair<QString, std::size_t>> stack{{root, 0}};
        colour[root] = Grey;
        while (!stack.empty()) {
            auto &[key, next] = stack.back();
            const std::vector<QString> &outs = m_out[key];
            if (next == outs.size()) {
                colour[key] = Black;
                stack.pop_back();
                continue;
            }
            const QString dst = outs[next++];
            if (colour[dst] == Grey)
                throw Error(QStringLiteral("recurrent edge from %1 back to %2: SNN Studio graphs "
                                           "are feed-forward")
                                .arg(label(key), label(dst)));
            if (colour[dst] == White) {
                colour[dst] = Grey;
                stack.emplace_back(dst, 0);
            }
        }
    }
}

void Importer::checkEdges(const QString &input)
{
    for (const auto &[key, type] : m_types) {
        const std::size_t ins = m_in[key].size();
        const std::size_t outs = m_out[key].size();
        if (key == input) {
            if (ins > 0)
                throw Error(label(key) + QStringLiteral(": the input has incoming edges"));
            if (outs == 0)
                throw Error(label(key) + QStringLiteral(": the input feeds no node"));
            continue;
        }
        if (ins == 0)
            throw Error(label(key) + QStringLiteral(": not connected to the input"));
        if (ins > 1)
            throw Error(label(key) +
                        QStringLiteral(": %1 incoming edges (from '%2'); an SNN "
                                       "Studio layer takes one source")
                            .arg(ins)
                            .arg(m_in[key].front() + QStringLiteral("', '") + m_in[key][1]));
        if (type == QLatin1String("Output") && outs > 0)
            throw Error(label(key) + QStringLiteral(": an output feeds other nodes"));
        if (type != QLatin1String("Output") && outs == 0)
            throw Error(label(key) + QStringLiteral(": feeds no node (every path must end at an "
                                                    "Output node)"));
    }
}

Graph Importer::run()
{
    readStructure();
    std::vector<QString> inputs;
    for (const auto &[key, type] : m_types)
        if (type == QLatin1String("Input"))
            inputs.push_back(key);
    if (inputs.empty())
        throw Error(QStringLiteral("the graph has no Input node"));

    // Walk from the (first) input, taking the node that comes first in the edge list among those
    // reached: a parent always precedes its children, refusals name the first node on the way,
    // and a file written by exportNir comes back in its original layer order.
    std::map<QString, std::size_t> rank;
    for (const auto &[src, dst] : m_edges) {
        rank.emplace(src, rank.size());
        rank.emplace(dst, rank.size());
    }
    std::vector<QString> order;
    std::set<QString> reached{inputs.front()};
    std::set<std::pair<std::size_t, QString>> ready{{rank[inputs.front()], inputs.front()}};
    while (!ready.empty()) {
        const QString key = ready.begin()->second;
        ready.erase(ready.begin());
        order.push_back(key);
        for (const QString &dst : m_out[key])
            if (reached.insert(dst).second)
                ready.emplace(rank[dst], dst);
    }
    std::vector<QString> everything = order;
    for (const auto &[key, type] : m_types)
        if (!reached.count(key))
            everything.push_back(key);
    checkTypes(everything);
    if (inputs.size() > 1)
        throw Error(QStringLiteral("%1 Input nodes ('%2', '%3'); SNN Studio graphs take one input")
                        .arg(inputs.size())
                        .arg(inputs[0], inputs[1]));
    checkCycles();
    checkEdges(inputs.front());

    h5::Handle inputGroup = h5::openGroup(m_nodes, inputs.front());
    std::vector<Index> inputShape = nodeShape(inputGroup, label(inputs.front()));
    const Index inputSize = shapeSize(inputShape);
    m_inputSize = int(inputSize);

    // Every node has one source and the graph is acyclic: a tree, walked parents first.
    std::map<QString, Value> values;
    values[inputs.front()] = Value{Value::Spikes, kNetworkInput, inputSize, inputs.front()};
    values[inputs.front()].shape = std::move(inputShape);
    for (const QString &key : order) {
        if (key == inputs.front())
            continue;
        Value value = apply(key, values.at(m_in[key].front()));
        if (value.kind == Value::Current && m_out[key].size() > 1) {
            // An affine map feeding several nodes is a non-spiking layer of its own.
            NeuronParams linear;
            linear.spiking = false;
            value = Value{Value::Spikes, commit(value, linear), value.size, key};
        }
        values[key] = std::move(value);
    }
    if (m_layers.empty())
        throw Error(QStringLiteral("the graph has no layers (no Affine, Linear, LIF or IF node "
                                   "after the input)"));
    Graph graph(m_inputSize, std::move(m_layers));
    graph.setInputShape(m_inputShape);
    graph.setDt(m_dtChosen ? std::optional<double>(m_dt) : std::nullopt);
    graph.validate();
    return graph;
}

Value Importer::apply(const QString &key, const Value &in)
{
    const QString &type = m_types.at(key);
    h5::Handle group = h5::openGroup(m_nodes, key);
    if (type == QLatin1String("Flatten"))
        return flatten(key, group, in);
    if (!isFlat(in.shape))
        throw Error(label(key) + QStringLiteral(": its input '%1' has shape %2; SNN Studio "
                                                "layers take flat inputs (a Flatten node would "
                                                "make it flat)")
                                     .arg(in.origin, dimsText(in.shape)));
    if (type == QLatin1String("Affine") || type == QLatin1String("Linear"))
        return affine(key, type, group, in);
    if (type == QLatin1String("Scale"))
        return scale(key, group, in);
    if (isNeuron(type))
        return neuron(key, type, group, in);
    // Output.
    const Index size = flatSize(group, label(key));
    if (size != in.size)
        throw Error(label(key) + QStringLiteral(": shape holds %1 values but '%2' gives %3")
                                     .arg(size)
                                     .arg(in.origin)
                                     .arg(in.size));
    if (in.kind == Value::Scaled)
        throw Error(label(key) + QStringLiteral(": the Scale node '%1' before it has no Affine "
                                                "or Linear node to fold into")
                                     .arg(in.origin));
    if (in.kind == Value::Current) {
        NeuronParams linear;
        linear.spiking = false;
        const LayerId id = commit(in, linear);
        return Value{Value::Spikes, id, size, key};
    }
    if (in.source == kNetworkInput)
        throw Error(label(key) + QStringLiteral(": the input feeds the output directly; there is "
                                                "no layer"));
    return in;
}

Value Importer::affine(const QString &key, const QString &type, hid_t group, const Value &in)
{
    const QString where = label(key);
    RowMatrixXd weights =
        readWeights(group, QStringLiteral("weight"), where, in.size, in.origin, m_budget);
    Value out;
    out.kind = Value::Current;
    out.name = key;
    out.origin = key;
    out.size = weights.rows();
    if (type == QLatin1String("Affine")) {
        const QString name = QStringLiteral("bias");
        if (h5::exists(group, name)) {
            const std::vector<hsize_t> shape = h5::datasetShape(group, name);
            if (shape.size() != 1 || shape[0] != hsize_t(weights.rows()))
                throw Error(where + QStringLiteral(": 'bias' has shape %1 for %2 outputs")
                                        .arg(shapeText(shape))
                                        .arg(weights.rows()));
        }
        out.bias = readParam(group, name, weights.rows(), where, m_budget);
    }
    if (in.kind == Value::Scaled)
        weights = weights * in.scale.asDiagonal();
    if (in.kind == Value::Current) {
        // Affine after Affine: the first is a non-spiking layer of its own.
        NeuronParams linear;
        linear.spiking = false;
        out.source = commit(in, linear);
    } else {
        out.source = in.source;
    }
    out.weights = std::move(weights);
    return out;
}

// A Flatten node: NIR's flattening of dimensions start_dim to end_dim of its input (row-major,
// so the values keep their order); the result must be flat. Right after the input, the input's
// shape is kept in the graph (Graph::inputShape) so that export writes the Input and a Flatten
// back.
Value Importer::flatten(const QString &key, hid_t group, const Value &in)
{
    const std::vector<Index> shape = in.shape.empty() ? std::vector<Index>{in.size} : in.shape;
    flattenShape(group, shape, in.origin, label(key), m_budget);
    if (in.kind == Value::Spikes && in.source == kNetworkInput && m_inputShape.empty())
        m_inputShape.assign(shape.begin(), shape.end());
    Value result = in;
    result.shape.clear();
    result.origin = key;
    return result;
}

Value Importer::scale(const QString &key, hid_t group, const Value &in)
{
    const VectorXd s = readParam(group, QStringLiteral("scale"), in.size, label(key), m_budget);
    Value out = in;
    out.origin = key;
    switch (in.kind) {
    case Value::Spikes:
        out.kind = Value::Scaled;
        out.scale = s;
        break;
    case Value::Scaled:
        out.scale = in.scale.cwiseProduct(s);
        break;
    case Value::Current:
        out.weights = s.asDiagonal() * in.weights;
        if (in.bias.size() > 0)
            out.bias = s.cwiseProduct(in.bias);
        break;
    }
    return out;
}

Value Importer::neuron(const QString &key, const QString &type, hid_t group, Value in)
{
    const QString where = label(key);
    if (in.kind != Value::Current) {
        // Spikes straight into neurons: a one-to-one layer (diagonal when scaled), dense.
        m_budget.take(hsize_t(in.size) * hsize_t(in.size), where,
                      QStringLiteral("a one-to-one layer %1").arg(shapeText(in.size, in.size)));
        const VectorXd diag = in.kind == Value::Scaled ? in.scale : VectorXd::Ones(in.size);
        in.weights = diag.asDiagonal();
        in.bias = VectorXd();
        in.name = key;
        in.kind = Value::Current;
    }
    const Index n = in.weights.rows();
    const NeuronNode node = readNeuronNode(group, type, n, where, m_budget);
    const Convention convention = m_studioFile ? Convention::Studio : recognise(node);
    if (type != QLatin1String("IF")) {
        chooseTimeStep(convention, node, key);
        m_conventions[conventionText(convention)] << in.name;
    }
    const NeuronMapping map = mapNeurons(node, convention, m_dt, where);
    NeuronParams params;
    params.type = map.type;
    params.beta = float(map.beta(0));
    chooseReset(in.name, node.reset, where, convention, params);
    chooseFiring(in.name, params);

    in.weights = map.factor.asDiagonal() * in.weights;
    if (in.bias.size() > 0)
        in.bias = map.factor.cwiseProduct(in.bias);
    if ((map.leakCurrent.array() != 0.0).any()) {
        if (in.bias.size() == 0)
            in.bias = VectorXd::Zero(n);
        in.bias += map.leakCurrent;
    }
    const LayerId id = commit(in, params);
    setNeuronValues(in.name, map, convention);
    return Value{Value::Spikes, id, n, key};
}

// The per-neuron values of the layer just committed, and its initial membrane: SNN Studio's
// metadata, else Norse's v_leak for a node Norse wrote, else 0.
void Importer::setNeuronValues(const QString &key, const NeuronMapping &map, Convention convention)
{
    Layer &l = m_layers.back();
    const auto toFloat = [](const VectorXd &v) { return Eigen::VectorXf(v.cast<float>()); };
    l.setPerNeuron("beta", toFloat(map.beta));
    l.setPerNeuron("threshold", toFloat(map.threshold));
    if (map.type == NeuronType::CubaLIF)
        l.setPerNeuron("alpha", toFloat(map.alpha));
    const QString meta = metaName(key, QStringLiteral("initial_membrane"));
    QString reason;
    if (m_metadata && h5::exists(*m_metadata, meta)) {
        const QString where = QStringLiteral("metadata of layer '%1'").arg(key);
        l.setPerNeuron("initial_membrane",
                       toFloat(readParam(*m_metadata, meta, l.neurons(), where, m_budget)));
        reason = QStringLiteral("starts at the values recorded in the file's SNN Studio metadata");
    } else {
        l.setPerNeuron("initial_membrane", toFloat(map.initial));
        reason = m_studioFile ? QStringLiteral("starts at 0 (the file's SNN Studio metadata "
                                               "records no other value)")
                 : convention == Convention::Norse
                     ? QStringLiteral("starts at v_leak, as Norse's LIFBoxCell and LIFCell start")
                     : QStringLiteral("starts at 0 (NIR does not say; snnTorch starts there)");
    }
    m_initialReasons[reason] << key;
}

LayerId Importer::commit(const Value &pending, NeuronParams params)
{
    Layer l;
    l.name = pending.name;
    l.source = pending.source;
    // Checked before the conversion to float: a value beyond float's range overflows, a nonzero
    // value below its smallest would silently become 0 (tau = 1e300 or a tiny dt scales the
    // weights by dt / tau); import never returns such an approximate graph.
    const auto any = [](const auto &m, auto test) {
        return std::any_of(m.data(), m.data() + m.size(), test);
    };
    const auto overflows = [](double x) {
        return std::abs(x) > double(std::numeric_limits<float>::max());
    };
    const auto underflows = [](double x) {
        return x != 0.0 && std::abs(x) < double(std::numeric_limits<float>::denorm_min());
    };
    if (any(pending.weights, overflows) || any(pending.bias, overflows))
        throw Error(label(pending.name) + QStringLiteral(": the folded weights overflow"));
    if (any(pending.weights, underflows) || any(pending.bias, underflows))
        throw Error(label(pending.name) +
                    QStringLiteral(": the folded weights underflow (a nonzero weight or bias "
                                   "becomes 0 as float32; check tau and dt)"));
    l.weights = pending.weights.cast<float>();
    if (pending.bias.size() > 0)
        l.bias = pending.bias.cast<float>();
    if (m_metadata) {
        const hid_t meta = *m_metadata;
        const QString key = pending.name;
        const QString where = QStringLiteral("metadata of layer '%1'").arg(key);
        try {
            if (h5::exists(meta, metaName(key, QStringLiteral("name")))) {
                l.name = readScalarString(meta, metaName(key, QStringLiteral("name")));
                checkLayerName(l.name, int(m_layers.size()));
            }
            if (params.spiking && params.beta == 1.0f &&
                h5::exists(meta, metaName(key, QStringLiteral("neuron_type")))) {
                // A LIF without leak (beta = 1) is written as IF; this restores its type.
                const QString text =
                    readScalarString(meta, metaName(key, QStringLiteral("neuron_type")));
                const std::optional<NeuronType> type = kNeuronTypeNames.find(text);
                if (!type)
                    throw Error(QStringLiteral("unknown neuron_type '%1' (expected %2)")
                                    .arg(text, kNeuronTypeNames.choices()));
                params.type = *type;
            }
            if (h5::exists(meta, metaName(key, QStringLiteral("firing_rates")))) {
                // The declared length first: one rate per neuron, before anything is read.
                const std::vector<hsize_t> shape =
                    h5::datasetShape(meta, metaName(key, QStringLiteral("firing_rates")));
                if (shape != std::vector<hsize_t>{hsize_t(l.neurons())})
                    throw Error(QStringLiteral("firing rates of shape %1 for %2 neurons")
                                    .arg(shapeText(shape))
                                    .arg(l.neurons()));
                const std::vector<double> rates =
                    h5::readDoubles(meta, metaName(key, QStringLiteral("firing_rates")));
                l.rates = Eigen::Map<const VectorXd>(rates.data(), l.neurons()).cast<float>();
                if (h5::exists(meta, metaName(key, QStringLiteral("rates_source"))))
                    l.ratesSource =
                        readScalarString(meta, metaName(key, QStringLiteral("rates_source")));
            }
            if (h5::exists(meta, metaName(key, QStringLiteral("position"))) &&
                h5::datasetShape(meta, metaName(key, QStringLiteral("position"))) ==
                    std::vector<hsize_t>{2}) {
                const std::vector<double> xy =
                    h5::readDoubles(meta, metaName(key, QStringLiteral("position")));
                if (xy.size() == 2 && std::isfinite(xy[0]) && std::isfinite(xy[1]))
                    l.position = QPointF(xy[0], xy[1]);
            }
        } catch (const Error &e) {
            throw Error(where + QStringLiteral(": ") + e.message());
        }
    }
    if (l.name == pending.name) {
        if (const QString why = nameProblem(l.name); !why.isEmpty()) {
            l.name = nameFromText(pending.name);
            for (int i = 2; m_names.contains(l.name); ++i)
                l.name = nameFromText(pending.name, QStringLiteral("_%1").arg(i));
            m_notes << QStringLiteral("%1 is layer '%2': its key breaks the name rule (%3)")
                           .arg(oneLine(label(pending.name)), l.name, why);
        }
    }
    l.neuron = params;
    l.id = LayerId(m_layers.size()) + 1;
    m_names.insert(l.name);
    m_layers.push_back(std::move(l));
    return m_layers.back().id;
}

} // namespace

Graph readNir(hid_t file, const NirOptions &options, QStringList *assumptions)
{
    Importer importer(file, options);
    Graph graph = importer.run();
    if (assumptions)
        *assumptions = importer.assumptions() + importer.notes();
    return graph;
}

} // namespace snn::nir
