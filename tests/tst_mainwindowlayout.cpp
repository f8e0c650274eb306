// The main window on the screen: fitted opens, small screens, the Graph and Optimise workspaces
// shown whole, the first start, and each workspace's remembered layout.
#include "CanvasView.h"
#include "CompareView.h"
#include "ComparisonModel.h"
#include "Document.h"
#include "GetStartedPage.h"
#include "MainWindow.h"
#include "MainWindowTestData.h"
#include "OptimizationPanel.h"
#include "PlotTestUtils.h"
#include "Workspace.h"
#include "WorkspaceTabs.h"
#include "graph/Example.h"
#include "io/GraphFile.h"

#include <QDockWidget>
#include <QLabel>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>

using namespace snn;
using namespace snn::test;
using namespace snn::widgets;

namespace {

// The window's settings as on a first start: no saved window, mode or workspace layouts.
void forgetLayout()
{
    QSettings settings;
    settings.remove(QStringLiteral("window"));
    settings.remove(QStringLiteral("workspaces"));
}

} // namespace

class TestMainWindowLayout : public MainWindowTest {
    Q_OBJECT
private Q_SLOTS:
    void opensFittedOnceShown();
    void windowFitsSmallScreens();
    void graphShowsEditorsAndCardsWhole_data();
    void graphShowsEditorsAndCardsWhole();
    void runShowsTheWholeComparison_data();
    void runShowsTheWholeComparison();
    void firstStartIsMaximisedOnGetStarted();
    void workspacesRememberTheirLayout();
};

// Every open is fitted when the window appears: the cards are at a legible scale (at least the
// floor), a four-layer chain is in view whole at 1280x800, and no open fits by itself.
void TestMainWindowLayout::opensFittedOnceShown()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("Synthetic example"));
    window.activateMode(MainWindow::Mode::Graph); // the canvas' workspace
    const double hidden = window.canvas()->transform().m11();
    QCOMPARE(hidden, 1.0); // not fitted to a window that has no size yet
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    CanvasView *canvas = window.canvas();
    const double scale = canvas->transform().m11();
    QVERIFY2(scale >= CanvasView::kMinFitScale && scale <= CanvasView::kMaxFitScale,
             qPrintable(QString::number(scale)));
    const QRectF visible = canvas->mapToScene(canvas->viewport()->rect()).boundingRect();
    const QRectF input = canvas->node(kNetworkInput)->sceneBoundingRect();
    QVERIFY(visible.contains(input));
    // A four-card chain (the example's, as the shipped model's) is in view whole at 1280x800.
    for (const Layer &l : window.graph().layers())
        QVERIFY2(visible.contains(canvas->node(l.id)->sceneBoundingRect()), qPrintable(l.name));

    // A user's zoom stops the refitting; opening another file fits again.
    canvas->zoomBy(2.0);
    window.resize(1000, 700);
    QTRY_COMPARE(canvas->transform().m11(), scale * 2.0 > 4.0 ? 4.0 : scale * 2.0);
    const QString path = m_dir.filePath(QStringLiteral("fit.h5"));
    saveGraph(exampleGraph(), path);
    QVERIFY(window.openFile(path));
    QVERIFY(canvas->isAutoFitting());
    QVERIFY(canvas->transform().m11() <= CanvasView::kMaxFitScale);
    QVERIFY(canvas->transform().m11() >= CanvasView::kMinFitScale);

    // A small graph is not blown up beyond its natural size.
    Graph small(4);
    small.addLayer(test::makeLayer(QStringLiteral("only"), kNetworkInput, 2, 4));
    window.resize(1600, 1000);
    window.setGraph(small, QStringLiteral("small"));
    QCOMPARE(canvas->transform().m11(), CanvasView::kMaxFitScale);
}

void TestMainWindowLayout::windowFitsSmallScreens()
{
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Synthetic example"));
    const QSize minimum = window.minimumSizeHint();
    QVERIFY2(minimum.width() <= 800 && minimum.height() <= 600,
             qPrintable(QStringLiteral("%1x%2").arg(minimum.width()).arg(minimum.height())));
    const QSize available = QGuiApplication::primaryScreen()->availableSize();
    const QSize initial = window.initialSize();
    QVERIFY(initial.width() <= available.width() * 0.9 + 1);
    QVERIFY(initial.height() <= available.height() * 0.9 + 1);
    QCOMPARE(window.size(), initial);
}

// Graph in the window maximised on a 1280x800 screen and on a 1024x700 one (less its title bar),
// a layer selected: the Properties editors whole (no horizontal scrolling) and every card of the
// four-card chain in view.
void TestMainWindowLayout::graphShowsEditorsAndCardsWhole_data()
{
    runShowsTheWholeComparison_data(); // the same two screens
}

