#pragma once

#include "graph/Graph.h"

#include <QUndoCommand>

namespace snn::widgets {

class Document;

// Replaces the whole graph (e.g. with the optimised one) as one undo step; keeps both graphs.
class ApplyGraphCommand : public QUndoCommand {
public:
    ApplyGraphCommand(Document *document, Graph graph, const QString &text);

    void redo() override;
    void undo() override;

private:
    Document *m_document;
    Graph m_before;
    Graph m_after;
};

} // namespace snn::widgets
