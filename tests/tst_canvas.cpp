#include "CanvasView.h"
#include "Document.h"
#include "GraphEquality.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "graph/GraphEdit.h"

#include <QApplication>
#include <QGraphicsPathItem>
#include <QImage>
#include <QMenu>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWheelEvent>

using namespace snn;
using namespace snn::widgets;
using snn::test::branchGraph;
using snn::test::makeLayer;

namespace {

void send(QWidget *viewport, QEvent::Type type, const QPoint &pos, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, QPointF(pos), QPointF(viewport->mapToGlobal(pos)),
                      type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons,
                      Qt::NoModifier);
    QApplication::sendEvent(viewport, &event);
}

// A left-button drag on the viewport, in a few moves.
void drag(QWidget *viewport, const QPoint &from, const QPoint &to)
{
    send(viewport, QEvent::MouseButtonPress, from, Qt::LeftButton);
    for (int i = 1; i <= 4; ++i)
        send(viewport, QEvent::MouseMove, from + (to - from) * i / 4, Qt::LeftButton);
    send(viewport, QEvent::MouseButtonRelease, to, Qt::NoButton);
}

// The action of `menu` (or of its submenus) with this text, "&" mnemonics ignored.
QAction *actionNamed(QMenu *menu, const QString &text)
{
    for (QAction *action : menu->actions()) {
        if (action->text().remove(QLatin1Char('&')) == text)
            return action;
        if (action->menu())
            if (QAction *found = actionNamed(action->menu(), text))
                return found;
    }
    return nullptr;
}

QStringList actionTexts(QMenu *menu)
{
    QStringList texts;
    for (QAction *action : menu->actions())
        if (!action->isSeparator())
            texts << action->text().remove(QLatin1Char('&'));
    return texts;
}

} // namespace

class TestCanvas : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void showsOneNodePerLayerAndEdges();
    void mouseEditsThenUndoToTheOriginal();
    void disconnectIsRefused();
    void wheelZooms();
    void previewShowsOptimisedSizes();
    void cardMenuEditsAreUndoSteps();
    void canvasMenuAndImageExport();
    void tooltipsOfCardsAndPorts();
    void newConnectionIsRoutedAroundCards();
    void addedLayerEdgeClearsItsOwnCard();
    void addLayerFindsAFreeSpot();

private:
    // Whether `path` passes through a card: points along it inside any card (shrunk by 3 px, so
    // the ports on the cards' edges do not count).
    bool crossesACard(const QPainterPath &path) const
    {
        std::vector<LayerId> ids{kNetworkInput};
        for (const Layer &l : m_doc->graph().layers())
            ids.push_back(l.id);
        for (int i = 0; i <= 1000; ++i) {
            const QPointF point = path.pointAtPercent(i / 1000.0);
            for (LayerId id : ids)
                if (m_view->node(id)->sceneCardRect().adjusted(3, 3, -3, -3).contains(point))
                    return true;
        }
        return false;
    }
    QPoint viewPoint(const QPointF &scenePos) const { return m_view->mapFromScene(scenePos); }
    QPoint centreOf(LayerId id) const
    {
        return viewPoint(m_view->node(id)->sceneBoundingRect().center());
    }
    LayerId idOf(const char *name) const
    {
        return m_doc->graph().findByName(QString::fromLatin1(name))->id;
    }

    Document *m_doc = nullptr;
    CanvasView *m_view = nullptr;
};

void TestCanvas::init()
{
    m_doc = new Document;
    Graph g = branchGraph();
    for (std::size_t i = 0; i < g.layers().size(); ++i)
        g.layer(g.layers()[i].id).rates = {}; // the canvas tests start from unmeasured layers
    m_doc->reset(g);
    m_view = new CanvasView;
    m_view->resize(1200, 800);
    m_view->setDocument(m_doc);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
    m_view->setTransform(QTransform());
    m_view->centerOn(m_view->node(idOf("b"))->sceneBoundingRect().center());
}

void TestCanvas::cleanup()
{
    delete m_view;
    delete m_doc;
}

