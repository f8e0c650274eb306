#include "ComparisonModel.h"
#include "Document.h"
#include "GraphEquality.h"
#include "OptimizationPanel.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "graph/Example.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::widgets;

class TestOptimizationPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void runGivesTheCoresNumbers_data();
    void runGivesTheCoresNumbers();
    void togglingAPassRunsAgain();
    void supersededRunsAreDropped();
    void cancelStopsTheRun();
    void failedRunKeepsThePanelUsable_data();
    void failedRunKeepsThePanelUsable();
    void applyIsOneUndoStep();
    void documentEditsDropTheResult(); // and which keep it
    void copyAndExport();
    void targetOnlyWithMeasuredFigures();

private:
    bool runAndWait();
    Document *m_doc = nullptr;
    OptimizationPanel *m_panel = nullptr;
};

void TestOptimizationPanel::init()
{
    m_doc = new Document;
    m_doc->reset(exampleGraph());
    m_panel = new OptimizationPanel;
    m_panel->setDocument(m_doc);
}

void TestOptimizationPanel::cleanup()
{
    delete m_panel;
    delete m_doc;
}

bool TestOptimizationPanel::runAndWait()
{
    QSignalSpy finished(m_panel, &OptimizationPanel::runFinished);
    m_panel->run();
    return finished.wait(30000);
}

void TestOptimizationPanel::runGivesTheCoresNumbers_data()
{
    QTest::addColumn<QStringList>("passes");
    QTest::addColumn<float>("deadThreshold");
    QTest::newRow("all") << availablePasses() << 0.0f;
    QTest::newRow("dead only") << QStringList{passes::kDeadNeuronElimination} << 0.0f;
    QTest::newRow("dead, higher threshold") << QStringList{passes::kDeadNeuronElimination} << 0.02f;
    QTest::newRow("none") << QStringList{} << 0.0f;
}

void TestOptimizationPanel::runGivesTheCoresNumbers()
{
    QFETCH(QStringList, passes);
    QFETCH(float, deadThreshold);
    for (const QString &pass : availablePasses())
        m_panel->setPassEnabled(pass, passes.contains(pass));
    OptimizeOptions options;
    options.deadThreshold = deadThreshold;
    m_panel->setOptions(options);
    QCOMPARE(m_panel->selectedPasses(), passes);
    QVERIFY(runAndWait());
    QVERIFY(m_panel->result());
    const OptimizeResult expected = optimize(m_doc->graph(), passes, options);
    const OptimizeResult &actual = *m_panel->result();
    QCOMPARE(actual.report.after, expected.report.after);
    QCOMPARE(actual.report.before, expected.report.before);
    SNN_COMPARE_GRAPHS(actual.graph, expected.graph);
    QCOMPARE(m_panel->reportText(), expected.report.summary());
    const ComparisonModel *model = m_panel->model();
    const int params = ComparisonModel::rowOf(ComparisonModel::Metric::Parameters);
    QCOMPARE(model->index(params, ComparisonModel::AfterColumn).data().toString(),
             QLocale(QLocale::English).toString(qint64(expected.report.after.params)));
}

void TestOptimizationPanel::togglingAPassRunsAgain()
{
    m_panel->setPassEnabled(passes::kRedundancyElimination, false);
    m_panel->setPassEnabled(passes::kLayerFusion, false);
    QVERIFY(runAndWait());
    QCOMPARE(m_panel->result()->report.passes, QStringList{passes::kDeadNeuronElimination});
    QSignalSpy preview(m_panel, &OptimizationPanel::resultChanged);
    QSignalSpy finished(m_panel, &OptimizationPanel::runFinished);
    m_panel->setPassEnabled(passes::kDeadNeuronElimination, false); // runs again: no passes
    QVERIFY(finished.wait(30000));
    QCOMPARE(m_panel->result()->report.passes, QStringList{});
    QCOMPARE(m_panel->result()->report.after.params, m_doc->graph().totalParams());
    QCOMPARE(preview.count(), 1);
    QVERIFY(preview.at(0).at(0).value<std::shared_ptr<const OptimizeResult>>());
}

