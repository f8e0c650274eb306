#pragma once

#include "NodeItem.h"
#include "graph/Graph.h"

#include <QGraphicsView>

#include <map>
#include <memory>

class QGraphicsPathItem;
class QGraphicsLineItem;
class QMenu;

namespace snn::widgets {

class Document;

// The node editor: one node per layer plus the input node, edges from each layer's source.
// Edits (through the Document, each one undo step): double-click on empty canvas adds a layer
// fed by the selected layer (or the last layer) there; Add layer puts it a column right of its
// source, below any card in the way; Delete removes the selected layers; dragging
// from an output port onto a node connects it; dragging a layer's input port onto another node
// rewires it (onto empty space: disconnect, which is refused); moving nodes is pushed on release;
// the context menus of a card (add layer after, rename, connect from, delete) and of the canvas
// (add layer here, fit, automatic layout, export image). Wheel zooms, dragging the empty canvas
// pans. An edge is a curve when that clears every card, else it goes around the cards in its
// way, so a new connection is never hidden behind a card or drawn through its own.
// Cards and ports have tooltips (name, kind, sizes, where the rates come from).
// While the document is locked (training), nodes do not move and edits are refused.
// Every new graph (open, new, example, reset) is fitted once the view has its real size, and
// again on each resize until the user zooms, pans or clicks: never above natural size
// (kMaxFitScale) and never below kMinFitScale, where the text would be illegible (the view then
// scrolls, starting at the graph's top left).
class CanvasView : public QGraphicsView {
    Q_OBJECT
public:
    explicit CanvasView(QWidget *parent = nullptr);
    ~CanvasView() override;

    void setDocument(Document *document);
    Document *document() const { return m_document; }

    // Shows what the optimised graph would keep of each layer (nullptr: no preview).
    void setPreview(std::shared_ptr<const Graph> optimised);

    NodeItem *node(LayerId id) const; // kNetworkInput: the input node
    std::vector<LayerId> selectedLayers() const;
    // The selected layer when exactly one node is selected (kNetworkInput for the input node),
    // else -1.
    LayerId currentLayer() const;
    void selectLayer(LayerId id);
    int edgeCount() const { return int(m_edges.size()); }
    // True while the view refits itself on resize (from a new graph to the user's first zoom,
    // pan or click).
    bool isAutoFitting() const { return m_autoFit; }

    // The context menu at a scene point (a card's, or the canvas'); the caller owns it.
    QMenu *contextMenuAt(const QPointF &scenePos);
    // The tooltip at a scene point: a port's, else a card's, else an edge's (empty: none).
    QString toolTipAt(const QPointF &scenePos) const;
    // The edge into layer `id` in scene coordinates (empty when it has none).
    QPainterPath edgePath(LayerId id) const;
    // Writes the graph as an image: .png (twice the natural size), .svg or .pdf, atomically.
    // Throws Error with one line naming the file.
    void exportImage(const QString &path) const;

    static constexpr double kMaxFitScale = 1.0;
    static constexpr double kMinFitScale = 0.7;

public Q_SLOTS:
    // Adds a layer fed by the current layer (or the last layer, or the input) at a scene point.
    void addLayerAt(const QPointF &scenePos);
    void addLayer();
    void deleteSelection();
    void fitToView();
    void zoomBy(double factor);

Q_SIGNALS:
    void currentLayerChanged(snn::LayerId id); // -1 when none, kNetworkInput for the input
    // "Rename..." in a card's menu: the window edits the name (in the Properties panel).
    void renameRequested(snn::LayerId id);
    void message(const QString &text); // what an export wrote, or why it could not

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    // Adds a layer fed by `source` at a scene point, selected and scrolled into view.
    void addLayerFedBy(LayerId source, const QPointF &scenePos);
    // Where a layer fed by `from` goes: a column to its right, moved down by rows until no card
    // is in the way.
    QPointF freeSpotRightOf(const NodeItem *from) const;
    void sync();
    void updateNode(NodeItem *item, const Layer &layer);
    NodeItem *nodeAt(const QPointF &scenePos) const;
    std::map<LayerId, QPointF> selectedPositions() const;
    // The edge into `layer`, routed around the cards in its way; redraws every edge.
    QPainterPath route(const Layer &layer) const;
    void updateEdges();

    QGraphicsScene *m_scene;
    Document *m_document = nullptr;
    std::shared_ptr<const Graph> m_preview;
    std::map<LayerId, NodeItem *> m_nodes;
    std::map<LayerId, QGraphicsPathItem *> m_edges; // keyed by the consumer layer
    // A connection being dragged from a port.
    NodeItem *m_dragNode = nullptr;
    NodeItem::Port m_dragPort = NodeItem::Port::None;
    QGraphicsLineItem *m_dragLine = nullptr;
    std::map<LayerId, QPointF> m_pressPositions;
    LayerId m_current = -1;
    bool m_autoFit = true;
    bool m_fitPending = false; // a new graph: fit once its items are in
};

} // namespace snn::widgets
