#include "AboutDialog.h"
#include "CanvasView.h"
#include "CompareView.h"
#include "ComparisonModel.h"
#include "Document.h"
#include "FpgaPanel.h"
#include "GetStartedPage.h"
#include "GraphEquality.h"
#include "HardwareTable.h"
#include "MainWindow.h"
#include "OptimizationPanel.h"
#include "PipelinePanel.h"
#include "PlotTestUtils.h"
#include "PropertiesPanel.h"
#include "RateHeatmap.h"
#include "RunMenu.h"
#include "SpikesView.h"
#include "SweepPanel.h"
#include "TestUtils.h"
#include "TrainingMonitor.h"
#include "Workspace.h"
#include "WorkspaceTabs.h"
#include "base/Rng.h"
#include "eval/Accuracy.h"
#include "flow/Pipeline.h"
#include "graph/Example.h"
#include "graph/GraphSummary.h"
#include "hw/Boards.h"
#include "hw/Quantizer.h"
#include "hw/ResourceEstimator.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"
#include "sim/Dataset.h"
#include "sim/Engine.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QToolButton>
#include <QUndoStack>
#include <QUrl>

using namespace snn;
using namespace snn::widgets;
using flow::Pipeline;

namespace {

// Attaches a data set and waits for it to arrive.
bool attach(MainWindow &window, const QString &spec)
{
    QSignalSpy attached(&window, &MainWindow::dataAttached);
    window.attachData(spec);
    return attached.wait(10000);
}

// 16 samples of 4 features, class k lighting input 2k, written as an HDF5 data set at `path`;
// and a 4-2 graph to train on it.
void writeTinyDataset(const QString &path)
{
    sim::Dataset data;
    data.x = RowMatrixXf::Zero(16, 4);
    data.y.resize(16);
    for (int i = 0; i < 16; ++i) {
        data.y[std::size_t(i)] = i % 2;
        data.x(i, (i % 2) * 2) = 1.0f;
    }
    sim::saveHdf5Dataset(data, path);
}

Graph tinyGraph()
{
    Graph g(4);
    Layer out = test::makeLayer(QStringLiteral("out"), kNetworkInput, 2, 4);
    out.weights.setConstant(0.3f);
    g.addLayer(out);
    return g;
}

sim::TrainSettings tinySettings(int epochs)
{
    sim::TrainSettings settings;
    settings.options.epochs = epochs;
    settings.options.steps = 5;
    settings.options.batchSize = 8;
    settings.options.learningRate = 0.05f;
    settings.validationSize = 4; // of the 16 samples
    return settings;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void startsWithTheGivenGraph();
    void openSaveRoundTrip();
    void recentFilesDescribeThemselves();
    void corruptFileGivesAMessage_data();
    void corruptFileGivesAMessage();
    void unsavedChangesPrompt();
    void dropOpensAFile();
    void addPanelForOtherParts();
    void refusedEditsReachTheStatusBar();
    void viewsFollowTheDocument();
    void attachedDataMeasuresAccuracy();
    void badDataSetGivesAMessage();
    void trainingIsOneUndoableChange();
    void trainingLocksEditing();
    void nirOpensAsImportAndExports();
    void hardwareRowsShowEstimatesAndSynthesis();
    void opensFittedOnceShown();
    void startsOnTheShippedModel();
    void windowFitsSmallScreens();
    void graphShowsEditorsAndCardsWhole_data();
    void graphShowsEditorsAndCardsWhole();
    void runShowsTheWholeComparison_data();
    void runShowsTheWholeComparison();
    void sweepPointSetsThePassSettings();
    void pipelineRunsRatesPassesBuild();
    void pipelineFineTunesForTheCore();
    void pipelineStopsAndRefuses();
    void selectionRaisesPropertiesAndRenameEditsThere();
    void helpMenuToolbarAndSaveFilter();
    void statusMessagesFollowTheLastAction();
    void panelMessagesReachTheStatusBarAndTheLog();
    void firstStartIsMaximisedOnGetStarted();
    void workspacesRememberTheirLayout();
    void runMenuShortcuts();
    void buildFailureIsAnnounced();
    void hardwareFiguresGoWhenTrainingReplacesTheGraph();

private:
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("snn-studio-tests"));
    QApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::init()
{
    QSettings().remove(QStringLiteral("fpga")); // the FPGA tab starts on its defaults
}

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

void TestMainWindow::recentFilesDescribeThemselves()
{
    const QString kept = m_dir.filePath(QStringLiteral("recent-kept.h5"));
    const QString gone = m_dir.filePath(QStringLiteral("recent-gone.h5"));
    const QString broken = m_dir.filePath(QStringLiteral("recent-broken.h5"));
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    for (const QString &path : {gone, broken, kept})
        QVERIFY(window.saveTo(path));
    QVERIFY(QFile::remove(gone));
    QFile damaged(broken);
    QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QVERIFY(damaged.write("not HDF5") == 8);
    damaged.close();

    QMenu *recent = nullptr;
    for (QMenu *menu : window.findChildren<QMenu *>())
        if (menu->title() == QStringLiteral("Open &Recent"))
            recent = menu;
    QVERIFY(recent);
    QStringList tips; // the three just saved, the latest first; each described off the GUI thread
    for (QAction *action : recent->actions().first(3)) {
        const QString path = action->toolTip();
        Q_EMIT recent->hovered(action);
        QTRY_VERIFY(action->toolTip() != path);
        tips << action->toolTip();
    }
    const GraphSummary summary = summarize(exampleGraph());
    QCOMPARE(
        tips,
        QStringList(
            {QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(kept), summary.description()),
             QStringLiteral("%1: cannot be read (cannot open %2: not an HDF5 file)")
                 .arg(QDir::toNativeSeparators(broken), broken),
             QStringLiteral("%1: no longer there").arg(QDir::toNativeSeparators(gone))}));
    QVERIFY(summary.description().endsWith(
        QStringLiteral("%1 parameters")
            .arg(QLocale(QLocale::English).toString(qint64(exampleGraph().totalParams())))));
    // Hovered again, an entry shows what it already knows.
    Q_EMIT recent->hovered(recent->actions().first());
    QCOMPARE(window.statusBar()->currentMessage(), tips.front());
}

