#pragma once

#include "graph/Layer.h"

#include <QUndoCommand>

#include <map>
#include <optional>

namespace snn::widgets {

class Document;

// Moves layer nodes on the canvas. Pushed once when the mouse is released; consecutive moves of
// the same set of layers merge into one step.
class MoveLayersCommand : public QUndoCommand {
public:
    using Positions = std::map<LayerId, std::optional<QPointF>>;
    static constexpr int kId = 0x534e01;

    MoveLayersCommand(Document *document, Positions from, Positions to, const QString &text = {});

    void redo() override;
    void undo() override;
    int id() const override { return kId; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    Document *m_document;
    Positions m_from;
    Positions m_to;
};

} // namespace snn::widgets
