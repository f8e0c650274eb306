#include "LayerEditCommand.h"

#include "Document.h"

namespace snn::widgets {

namespace {

bool sameLayer(const Layer &a, const Layer &b)
{
    return a.id == b.id && a.source == b.source && a.name == b.name && a.neuron == b.neuron &&
           a.position == b.position && a.weights.rows() == b.weights.rows() &&
           a.weights.cols() == b.weights.cols() && a.weights == b.weights &&
           a.bias.size() == b.bias.size() && a.bias == b.bias && a.rates.size() == b.rates.size() &&
           a.rates == b.rates;
}

} // namespace

LayerEditCommand::LayerEditCommand(Document *document, const QString &text)
    : QUndoCommand(text)
    , m_document(document)
{}

void LayerEditCommand::setEditedGraph(const Graph &after)
{
    after.validate();
    const Graph &before = m_document->graph();
    for (const Layer &l : before.layers()) {
        const Layer *edited = after.find(l.id);
        if (!edited) {
            m_removed.push_back(l);
        } else if (!sameLayer(l, *edited)) {
            m_before.push_back(l);
            m_after.push_back(*edited);
        }
    }
    for (const Layer &l : after.layers())
        if (!before.find(l.id))
            m_added.push_back(l);
    for (const Layer &l : before.layers())
        m_orderBefore.push_back(l.id);
    for (const Layer &l : after.layers())
        m_orderAfter.push_back(l.id);
    setObsolete(m_added.empty() && m_removed.empty() && m_before.empty());
}

void LayerEditCommand::redo()
{
    for (const Layer &l : m_added)
        m_document->insertLayer(l);
    if (!m_after.empty())
        m_document->replaceLayers(m_after);
    for (auto it = m_removed.rbegin(); it != m_removed.rend(); ++it)
        m_document->eraseLayer(it->id);
    m_document->reorderLayers(m_orderAfter);
}

void LayerEditCommand::undo()
{
    for (const Layer &l : m_removed)
        m_document->insertLayer(l);
    if (!m_before.empty())
        m_document->replaceLayers(m_before);
    for (auto it = m_added.rbegin(); it != m_added.rend(); ++it)
        m_document->eraseLayer(it->id);
    m_document->reorderLayers(m_orderBefore);
}

} // namespace snn::widgets
