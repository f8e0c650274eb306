#pragma once

#include "graph/Layer.h"

#include <QUndoCommand>

namespace snn::widgets {

class Document;

// Base of the small layer edits (Tiled's changelayer.h): it keeps the layer's id and the one value
// the edit changes, as it was and as it becomes, and swaps them on undo and redo through set();
// nothing else of the graph (no weights) is copied. An edit that changes nothing is obsolete, and
// Document never pushes it.
template <typename T> class LayerValueCommand : public QUndoCommand {
public:
    void redo() override { set(m_id, m_after); }
    void undo() override { set(m_id, m_before); }
    LayerId layer() const { return m_id; }
    const T &before() const { return m_before; }
    const T &after() const { return m_after; }

protected:
    LayerValueCommand(Document *document, LayerId id, T before, T after)
        : m_document(document)
        , m_id(id)
        , m_before(std::move(before))
        , m_after(std::move(after))
    {
        setObsolete(m_before == m_after);
    }
    // Gives the layer `value` through the Document API.
    virtual void set(LayerId id, const T &value) = 0;

    Document *m_document;

private:
    LayerId m_id;
    T m_before;
    T m_after;
};

} // namespace snn::widgets
