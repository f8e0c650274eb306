// The main window itself: the graph it starts with, docks and panels, menus, toolbar and
// shortcuts, and what reaches the status bar and the log.
#include "AboutDialog.h"
#include "CanvasView.h"
#include "CompareView.h"
#include "Document.h"
#include "GraphEquality.h"
#include "MainWindow.h"
#include "MainWindowTestData.h"
#include "OptimizationPanel.h"
#include "PropertiesPanel.h"
#include "RateHeatmap.h"
#include "SpikesView.h"
#include "SweepPanel.h"
#include "TrainingMonitor.h"
#include "Workspace.h"
#include "flow/Pipeline.h"
#include "graph/Example.h"
#include "io/GraphFile.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QUndoStack>
#include <QUrl>

using namespace snn;
using namespace snn::test;
using namespace snn::widgets;
using flow::Pipeline;

namespace {

// The menu bar's action at a path of texts ("&" mnemonics ignored).
QAction *menuAction(const MainWindow &window, const QStringList &path)
{
    QList<QAction *> actions = window.menuBar()->actions();
    QAction *found = nullptr;
    for (const QString &text : path) {
        found = nullptr;
        for (QAction *action : actions)
            if (action->text().remove(QLatin1Char('&')) == text)
                found = action;
        if (!found)
            return nullptr;
        if (found->menu())
            actions = found->menu()->actions();
    }
    return found;
}

QString native(const QKeySequence &keys)
{
    return keys.toString(QKeySequence::NativeText);
}

} // namespace

class TestMainWindow : public MainWindowTest {
    Q_OBJECT
private Q_SLOTS:
    void startsWithTheGivenGraph();
    void addPanelForOtherParts();
    void refusedEditsReachTheStatusBar();
    void viewsFollowTheDocument();
    void selectionRaisesPropertiesAndRenameEditsThere();
    void helpMenuToolbarAndSaveFilter();
    void statusMessagesFollowTheLastAction();
    void panelMessagesReachTheStatusBarAndTheLog();
    void runMenuShortcuts();
};

void TestMainWindow::startsWithTheGivenGraph()
{
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    SNN_COMPARE_GRAPHS(window.graph(), exampleGraph());
    QCOMPARE(window.windowTitle(), QStringLiteral("Built-in example[*] - SNN Studio"));
    QVERIFY(!window.isWindowModified());
    QCOMPARE(window.heatmap()->rowCount(RateHeatmap::Side::Before), 3);
    QVERIFY(window.canvas()->node(window.graph().layers().front().id));
}

void TestMainWindow::addPanelForOtherParts()
{
    MainWindow window;
    auto *panel = new QLabel(QStringLiteral("training monitor"));
    QDockWidget *dock =
        window.addPanel(panel, QStringLiteral("Monitor"), QStringLiteral("Monitor the training"),
                        Qt::BottomDockWidgetArea, MainWindow::Mode::Deploy);
    QVERIFY(dock);
    QCOMPARE(qobject_cast<QScrollArea *>(dock->widget())->widget(), panel);
    QCOMPARE(dock->objectName(), QStringLiteral("panel_Monitor"));
    QCOMPARE(dock->windowTitle(), QStringLiteral("Monitor the training"));
    Workspace *deploy = window.workspace(MainWindow::Mode::Deploy);
    QCOMPARE(dock->parent(), deploy);
    QCOMPARE(deploy->dockWidgetArea(dock), Qt::BottomDockWidgetArea);
    QVERIFY(!deploy->tabifiedDockWidgets(dock).isEmpty()); // tabbed with the pipeline and log
    bool inViewMenu = false;
    for (QAction *menu : window.menuBar()->actions())
        if (menu->menu())
            inViewMenu = inViewMenu || menu->menu()->actions().contains(dock->toggleViewAction());
    QVERIFY(inViewMenu);
    // Showing it from the View menu shows its workspace.
    QCOMPARE(window.currentMode(), MainWindow::Mode::GetStarted);
    dock->toggleViewAction()->trigger(); // hides it
    dock->toggleViewAction()->trigger(); // shows it again
    QCOMPARE(window.currentMode(), MainWindow::Mode::Deploy);
    // Without a workspace of its own (Get started), a panel goes to Graph.
    QDockWidget *other =
        window.addPanel(new QLabel, QStringLiteral("Other"), QStringLiteral("Other"),
                        Qt::LeftDockWidgetArea, MainWindow::Mode::GetStarted);
    QCOMPARE(other->parent(), window.workspace(MainWindow::Mode::Graph));
}