void TestMainWindow::openSaveRoundTrip()
{
    const QString path = m_dir.filePath(QStringLiteral("round.h5"));
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    Document *doc = window.document();
    QVERIFY(doc->autoLayout());
    QVERIFY(doc->renameLayer(window.graph().layers().front().id, QStringLiteral("first")));
    QVERIFY(window.isWindowModified());
    QVERIFY(window.saveTo(path));
    QVERIFY(!window.isWindowModified());
    QCOMPARE(window.windowTitle(), QStringLiteral("round.h5[*] - SNN Studio"));
    QCOMPARE(window.recentFiles().value(0), QFileInfo(path).absoluteFilePath());

    MainWindow other;
    QVERIFY(other.openFile(path));
    SNN_COMPARE_GRAPHS(other.graph(), window.graph());
    QVERIFY(other.graph().layers().front().position.has_value()); // positions came back
    QCOMPARE(other.document()->filePath(), path);
    QVERIFY(!other.isWindowModified());
    // Build's project folder sits next to the model file.
    QCOMPARE(other.fpga()->projectDirectory(), m_dir.filePath(QStringLiteral("round-icebreaker")));
    // The canvas places nodes where the file says.
    const Layer &first = other.graph().layers().front();
    QCOMPARE(other.canvas()->node(first.id)->pos(), *first.position);
}

void TestMainWindow::corruptFileGivesAMessage_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("not hdf5") << QByteArray("this is not an HDF5 file\n") << "corrupt.h5";
    QTest::newRow("empty") << QByteArray() << "corrupt.h5";
    QTest::newRow("truncated") << QByteArray("truncate") << "corrupt.h5";
}

void TestMainWindow::corruptFileGivesAMessage()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const QString path = m_dir.filePath(QStringLiteral("corrupt.h5"));
    if (content == "truncate") {
        const QString good = m_dir.filePath(QStringLiteral("good.h5"));
        saveGraph(exampleGraph(), good);
        QFile in(good);
        QVERIFY(in.open(QIODevice::ReadOnly));
        content = in.readAll().left(int(in.size() / 2));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
    file.close();

    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    window.show();
    QVERIFY(!window.openFile(path));
    SNN_COMPARE_GRAPHS(window.graph(), exampleGraph()); // the document is kept
    QVERIFY2(window.statusBar()->currentMessage().contains(message),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.logText().contains(window.statusBar()->currentMessage()));
    // A non-modal dialog says the same, and the test goes on without answering it.
    QMessageBox *box = window.findChild<QMessageBox *>();
    QVERIFY(box);
    QCOMPARE(box->text(), window.statusBar()->currentMessage());
    QVERIFY(box->isVisible());
    box->close();
}

void TestMainWindow::unsavedChangesPrompt()
{
    const QString path = m_dir.filePath(QStringLiteral("prompt.h5"));
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    int asked = 0;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    window.setUnsavedChangesPrompt([&] {
        ++asked;
        return answer;
    });
    QVERIFY(window.maybeSave()); // nothing to lose: no question
    QCOMPARE(asked, 0);
    window.document()->renameLayer(window.graph().layers().front().id, QStringLiteral("x"));
    QVERIFY(!window.maybeSave());
    QCOMPARE(asked, 1);
    answer = QMessageBox::Discard;
    QVERIFY(window.maybeSave());
    // Save goes to the file (this one has a path now).
    QVERIFY(window.saveTo(path));
    window.document()->renameLayer(window.graph().layers().front().id, QStringLiteral("y"));
    answer = QMessageBox::Save;
    QVERIFY(window.maybeSave());
    QCOMPARE(loadGraph(path).layers().front().name, QStringLiteral("y"));
    QVERIFY(!window.isWindowModified());
    // New asks first and refuses to drop changes on Cancel.
    window.document()->renameLayer(window.graph().layers().front().id, QStringLiteral("z"));
    answer = QMessageBox::Cancel;
    window.newDocument();
    QCOMPARE(window.graph().layerCount(), 3);
    answer = QMessageBox::Discard;
    window.newDocument();
    QCOMPARE(window.graph().layerCount(), 0);
    QCOMPARE(window.graph().inputSize(), 784);
}