void TestOptimizationPanel::supersededRunsAreDropped()
{
    QSignalSpy finished(m_panel, &OptimizationPanel::runFinished);
    m_panel->run(); // all passes
    m_panel->setPassEnabled(passes::kRedundancyElimination, false);
    m_panel->setPassEnabled(passes::kLayerFusion, false); // the last run: dead neurons only
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isRunning(), 30000);
    QTest::qWait(50);
    // Only the last run reported, with its own passes.
    QCOMPARE(finished.count(), 1);
    QCOMPARE(m_panel->result()->report.passes, QStringList{passes::kDeadNeuronElimination});
}

void TestOptimizationPanel::cancelStopsTheRun()
{
    QSignalSpy finished(m_panel, &OptimizationPanel::runFinished);
    m_panel->run();
    QVERIFY(m_panel->isRunning());
    m_panel->cancel(); // reported at once; whatever the run still returns is dropped
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("Cancelled"));
    QVERIFY(!m_panel->isRunning());
    QTest::qWait(200);
    QCOMPARE(finished.count(), 1);
    QVERIFY(!m_panel->result());
}

void TestOptimizationPanel::failedRunKeepsThePanelUsable_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("std::bad_alloc") << 0 << QStringLiteral("Optimisation failed: out of memory");
    QTest::newRow("std::runtime_error")
        << 1 << QStringLiteral("Optimisation failed: internal error: HDF5 said no");
}

// A run whose work throws something other than snn::Error (the core running out of memory, a
// library's own exception) ends as a one-line failure: the panel says so, nothing is shown as a
// result, Cancel is off and Run on, and the next run works.
void TestOptimizationPanel::failedRunKeepsThePanelUsable()
{
    QFETCH(int, kind);
    QFETCH(QString, message);
    m_panel->setOptimizer([kind](const Graph &, const QStringList &, const OptimizeOptions &,
                                 const RunControl &) -> OptimizeResult {
        if (kind == 0)
            throw std::bad_alloc();
        throw std::runtime_error("HDF5 said no");
    });
    QSignalSpy previews(m_panel, &OptimizationPanel::resultChanged);
    QVERIFY(runAndWait());
    auto button = [this](const QString &text) {
        for (QPushButton *b : m_panel->findChildren<QPushButton *>())
            if (b->text() == text)
                return b;
        return static_cast<QPushButton *>(nullptr);
    };
    QCOMPARE(m_panel->findChild<QLabel *>(QStringLiteral("status"))->text(), message);
    QVERIFY(!m_panel->isRunning());
    QVERIFY(!m_panel->result());
    QVERIFY(previews.isEmpty());
    QVERIFY(button(QStringLiteral("&Run passes"))->isEnabled());
    QVERIFY(!button(QStringLiteral("Cancel"))->isEnabled());
    QVERIFY(!button(QStringLiteral("&Apply to graph"))->isEnabled());

    m_panel->setOptimizer(
        [](const Graph &graph, const QStringList &passes, const OptimizeOptions &options,
           const RunControl &control) { return optimize(graph, passes, options, control); });
    QVERIFY(runAndWait());
    QVERIFY(m_panel->result());
    QVERIFY(button(QStringLiteral("&Apply to graph"))->isEnabled());
}

void TestOptimizationPanel::applyIsOneUndoStep()
{
    const Graph original = m_doc->graph();
    QVERIFY(runAndWait());
    const Graph optimised = m_panel->result()->graph;
    QVERIFY(optimised.totalParams() < original.totalParams());
    QVERIFY(m_panel->apply());
    QCOMPARE(m_doc->undoStack()->count(), 1);
    QCOMPARE(m_doc->undoStack()->undoText(),
             QStringLiteral("Apply optimisation (%1)")
                 .arg(availablePasses().join(QStringLiteral(", "))));
    SNN_COMPARE_GRAPHS(m_doc->graph(), optimised);
    QVERIFY(!m_panel->result()); // stale now
    m_doc->undoStack()->undo();
    SNN_COMPARE_GRAPHS(m_doc->graph(), original);
    QVERIFY(m_panel->result()); // the undo brought the comparison back
    m_doc->reset(original);
    QVERIFY(!m_panel->apply()); // a new document: nothing to apply
}