void TestMainWindow::refusedEditsReachTheStatusBar()
{
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    window.document()->resizeLayer(window.graph().layers().front().id, 0);
    QCOMPARE(window.statusBar()->currentMessage(),
             QStringLiteral("Refused: layer 'hidden1': a layer needs at least one neuron, not 0"));
    QVERIFY(window.logText().contains(QStringLiteral("Refused: layer 'hidden1'")));
}

void TestMainWindow::viewsFollowTheDocument()
{
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    QSignalSpy finished(window.optimization(), &OptimizationPanel::runFinished);
    window.optimization()->run();
    QVERIFY(finished.wait(30000));
    // The heatmap compares, the canvas previews.
    QCOMPARE(window.heatmap()->rowCount(RateHeatmap::Side::After), 3);
    // ... on the neuron axis before: the 30 dead neurons removed stay marked at their index.
    QCOMPARE(window.heatmap()->cell(RateHeatmap::Side::After, 0, 29)->fate,
             (NeuronFate{NeuronFate::Removed, -1}));
    QCOMPARE(window.heatmap()->cell(RateHeatmap::Side::After, 0, 30)->fate,
             (NeuronFate{NeuronFate::Kept, 0}));
    const LayerId h1 = window.graph().layers().front().id;
    QCOMPARE(window.canvas()->node(h1)->highlight(),
             QStringLiteral("optimised: 256 -> 226 neurons"));
    QVERIFY(window.optimization()->apply());
    QCOMPARE(window.graph().layer(h1).neurons(), 226);
    QCOMPARE(window.heatmap()->rowCount(RateHeatmap::Side::After), 0);
    QVERIFY(!window.heatmap()->cell(RateHeatmap::Side::Before, 0, 226));
    QCOMPARE(window.canvas()->node(h1)->highlight(), QString());
    QCOMPARE(window.canvas()->node(h1)->lines().front(), QStringLiteral("226 neurons, 784 inputs"));
    window.document()->undoStack()->undo();
    QVERIFY(window.heatmap()->cell(RateHeatmap::Side::Before, 0, 255));
    // A click on the heatmap selects the layer on the canvas and in the properties panel.
    const LayerId out = window.graph().layers().back().id;
    Q_EMIT window.heatmap()->layerClicked(out);
    QCOMPARE(window.canvas()->currentLayer(), out);
    QCOMPARE(window.properties()->layer(), out);
}

void TestMainWindow::selectionRaisesPropertiesAndRenameEditsThere()
{
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.activateMode(MainWindow::Mode::Graph);
    auto *properties = window.findChild<QDockWidget *>(QStringLiteral("panel_Properties"));
    auto *history = window.findChild<QDockWidget *>(QStringLiteral("panel_History"));
    QVERIFY(window.workspace(MainWindow::Mode::Graph)
                ->tabifiedDockWidgets(properties)
                .contains(history));
    history->raise();
    QTRY_VERIFY(properties->visibleRegion().isEmpty());
    const LayerId h2 = window.graph().layers()[1].id;
    window.canvas()->selectLayer(h2);
    QTRY_VERIFY(!properties->visibleRegion().isEmpty());
    QCOMPARE(window.properties()->layer(), h2);

    // "Rename..." on the card: the name field in view with the focus; typing renames.
    history->raise();
    QTRY_VERIFY(properties->visibleRegion().isEmpty());
    std::unique_ptr<QMenu> menu(
        window.canvas()->contextMenuAt(window.canvas()->node(h2)->sceneCardRect().center()));
    QAction *rename = nullptr;
    for (QAction *action : menu->actions())
        if (action->text() == QStringLiteral("&Rename..."))
            rename = action;
    QVERIFY(rename);
    rename->trigger();
    QTRY_VERIFY(!properties->visibleRegion().isEmpty());
    QLineEdit *name = window.properties()->nameEdit();
    QTRY_COMPARE(QApplication::focusWidget(), name);
    QTest::keyClicks(name, QStringLiteral("features"));
    QTest::keyClick(name, Qt::Key_Return);
    QCOMPARE(window.graph().layer(h2).name, QStringLiteral("features"));
    QCOMPARE(window.document()->undoStack()->count(), 1);
}

