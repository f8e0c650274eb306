#include "CanvasView.h"

#include "Document.h"
#include "PlotExport.h"
#include "SaveDialog.h"
#include "base/Error.h"
#include "graph/GraphEdit.h"
#include "io/AtomicFile.h"

#include <QBuffer>
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsLineItem>
#include <QGraphicsPathItem>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QPainterPathStroker>
#include <QPdfWriter>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace snn::widgets {

namespace {

// Node fill by mean firing rate: cool blue for silent layers to warm orange at 0.25 spikes/step.
QColor activityColour(const Layer &layer)
{
    if (!layer.hasRates())
        return QColor(0xe4, 0xe4, 0xe4);
    const double t = std::clamp(double(layer.rates.mean()) / 0.25, 0.0, 1.0);
    const QColor cold(0xd6, 0xe6, 0xf7), warm(0xf7, 0xb2, 0x6a);
    return QColor::fromRgbF(float(cold.redF() + t * (warm.redF() - cold.redF())),
                            float(cold.greenF() + t * (warm.greenF() - cold.greenF())),
                            float(cold.blueF() + t * (warm.blueF() - cold.blueF())));
}

QString number(double value)
{
    return QLocale(QLocale::English).toString(value, 'g', 4);
}

constexpr double kStub = 30.0;      // the straight start and end of an edge routed around cards
constexpr double kClearance = 24.0; // between a routed edge and the cards it passes

QPainterPath curve(const QPointF &from, const QPointF &to)
{
    QPainterPath path(from);
    const double dx = std::max(60.0, std::abs(to.x() - from.x()) / 2);
    path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
    return path;
}

// Straight lines through `points`, with rounded corners.
QPainterPath roundedPolyline(const std::vector<QPointF> &points)
{
    QPainterPath path(points.front());
    for (std::size_t i = 1; i + 1 < points.size(); ++i) {
        const QPointF a = points[i - 1], b = points[i], c = points[i + 1];
        const double in = QLineF(a, b).length(), out = QLineF(b, c).length();
        const double r = std::min({12.0, in / 2, out / 2});
        path.lineTo(in > 0 ? b + (a - b) * (r / in) : b);
        path.quadTo(b, out > 0 ? b + (c - b) * (r / out) : b);
    }
    path.lineTo(points.back());
    return path;
}

bool crossesCard(const QPainterPath &path, const std::vector<QRectF> &cards)
{
    const QPainterPath outline = QPainterPathStroker(QPen(Qt::black, 2.0)).createStroke(path);
    return std::any_of(cards.begin(), cards.end(), [&](const QRectF &card) {
        return outline.intersects(card.adjusted(3, 3, -3, -3)); // touching a port is fine
    });
}

// From an output port to an input port: a curve when it clears every card; else out to the
// right, along the first free lane above or below the cards between (whichever is the shorter
// detour), and in from the left.
QPainterPath routeEdge(const QPointF &from, const QPointF &to, const std::vector<QRectF> &cards)
{
    QPainterPath direct = curve(from, to);
    if (!crossesCard(direct, cards))
        return direct;
    const double x1 = from.x() + kStub, x2 = to.x() - kStub;
    const double left = std::min(x1, x2), right = std::max(x1, x2);
    const auto lane = [&](double y, bool up) {
        for (bool moved = true; moved;) {
            moved = false;
            for (const QRectF &card : cards)
                if (card.right() >= left && card.left() <= right && y > card.top() - kClearance &&
                    y < card.bottom() + kClearance) {
                    y = up ? card.top() - kClearance : card.bottom() + kClearance;
                    moved = true;
                }
        }
        return y;
    };
    const double above = lane(std::min(from.y(), to.y()), true);
    const double below = lane(std::max(from.y(), to.y()), false);
    const auto detour = [&](double y) { return std::abs(from.y() - y) + std::abs(to.y() - y); };
    const double y = detour(above) <= detour(below) ? above : below;
    return roundedPolyline({from, {x1, from.y()}, {x1, y}, {x2, y}, {x2, to.y()}, to});
}

// Menu text shows a name as it is ('&' would be a mnemonic).
QString menuText(QString name)
{
    return name.replace(QLatin1Char('&'), QLatin1String("&&"));
}

} // namespace