void TestCanvas::showsOneNodePerLayerAndEdges()
{
    for (const Layer &l : m_doc->graph().layers())
        QVERIFY(m_view->node(l.id));
    QVERIFY(m_view->node(kNetworkInput));
    QCOMPARE(m_view->edgeCount(), 4);
    // Nodes follow the automatic layout while the graph has no positions.
    QVERIFY(m_view->node(idOf("b"))->pos().x() > m_view->node(idOf("a"))->pos().x());
    QCOMPARE(m_view->node(idOf("d"))->pos().x(), m_view->node(idOf("b"))->pos().x());
}

void TestCanvas::mouseEditsThenUndoToTheOriginal()
{
    const Graph original = m_doc->graph();
    QWidget *viewport = m_view->viewport();

    // Double-click on empty canvas adds a layer fed by the selected layer (none: the last one).
    const QPoint empty =
        viewPoint(m_view->node(idOf("c"))->sceneBoundingRect().center() + QPointF(0, 250));
    QVERIFY(!m_view->itemAt(empty));
    QTest::mouseDClick(viewport, Qt::LeftButton, Qt::NoModifier, empty);
    QCOMPARE(m_doc->graph().layerCount(), 5);
    const Layer &added = m_doc->graph().layers().back();
    QCOMPARE(added.source, idOf("d"));
    QVERIFY(added.position.has_value());
    const LayerId addedId = added.id;
    QCOMPARE(m_doc->undoStack()->count(), 1);

    // Drag from d's output port onto c: c is fed by d now.
    drag(viewport, viewPoint(m_view->node(idOf("d"))->outputPort()), centreOf(idOf("c")));
    QCOMPARE(m_doc->graph().layer(idOf("c")).source, idOf("d"));
    QCOMPARE(m_doc->undoStack()->count(), 2);

    // Drag c's input port onto b: rewired back through the input port.
    drag(viewport, viewPoint(m_view->node(idOf("c"))->inputPort()), centreOf(idOf("b")));
    QCOMPARE(m_doc->graph().layer(idOf("c")).source, idOf("b"));
    QCOMPARE(m_doc->undoStack()->count(), 3);

    // Move a by dragging its card: one step, pushed on release.
    const QPointF before = m_view->node(idOf("a"))->pos();
    const QPoint grab = viewPoint(m_view->node(idOf("a"))->sceneBoundingRect().center());
    drag(viewport, grab, grab + QPoint(60, 40));
    QCOMPARE(m_doc->undoStack()->count(), 4);
    QCOMPARE(m_doc->graph().layer(idOf("a")).position, std::optional(before + QPointF(60, 40)));
    QCOMPARE(m_view->node(idOf("a"))->pos(), before + QPointF(60, 40));

    // Select b with a click and delete it with the Delete key: c is fed by a.
    const LayerId b = idOf("b");
    const QPoint bCentre = centreOf(b);
    send(viewport, QEvent::MouseButtonPress, bCentre, Qt::LeftButton);
    send(viewport, QEvent::MouseButtonRelease, bCentre, Qt::NoButton);
    QCOMPARE(m_view->currentLayer(), idOf("b"));
    QTest::keyClick(m_view, Qt::Key_Delete);
    QCOMPARE(m_doc->graph().layerCount(), 4);
    QCOMPARE(m_doc->graph().layer(idOf("c")).source, idOf("a"));
    QCOMPARE(m_doc->graph().layer(idOf("c")).inputs(), 3);
    QCOMPARE(m_doc->undoStack()->count(), 5);
    QVERIFY(!m_view->node(b));
    QCOMPARE(m_view->edgeCount(), 4);

    // With the input node selected, a double-click adds a layer fed by the input.
    m_view->selectLayer(kNetworkInput);
    QCOMPARE(m_view->currentLayer(), kNetworkInput);
    // The first added layer sits at `empty` now: double-click next to it, on empty canvas.
    const QPointF addedCentre = m_view->node(addedId)->sceneBoundingRect().center();
    QPoint free;
    for (const QPointF offset : {QPointF(0, 120), QPointF(0, -120), QPointF(-250, 0)}) {
        const QPoint p = viewPoint(addedCentre + offset);
        if (viewport->rect().contains(p) && !m_view->itemAt(p)) {
            free = p;
            break;
        }
    }
    QVERIFY(!free.isNull());
    QTest::mouseDClick(viewport, Qt::LeftButton, Qt::NoModifier, free);
    QCOMPARE(m_doc->graph().layerCount(), 5);
    QCOMPARE(m_doc->graph().layers().back().source, kNetworkInput);
    QCOMPARE(m_doc->graph().layers().back().inputs(), 4);
    QCOMPARE(m_view->edgeCount(), 5);

    while (m_doc->undoStack()->canUndo())
        m_doc->undoStack()->undo();
    SNN_COMPARE_GRAPHS(m_doc->graph(), original);
    QCOMPARE(m_view->edgeCount(), 4);
    QCOMPARE(m_view->node(idOf("a"))->pos(), before);
}