void TestMainWindow::helpMenuToolbarAndSaveFilter()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    // Help > Keyboard shortcuts lists the actions' shortcuts, generated from the menus.
    using Shortcut = QPair<QString, QString>;
    const QList<Shortcut> shortcuts = window.shortcutList();
    QVERIFY(shortcuts.contains(
        Shortcut(QStringLiteral("Edit > Add layer"), native(QKeySequence(Qt::CTRL | Qt::Key_L)))));
    QVERIFY(shortcuts.contains(Shortcut(QStringLiteral("View > Fit to view"),
                                        native(QKeySequence(Qt::CTRL | Qt::Key_0)))));
    QVERIFY(shortcuts.contains(
        Shortcut(QStringLiteral("File > Save"), native(QKeySequence(QKeySequence::Save)))));
    menuAction(window, {QStringLiteral("View")})
        ->menu()
        ->addAction(QStringLiteral("Probe"), QKeySequence(Qt::CTRL | Qt::Key_K), [] {});
    QCOMPARE(window.shortcutList().size(), shortcuts.size() + 1);
    QVERIFY(window.shortcutList().contains(
        Shortcut(QStringLiteral("View > Probe"), native(QKeySequence(Qt::CTRL | Qt::Key_K)))));
    menuAction(window, {QStringLiteral("Help"), QStringLiteral("Keyboard shortcuts")})->trigger();
    auto *dialog = window.findChild<QDialog *>(QStringLiteral("shortcutsDialog"));
    QVERIFY(dialog);
    QCOMPARE(dialog->findChild<QTableWidget *>()->rowCount(), shortcuts.size() + 1);
    // Tooltips carry the shortcut.
    QCOMPARE(menuAction(window, {QStringLiteral("Edit"), QStringLiteral("Add layer")})->toolTip(),
             QStringLiteral("Add a layer fed by the selected layer (or double-click the canvas) "
                            "(%1)")
                 .arg(native(QKeySequence(Qt::CTRL | Qt::Key_L))));
    QCOMPARE(menuAction(window, {QStringLiteral("View"), QStringLiteral("Fit to view")})->toolTip(),
             QStringLiteral("Fit to view (%1)").arg(native(QKeySequence(Qt::CTRL | Qt::Key_0))));

    // The toolbar's Undo / Redo: fixed text, the command in the tooltip.
    auto *undo = window.findChild<QAction *>(QStringLiteral("toolbarUndo"));
    auto *redo = window.findChild<QAction *>(QStringLiteral("toolbarRedo"));
    QVERIFY(!undo->isEnabled());
    QCOMPARE(undo->toolTip(), QStringLiteral("Nothing to undo"));
    window.canvas()->addLayer();
    QUndoStack *stack = window.document()->undoStack();
    QVERIFY(!stack->undoText().isEmpty());
    QCOMPARE(undo->text(), QStringLiteral("Undo"));
    QVERIFY(undo->isEnabled());
    QCOMPARE(
        undo->toolTip(),
        QStringLiteral("Undo %1 (%2)")
            .arg(stack->undoText(), native(QKeySequence::keyBindings(QKeySequence::Undo).first())));
    undo->trigger();
    QCOMPARE(stack->index(), 0);
    QCOMPARE(redo->text(), QStringLiteral("Redo"));
    QCOMPARE(
        redo->toolTip(),
        QStringLiteral("Redo %1 (%2)")
            .arg(stack->redoText(), native(QKeySequence::keyBindings(QKeySequence::Redo).first())));

    // Save As offers HDF5 only; a name without .h5 gets it (NIR is File > Export NIR).
    QString filter;
    window.setSavePathPrompt([&](const QString &offered) {
        filter = offered;
        return m_dir.filePath(QStringLiteral("saved.nir"));
    });
    QVERIFY(window.saveAs());
    QCOMPARE(filter, QStringLiteral("SNN graphs (*.h5 *.hdf5)"));
    QCOMPARE(window.document()->filePath(), m_dir.filePath(QStringLiteral("saved.nir.h5")));
    SNN_COMPARE_GRAPHS(loadGraph(m_dir.filePath(QStringLiteral("saved.nir.h5"))), window.graph());

    // Help > About and the compiled-in docs.
    menuAction(window, {QStringLiteral("Help"), QStringLiteral("About SNN Studio")})->trigger();
    QVERIFY(window.findChild<AboutDialog *>());
    menuAction(window, {QStringLiteral("Help"), QStringLiteral("Documentation"),
                        QStringLiteral("The studio")})
        ->trigger();
    auto *docs = window.findChild<QDialog *>(QStringLiteral("docsDialog"));
    QVERIFY(docs);
    QVERIFY(docs->findChild<QTextBrowser *>()->toPlainText().startsWith(
        QStringLiteral("The studio (snn-studio)")));
    docs->close();

    // Help > User guide: the guide, every picture there (compiled in), none wider than the page.
    menuAction(window, {QStringLiteral("Help"), QStringLiteral("User guide")})->trigger();
    QDialog *guide = nullptr;
    for (auto *d : window.findChildren<QDialog *>(QStringLiteral("docsDialog")))
        if (d->windowTitle() == QStringLiteral("User guide"))
            guide = d;
    QVERIFY(guide);
    auto *browser = guide->findChild<QTextBrowser *>();
    QVERIFY(browser->toPlainText().startsWith(QStringLiteral("SNN Studio: user guide")));
    QStringList pictures;
    QTextDocument *page = browser->document();
    for (QTextBlock block = page->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it)
            if (it.fragment().charFormat().isImageFormat()) {
                const QString name = it.fragment().charFormat().toImageFormat().name();
                pictures << name;
                QVERIFY2(!page->resource(QTextDocument::ImageResource, QUrl(name))
                              .value<QImage>()
                              .isNull(),
                         qPrintable(name));
            }
    QCOMPARE(pictures.size(), 8); // Get started, Graph, Compare, Spikes, Sweep, Train, Deploy x2
    QVERIFY(pictures.contains(QStringLiteral("images/fpga-target.png")));
    QVERIFY(pictures.contains(QStringLiteral("images/getstarted.png")));
    QVERIFY(QTest::qWaitForWindowExposed(guide));
    QVERIFY2(page->idealWidth() <= browser->viewport()->width(),
             qPrintable(QStringLiteral("the page needs %1 px of %2")
                            .arg(page->idealWidth())
                            .arg(browser->viewport()->width())));
}