void TestMainWindow::dropOpensAFile()
{
    const QString path = m_dir.filePath(QStringLiteral("drop.h5"));
    Graph g = exampleGraph();
    g.layer(g.layers().back().id).name = QStringLiteral("dropped");
    saveGraph(g, path);
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QCOMPARE(window.graph().layers().back().name, QStringLiteral("dropped"));
    QCOMPARE(window.document()->filePath(), path);
    // Other files are not accepted.
    QMimeData text;
    text.setUrls({QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("notes.txt")))});
    QDragEnterEvent other(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    other.setAccepted(false);
    QApplication::sendEvent(&window, &other);
    QVERIFY(!other.isAccepted());
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

void TestMainWindow::attachedDataMeasuresAccuracy()
{
    // A tiny data set for a 4-input network: accuracy is measured on it before and after.
    sim::Dataset data;
    data.x = RowMatrixXf::Constant(20, 4, 0.8f);
    data.y.assign(20, 1);
    const QString path = m_dir.filePath(QStringLiteral("data.h5"));
    sim::saveHdf5Dataset(data, path);

    Graph g(4);
    Layer hidden = test::makeLayer(QStringLiteral("hidden"), kNetworkInput, 3, 4);
    hidden.weights.setConstant(0.5f);
    hidden.rates = test::vec({0.0f, 0.5f, 0.5f});
    const LayerId h = g.addLayer(hidden);
    Layer out = test::makeLayer(QStringLiteral("out"), h, 2, 3);
    out.weights.row(1).setConstant(0.8f); // class 1 fires, class 0 never does
    g.addLayer(out);

    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(g, QStringLiteral("tiny"));
    QVERIFY(attach(window, path));
    // The data set stays in view (status bar) and is remembered for the next start.
    QCOMPARE(window.statusBar()->findChild<QLabel *>(QStringLiteral("dataLabel"))->text(),
             QStringLiteral("Data: %1").arg(path));
    QCOMPARE(MainWindow::rememberedDataSpec(), path);
    QCOMPARE(window.dataSpec(), path);
    // Which samples serve what, so that the figures are not mistaken for each other.
    QVERIFY(window.logText().contains(
        QStringLiteral("Data set %1: 20 training samples (the last 20 for firing rates), accuracy "
                       "on the training samples (no test split); 4 features")
            .arg(path)));

    OptimizationPanel *panel = window.optimization();
    QSignalSpy finished(panel, &OptimizationPanel::runFinished);
    panel->run();
    QVERIFY(finished.wait(10000));
    QVERIFY(panel->result());
    QVERIFY(panel->result()->report.accuracy.has_value());
    const ComparisonModel *model = panel->model();
    const int row = ComparisonModel::rowOf(ComparisonModel::Metric::Accuracy);
    QCOMPARE(model->index(row, ComparisonModel::BeforeColumn).data().toString(),
             QStringLiteral("100.00%"));
    QCOMPARE(model->index(row, ComparisonModel::AfterColumn).data().toString(),
             QStringLiteral("100.00%"));
    QVERIFY(panel->reportText().contains(QStringLiteral("agreement")));

    // The FPGA core at the FPGA tab's weight bits, beside the float model on the same spikes:
    // the figures the bit-accurate model gives for the graph before and after the passes.
    const auto percent = [](double fraction) {
        return QStringLiteral("%1%").arg(100.0 * fraction, 0, 'f', 2);
    };
    const auto checkCore = [&](int bits) {
        hw::QuantConfig config = window.fpga()->exportOptions().quant;
        QCOMPARE(config.weightBits, bits);
        const Graph &after = panel->result()->graph;
        QVERIFY(after.totalNeurons() < g.totalNeurons()); // the dead neuron is gone
        const int core = ComparisonModel::rowOf(ComparisonModel::Metric::FpgaCoreAccuracy);
        QCOMPARE(model->index(core, ComparisonModel::MetricColumn).data().toString(),
                 QStringLiteral("Accuracy, %1-bit FPGA core").arg(bits));
        QCOMPARE(model->index(core, ComparisonModel::BeforeColumn).data().toString(),
                 percent(sim::accuracy(eval::quantizedPredictions(hw::quantize(g, config), data.x),
                                       data.y)));
        QCOMPARE(model->index(core, ComparisonModel::AfterColumn).data().toString(),
                 percent(sim::accuracy(
                     eval::quantizedPredictions(hw::quantize(after, config), data.x), data.y)));
        const int input = ComparisonModel::rowOf(ComparisonModel::Metric::FpgaInputAccuracy);
        QCOMPARE(model->index(input, ComparisonModel::BeforeColumn).data().toString(),
                 percent(sim::accuracy(eval::floatPredictions(g, config, data.x), data.y)));
        QVERIFY(model->index(core, ComparisonModel::BeforeColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .startsWith(QStringLiteral("20 samples; the core's input generator")));
    };
    checkCore(8);
    QVERIFY(panel->reportText().contains(QStringLiteral("8-bit weights")));
    // Other weight bits in the FPGA tab: the run is repeated and measures that core.
    window.fpga()->findChild<QSpinBox *>()->setValue(2);
    QVERIFY(finished.wait(10000));
    checkCore(2);
}

void TestMainWindow::trainingIsOneUndoableChange()
{
    const QString path = m_dir.filePath(QStringLiteral("train.h5"));
    writeTinyDataset(path);
    const Graph g = tinyGraph();
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(g, QStringLiteral("tiny"));
    QVERIFY(attach(window, path));
    window.training()->setSettings(tinySettings(1));
    window.training()->start();
    QTRY_VERIFY_WITH_TIMEOUT(!window.training()->isRunning(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(window.document()->undoStack()->count() == 1, 5000);
    QCOMPARE(window.document()->undoStack()->text(0), QStringLiteral("Train 1 epoch"));
    QVERIFY(window.graph().layers()[0].weights != g.layers()[0].weights);
    window.document()->undoStack()->undo();
    SNN_COMPARE_GRAPHS(window.graph(), g);
}

// While training runs on a copy of the graph, every edit is refused with the reason shown (the
// trained graph would otherwise silently replace it); once it ends, editing works again.
void TestMainWindow::trainingLocksEditing()
{
    const QString path = m_dir.filePath(QStringLiteral("lock.h5"));
    writeTinyDataset(path);
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(tinyGraph(), QStringLiteral("tiny"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(attach(window, path));
    const LayerId out = window.graph().layers()[0].id;
    QVERIFY(window.document()->renameLayer(out, QStringLiteral("before")));
    QCOMPARE(window.document()->undoStack()->count(), 1);
    auto *lock = window.findChild<QLabel *>(QStringLiteral("editLockLabel"));
    QVERIFY(lock && lock->isHidden());

    window.training()->setSettings(tinySettings(100000)); // runs until stopped
    window.training()->start();
    QVERIFY(window.training()->isRunning());
    QVERIFY(window.document()->isEditLocked());
    QVERIFY(lock->isVisible());
    const QString refused = QStringLiteral("Refused: training runs on a copy of the graph; edit "
                                           "it when training ends (Stop, in Train, keeps the "
                                           "best epoch)");
    // Canvas, properties, passes (Apply replaces the graph), undo and opening another file.
    QVERIFY(!window.document()->renameLayer(out, QStringLiteral("during")));
    QCOMPARE(window.statusBar()->currentMessage(), refused);
    QVERIFY(!window.document()->resizeLayer(out, 3));
    QVERIFY(!window.document()->applyGraph(tinyGraph(), QStringLiteral("Apply optimisation")));
    QVERIFY(!window.canvas()->node(out)->flags().testFlag(QGraphicsItem::ItemIsMovable));
    QVERIFY(!window.properties()->nameEdit()->isEnabled());
    int undoActions = 0;
    for (QAction *action : window.findChildren<QAction *>())
        if (action->shortcut() == QKeySequence(QKeySequence::Undo)) {
            ++undoActions;
            QVERIFY(!action->isEnabled());
        }
    QCOMPARE(undoActions, 1);
    QVERIFY(!window.findChild<QAction *>(QStringLiteral("toolbarUndo"))->isEnabled());
    QVERIFY(!window.maybeSave());
    QCOMPARE(window.statusBar()->currentMessage(), refused);
    window.pipeline()->start();
    QVERIFY(!window.pipeline()->isRunning());
    QCOMPARE(window.graph().layers()[0].name, QStringLiteral("before"));
    QCOMPARE(window.document()->undoStack()->count(), 1);

    // Stop keeps the best epoch as one undo step; then editing works again.
    QTRY_VERIFY_WITH_TIMEOUT(window.training()->completedEpochs() >= 1, 20000);
    window.training()->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!window.training()->isRunning(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(window.document()->undoStack()->count(), 2, 5000);
    QVERIFY(window.document()->undoStack()->text(1).startsWith(QStringLiteral("Train ")));
    QVERIFY(!window.document()->isEditLocked());
    QVERIFY(lock->isHidden());
    QVERIFY(window.canvas()->node(out)->flags().testFlag(QGraphicsItem::ItemIsMovable));
    QVERIFY(window.properties()->nameEdit()->isEnabled());
    QVERIFY(window.document()->renameLayer(out, QStringLiteral("after")));
    QCOMPARE(window.graph().layers()[0].name, QStringLiteral("after"));
    window.document()->undoStack()->undo();
    window.document()->undoStack()->undo(); // the training
    QCOMPARE(window.graph().layers()[0].name, QStringLiteral("before"));
}

void TestMainWindow::badDataSetGivesAMessage()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("example"));
    const QString missing = m_dir.filePath(QStringLiteral("no-such-data.h5"));
    QSignalSpy attached(&window, &MainWindow::dataAttached);
    window.attachData(missing);
    QTRY_VERIFY_WITH_TIMEOUT(window.logText().contains(QStringLiteral("no-such-data.h5")), 10000);
    QCOMPARE(attached.count(), 0);
    QCOMPARE(window.dataSpec(), QString());
}

void TestMainWindow::nirOpensAsImportAndExports()
{
    const QString sample = QStringLiteral(SNN_NIR_SAMPLES "/two_lif_neurons.nir");
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openFile(sample));
    QCOMPARE(window.graph().layerCount(), 2);
    // Imported: no path, so Save asks for an SNN Studio file and never overwrites the NIR file.
    QCOMPARE(window.document()->filePath(), QString());
    QCOMPARE(window.windowTitle(), QStringLiteral("two_lif_neurons.nir[*] - SNN Studio"));

    const QString exported = m_dir.filePath(QStringLiteral("out.nir"));
    QVERIFY(window.exportNirTo(exported));
    SNN_COMPARE_GRAPHS(nir::importNir(exported), window.graph());
    // Imported by NIR's semantics (reset to v_reset), in Norse's convention (r = 1): the reset
    // is NIR's, but linear1's membranes start at its v_leak 1.2, which only the metadata carries.
    QVERIFY(window.logText().contains(
        QStringLiteral("Warning: NIR cannot say that linear1's membrane starts away from 0: other "
                       "readers run them as NIR defines its neurons")));
    QVERIFY(!window.logText().contains(QStringLiteral("reset by subtracting")));
    window.document()->reset(exampleGraph(), QString(), QStringLiteral("example"));
    QVERIFY(window.exportNirTo(exported));
    QVERIFY(window.logText().contains(
        QStringLiteral("Warning: NIR cannot say that hidden1 (subtract), hidden2 (subtract), "
                       "output (subtract) reset by subtracting the threshold")));
    QVERIFY(!window.exportNirTo(m_dir.filePath(QStringLiteral("missing/folder/x.nir"))));
    QVERIFY(window.logText().contains(QStringLiteral("the folder does not exist")));
}

void TestMainWindow::hardwareRowsShowEstimatesAndSynthesis()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("example"));
    OptimizationPanel *panel = window.optimization();
    QSignalSpy finished(panel, &OptimizationPanel::runFinished);
    panel->run();
    QVERIFY(finished.wait(10000));
    QVERIFY(panel->result());
    QTRY_VERIFY(!window.fpga()->isEstimating());

    const hw::ExportOptions o = window.fpga()->exportOptions();
    const hw::FitCheck before = hw::checkFit(exampleGraph(), o.quant, o.lanes, hw::board(o.board));
    const hw::FitCheck after =
        hw::checkFit(panel->result()->graph, o.quant, o.lanes, hw::board(o.board));
    const ComparisonModel *model = panel->model();
    using Metric = ComparisonModel::Metric;
    auto cell = [model](Metric metric, int column) {
        return model->index(ComparisonModel::rowOf(metric), column).data().toString();
    };
    const QLocale english(QLocale::English);
    QCOMPARE(cell(Metric::EstimatedLogicCells, ComparisonModel::BeforeColumn),
             english.toString(before.estimate.logicCells));
    QCOMPARE(cell(Metric::EstimatedLogicCells, ComparisonModel::AfterColumn),
             english.toString(after.estimate.logicCells));
    QCOMPARE(cell(Metric::EstimatedEbr, ComparisonModel::AfterColumn),
             english.toString(after.estimate.ebrBlocks));
    QCOMPARE(cell(Metric::EstimatedSpram, ComparisonModel::BeforeColumn),
             english.toString(before.estimate.spramBlocks));
    QCOMPARE(cell(Metric::EstimatedSpram, ComparisonModel::AfterColumn),
             english.toString(after.estimate.spramBlocks));
    QVERIFY(after.estimate.weightBits < before.estimate.weightBits); // 30 neurons fewer
    QCOMPARE(cell(Metric::SynthesisedLogicCells, ComparisonModel::BeforeColumn),
             QStringLiteral("-"));

    // A synthesis of the optimised graph fills the "after" column with its real figures.
    hw::FlowReport report;
    report.logicCells = 1663;
    report.ebr = 7;
    report.spram = 4;
    Q_EMIT window.fpga()->synthesisFinished(true, report);
    QCOMPARE(cell(Metric::SynthesisedLogicCells, ComparisonModel::AfterColumn),
             QStringLiteral("1,663"));
    QCOMPARE(cell(Metric::SynthesisedEbr, ComparisonModel::AfterColumn), QStringLiteral("7"));
    QCOMPARE(cell(Metric::SynthesisedSpram, ComparisonModel::AfterColumn), QStringLiteral("4"));
    QCOMPARE(cell(Metric::SynthesisedSpram, ComparisonModel::BeforeColumn), QStringLiteral("-"));
    QCOMPARE(cell(Metric::SynthesisedLogicCells, ComparisonModel::BeforeColumn),
             QStringLiteral("-"));
    // A rename or a move changes nothing synthesised or estimated: the figures stay, no new
    // estimate starts.
    const LayerId first = window.graph().layers()[0].id;
    QVERIFY(window.document()->renameLayer(first, QStringLiteral("renamed")));
    QVERIFY(window.document()->moveLayers({{first, QPointF(5, 6)}}));
    QVERIFY(!window.fpga()->isEstimating());
    QCOMPARE(cell(Metric::SynthesisedLogicCells, ComparisonModel::AfterColumn),
             QStringLiteral("1,663"));
    // A change of what the network computes makes every synthesised figure stale.
    QVERIFY(window.document()->resizeLayer(first, 100));
    QCOMPARE(cell(Metric::SynthesisedLogicCells, ComparisonModel::AfterColumn),
             QStringLiteral("-"));
}

// Every open is fitted when the window appears: the cards are at a legible scale (at least the
// floor), a four-layer chain is in view whole at 1280x800, and no open fits by itself.
void TestMainWindow::opensFittedOnceShown()
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

void TestMainWindow::startsOnTheShippedModel()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openShippedModel());
    QCOMPARE(window.document()->filePath(), QString()); // Save asks where to write
    QCOMPARE(window.document()->displayName(), MainWindow::kShippedModelName);
    QCOMPARE(window.graph().layerCount(), 3);
    QCOMPARE(window.graph().totalParams(), 218058);
    QCOMPARE(window.graph().inputSize(), 784);
    for (const Layer &l : window.graph().layers())
        QVERIFY(l.hasRates());
    // The second example: the same shape, trained for the 4-bit core (on its grid: beta 0.875).
    QVERIFY(window.openShippedModel(MainWindow::kQatModelResource, MainWindow::kQatModelName));
    QCOMPARE(window.document()->displayName(), MainWindow::kQatModelName);
    QCOMPARE(window.graph().totalParams(), 218058);
    for (const Layer &l : window.graph().layers()) {
        QVERIFY(l.hasRates());
        QCOMPARE(l.neuron.beta, 0.875f);
        QVERIFY(l.ratesSource.startsWith(QStringLiteral("measured: fashion-mnist, validation")));
    }
}