CanvasView::CanvasView(QWidget *parent)
    : QGraphicsView(parent)
    , m_scene(new QGraphicsScene(this))
{
    setScene(m_scene);
    setRenderHint(QPainter::Antialiasing);
    setDragMode(ScrollHandDrag);
    setTransformationAnchor(AnchorUnderMouse);
    setBackgroundBrush(QColor(0xfa, 0xfa, 0xfa));
    m_scene->setSceneRect(-2000, -2000, 6000, 6000);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        const LayerId current = currentLayer();
        if (current != m_current) {
            m_current = current;
            Q_EMIT currentLayerChanged(current);
        }
    });
}

CanvasView::~CanvasView()
{
    // Deleting the items must not call back into a half-destroyed view.
    disconnect(m_scene, nullptr, this, nullptr);
    m_nodes.clear();
    m_edges.clear();
}

void CanvasView::setDocument(Document *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_nodes.clear();
    m_edges.clear();
    m_scene->clear();
    m_dragLine = nullptr;
    if (m_document) {
        // Every change signal ends with changed(); the canvas syncs its items from the graph.
        connect(m_document, &Document::changed, this, &CanvasView::sync);
        connect(m_document, &Document::editLockChanged, this, &CanvasView::sync);
        connect(m_document, &Document::graphReset, this, [this] {
            m_preview.reset();
            m_autoFit = m_fitPending = true; // fitted after the sync that follows
        });
        sync();
        m_autoFit = true;
    }
}

void CanvasView::setPreview(std::shared_ptr<const Graph> optimised)
{
    m_preview = std::move(optimised);
    sync();
}

NodeItem *CanvasView::node(LayerId id) const
{
    auto it = m_nodes.find(id);
    return it == m_nodes.end() ? nullptr : it->second;
}

std::vector<LayerId> CanvasView::selectedLayers() const
{
    std::vector<LayerId> ids;
    if (!m_document)
        return ids;
    // In the graph's (topological) order.
    for (const Layer &l : m_document->graph().layers())
        if (NodeItem *n = node(l.id); n && n->isSelected())
            ids.push_back(l.id);
    return ids;
}

LayerId CanvasView::currentLayer() const
{
    const std::vector<LayerId> ids = selectedLayers();
    const NodeItem *input = node(kNetworkInput);
    const bool inputSelected = input && input->isSelected();
    if (ids.size() == 1 && !inputSelected)
        return ids.front();
    return ids.empty() && inputSelected ? kNetworkInput : -1;
}

void CanvasView::selectLayer(LayerId id)
{
    m_scene->clearSelection();
    if (NodeItem *n = node(id)) {
        n->setSelected(true);
        ensureVisible(n);
    }
}

void CanvasView::updateNode(NodeItem *item, const Layer &l)
{
    QStringList lines;
    lines << tr("%1, %2").arg(countText(l.neurons(), "neuron"), countText(l.inputs(), "input"));
    if (l.neuron.spiking)
        lines << tr("%1, threshold %2, beta %3")
                     .arg(toString(l.neuron.type), number(double(l.neuron.threshold)),
                          number(double(l.neuron.beta)))
              << tr("reset: %1").arg(resetDescription(l.neuron));
    else
        lines << tr("linear (non-spiking)");
    if (l.hasSyntheticRates())
        lines << tr("synthetic rates")
              << tr("mean %1, %2 zero")
                     .arg(QString::number(double(l.rates.mean()), 'f', 3))
                     .arg((l.rates.array() == 0.0f).count());
    else if (l.hasRates())
        lines << tr("mean rate %1, %2 dead")
                     .arg(QString::number(double(l.rates.mean()), 'f', 3))
                     .arg((l.rates.array() == 0.0f).count());
    else
        lines << tr("firing rates not measured");
    QString highlight;
    if (m_preview) {
        const Layer *after = m_preview->find(l.id);
        if (!after)
            highlight = tr("optimised: fused away");
        else if (after->neurons() != l.neurons())
            highlight = tr("optimised: %1 -> %2 neurons").arg(l.neurons()).arg(after->neurons());
        else
            highlight = tr("optimised: unchanged");
    }
    item->setContent(l.name, lines, activityColour(l), highlight);
    const Graph &graph = m_document->graph();
    item->setToolTip(tr("%1\n%2\n%3, %4 from %5, %6\n%7")
                         .arg(l.name,
                              l.neuron.spiking ? tr("spiking %1 layer").arg(toString(l.neuron.type))
                                               : tr("linear (non-spiking) layer"),
                              countText(l.neurons(), "neuron"), countText(l.inputs(), "input"),
                              graph.sourceName(l), countText(l.paramCount(), "parameter"),
                              !l.hasRates() ? tr("firing rates not measured")
                              : l.ratesSource.isEmpty()
                                  ? tr("firing rates: source not recorded")
                                  : tr("firing rates: %1").arg(l.ratesSource)));
}