// The status bar says what the last action did: a job's "under way" message stays only until the
// job ends, each finished action's message replaces the one before, and a finished action's
// message goes by itself after a few seconds, so none outlives what it describes.
void TestMainWindow::statusMessagesFollowTheLastAction()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(tinyGraph(), QStringLiteral("tiny"));
    QStatusBar *status = window.statusBar();
    QCOMPARE(status->currentMessage(), QStringLiteral("tiny: 1 layer, 2 neurons, 8 parameters"));
    const QString data = m_dir.filePath(QStringLiteral("status-data.h5"));
    writeTinyDataset(data);
    QSignalSpy attached(&window, &MainWindow::dataAttached);
    window.attachData(data);
    QCOMPARE(status->currentMessage(), QStringLiteral("Loading data set %1...").arg(data));
    QVERIFY(attached.wait(10000));
    QCOMPARE(status->currentMessage(),
             QStringLiteral("Data set %1: 16 training samples (the last 16 for firing rates), "
                            "accuracy on the training samples (no test split); 4 features")
                 .arg(data));

    QSignalSpy finished(window.optimization(), &OptimizationPanel::runFinished);
    window.optimization()->run();
    QVERIFY(finished.wait(30000));
    QVERIFY(finished.at(0).at(0).toString().startsWith(QStringLiteral("Done: ")));
    QCOMPARE(status->currentMessage(), finished.at(0).at(0).toString());

    const QString saved = m_dir.filePath(QStringLiteral("status.h5"));
    QVERIFY(window.saveTo(saved));
    QCOMPARE(status->currentMessage(), QStringLiteral("Saved %1").arg(saved));
    QSignalSpy changed(status, &QStatusBar::messageChanged);
    QElapsedTimer shown;
    shown.start();
    QVERIFY(changed.wait(15000));
    QCOMPARE(changed.at(0).at(0).toString(), QString());
    QVERIFY2(shown.elapsed() >= 5000, "long enough to read");
}