void TestMainWindow::windowFitsSmallScreens()
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
void TestMainWindow::graphShowsEditorsAndCardsWhole_data()
{
    runShowsTheWholeComparison_data(); // the same two screens
}

void TestMainWindow::graphShowsEditorsAndCardsWhole()
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
void TestMainWindow::runShowsTheWholeComparison_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1280x800") << QSize(1280, 770);
    QTest::newRow("1024x700") << QSize(1024, 670);
}

void TestMainWindow::runShowsTheWholeComparison()
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

void TestMainWindow::sweepPointSetsThePassSettings()
{
    // The Sweep panel runs the optimisation panel's passes on the document's graph with the FPGA
    // tab's board; a picked point's value becomes the optimisation panel's threshold.
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("example"));
    QTRY_VERIFY(!window.fpga()->isEstimating()); // the FPGA tab's automatic choice
    SweepPanel *sweep = window.sweep();
    sweep->setParameter(SweepParameter::Similarity);
    sweep->setValuesText(QStringLiteral("0.9, 0.95"));
    QSignalSpy message(sweep, &SweepPanel::message);
    sweep->run();
    QVERIFY(message.wait(30000));
    QVERIFY(sweep->result());
    QCOMPARE(sweep->result()->board, hw::board(window.fpga()->exportOptions().board).name);
    QCOMPARE(sweep->result()->weightBits, window.fpga()->exportOptions().quant.weightBits);
    QVERIFY(window.optimization()->options().similarity != 0.9f);
    sweep->pickPoint(0);
    QCOMPARE(window.optimization()->options().similarity, 0.9f);
    QVERIFY(window.logText().contains(QStringLiteral("Sweep of similarity: 2 points")));
}

