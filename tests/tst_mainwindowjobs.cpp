// The main window's jobs: an attached data set, training (one undo step, editing locked),
// the optimisation's hardware rows, a sweep, and a Build that fails or goes stale.
#include "CanvasView.h"
#include "ComparisonModel.h"
#include "Document.h"
#include "FpgaPanel.h"
#include "GraphEquality.h"
#include "HardwareTable.h"
#include "MainWindow.h"
#include "MainWindowTestData.h"
#include "OptimizationPanel.h"
#include "PropertiesPanel.h"
#include "RunMenu.h"
#include "SweepPanel.h"
#include "TrainingMonitor.h"
#include "eval/Accuracy.h"
#include "graph/Example.h"
#include "hw/Boards.h"
#include "hw/Quantizer.h"
#include "hw/ResourceEstimator.h"
#include "sim/Dataset.h"
#include "sim/Engine.h"

#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QUndoStack>

using namespace snn;
using namespace snn::test;
using namespace snn::widgets;

class TestMainWindowJobs : public MainWindowTest {
    Q_OBJECT
private Q_SLOTS:
    void attachedDataMeasuresAccuracy();
    void badDataSetGivesAMessage();
    void trainingIsOneUndoableChange();
    void trainingLocksEditing();
    void hardwareRowsShowEstimatesAndSynthesis();
    void sweepPointSetsThePassSettings();
    void buildFailureIsAnnounced();
    void hardwareFiguresGoWhenTrainingReplacesTheGraph();
};

void TestMainWindowJobs::attachedDataMeasuresAccuracy()
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

void TestMainWindowJobs::trainingIsOneUndoableChange()
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
void TestMainWindowJobs::trainingLocksEditing()
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

void TestMainWindowJobs::badDataSetGivesAMessage()
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

void TestMainWindowJobs::hardwareRowsShowEstimatesAndSynthesis()
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

void TestMainWindowJobs::sweepPointSetsThePassSettings()
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

// Build (Ctrl+B) failing says so beyond the FPGA tab: in the status bar, the log and a dialog.
void TestMainWindowJobs::buildFailureIsAnnounced()
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
void TestMainWindowJobs::hardwareFiguresGoWhenTrainingReplacesTheGraph()
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

SNN_WIDGET_TEST_MAIN(TestMainWindowJobs)
#include "tst_mainwindowjobs.moc"