// Every panel's message (and a refused edit) goes through the one slot: the status bar shows it
// and the log keeps it.
void TestMainWindow::panelMessagesReachTheStatusBarAndTheLog()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(tinyGraph(), QStringLiteral("tiny"));
    const std::vector<std::pair<QString, std::function<void(const QString &)>>> senders = {
        {QStringLiteral("canvas"), [&](const QString &t) { Q_EMIT window.canvas()->message(t); }},
        {QStringLiteral("sweep"), [&](const QString &t) { Q_EMIT window.sweep()->message(t); }},
        {QStringLiteral("optimisation"),
         [&](const QString &t) { Q_EMIT window.optimization()->message(t); }},
        {QStringLiteral("run"),
         [&](const QString &t) { Q_EMIT window.optimization()->runFinished(t); }},
        {QStringLiteral("spikes"), [&](const QString &t) { Q_EMIT window.spikes()->message(t); }},
        {QStringLiteral("compare"), [&](const QString &t) { Q_EMIT window.compare()->message(t); }},
    };
    for (const auto &[name, send] : senders) {
        const QString text = QStringLiteral("message from the %1 panel").arg(name);
        send(text);
        QCOMPARE(window.statusBar()->currentMessage(), text);
        QVERIFY2(window.logText().endsWith(QStringLiteral("  ") + text), qPrintable(name));
    }
    Q_EMIT window.document()->editRefused(QStringLiteral("not now"));
    QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Refused: not now"));
    QVERIFY(window.logText().endsWith(QStringLiteral("  Refused: not now")));
    QCOMPARE(window.logText().count(QStringLiteral("message from the ")), int(senders.size()));
}