namespace {

// A 6-input, 3-class network and 30 random samples for it (saved as HDF5 under `dir`).
// The Pipeline dock's choice whether the chain trains first.
void setTraining(MainWindow &window, flow::Training training)
{
    auto *box = window.pipelinePanel()->findChild<QComboBox *>(QStringLiteral("pipelineTraining"));
    box->setCurrentIndex(box->findData(int(training)));
}

QString pipelineData(const QTemporaryDir &dir)
{
    sim::Dataset data;
    Rng rng(9);
    data.x = RowMatrixXf(30, 6);
    for (int r = 0; r < 30; ++r) {
        for (int c = 0; c < 6; ++c)
            data.x(r, c) = float(rng.uniform());
        data.y.push_back(r % 3);
    }
    const QString path = dir.filePath(QStringLiteral("pipeline-data.h5"));
    sim::saveHdf5Dataset(data, path);
    return path;
}

// The first of the tools a Build runs that is not on PATH (empty: all are).
QString missingTool()
{
    for (const char *tool : {"yosys", "nextpnr-ice40", "icepack", "iverilog"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            return QLatin1String(tool);
    return {};
}

// Saves `graph` as `model`, opens it in `window` (without error dialogs) and attaches
// pipelineData().
bool openWithData(MainWindow &window, const Graph &graph, const QString &model,
                  const QTemporaryDir &dir)
{
    saveGraph(graph, model);
    window.setErrorDialogsEnabled(false);
    return window.openFile(model) && attach(window, pipelineData(dir));
}

} // namespace

void TestMainWindow::pipelineRunsRatesPassesBuild()
{
    if (const QString tool = missingTool(); !tool.isEmpty())
        QFAIL(qPrintable(QStringLiteral("%1 is not installed").arg(tool)));
    const QString model = m_dir.filePath(QStringLiteral("pipe.h5"));
    MainWindow window;
    QVERIFY(openWithData(window, test::randomChain(5, {6, 8, 3}, 1.0, 0.2), model, m_dir));
    // No layer has measured rates: the chain trains first, with the Training tab's settings.
    QVERIFY(flow::isUntrained(window.graph()));
    sim::TrainSettings settings = tinySettings(1);
    settings.validationSize = 10; // of the 30 samples
    window.training()->setSettings(settings);
    QSignalSpy finished(window.pipeline(), &Pipeline::finished);
    window.findChild<QAction *>(QStringLiteral("runPipeline"))->trigger(); // Run > Pipeline
    QVERIFY(window.pipeline()->isRunning());
    QCOMPARE(window.currentMode(), MainWindow::Mode::Deploy);
    QVERIFY(finished.wait(600000));
    const QString summary = finished.front().at(1).toString();
    QVERIFY2(finished.front().at(0).toBool(), qPrintable(summary));

    // Training: one epoch, one undo step, its result in the stage.
    QCOMPARE(window.document()->undoStack()->text(0), QStringLiteral("Train 1 epoch"));
    QVERIFY2(window.pipeline()
                 ->status(Pipeline::Train)
                 .result.startsWith(QStringLiteral("1 epoch, kept epoch 1, validation accuracy ")),
             qPrintable(window.pipeline()->status(Pipeline::Train).result));
    // Rates: measured on the validation split (all 30 samples: fewer than 5,000), one undo step.
    QCOMPARE(window.document()->undoStack()->text(1), QStringLiteral("Measure firing rates"));
    for (const Layer &l : window.graph().layers())
        QVERIFY(l.ratesSource.startsWith(QStringLiteral("measured: pipeline-data.h5, validation, "
                                                        "30 samples")));
    const auto &rates = window.pipeline()->status(Pipeline::Rates);
    QVERIFY2(rates.result.startsWith(QStringLiteral("30 validation samples, ")),
             qPrintable(rates.result));
    // Passes: the optimisation panel's result on the measured graph, with accuracy.
    const auto result = window.optimization()->result();
    QVERIFY(result);
    QVERIFY(result->report.accuracy);
    QVERIFY(
        window.pipeline()->status(Pipeline::Passes).result.contains(QStringLiteral("accuracy")));
    // Build: the optimised graph's bitstream in the model's project folder; the synthesised
    // figures in the comparison's "after" column; the summary in the Compare view.
    QVERIFY(QFileInfo(m_dir.filePath(QStringLiteral("pipe-icebreaker/top.bin"))).size() > 30000);
    const ComparisonModel *table = window.optimization()->model();
    QVERIFY(table
                ->index(ComparisonModel::rowOf(ComparisonModel::Metric::SynthesisedLogicCells),
                        ComparisonModel::AfterColumn)
                .data()
                .toString() != QStringLiteral("-"));
    QCOMPARE(window.optimiseTabs()->currentWidget(), window.compare());
    QVERIFY(window.compare()->reportText().contains(summary));
    for (int s = 0; s < Pipeline::StageCount; ++s) {
        if (s == Pipeline::FineTune) { // not asked for
            QCOMPARE(window.pipelinePanel()->text(s, 1), QStringLiteral("not run"));
            continue;
        }
        QCOMPARE(window.pipelinePanel()->text(s, 1), QStringLiteral("done"));
        QVERIFY(window.pipelinePanel()->text(s, 2).endsWith(QStringLiteral(" s")));
    }
    QVERIFY(summary.startsWith(QStringLiteral("Pipeline: Training: 1 epoch, kept epoch 1")));
    QVERIFY(summary.contains(QStringLiteral("; Firing rates: 30 validation samples")));
    // The "before" column is not synthesised by the chain, and its tooltip says why.
    QVERIFY(table
                ->index(ComparisonModel::rowOf(ComparisonModel::Metric::SynthesisedLogicCells),
                        ComparisonModel::BeforeColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("the Pipeline builds only the optimised graph")));

    // The optimised network is a comparison until applied and saved: Apply and save as...
    QPushButton *applySave = window.pipelinePanel()->applyButton();
    QVERIFY(applySave->isEnabled());
    QVERIFY(window.isWindowModified()); // the training and rates steps
    const QString saved = m_dir.filePath(QStringLiteral("pipe-optimised.h5"));
    window.setSavePathPrompt([&](const QString &) { return saved; });
    applySave->click();
    QCOMPARE(window.document()->filePath(), saved);
    QVERIFY(!window.isWindowModified());
    QCOMPARE(window.document()->undoStack()->count(), 3); // train, rates, apply
    for (const Layer &l : result->graph.layers())
        QCOMPARE(window.graph().layer(l.id).weights, l.weights);
    SNN_COMPARE_GRAPHS(loadGraph(saved), window.graph());
    QVERIFY(!applySave->isEnabled()); // applied: nothing left to apply

    // Trained now (measured rates): a second run would not train again.
    QVERIFY(!flow::isUntrained(window.graph()));
}

// A trained graph (measured rates) is not trained again. Fine-tuning for the FPGA core trains a
// copy of the passes' result through the core's arithmetic at the FPGA tab's weight bits: it
// becomes the comparison's "after" graph (accuracy measured again), the document keeps the graph
// the chain started from, Apply makes the fine-tuned graph one undo step. Editing is locked while
// the chain runs. Stopped when Build begins (Build itself is pipelineRunsRatesPassesBuild's).
void TestMainWindow::pipelineFineTunesForTheCore()
{
    Graph trained = test::randomChain(5, {6, 8, 3}, 1.0, 0.2);
    for (const Layer &l : trained.layers()) {
        trained.layer(l.id).rates = Eigen::VectorXf::Constant(l.neurons(), 0.2f);
        trained.layer(l.id).ratesSource = QStringLiteral("measured: elsewhere");
    }
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(trained, QStringLiteral("trained"));
    QVERIFY(attach(window, pipelineData(m_dir)));
    sim::TrainSettings settings = tinySettings(5);
    settings.validationSize = 10;
    window.training()->setSettings(settings);
    window.pipelinePanel()->findChild<QSpinBox *>(QStringLiteral("pipelineFineTune"))->setValue(1);
    QCOMPARE(window.pipeline()->settings().training, flow::Training::IfUntrained);
    // While it runs: every edit refused, Undo off although the chain added a step; at Build, stop.
    QUndoStack *undo = window.document()->undoStack();
    QAction *undoButton = window.findChild<QAction *>(QStringLiteral("toolbarUndo"));
    bool lockedAtFineTune = false;
    std::shared_ptr<const OptimizeResult> passes; // the passes' result, before the fine-tune
    connect(window.pipeline(), &Pipeline::stageChanged, &window, [&](int stage) {
        const Pipeline::State state = window.pipeline()->status(Pipeline::Stage(stage)).state;
        if (stage == Pipeline::FineTune && state == Pipeline::State::Running) {
            passes = window.optimization()->result();
            lockedAtFineTune =
                undo->canUndo() && !undoButton->isEnabled() && !window.training()->isEnabled() &&
                window.findChild<QLabel *>(QStringLiteral("editLockLabel"))->text() ==
                    QStringLiteral("Editing locked: Pipeline") &&
                !window.document()->renameLayer(trained.layers()[0].id, QStringLiteral("edited")) &&
                window.statusBar()->currentMessage().startsWith(
                    QStringLiteral("Refused: the Pipeline works on the graph"));
        }
        if (stage == Pipeline::Build && state == Pipeline::State::Running)
            window.pipeline()->stop();
    });
    QSignalSpy finished(window.pipeline(), &Pipeline::finished);
    window.pipeline()->start();
    QVERIFY(finished.wait(60000));
    QVERIFY(lockedAtFineTune);
    QVERIFY(!window.document()->isEditLocked());
    QVERIFY(undoButton->isEnabled());
    QVERIFY(window.training()->isEnabled());

    const auto &train = window.pipeline()->status(Pipeline::Train);
    QCOMPARE(train.state, Pipeline::State::Skipped);
    QCOMPARE(train.result, QStringLiteral("a trained graph (measured rates)"));
    QCOMPARE(window.pipelinePanel()->text(Pipeline::Train, 1), QStringLiteral("not run"));
    QCOMPARE(window.pipelinePanel()->text(Pipeline::Train, 2), QString());
    for (int s : {Pipeline::Rates, Pipeline::Passes, Pipeline::FineTune}) {
        QCOMPARE(window.pipelinePanel()->text(s, 1), QStringLiteral("done"));
        QVERIFY(window.pipelinePanel()->text(s, 2).endsWith(QStringLiteral(" s")));
        QVERIFY(!window.pipelinePanel()->text(s, 3).isEmpty());
    }
    QCOMPARE(window.pipeline()->status(Pipeline::Build).state, Pipeline::State::Stopped);
    QCOMPARE(window.pipelinePanel()->text(Pipeline::Build, 1), QStringLiteral("stopped"));

    // The document: the graph it started from with measured rates, one undo step.
    QCOMPARE(undo->count(), 1);
    QCOMPARE(undo->text(0), QStringLiteral("Measure firing rates"));
    QCOMPARE(window.graph().layers()[0].weights, trained.layers()[0].weights);
    const Graph start = window.graph();
    // The comparison: that graph against the fine-tuned one, on the core's grid, measured again.
    const int bits = window.fpga()->exportOptions().quant.weightBits;
    const auto tuned = window.optimization()->result();
    QVERIFY(tuned);
    QCOMPARE(tuned->report.retraining,
             QStringLiteral("fine-tuned 1 epoch through the %1-bit core").arg(bits));
    QVERIFY(tuned->report.accuracy);
    QVERIFY(passes && tuned != passes);
    QCOMPARE(tuned->report.passReports.size(), passes->report.passReports.size());
    QCOMPARE(tuned->report.after, passes->report.after);
    QVERIFY(tuned->graph.layers().back().weights != passes->graph.layers().back().weights);
    QVERIFY2(tuned->report.hardware, qPrintable(tuned->report.hardwareNotMeasured));
    QCOMPARE(tuned->report.hardware->quantized.front().weightBits, bits);
    QVERIFY2(window.pipeline()
                 ->status(Pipeline::FineTune)
                 .result.startsWith(QStringLiteral("1 epoch, kept epoch 1")),
             qPrintable(window.pipeline()->status(Pipeline::FineTune).result));
    QVERIFY(window.pipeline()
                ->status(Pipeline::FineTune)
                .result.contains(QStringLiteral("; %1-bit core accuracy ").arg(bits)));
    QVERIFY(window.compare()->hasResult());
    QCOMPARE(window.optimiseTabs()->currentWidget(), window.compare());
    const ComparisonModel *table = window.optimization()->model();
    const auto cell = [&](ComparisonModel::Metric metric, int column) {
        return table->index(ComparisonModel::rowOf(metric), column).data().toString();
    };
    QCOMPARE(cell(ComparisonModel::Metric::Parameters, ComparisonModel::AfterColumn),
             QLocale(QLocale::English).toString(qint64(tuned->graph.totalParams())));
    QVERIFY(window.compare()->reportText().contains(QStringLiteral("Retrained:   fine-tuned 1 "
                                                                   "epoch")));
    QVERIFY(window.compare()->reportText().contains(finished.front().at(1).toString()));

    // Apply: the fine-tuned graph in ONE undo step; undo brings the comparison back, redo the
    // fine-tuned graph again.
    QVERIFY(window.optimization()->apply());
    QCOMPARE(undo->count(), 2);
    QVERIFY(undo->text(1).endsWith(
        QStringLiteral(", fine-tuned 1 epoch through the %1-bit core)").arg(bits)));
    for (const Layer &l : tuned->graph.layers())
        QCOMPARE(window.graph().layer(l.id).weights, l.weights);
    undo->undo();
    SNN_COMPARE_GRAPHS(window.graph(), start);
    QCOMPARE(window.optimization()->result(), tuned);
    QVERIFY(window.compare()->hasResult());
    undo->redo();
    for (const Layer &l : tuned->graph.layers())
        QCOMPARE(window.graph().layer(l.id).weights, l.weights);
}

void TestMainWindow::pipelineStopsAndRefuses()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(test::randomChain(5, {6, 8, 3}, 1.0, 0.2), QStringLiteral("small"));
    QSignalSpy finished(window.pipeline(), &Pipeline::finished);
    // Without data it does not start, and says why.
    window.pipeline()->start();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.front().at(1).toString(),
             QStringLiteral("Pipeline not started: attach a data set first (Data menu): the "
                            "rates and accuracy are measured on it"));
    QCOMPARE(window.statusBar()->currentMessage(), finished.front().at(1).toString());
    // Stopped while measuring the rates: nothing is applied, the later stages do not run.
    QVERIFY(attach(window, pipelineData(m_dir)));
    const Graph before = window.graph();
    setTraining(window, flow::Training::Never);
    window.pipeline()->start();
    QVERIFY(window.pipeline()->isRunning());
    QVERIFY(window.document()->isEditLocked());
    window.pipeline()->stop();
    QCOMPARE(finished.size(), 2);
    QCOMPARE(finished.back().at(0).toBool(), false);
    QVERIFY(!window.document()->isEditLocked());
    QCOMPARE(window.pipeline()->status(Pipeline::Train).state, Pipeline::State::Skipped);
    QCOMPARE(window.pipeline()->status(Pipeline::Train).result, QStringLiteral("not asked"));
    QVERIFY(window.pipeline()->status(Pipeline::Rates).state == Pipeline::State::Stopped);
    QVERIFY(window.pipeline()->status(Pipeline::Build).state == Pipeline::State::Skipped);
    QCOMPARE(window.pipelinePanel()->text(Pipeline::Passes, 1), QStringLiteral("not run"));
    QTest::qWait(300);
    SNN_COMPARE_GRAPHS(window.graph(), before);
    QCOMPARE(window.document()->undoStack()->count(), 0);