void CanvasView::sync()
{
    if (!m_document)
        return;
    const Graph &graph = m_document->graph();
    // Remove nodes of layers that are gone.
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (it->first != kNetworkInput && !graph.find(it->first)) {
            NodeItem *gone = it->second;
            it = m_nodes.erase(it);
            delete gone;
        } else {
            ++it;
        }
    }
    const std::map<LayerId, QPointF> layout = edit::autoLayout(graph);
    double minX = 0.0;
    std::optional<double> inputY;
    bool first = true;
    for (const Layer &l : graph.layers()) {
        NodeItem *&item = m_nodes[l.id];
        if (!item) {
            item = new NodeItem(l.id);
            m_scene->addItem(item);
        }
        updateNode(item, l);
        item->setFlag(QGraphicsItem::ItemIsMovable, !m_document->isEditLocked());
        const QPointF pos = l.position ? *l.position : layout.at(l.id);
        if (item->pos() != pos)
            item->setPos(pos);
        if (first || pos.x() < minX)
            minX = pos.x();
        if (!inputY && l.source == kNetworkInput) // centred on the first input-fed layer
            inputY = item->inputPort().y();
        first = false;
    }
    NodeItem *&input = m_nodes[kNetworkInput];
    if (!input) {
        input = new NodeItem(kNetworkInput);
        m_scene->addItem(input);
    }
    input->setContent(tr("input"), {countText(graph.inputSize(), "value"), tr("the network input")},
                      QColor(0xe8, 0xf3, 0xe0));
    input->setToolTip(
        tr("input\nthe network input: %1").arg(countText(graph.inputSize(), "value")));
    input->setPos(minX - edit::kColumnSpacing, inputY.value_or(0.0) - input->outputPort().y());

    // Edges: one per layer, from its source's output port to its input port.
    for (auto &[id, edge] : m_edges)
        delete edge;
    m_edges.clear();
    for (const Layer &l : graph.layers()) {
        if (!node(l.source) || !node(l.id))
            continue;
        auto *edge = m_scene->addPath(route(l), QPen(QColor(0x44, 0x44, 0x44), 2.0));
        edge->setZValue(0.0);
        edge->setToolTip(tr("%1 -> %2").arg(graph.sourceName(l), l.name));
        m_edges[l.id] = edge;
    }
    if (std::exchange(m_fitPending, false) && isVisible())
        fitToView();
}

QPainterPath CanvasView::route(const Layer &layer) const
{
    std::vector<QRectF> cards;
    for (const auto &[id, item] : m_nodes)
        cards.push_back(item->sceneCardRect());
    return routeEdge(node(layer.source)->outputPort(), node(layer.id)->inputPort(), cards);
}

void CanvasView::updateEdges()
{
    for (const auto &[id, edge] : m_edges)
        if (const Layer *l = m_document ? m_document->graph().find(id) : nullptr;
            l && node(l->source) && node(id))
            edge->setPath(route(*l));
}

