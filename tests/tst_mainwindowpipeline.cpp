// The main window's Pipeline: training, rates, passes and Build in one run; fine-tuning for the
// FPGA core; stopped, and refused without data.
#include "CompareView.h"
#include "ComparisonModel.h"
#include "Document.h"
#include "FpgaPanel.h"
#include "GraphEquality.h"
#include "MainWindow.h"
#include "MainWindowTestData.h"
#include "OptimizationPanel.h"
#include "PipelinePanel.h"
#include "TrainingMonitor.h"
#include "flow/Pipeline.h"
#include "io/GraphFile.h"
#include "sim/Engine.h"

#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoStack>

using namespace snn;
using namespace snn::test;
using namespace snn::widgets;
using flow::Pipeline;

class TestMainWindowPipeline : public MainWindowTest {
    Q_OBJECT
private Q_SLOTS:
    void pipelineRunsRatesPassesBuild();
    void pipelineFineTunesForTheCore();
    void pipelineStopsAndRefuses();
};

void TestMainWindowPipeline::pipelineRunsRatesPassesBuild()
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
void TestMainWindowPipeline::pipelineFineTunesForTheCore()
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

void TestMainWindowPipeline::pipelineStopsAndRefuses()
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

SNN_WIDGET_TEST_MAIN(TestMainWindowPipeline)
#include "tst_mainwindowpipeline.moc"