    // Stopped while training (until stopped): the epochs completed arrive as one undo step, as
    // with the Training tab's Stop; the chain ends there, editing works again.
    window.training()->setSettings(tinySettings(100000));
    setTraining(window, flow::Training::Always);
    window.pipeline()->start();
    QCOMPARE(window.pipeline()->status(Pipeline::Train).state, Pipeline::State::Running);
    QCOMPARE(window.pipelinePanel()->text(Pipeline::Train, 1), QStringLiteral("running"));
    // Once an epoch has completed (the result shows the epoch, batch and loss while it runs).
    const auto progress = [&] { return window.pipeline()->status(Pipeline::Train).result; };
    QTRY_VERIFY_WITH_TIMEOUT(progress().startsWith(QStringLiteral("epoch ")) &&
                                 !progress().startsWith(QStringLiteral("epoch 1/")),
                             20000);
    QVERIFY2(progress().contains(QStringLiteral("/100000, batch ")), qPrintable(progress()));
    window.pipeline()->stop();
    QCOMPARE(finished.size(), 2); // it ends once the training has returned its epochs
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.size(), 3);
    const auto &train = window.pipeline()->status(Pipeline::Train);
    QCOMPARE(train.state, Pipeline::State::Stopped);
    QVERIFY2(train.result.contains(QStringLiteral(" epoch")), qPrintable(train.result));
    QCOMPARE(window.pipelinePanel()->text(Pipeline::Train, 1), QStringLiteral("stopped"));
    QCOMPARE(window.pipeline()->status(Pipeline::Rates).state, Pipeline::State::Skipped);
    QUndoStack *undo = window.document()->undoStack();
    QCOMPARE(undo->count(), 1);
    QVERIFY(undo->text(0).startsWith(QStringLiteral("Train ")));
    QVERIFY(window.graph().layers()[0].weights != before.layers()[0].weights);
    QVERIFY(!window.document()->isEditLocked());
    undo->undo();
    SNN_COMPARE_GRAPHS(window.graph(), before);
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

} // namespace