QPainterPath CanvasView::edgePath(LayerId id) const
{
    auto it = m_edges.find(id);
    return it == m_edges.end() ? QPainterPath() : it->second->path();
}

QString CanvasView::toolTipAt(const QPointF &scenePos) const
{
    if (!m_document)
        return {};
    const Graph &graph = m_document->graph();
    for (const auto &[id, item] : m_nodes) {
        const NodeItem::Port port = item->portAt(scenePos);
        if (port == NodeItem::Port::None)
            continue;
        if (item->isInputNode())
            return tr("Output of the network input (%1): drag onto a layer to feed it "
                      "from the input")
                .arg(countText(graph.inputSize(), "value"));
        const Layer &l = graph.layer(id);
        if (port == NodeItem::Port::Output)
            return tr("Output of %1 (%2): drag onto a layer to feed it from %1")
                .arg(l.name, countText(l.neurons(), "value"));
        return tr("Input of %1 (%2 from %3): drag onto another node to feed %1 from it")
            .arg(l.name, countText(l.inputs(), "value"), graph.sourceName(l));
    }
    for (const QGraphicsItem *item : m_scene->items(scenePos)) // topmost first
        if (!item->toolTip().isEmpty())
            return item->toolTip();
    return {};
}

QMenu *CanvasView::contextMenuAt(const QPointF &scenePos)
{
    auto *menu = new QMenu(this);
    if (!m_document)
        return menu;
    NodeItem *item = nodeAt(scenePos);
    if (!item) {
        menu->addAction(tr("&Add layer here"), this, [this, scenePos] {
            addLayerAt(scenePos - QPointF(NodeItem::kWidth / 2, 30));
        });
        menu->addAction(tr("&Fit to view"), this, &CanvasView::fitToView);
        menu->addAction(tr("Automatic &layout"), this, [this] { m_document->autoLayout(); });
        menu->addSeparator();
        menu->addAction(tr("&Export image..."), this, [this] {
            saveThroughDialog(
                this, tr("Export the graph as an image"), QStringLiteral("graph.png"),
                plotFileFilter(), [this](const QString &path) { exportImage(path); },
                [this](const QString &text) { Q_EMIT message(text); });
        });
        return menu;
    }
    const LayerId id = item->layerId();
    if (!item->isSelected()) {
        m_scene->clearSelection();
        item->setSelected(true);
    }
    menu->addAction(tr("&Add layer after"), this, [this, id] {
        if (NodeItem *from = node(id))
            addLayerFedBy(id, freeSpotRightOf(from));
    });
    if (item->isInputNode())
        return menu;
    menu->addAction(tr("&Rename..."), this, [this, id] { Q_EMIT renameRequested(id); });
    // Any node but the layer itself and the layers it feeds (that would make a cycle).
    const Graph &graph = m_document->graph();
    std::vector<LayerId> downstream{id};
    for (std::size_t i = 0; i < downstream.size(); ++i)
        for (LayerId consumer : graph.consumers(downstream[i]))
            downstream.push_back(consumer);
    QMenu *connectMenu = menu->addMenu(tr("&Connect from"));
    const LayerId source = graph.layer(id).source;
    const auto addSource = [&](LayerId from, const QString &name) {
        QAction *action = connectMenu->addAction(
            menuText(name), this, [this, id, from] { m_document->connectLayer(id, from); });
        action->setCheckable(true);
        action->setChecked(from == source);
        action->setEnabled(from != source && std::find(downstream.begin(), downstream.end(),
                                                       from) == downstream.end());
    };
    addSource(kNetworkInput, tr("input"));
    for (const Layer &l : graph.layers())
        if (l.id != id)
            addSource(l.id, l.name);
    menu->addSeparator();
    menu->addAction(tr("&Delete"), this, [this, id] { m_document->removeLayers({id}); });
    return menu;
}

