#include "ApplyGraphCommand.h"

#include "Document.h"

namespace snn::widgets {

ApplyGraphCommand::ApplyGraphCommand(Document *document, Graph graph, const QString &text)
    : QUndoCommand(text)
    , m_document(document)
    , m_before(document->graph())
    , m_after(std::move(graph))
{
    m_after.validate();
}

void ApplyGraphCommand::redo()
{
    m_document->replaceGraph(m_after);
}

void ApplyGraphCommand::undo()
{
    m_document->replaceGraph(m_before);
}

} // namespace snn::widgets