void TestMainWindow::helpMenuToolbarAndSaveFilter()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    const auto native = [](const QKeySequence &keys) {
        return keys.toString(QKeySequence::NativeText);
    };
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

namespace {

// The window's settings as on a first start: no saved window, mode or workspace layouts.
void forgetLayout()
{
    QSettings settings;
    settings.remove(QStringLiteral("window"));
    settings.remove(QStringLiteral("workspaces"));
}

QString native(const QKeySequence &keys)
{
    return keys.toString(QKeySequence::NativeText);
}

} // namespace

// The first start (nothing saved) opens maximised on Get started, its heading and the mode bar's
// five names in words; its steps open the models (showing Graph), say what is attached, start
// the pipeline (showing Deploy). A later start opens where the last one ended.
void TestMainWindow::firstStartIsMaximisedOnGetStarted()
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
void TestMainWindow::workspacesRememberTheirLayout()
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

// Build (Ctrl+B) failing says so beyond the FPGA tab: in the status bar, the log and a dialog.
void TestMainWindow::buildFailureIsAnnounced()
{
    {
        QSettings settings; // 8-bit weights on the iCEstick: the shipped model does not fit
        settings.setValue(QStringLiteral("fpga/board"), QStringLiteral("icestick"));
        settings.setValue(QStringLiteral("fpga/bits"), 8);
    }
    MainWindow window;
    QVERIFY(window.openShippedModel());
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy built(window.fpga(), &FpgaPanel::buildFinished);
    QTest::keyClick(&window, Qt::Key_B, Qt::ControlModifier);
    QCOMPARE(window.currentMode(), MainWindow::Mode::Deploy);
    QVERIFY(built.count() == 1 || built.wait(30000));
    QCOMPARE(built.front().at(0).toBool(), false);
    const QString summary = built.front().at(1).toString();
    QVERIFY2(summary.startsWith(QStringLiteral("Build failed at export")), qPrintable(summary));
    QCOMPARE(window.statusBar()->currentMessage(), summary);
    QVERIFY(window.logText().contains(summary));
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox *>()) != nullptr);
    QCOMPARE(box->windowTitle(), QStringLiteral("Build failed"));
    QCOMPARE(box->text(), summary);
    box->close();
    QSettings().remove(QStringLiteral("fpga"));
}