void CanvasView::exportImage(const QString &path) const
{
    QRectF bounds;
    for (const QGraphicsItem *item : m_scene->items())
        bounds |= item->sceneBoundingRect();
    if (bounds.isEmpty())
        throw Error(tr("cannot export %1: the graph is empty").arg(path));
    bounds.adjust(-20, -20, 20, 20);
    const QString suffix = QFileInfo(path).suffix().toLower();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const auto render = [&](QPaintDevice *device, const QRectF &target) {
        QPainter painter(device);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.fillRect(target, Qt::white);
        m_scene->render(&painter, target, bounds);
    };
    if (suffix == QLatin1String("png")) {
        QImage image((bounds.size() * 2).toSize(), QImage::Format_ARGB32);
        render(&image, QRectF(image.rect()));
        image.save(&buffer, "PNG");
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(bounds.size().toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), bounds.size()));
        svg.setTitle(QFileInfo(path).completeBaseName());
        render(&svg, QRectF(QPointF(0, 0), bounds.size()));
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(&buffer);
        pdf.setPageSize(QPageSize(bounds.size(), QPageSize::Point));
        pdf.setPageMargins(QMarginsF());
        pdf.setResolution(72);
        render(&pdf, QRectF(QPointF(0, 0), bounds.size()));
    } else {
        throw Error(tr("cannot export the graph as '%1': use .png, .svg or .pdf").arg(path));
    }
    writeAtomically(path, buffer.data());
}

NodeItem *CanvasView::nodeAt(const QPointF &scenePos) const
{
    for (const auto &[id, item] : m_nodes)
        if (item->portAt(scenePos) != NodeItem::Port::None ||
            item->sceneBoundingRect().contains(scenePos))
            return item;
    return nullptr;
}

std::map<LayerId, QPointF> CanvasView::selectedPositions() const
{
    std::map<LayerId, QPointF> positions;
    for (const auto &[id, item] : m_nodes)
        if (id != kNetworkInput && item->isSelected())
            positions[id] = item->pos();
    return positions;
}

void CanvasView::addLayerAt(const QPointF &scenePos)
{
    if (!m_document)
        return;
    const Graph &graph = m_document->graph();
    LayerId source = currentLayer();
    if (source < 0)
        source = graph.isEmpty() ? kNetworkInput : graph.layers().back().id;
    addLayerFedBy(source, scenePos);
}

void CanvasView::addLayer()
{
    if (!m_document)
        return;
    LayerId source = currentLayer();
    const Graph &graph = m_document->graph();
    if (source < 0)
        source = graph.isEmpty() ? kNetworkInput : graph.layers().back().id;
    const NodeItem *from = node(source);
    addLayerFedBy(source, from ? freeSpotRightOf(from) : QPointF(0, 0));
}

void CanvasView::addLayerFedBy(LayerId source, const QPointF &scenePos)
{
    if (auto id = m_document->addLayer(source, 16, scenePos)) {
        selectLayer(*id);
        if (NodeItem *added = node(*id))
            ensureVisible(added);
    }
}

QPointF CanvasView::freeSpotRightOf(const NodeItem *from) const
{
    // One column right of the source, in the first row down that no card takes (a card placed
    // there would hide the one under it).
    QPointF spot = from->pos() + QPointF(edit::kColumnSpacing, 0);
    const double height = from->sceneCardRect().height(); // the new card's, about
    const auto taken = [this, height](const QPointF &at) {
        const QRectF card(at, QSizeF(NodeItem::kWidth, height));
        for (const auto &[id, item] : m_nodes)
            if (item->sceneCardRect().adjusted(-20, -20, 20, 20).intersects(card))
                return true;
        return false;
    };
    while (taken(spot))
        spot.ry() += edit::kRowSpacing;
    return spot;
}

void CanvasView::deleteSelection()
{
    if (m_document)
        m_document->removeLayers(selectedLayers());
}