void TestMainWindowLayout::graphShowsEditorsAndCardsWhole()
{
    QFETCH(QSize, size);
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openShippedModel());
    window.resize(size);
    window.activateMode(MainWindow::Mode::Graph);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    CanvasView *canvas = window.canvas();
    canvas->selectLayer(window.graph().layers().front().id);
    const auto *dock = window.findChild<QDockWidget *>(QStringLiteral("panel_Properties"));
    const auto *scroll = qobject_cast<const QScrollArea *>(dock->widget());
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->widget()->isVisible());
    QVERIFY2(scroll->viewport()->width() >= scroll->widget()->minimumSizeHint().width(),
             qPrintable(QStringLiteral("%1 < %2")
                            .arg(scroll->viewport()->width())
                            .arg(scroll->widget()->minimumSizeHint().width())));
    QVERIFY(!scroll->horizontalScrollBar()->isVisible());
    const QRectF visible = canvas->mapToScene(canvas->viewport()->rect()).boundingRect();
    QVERIFY(visible.contains(canvas->node(kNetworkInput)->sceneBoundingRect()));
    for (const Layer &l : window.graph().layers())
        QVERIFY2(visible.contains(canvas->node(l.id)->sceneBoundingRect()), qPrintable(l.name));
}

// After a run (Run > Run passes, F5) the Optimise workspace shows the Compare tab with every row
// and every column of the table in view, in the window maximised on a 1280x800 screen and on a
// 1024x700 one (less its title bar), and the bars beside or under it with every label readable.
void TestMainWindowLayout::runShowsTheWholeComparison_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1280x800") << QSize(1280, 770);
    QTest::newRow("1024x700") << QSize(1024, 670);
}

void TestMainWindowLayout::runShowsTheWholeComparison()
{
    QFETCH(QSize, size);
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("Synthetic example"));
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateMode(MainWindow::Mode::Graph);
    QSignalSpy finished(window.optimization(), &OptimizationPanel::runFinished);
    window.findChild<QAction *>(QStringLiteral("runPasses"))->trigger();
    QCOMPARE(window.currentMode(), MainWindow::Mode::Optimise);
    QVERIFY(finished.wait(60000));
    QCOMPARE(window.optimiseTabs()->currentWidget(), window.compare());
    QVERIFY(window.compare()->hasResult());
    QTableView *table = window.compare()->table();
    const int last = table->model()->rowCount() - 1;
    QTRY_VERIFY2(table->rowViewportPosition(last) + table->rowHeight(last) <=
                     table->viewport()->height(),
                 qPrintable(QStringLiteral("%1 rows, row %2 ends at %3, viewport %4")
                                .arg(last + 1)
                                .arg(last)
                                .arg(table->rowViewportPosition(last) + table->rowHeight(last))
                                .arg(table->viewport()->height())));
    // Metric, Before, After and Change whole, inside the window.
    const int columns = table->model()->columnCount();
    QVERIFY(columns >= ComparisonModel::FixedColumns); // Metric, Before, After, Change
    QTRY_VERIFY(table->columnViewportPosition(columns - 1) + table->columnWidth(columns - 1) <=
                table->viewport()->width());
    for (int c = 0; c < columns; ++c) {
        const int right = table->columnViewportPosition(c) + table->columnWidth(c);
        QVERIFY2(right <= table->viewport()->width(),
                 qPrintable(QStringLiteral("column %1 ends at %2 of %3")
                                .arg(c)
                                .arg(right)
                                .arg(table->viewport()->width())));
        const QPoint end = table->viewport()->mapTo(&window, QPoint(right, 0));
        QVERIFY2(end.x() <= window.width(), qPrintable(QString::number(end.x())));
    }
    // The bars beside the table (or under it, when narrower), every label readable.
    if (window.compare()->isEstimating())
        QVERIFY(QSignalSpy(window.compare(), &CompareView::estimatesFinished).wait(60000));
    QCOMPARE(window.compare()->sideTabs()->currentWidget(), window.compare()->passPlot());
    window.compare()->passPlot()->replot();
    const QString problem = unreadableText(window.compare()->passPlot());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