void TestOptimizationPanel::documentEditsDropTheResult()
{
    QVERIFY(runAndWait());
    QSignalSpy preview(m_panel, &OptimizationPanel::resultChanged);
    // Moving a node keeps the result, and Apply keeps the new position.
    const LayerId h1 = m_doc->graph().layers().front().id;
    QVERIFY(m_doc->moveLayers({{h1, QPointF(12, 34)}}));
    QVERIFY(m_panel->result());
    QCOMPARE(preview.count(), 0);
    QVERIFY(m_panel->apply());
    QCOMPARE(m_doc->graph().layer(h1).position, std::optional(QPointF(12, 34)));
    QCOMPARE(m_doc->graph().layer(h1).neurons(), 226);
    QCOMPARE(preview.count(), 1);
    // Undoing Apply brings the comparison back with the graph it was computed from.
    const std::shared_ptr<const OptimizeResult> applied = m_panel->result();
    QVERIFY(!applied); // the applied graph has no result of its own
    m_doc->undoStack()->undo();
    QCOMPARE(m_doc->graph().layer(h1).neurons(), 256);
    QVERIFY(m_panel->result());
    QCOMPARE(m_panel->result()->graph.layer(h1).neurons(), 226);
    QVERIFY(m_panel->model()->hasResult());
    QVERIFY(preview.last().at(0).value<std::shared_ptr<const OptimizeResult>>());

    // A rename keeps the result too, and Apply keeps the new name.
    preview.clear();
    QVERIFY(m_doc->renameLayer(h1, QStringLiteral("first")));
    QVERIFY(m_panel->result());
    QCOMPARE(preview.count(), 0);
    QVERIFY(m_panel->apply());
    QCOMPARE(m_doc->graph().layer(h1).name, QStringLiteral("first"));
    m_doc->undoStack()->undo();
    QVERIFY(m_panel->result());

    // A change of what the network computes drops it.
    preview.clear();
    QVERIFY(m_doc->resizeLayer(h1, 200));
    QVERIFY(!m_panel->result());
    QCOMPARE(preview.count(), 1);
    QVERIFY(!preview.at(0).at(0).value<std::shared_ptr<const OptimizeResult>>());
    QVERIFY(!m_panel->model()->hasResult());
    QCOMPARE(m_panel->model()->index(m_panel->model()->rowOfLayer(h1), 1).data().toString(),
             QStringLiteral("200"));
}

void TestOptimizationPanel::copyAndExport()
{
    QVERIFY(runAndWait());
    m_panel->copyAsText();
    const QString copied = QApplication::clipboard()->text();
    QVERIFY(copied.startsWith(m_panel->model()->toText()));
    QVERIFY(copied.endsWith(m_panel->result()->report.summary()));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("comparison.csv"));
    m_panel->exportCsv(path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()), m_panel->model()->toCsv());
    QVERIFY_THROWS_EXCEPTION(Error, m_panel->exportCsv(QStringLiteral("/nonexistent/dir/x.csv")));
}

// The FPGA tab's target reaches the passes' hardware figures when they are measured (a validation
// set); without one nothing is measured, and the run does not fail for want of a weight width.
void TestOptimizationPanel::targetOnlyWithMeasuredFigures()
{
    hw::ExportOptions hardware;
    hardware.quant.weightBits = 4;
    hardware.lanes = 0;
    hardware.target = hw::Target::logicCells(5000);
    m_panel->setHardware(hardware);
    QVERIFY(!m_panel->options().deployment.target.isSet());
    QVERIFY(m_panel->options().hardwareBits.empty());
    QVERIFY(runAndWait());
    QVERIFY(m_panel->result());

    auto validation = std::make_shared<ValidationSet>();
    validation->data.x = test::uniformSamples(4, m_doc->graph().inputSize(), 2);
    validation->data.y = {0, 1, 2, 3};
    m_panel->setValidation(validation);
    const OptimizeOptions o = m_panel->options();
    QCOMPARE(o.deployment.target.text(), QStringLiteral("<= 5,000 logic cells"));
    QCOMPARE(o.hardwareBits, std::vector<int>{4});
    hardware.target = hw::Target::latency(3.5); // a target alone is a change of the hardware
    m_panel->setHardware(hardware);
    QCOMPARE(m_panel->options().deployment.target.text(), QStringLiteral("latency <= 3.5 ms"));
}

SNN_WIDGET_TEST_MAIN(TestOptimizationPanel)
#include "tst_optimizationpanel.moc"