void TestCanvas::disconnectIsRefused()
{
    const Graph original = m_doc->graph();
    QSignalSpy refused(m_doc, &Document::editRefused);
    const QPoint port = viewPoint(m_view->node(idOf("c"))->inputPort());
    drag(m_view->viewport(), port, port + QPoint(0, 200));
    QCOMPARE(refused.count(), 1);
    QVERIFY(refused.at(0).at(0).toString().startsWith(QStringLiteral("layer 'c' needs a source")));
    QCOMPARE(m_doc->undoStack()->count(), 0);
    SNN_COMPARE_GRAPHS(m_doc->graph(), original);

    // Connecting a layer to its own consumer is a cycle: refused too.
    drag(m_view->viewport(), viewPoint(m_view->node(idOf("c"))->outputPort()), centreOf(idOf("a")));
    QCOMPARE(refused.count(), 2);
    QCOMPARE(refused.at(1).at(0).toString(),
             QStringLiteral("connecting 'c' to 'a' would make a cycle"));
    SNN_COMPARE_GRAPHS(m_doc->graph(), original);
}

void TestCanvas::wheelZooms()
{
    const double before = m_view->transform().m11();
    const QPoint at = m_view->viewport()->rect().center();
    QWheelEvent wheel(QPointF(at), QPointF(m_view->viewport()->mapToGlobal(at)), QPoint(),
                      QPoint(0, 240), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_view->viewport(), &wheel);
    QVERIFY(qAbs(m_view->transform().m11() - before * 1.15 * 1.15) < 1e-9);
    m_view->fitToView();
    QVERIFY(m_view->transform().m11() <= 1.0);
}

void TestCanvas::previewShowsOptimisedSizes()
{
    auto optimised = std::make_shared<Graph>(m_doc->graph());
    optimised->layer(idOf("a")).removeNeurons({0});
    optimised->layer(idOf("b")).removeInputs({0});
    optimised->layer(idOf("d")).removeInputs({0});
    optimised->removeLayer(idOf("c"));
    m_view->setPreview(optimised);
    QCOMPARE(m_view->node(idOf("a"))->highlight(), QStringLiteral("optimised: 3 -> 2 neurons"));
    QCOMPARE(m_view->node(idOf("b"))->highlight(), QStringLiteral("optimised: unchanged"));
    QCOMPARE(m_view->node(idOf("c"))->highlight(), QStringLiteral("optimised: fused away"));
    const double withPreview = m_view->node(idOf("a"))->boundingRect().height();
    m_view->setPreview(nullptr);
    QCOMPARE(m_view->node(idOf("a"))->highlight(), QString());
    QVERIFY(m_view->node(idOf("a"))->boundingRect().height() < withPreview);
    // Node facts come from the graph.
    QCOMPARE(m_view->node(idOf("a"))->lines().front(), QStringLiteral("3 neurons, 4 inputs"));
    QCOMPARE(m_view->node(idOf("a"))->lines().back(), QStringLiteral("firing rates not measured"));
    // Made-up rates are called so on the card; measured ones are not.
    Graph rated = m_doc->graph();
    rated.layer(idOf("a")).rates = Eigen::VectorXf::Constant(3, 0.25f);
    rated.layer(idOf("a")).ratesSource = kSyntheticRates;
    rated.layer(idOf("b")).rates = Eigen::VectorXf::Zero(rated.layer(idOf("b")).neurons());
    rated.layer(idOf("b")).ratesSource = QStringLiteral("measured: toy, validation, 8 samples");
    m_doc->reset(rated);
    QCOMPARE(
        m_view->node(idOf("a"))->lines().mid(3),
        QStringList({QStringLiteral("synthetic rates"), QStringLiteral("mean 0.250, 0 zero")}));
    QCOMPARE(m_view->node(idOf("b"))->lines().back(),
             QStringLiteral("mean rate 0.000, %1 dead").arg(rated.layer(idOf("b")).neurons()));
}