// Synthesis figures are of one graph: once a training has replaced it, the FPGA tab's and the
// comparison's figures of it are gone (not shown beside the new weights).
void TestMainWindow::hardwareFiguresGoWhenTrainingReplacesTheGraph()
{
    if (const QString tool = missingTool(); !tool.isEmpty())
        QFAIL(qPrintable(QStringLiteral("%1 is not installed").arg(tool)));
    const QString model = m_dir.filePath(QStringLiteral("stale.h5"));
    MainWindow window;
    QVERIFY(openWithData(window, test::randomChain(7, {6, 8, 3}, 1.0, 0.2), model, m_dir));
    QSignalSpy built(window.fpga(), &FpgaPanel::buildFinished);
    window.runMenu()->buildAction()->trigger(); // Run > Build
    QVERIFY(built.wait(600000));
    QVERIFY2(built.front().at(0).toBool(), qPrintable(window.fpga()->log()));
    const auto *figures = window.fpga()->findChild<HardwareTable *>();
    const ComparisonModel *table = window.optimization()->model();
    const auto synthesisedBefore = [table] {
        return table
            ->index(ComparisonModel::rowOf(ComparisonModel::Metric::SynthesisedLogicCells),
                    ComparisonModel::BeforeColumn)
            .data()
            .toString();
    };
    QVERIFY(figures->text(HardwareTable::Lc, HardwareTable::Original) != QStringLiteral("-"));
    QVERIFY(synthesisedBefore() != QStringLiteral("-"));

    sim::TrainSettings settings = tinySettings(1);
    settings.validationSize = 10;
    window.training()->setSettings(settings);
    QSignalSpy trained(window.training(), &TrainingMonitor::trained);
    window.runMenu()->trainAction()->trigger(); // Run > Train
    QVERIFY(trained.wait(60000));
    QTRY_COMPARE(window.document()->undoStack()->text(0), QStringLiteral("Train 1 epoch"));
    for (int f = 0; f < HardwareTable::FigureCount; ++f)
        if (f != HardwareTable::Fit)
            QCOMPARE(figures->text(HardwareTable::Figure(f), HardwareTable::Original),
                     QStringLiteral("-"));
    QCOMPARE(synthesisedBefore(), QStringLiteral("-"));
}

SNN_WIDGET_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
