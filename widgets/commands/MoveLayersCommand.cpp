#include "MoveLayersCommand.h"

#include "Document.h"

#include <QCoreApplication>

namespace snn::widgets {

MoveLayersCommand::MoveLayersCommand(Document *document, Positions from, Positions to,
                                     const QString &text)
    : QUndoCommand(text)
    , m_document(document)
    , m_from(std::move(from))
    , m_to(std::move(to))
{
    if (text.isEmpty()) {
        QStringList names;
        for (const auto &entry : m_to)
            if (const Layer *l = document->graph().find(entry.first))
                names << l->name;
        setText(QCoreApplication::translate("commands", "Move %1")
                    .arg(names.join(QStringLiteral(", "))));
    }
}

void MoveLayersCommand::redo()
{
    m_document->setPositions(m_to);
}

void MoveLayersCommand::undo()
{
    m_document->setPositions(m_from);
}

bool MoveLayersCommand::mergeWith(const QUndoCommand *other)
{
    const auto *move = static_cast<const MoveLayersCommand *>(other);
    if (move->m_to.size() != m_to.size() || move->text() != text())
        return false;
    for (const auto &entry : m_to)
        if (!move->m_to.count(entry.first))
            return false;
    m_to = move->m_to;
    return true;
}

} // namespace snn::widgets
