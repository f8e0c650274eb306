#pragma once

#include "graph/Graph.h"

#include <QUndoCommand>

namespace snn::widgets {

class Document;

// Base of the structural layer edits (add, remove, resize, connect: weights change): constructed
// from the document's graph and the graph the edit makes, it keeps only the layers that differ
// (added, removed, changed) and replays them through the Document API; an edit that changes no
// layer is obsolete. The constructor throws Error when the edited graph is invalid, so a refused
// edit never reaches the undo stack. (Renames and parameter changes are LayerValueCommands.)
class LayerEditCommand : public QUndoCommand {
public:
    void redo() override;
    void undo() override;

protected:
    LayerEditCommand(Document *document, const QString &text);
    // Call from the subclass constructor with the edited copy of the document's graph.
    void setEditedGraph(const Graph &after);

    Document *m_document;

private:
    std::vector<Layer> m_added;   // in the edited graph's order
    std::vector<Layer> m_removed; // in the original graph's order
    std::vector<Layer> m_before;  // changed layers, as they were
    std::vector<Layer> m_after;   // the same layers, as they become
    std::vector<LayerId> m_orderBefore;
    std::vector<LayerId> m_orderAfter;
};

} // namespace snn::widgets