void TestCanvas::cardMenuEditsAreUndoSteps()
{
    const Graph original = m_doc->graph();
    const LayerId b = idOf("b"), c = idOf("c");
    std::unique_ptr<QMenu> menu(m_view->contextMenuAt(m_view->node(b)->sceneCardRect().center()));
    QCOMPARE(actionTexts(menu.get()),
             (QStringList{QStringLiteral("Add layer after"), QStringLiteral("Rename..."),
                          QStringLiteral("Connect from"), QStringLiteral("Delete")}));
    QCOMPARE(m_view->currentLayer(), b); // the card right-clicked is selected
    // Connect from: every other node; b's source checked, its consumer c (a cycle) disabled.
    QMenu *sources = actionNamed(menu.get(), QStringLiteral("Connect from"))->menu();
    QCOMPARE(actionTexts(sources), (QStringList{QStringLiteral("input"), QStringLiteral("a"),
                                                QStringLiteral("c"), QStringLiteral("d")}));
    QVERIFY(actionNamed(sources, QStringLiteral("a"))->isChecked());
    QVERIFY(!actionNamed(sources, QStringLiteral("c"))->isEnabled());
    QVERIFY(actionNamed(sources, QStringLiteral("d"))->isEnabled());
    actionNamed(sources, QStringLiteral("d"))->trigger();
    QCOMPARE(m_doc->graph().layer(b).source, idOf("d"));
    QCOMPARE(m_doc->undoStack()->count(), 1);

    menu.reset(m_view->contextMenuAt(m_view->node(b)->sceneCardRect().center()));
    actionNamed(menu.get(), QStringLiteral("Add layer after"))->trigger();
    QCOMPARE(m_doc->graph().layerCount(), 5);
    const Layer added = m_doc->graph().layers().back();
    QCOMPARE(added.source, b);
    QCOMPARE(m_view->currentLayer(), added.id);
    QCOMPARE(m_doc->undoStack()->count(), 2);

    QSignalSpy rename(m_view, &CanvasView::renameRequested);
    menu.reset(m_view->contextMenuAt(m_view->node(c)->sceneCardRect().center()));
    actionNamed(menu.get(), QStringLiteral("Rename..."))->trigger();
    QCOMPARE(rename.count(), 1);
    QCOMPARE(rename.at(0).at(0).value<LayerId>(), c);
    actionNamed(menu.get(), QStringLiteral("Delete"))->trigger();
    QVERIFY(!m_doc->graph().find(c));
    QCOMPARE(m_doc->undoStack()->count(), 3);

    // The input node offers only a layer after it.
    menu.reset(m_view->contextMenuAt(m_view->node(kNetworkInput)->sceneCardRect().center()));
    QCOMPARE(actionTexts(menu.get()), QStringList{QStringLiteral("Add layer after")});

    while (m_doc->undoStack()->canUndo())
        m_doc->undoStack()->undo();
    SNN_COMPARE_GRAPHS(m_doc->graph(), original);
}

