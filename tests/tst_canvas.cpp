#include "CanvasView.h"
#include "Document.h"
#include "GraphEquality.h"
#include "TestUtils.h"

#include <QApplication>
#include <QGraphicsPathItem>
#include <QMouseEvent>
#include <QSignalSpy>
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

private:
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
    QTest::mouseDClick(viewport, Qt::LeftButton, Qt::NoModifier, empty);
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
    QCOMPARE(m_view->node(idOf("a"))->lines().back(),
             QStringLiteral("synthetic rates: mean 0.250, 0 zero"));
    QCOMPARE(m_view->node(idOf("b"))->lines().back(),
             QStringLiteral("mean rate 0.000, %1 dead").arg(rated.layer(idOf("b")).neurons()));
}

SNN_WIDGET_TEST_MAIN(TestCanvas)
#include "tst_canvas.moc"
