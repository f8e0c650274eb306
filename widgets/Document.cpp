#include "Document.h"

#include "base/Error.h"
#include "commands/AddLayerCommand.h"
#include "commands/ApplyGraphCommand.h"
#include "commands/ConnectLayerCommand.h"
#include "commands/MoveLayersCommand.h"
#include "commands/RemoveLayersCommand.h"
#include "commands/RenameLayerCommand.h"
#include "commands/ResizeLayerCommand.h"
#include "commands/SetNeuronParamsCommand.h"
#include "graph/GraphEdit.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"

#include <QFileInfo>

namespace snn::widgets {

Document::Document(QObject *parent)
    : QObject(parent)
{
    connect(&m_undo, &QUndoStack::cleanChanged, this,
            [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
    // A command's redo or undo is complete when the stack's index moves (or a merge lands).
    connect(&m_undo, &QUndoStack::indexChanged, this, &Document::flushChanges);
}

void Document::flushChanges()
{
    if (!m_pending)
        return;
    const Changes what = std::exchange(m_pending, {});
    Q_EMIT edited(what);
}

QString Document::displayName() const
{
    if (!m_filePath.isEmpty())
        return QFileInfo(m_filePath).fileName();
    return m_name.isEmpty() ? tr("Untitled") : m_name;
}

void Document::reset(const Graph &graph, const QString &filePath, const QString &name)
{
    const bool wasModified = isModified();
    m_undo.clear();
    m_graph = graph;
    m_filePath = filePath;
    m_name = name;
    m_pending = Change::All;
    Q_EMIT graphReset();
    Q_EMIT changed();
    flushChanges();
    Q_EMIT filePathChanged(m_filePath);
    if (wasModified)
        Q_EMIT modifiedChanged(false);
}

QStringList Document::load(const QString &path)
{
    // A NIR file is imported: the document gets no path, so Save asks for an SNN Studio file
    // instead of overwriting the NIR file in another format.
    QStringList assumptions;
    if (nir::isNirFile(path))
        reset(nir::importNir(path, {}, &assumptions), QString(), QFileInfo(path).fileName());
    else
        reset(loadGraph(path), path);
    return assumptions;
}

void Document::save(const QString &path)
{
    saveGraph(m_graph, path);
    m_filePath = path;
    m_undo.setClean();
    Q_EMIT filePathChanged(m_filePath);
}

void Document::setEditLock(const QString &reason, const QObject *holder)
{
    m_lockHolder = reason.isEmpty() ? nullptr : holder;
    if (reason == m_editLock)
        return;
    m_editLock = reason;
    Q_EMIT editLockChanged(m_editLock);
}

bool Document::push(const std::function<QUndoCommand *()> &make, const QObject *holder)
{
    if (isEditLocked() && (holder == nullptr || holder != m_lockHolder)) {
        Q_EMIT editRefused(m_editLock);
        return false;
    }
    QUndoCommand *command = nullptr;
    try {
        command = make();
    } catch (const Error &e) {
        Q_EMIT editRefused(e.message());
        return false;
    }
    if (command->isObsolete()) { // it changes nothing
        delete command;
        return true;
    }
    m_undo.push(command);
    return true;
}

std::optional<LayerId> Document::addLayer(LayerId source, int neurons,
                                          std::optional<QPointF> position)
{
    std::optional<LayerId> id;
    const bool added = push([&]() -> QUndoCommand * {
        Layer layer = edit::newLayer(m_graph, source, neurons);
        layer.position = position;
        id = layer.id;
        return new AddLayerCommand(this, layer);
    });
    return added ? id : std::nullopt;
}

bool Document::removeLayers(const std::vector<LayerId> &ids)
{
    if (ids.empty())
        return true;
    return push([&] { return new RemoveLayersCommand(this, ids); });
}

bool Document::renameLayer(LayerId id, const QString &name)
{
    return push([&] { return new RenameLayerCommand(this, id, name); });
}

bool Document::resizeLayer(LayerId id, int neurons)
{
    return push([&] { return new ResizeLayerCommand(this, id, neurons); });
}

bool Document::setNeuronParams(LayerId id, const NeuronParams &params)
{
    return push([&] { return new SetNeuronParamsCommand(this, id, params); });
}

bool Document::connectLayer(LayerId id, LayerId source)
{
    return push([&] { return new ConnectLayerCommand(this, id, source); });
}

bool Document::disconnectLayer(LayerId id)
{
    const Layer *layer = m_graph.find(id);
    Q_EMIT editRefused(tr("layer '%1' needs a source: connect it to another layer or to the "
                          "input instead of disconnecting it")
                           .arg(layer ? layer->name : QString::number(id)));
    return false;
}

bool Document::moveLayers(const std::map<LayerId, QPointF> &to)
{
    MoveLayersCommand::Positions before, after;
    for (const auto &[id, pos] : to) {
        if (!m_graph.find(id))
            continue;
        before[id] = m_graph.layer(id).position;
        after[id] = pos;
    }
    if (before == after)
        return true;
    return push([&] { return new MoveLayersCommand(this, before, after); });
}

bool Document::autoLayout()
{
    MoveLayersCommand::Positions before, after;
    for (const auto &[id, pos] : edit::autoLayout(m_graph)) {
        before[id] = m_graph.layer(id).position;
        after[id] = pos;
    }
    if (before == after)
        return true;
    return push([&] { return new MoveLayersCommand(this, before, after, tr("Automatic layout")); });
}

bool Document::applyGraph(const Graph &graph, const QString &text, const QObject *holder)
{
    return push([&] { return new ApplyGraphCommand(this, graph, text); }, holder);
}

void Document::insertLayer(const Layer &layer)
{
    const LayerId id = m_graph.addLayer(layer);
    Q_ASSERT(id == layer.id);
    m_graph.sortTopologically();
    m_pending |= Change::Structure;
    Q_EMIT layerAdded(id);
    Q_EMIT changed();
}

void Document::eraseLayer(LayerId id)
{
    m_graph.removeLayer(id);
    m_pending |= Change::Structure;
    Q_EMIT layerRemoved(id);
    Q_EMIT changed();
}

void Document::replaceLayers(const std::vector<Layer> &layers)
{
    std::vector<LayerId> rewired;
    for (const Layer &l : layers) {
        Layer &target = m_graph.layer(l.id);
        if (target.source != l.source)
            rewired.push_back(l.id);
        if (target.source != l.source || target.neurons() != l.neurons() ||
            target.inputs() != l.inputs())
            m_pending |= Change::Structure;
        else if (target.weights != l.weights || target.bias.size() != l.bias.size() ||
                 target.bias != l.bias)
            m_pending |= Change::Weights;
        if (!(target.neuron == l.neuron))
            m_pending |= Change::Parameters;
        if (target.name != l.name)
            m_pending |= Change::Names;
        if (target.position != l.position)
            m_pending |= Change::Positions;
        if (target.rates.size() != l.rates.size() || target.rates != l.rates)
            m_pending |= Change::Rates;
        target = l;
    }
    m_graph.sortTopologically();
    for (const Layer &l : layers)
        Q_EMIT layerChanged(l.id);
    for (LayerId id : rewired)
        Q_EMIT connectionChanged(id);
    Q_EMIT changed();
}

void Document::setLayerName(LayerId id, const QString &name)
{
    m_graph.layer(id).name = name;
    m_pending |= Change::Names;
    Q_EMIT layerChanged(id);
    Q_EMIT changed();
}

void Document::setLayerNeuron(LayerId id, const NeuronParams &params)
{
    m_graph.layer(id).neuron = params;
    m_pending |= Change::Parameters;
    Q_EMIT layerChanged(id);
    Q_EMIT changed();
}

void Document::setPositions(const std::map<LayerId, std::optional<QPointF>> &positions)
{
    for (const auto &[id, pos] : positions)
        m_graph.layer(id).position = pos;
    m_pending |= Change::Positions;
    for (const auto &entry : positions)
        Q_EMIT layerMoved(entry.first);
    Q_EMIT changed();
}

void Document::reorderLayers(const std::vector<LayerId> &order)
{
    bool same = int(order.size()) == m_graph.layerCount();
    for (std::size_t i = 0; same && i < order.size(); ++i)
        same = m_graph.layers()[i].id == order[i];
    if (same)
        return;
    Graph reordered(m_graph.inputSize());
    for (LayerId id : order)
        reordered.addLayer(m_graph.layer(id));
    m_graph = std::move(reordered);
    m_pending |= Change::Structure;
}

void Document::replaceGraph(const Graph &graph)
{
    m_graph = graph;
    m_pending = Change::All;
    Q_EMIT graphReset();
    Q_EMIT changed();
}

} // namespace snn::widgets