void TestCanvas::canvasMenuAndImageExport()
{
    const QPointF empty = m_view->node(idOf("c"))->sceneCardRect().center() + QPointF(0, 300);
    QVERIFY(!m_view->itemAt(viewPoint(empty)));
    std::unique_ptr<QMenu> menu(m_view->contextMenuAt(empty));
    QCOMPARE(actionTexts(menu.get()),
             (QStringList{QStringLiteral("Add layer here"), QStringLiteral("Fit to view"),
                          QStringLiteral("Automatic layout"), QStringLiteral("Export image...")}));
    m_view->selectLayer(idOf("b"));
    actionNamed(menu.get(), QStringLiteral("Add layer here"))->trigger();
    QCOMPARE(m_doc->graph().layerCount(), 5);
    const Layer &added = m_doc->graph().layers().back();
    QCOMPARE(added.source, idOf("b"));
    QCOMPARE(*added.position, empty - QPointF(NodeItem::kWidth / 2, 30));
    QCOMPARE(m_doc->undoStack()->count(), 1);
    // Automatic layout puts the new layer back in its column: one undo step.
    actionNamed(menu.get(), QStringLiteral("Automatic layout"))->trigger();
    QCOMPARE(m_doc->undoStack()->count(), 2);
    QCOMPARE(m_view->node(m_doc->graph().layers().back().id)->pos().x(),
             m_view->node(idOf("c"))->pos().x());
    m_view->setTransform(QTransform::fromScale(0.2, 0.2));
    actionNamed(menu.get(), QStringLiteral("Fit to view"))->trigger();
    QVERIFY(m_view->transform().m11() >= CanvasView::kMinFitScale);
    QVERIFY(m_view->transform().m11() <= CanvasView::kMaxFitScale);

    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("graph.png"));
    m_view->exportImage(png);
    QImage image(png);
    QRectF bounds;
    for (QGraphicsItem *item : m_view->scene()->items())
        bounds |= item->sceneBoundingRect();
    QCOMPARE(image.size(), (bounds.adjusted(-20, -20, 20, 20).size() * 2).toSize());
    const QString svg = dir.filePath(QStringLiteral("graph.svg"));
    m_view->exportImage(svg);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.contains(">b</text>") || svgText.contains(">b<"));
    const QString pdf = dir.filePath(QStringLiteral("graph.pdf"));
    m_view->exportImage(pdf);
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QVERIFY(pdfFile.read(5) == "%PDF-");
    const QString bad = dir.filePath(QStringLiteral("graph.bmp"));
    QVERIFY_THROWS_EXCEPTION(Error, m_view->exportImage(bad));
    try {
        m_view->exportImage(bad);
    } catch (const Error &e) {
        QCOMPARE(
            e.message(),
            QStringLiteral("cannot export the graph as '%1': use .png, .svg or .pdf").arg(bad));
    }
    QVERIFY(!QFile::exists(bad));
}

void TestCanvas::tooltipsOfCardsAndPorts()
{
    Graph g = m_doc->graph();
    g.layer(idOf("b")).rates = snn::test::vec({0.5f, 0.0f});
    g.layer(idOf("b")).ratesSource = QStringLiteral("measured: toy, validation, 8 samples");
    g.layer(idOf("d")).neuron.spiking = false;
    m_doc->reset(g);
    const NodeItem *b = m_view->node(idOf("b"));
    QCOMPARE(m_view->toolTipAt(b->sceneCardRect().center()),
             QStringLiteral("b\nspiking LIF layer\n2 neurons, 3 inputs from a, 6 parameters\n"
                            "firing rates: measured: toy, validation, 8 samples"));
    QCOMPARE(m_view->toolTipAt(m_view->node(idOf("d"))->sceneCardRect().center()),
             QStringLiteral("d\nlinear (non-spiking) layer\n2 neurons, 3 inputs from a, 6 "
                            "parameters\nfiring rates not measured"));
    QCOMPARE(m_view->toolTipAt(b->outputPort()),
             QStringLiteral("Output of b (2 values): drag onto a layer to feed it from b"));
    QCOMPARE(m_view->toolTipAt(b->inputPort()),
             QStringLiteral("Input of b (3 values from a): drag onto another node to feed b "
                            "from it"));
    const NodeItem *input = m_view->node(kNetworkInput);
    QCOMPARE(m_view->toolTipAt(input->sceneCardRect().center()),
             QStringLiteral("input\nthe network input: 4 values"));
    QCOMPARE(m_view->toolTipAt(input->outputPort()),
             QStringLiteral("Output of the network input (4 values): drag onto a layer to feed "
                            "it from the input"));
    // One of a thing is not several (a NIR file of one input and one neuron showed "1 values"
    // and "1 neurons, 1 inputs").
    QCOMPARE(countText(1, "neuron"), QStringLiteral("1 neuron"));
    QCOMPARE(countText(12345, "value"), QStringLiteral("12,345 values"));
}