// The first start (nothing saved) opens maximised on Get started, its heading and the mode bar's
// five names in words; its steps open the models (showing Graph), say what is attached, start
// the pipeline (showing Deploy). A later start opens where the last one ended.
void TestMainWindowLayout::firstStartIsMaximisedOnGetStarted()
{
    forgetLayout();
    {
        MainWindow window;
        window.setErrorDialogsEnabled(false);
        window.restoreLayout();
        QVERIFY(window.windowState() & Qt::WindowMaximized);
        QCOMPARE(window.currentMode(), MainWindow::Mode::GetStarted);
        QStringList names;
        for (int i = 0; i < window.modeBar()->count(); ++i)
            names << window.modeBar()->button(i)->text();
        QCOMPARE(names, (QStringList{QStringLiteral("Get started"), QStringLiteral("Graph"),
                                     QStringLiteral("Optimise"), QStringLiteral("Train"),
                                     QStringLiteral("Deploy")}));
        QStringList labels;
        for (const QLabel *label : window.getStarted()->findChildren<QLabel *>())
            labels << label->text();
        QVERIFY(labels.contains(QStringLiteral("Get started")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.isMaximized());
        QCOMPARE(window.modeBar()->currentPage(), window.getStarted());

        GetStartedPage *start = window.getStarted();
        start->button(GetStartedPage::OpenTrainedModel)->click();
        QCOMPARE(window.document()->displayName(), MainWindow::kShippedModelName);
        QCOMPARE(window.currentMode(), MainWindow::Mode::Graph);
        QCOMPARE(start->stepState(GetStartedPage::OpenTrainedModel), QStringLiteral("Open now."));
        start->button(GetStartedPage::OpenExample)->click();
        QCOMPARE(window.document()->displayName(), MainWindow::kSyntheticName);
        QCOMPARE(window.graph().totalParams(), exampleGraph().totalParams());
        QCOMPARE(start->stepState(GetStartedPage::OpenExample), QStringLiteral("Open now."));
        QCOMPARE(start->stepState(GetStartedPage::OpenTrainedModel), QString());
        const QString data = pipelineData(m_dir);
        QVERIFY(attach(window, data));
        QCOMPARE(start->stepState(GetStartedPage::AttachFashionMnist),
                 QStringLiteral("Attached now: %1.").arg(data));
        // The 784-input example does not fit the 6-feature data: refused, and it says so.
        window.activateMode(MainWindow::Mode::GetStarted);
        start->button(GetStartedPage::RunPipeline)->click();
        QCOMPARE(window.currentMode(), MainWindow::Mode::Deploy);
        QVERIFY2(start->stepState(GetStartedPage::RunPipeline)
                     .startsWith(QStringLiteral("Pipeline not started: ")),
                 qPrintable(start->stepState(GetStartedPage::RunPipeline)));
        QCOMPARE(window.statusBar()->currentMessage(),
                 start->stepState(GetStartedPage::RunPipeline));
        window.activateMode(MainWindow::Mode::Optimise);
        window.saveLayout();
    }
    MainWindow later;
    later.restoreLayout();
    QCOMPARE(later.currentMode(), MainWindow::Mode::Optimise);
}

// Each workspace keeps its own dock layout: what moved in one is where it was put on the next
// start, the others as they were; the mode last shown comes back.
void TestMainWindowLayout::workspacesRememberTheirLayout()
{
    forgetLayout();
    const auto dock = [](const MainWindow &window, const char *id) {
        return window.findChild<QDockWidget *>(QStringLiteral("panel_") + QLatin1String(id));
    };
    {
        MainWindow window;
        window.restoreLayout();
        Workspace *optimise = window.workspace(MainWindow::Mode::Optimise);
        QCOMPARE(optimise->dockWidgetArea(dock(window, "Optimisation")), Qt::LeftDockWidgetArea);
        optimise->addDockWidget(Qt::RightDockWidgetArea, dock(window, "Optimisation"));
        Workspace *graph = window.workspace(MainWindow::Mode::Graph);
        graph->addDockWidget(Qt::LeftDockWidgetArea, dock(window, "History"));
        window.activateMode(MainWindow::Mode::Train);
        window.saveLayout();
    }
    MainWindow window;
    window.restoreLayout();
    QCOMPARE(window.currentMode(), MainWindow::Mode::Train);
    const auto area = [&](MainWindow::Mode mode, const char *id) {
        return window.workspace(mode)->dockWidgetArea(dock(window, id));
    };
    QCOMPARE(area(MainWindow::Mode::Optimise, "Optimisation"), Qt::RightDockWidgetArea);
    QCOMPARE(area(MainWindow::Mode::Graph, "History"), Qt::LeftDockWidgetArea);
    QCOMPARE(area(MainWindow::Mode::Graph, "Properties"), Qt::RightDockWidgetArea);
    QCOMPARE(area(MainWindow::Mode::Deploy, "Pipeline"), Qt::BottomDockWidgetArea);
    QCOMPARE(area(MainWindow::Mode::Deploy, "Log"), Qt::BottomDockWidgetArea);
    forgetLayout();
}

SNN_WIDGET_TEST_MAIN(TestMainWindowLayout)
#include "tst_mainwindowlayout.moc"