// The Run menu and the workspaces by keyboard, listed in Help > Keyboard shortcuts: F5 runs the
// passes (Optimise), Ctrl+R the pipeline (Deploy), Ctrl+T training (Train), Esc stops what runs
// and nothing else; Ctrl+1..4 show the workspaces; Ctrl+Y and Ctrl+Shift+Z both redo.
void TestMainWindow::runMenuShortcuts()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(tinyGraph(), QStringLiteral("tiny"));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    using Shortcut = QPair<QString, QString>;
    const QList<Shortcut> shortcuts = window.shortcutList();
    const QList<Shortcut> expected{
        {QStringLiteral("Run > Run passes"), native(QKeySequence(Qt::Key_F5))},
        {QStringLiteral("Run > Pipeline"), native(QKeySequence(Qt::CTRL | Qt::Key_R))},
        {QStringLiteral("Run > Build"), native(QKeySequence(Qt::CTRL | Qt::Key_B))},
        {QStringLiteral("Run > Train"), native(QKeySequence(Qt::CTRL | Qt::Key_T))},
        {QStringLiteral("Run > Stop"), native(QKeySequence(Qt::Key_Escape))},
        {QStringLiteral("View > Graph"), native(QKeySequence(Qt::CTRL | Qt::Key_1))},
        {QStringLiteral("View > Optimise"), native(QKeySequence(Qt::CTRL | Qt::Key_2))},
        {QStringLiteral("View > Train"), native(QKeySequence(Qt::CTRL | Qt::Key_3))},
        {QStringLiteral("View > Deploy"), native(QKeySequence(Qt::CTRL | Qt::Key_4))}};
    for (const Shortcut &s : expected)
        QVERIFY2(shortcuts.contains(s), qPrintable(s.first));
    const auto redo = std::find_if(shortcuts.begin(), shortcuts.end(), [](const Shortcut &s) {
        return s.first == QStringLiteral("Edit > Redo");
    });
    QVERIFY(redo != shortcuts.end());
    QVERIFY(redo->second.contains(native(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z))));
    QVERIFY(redo->second.contains(native(QKeySequence(Qt::CTRL | Qt::Key_Y))));

    // The workspaces.
    for (const auto &[key, mode] :
         std::vector<std::pair<Qt::Key, MainWindow::Mode>>{{Qt::Key_2, MainWindow::Mode::Optimise},
                                                           {Qt::Key_3, MainWindow::Mode::Train},
                                                           {Qt::Key_4, MainWindow::Mode::Deploy},
                                                           {Qt::Key_1, MainWindow::Mode::Graph}}) {
        QTest::keyClick(&window, key, Qt::ControlModifier);
        QCOMPARE(window.currentMode(), mode);
    }
    // Both redo keys.
    QUndoStack *stack = window.document()->undoStack();
    window.canvas()->addLayer();
    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Y), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)}) {
        stack->undo();
        QCOMPARE(stack->index(), 0);
        QTest::keySequence(&window, keys);
        QCOMPARE(stack->index(), 1);
    }
    stack->undo();

    // Esc means nothing while nothing runs.
    QAction *stop = window.findChild<QAction *>(QStringLiteral("runStop"));
    QVERIFY(!stop->isEnabled());
    // F5: the passes, shown in Optimise.
    QSignalSpy passes(window.optimization(), &OptimizationPanel::runFinished);
    QTest::keyClick(&window, Qt::Key_F5);
    QCOMPARE(window.currentMode(), MainWindow::Mode::Optimise);
    QVERIFY(passes.count() == 1 || passes.wait(20000));
    QVERIFY(window.optimization()->result());

    // Ctrl+T: training in Train; Esc stops it, keeping the epochs done (one undo step).
    const QString data = m_dir.filePath(QStringLiteral("shortcut-data.h5"));
    writeTinyDataset(data);
    QVERIFY(attach(window, data));
    window.training()->setSettings(tinySettings(100000));
    QSignalSpy trained(window.training(), &TrainingMonitor::trained);
    QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(window.currentMode(), MainWindow::Mode::Train);
    QVERIFY(window.training()->isRunning());
    QVERIFY(stop->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(window.training()->completedEpochs() > 0, 20000);
    QTest::keyClick(&window, Qt::Key_Escape);
    QVERIFY(trained.count() == 1 || trained.wait(20000));
    QTRY_VERIFY(!window.training()->isRunning());
    QVERIFY(!stop->isEnabled());
    QVERIFY(stack->text(stack->count() - 1).startsWith(QStringLiteral("Train ")));

    // Ctrl+R: the chain, in Deploy; Esc stops it in its first stage.
    setTraining(window, flow::Training::Never);
    QSignalSpy finished(window.pipeline(), &Pipeline::finished);
    QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
    QCOMPARE(window.currentMode(), MainWindow::Mode::Deploy);
    QVERIFY(window.pipeline()->isRunning());
    QTest::keyClick(&window, Qt::Key_Escape);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(window.pipeline()->status(Pipeline::Rates).state, Pipeline::State::Stopped);
    QVERIFY(!stop->isEnabled());
}

SNN_WIDGET_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