void CanvasView::fitToView()
{
    QRectF bounds;
    for (const auto &[id, item] : m_nodes)
        bounds |= item->sceneBoundingRect();
    if (bounds.isEmpty())
        return;
    bounds.adjust(-40, -40, 40, 40);
    const QSizeF view = viewport()->size();
    const double scale =
        std::clamp(std::min(view.width() / bounds.width(), view.height() / bounds.height()),
                   kMinFitScale, kMaxFitScale);
    setTransform(QTransform::fromScale(scale, scale));
    // What does not fit at the floor scrolls, starting at the top left.
    const QSizeF visible = view / scale;
    centerOn(bounds.width() > visible.width() ? bounds.left() + visible.width() / 2
                                              : bounds.center().x(),
             bounds.height() > visible.height() ? bounds.top() + visible.height() / 2
                                                : bounds.center().y());
}

void CanvasView::zoomBy(double factor)
{
    m_autoFit = false;
    const double scaleNow = transform().m11();
    const double target = std::clamp(scaleNow * factor, 0.05, 4.0);
    scale(target / scaleNow, target / scaleNow);
}

void CanvasView::mousePressEvent(QMouseEvent *event)
{
    m_autoFit = false;
    const QPointF scenePos = mapToScene(event->position().toPoint());
    if (event->button() == Qt::LeftButton && m_document) {
        for (const auto &[id, item] : m_nodes) {
            const NodeItem::Port port = item->portAt(scenePos);
            if (port == NodeItem::Port::None)
                continue;
            m_dragNode = item;
            m_dragPort = port;
            const QPointF start =
                port == NodeItem::Port::Output ? item->outputPort() : item->inputPort();
            m_dragLine = m_scene->addLine(QLineF(start, scenePos),
                                          QPen(QColor(0x1f, 0x6f, 0xd0), 2, Qt::DashLine));
            m_dragLine->setZValue(2.0);
            event->accept();
            return;
        }
    }
    QGraphicsView::mousePressEvent(event);
    m_pressPositions = selectedPositions();
}

void CanvasView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragLine) {
        QLineF line = m_dragLine->line();
        line.setP2(mapToScene(event->position().toPoint()));
        m_dragLine->setLine(line);
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
    if (!m_pressPositions.empty())
        updateEdges();
}

void CanvasView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragLine) {
        const QPointF scenePos = mapToScene(event->position().toPoint());
        NodeItem *from = m_dragNode;
        const NodeItem::Port port = m_dragPort;
        delete m_dragLine;
        m_dragLine = nullptr;
        m_dragNode = nullptr;
        m_dragPort = NodeItem::Port::None;
        NodeItem *target = nodeAt(scenePos);
        if (port == NodeItem::Port::Output) {
            if (target && target != from && !target->isInputNode())
                m_document->connectLayer(target->layerId(), from->layerId());
        } else if (!target) {
            m_document->disconnectLayer(from->layerId());
        } else if (target != from) {
            m_document->connectLayer(from->layerId(), target->layerId());
        }
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
    const std::map<LayerId, QPointF> from = std::exchange(m_pressPositions, {});
    if (!m_document || from.empty())
        return;
    std::map<LayerId, QPointF> to;
    for (const auto &[id, pos] : from)
        if (NodeItem *n = node(id))
            to[id] = n->pos();
    if (to != from)
        m_document->moveLayers(to);
}

void CanvasView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QPointF scenePos = mapToScene(event->position().toPoint());
    if (event->button() == Qt::LeftButton && !nodeAt(scenePos)) {
        addLayerAt(scenePos - QPointF(NodeItem::kWidth / 2, 30));
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void CanvasView::wheelEvent(QWheelEvent *event)
{
    zoomBy(std::pow(1.15, event->angleDelta().y() / 120.0));
    event->accept();
}

void CanvasView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_autoFit)
        fitToView();
}

void CanvasView::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    if (m_autoFit)
        fitToView();
}

void CanvasView::contextMenuEvent(QContextMenuEvent *event)
{
    const std::unique_ptr<QMenu> menu(contextMenuAt(mapToScene(event->pos())));
    menu->exec(event->globalPos());
    event->accept();
}

bool CanvasView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(mapToScene(help->pos()));
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QGraphicsView::viewportEvent(event);
}

void CanvasView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) {
        deleteSelection();
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

} // namespace snn::widgets