void TestCanvas::newConnectionIsRoutedAroundCards()
{
    // a, b and c in one row: a straight connection from a to c would pass behind b.
    m_doc->moveLayers({{idOf("a"), QPointF(0, 0)},
                       {idOf("b"), QPointF(310, 0)},
                       {idOf("c"), QPointF(620, 0)},
                       {idOf("d"), QPointF(310, 170)}});
    m_view->fitToView();
    const NodeItem *a = m_view->node(idOf("a")), *c = m_view->node(idOf("c"));
    QVERIFY(
        m_view->node(idOf("b"))->sceneCardRect().contains((a->outputPort() + c->inputPort()) / 2));
    drag(m_view->viewport(), viewPoint(a->outputPort()), centreOf(idOf("c")));
    QCOMPARE(m_doc->graph().layer(idOf("c")).source, idOf("a"));
    const QPainterPath edge = m_view->edgePath(idOf("c"));
    QCOMPARE(edge.pointAtPercent(0), a->outputPort());
    QCOMPARE(edge.pointAtPercent(1), c->inputPort());
    QVERIFY(!crossesACard(edge));
    for (const Layer &l : m_doc->graph().layers())
        QVERIFY2(!crossesACard(m_view->edgePath(l.id)), qPrintable(l.name));
    // Moving b out of the way gives the plain curve back; it still clears every card.
    m_doc->moveLayers({{idOf("b"), QPointF(310, -400)}});
    QVERIFY(!crossesACard(m_view->edgePath(idOf("c"))));
    QCOMPARE(m_view->edgePath(idOf("c")).elementCount(), 4); // one cubic: move + 3 points
}

void TestCanvas::addedLayerEdgeClearsItsOwnCard()
{
    // A double-click left of and below the last layer: its edge runs backwards.
    m_view->selectLayer(idOf("c"));
    const QPointF at = m_view->node(idOf("a"))->sceneCardRect().center() + QPointF(0, 400);
    QVERIFY(!m_view->itemAt(viewPoint(at)));
    QTest::mouseDClick(m_view->viewport(), Qt::LeftButton, Qt::NoModifier, viewPoint(at));
    const Layer added = m_doc->graph().layers().back();
    QCOMPARE(added.source, idOf("c"));
    const NodeItem *item = m_view->node(added.id);
    QVERIFY(item->sceneCardRect().right() < m_view->node(idOf("c"))->outputPort().x());
    QVERIFY(!crossesACard(m_view->edgePath(added.id)));
    // Right below c, the same.
    m_doc->moveLayers({{added.id, m_view->node(idOf("c"))->pos() + QPointF(0, 120)}});
    QVERIFY(!crossesACard(m_view->edgePath(added.id)));
}

// Add layer with a layer selected puts the new card a column right of it, below the cards
// already there (b and d, both fed by a, take that column): on top of none, and Fit to view
// shows it. So does the card's "Add layer after".
void TestCanvas::addLayerFindsAFreeSpot()
{
    const auto overlapsAnother = [this](LayerId id) {
        const QRectF card = m_view->node(id)->sceneCardRect();
        std::vector<LayerId> others{kNetworkInput};
        for (const Layer &l : m_doc->graph().layers())
            if (l.id != id)
                others.push_back(l.id);
        for (LayerId other : others)
            if (m_view->node(other)->sceneCardRect().intersects(card))
                return true;
        return false;
    };
    const LayerId a = idOf("a");
    const QPointF column = m_view->node(a)->pos() + QPointF(edit::kColumnSpacing, 0);
    QVERIFY(m_view->node(idOf("b"))->sceneCardRect().contains(column + QPointF(10, 10)));
    m_view->selectLayer(a);
    m_view->addLayer();
    const Layer added = m_doc->graph().layers().back();
    QCOMPARE(added.source, a);
    QCOMPARE(m_view->currentLayer(), added.id);
    QCOMPARE(added.position->x(), column.x());
    QVERIFY(added.position->y() > column.y());
    QVERIFY(!overlapsAnother(added.id));
    m_view->fitToView();
    const QRectF visible = m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
    QVERIFY(visible.contains(m_view->node(added.id)->sceneCardRect()));

    // Again from a's menu: below that one too.
    std::unique_ptr<QMenu> menu(m_view->contextMenuAt(m_view->node(a)->sceneCardRect().center()));
    actionNamed(menu.get(), QStringLiteral("Add layer after"))->trigger();
    const Layer second = m_doc->graph().layers().back();
    QCOMPARE(second.source, a);
    QVERIFY(second.position->y() > added.position->y());
    QVERIFY(!overlapsAnother(second.id));
}

SNN_WIDGET_TEST_MAIN(TestCanvas)
#include "tst_canvas.moc"
