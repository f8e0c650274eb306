#include "FpgaPanel.h"
#include "TargetControl.h"
#include "TestUtils.h"
#include "base/Rng.h"
#include "base/Text.h"
#include "eval/HardwareFigures.h"
#include "flow/HardwareEstimates.h"
#include "flow/Pipeline.h"
#include "hw/Boards.h"
#include "hw/ResourceEstimator.h"
#include "io/GraphFile.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::widgets;
using snn::test::errorOf;

namespace {

Graph smallGraph(const std::vector<int> &sizes)
{
    return test::randomChain(5, sizes, 1.0, 0.2);
}

QString cell(const FpgaPanel &panel, int row, int column)
{
    return panel.findChild<QTableWidget *>()->item(column, row)->text(); // figures across
}

// A pipeline whose data set's test split is `test` (what the panel measures a target on).
std::shared_ptr<sim::DataSplit> splitOf(const RowMatrixXf &test)
{
    auto split = std::make_shared<sim::DataSplit>();
    split->train.x = test;
    split->train.y.assign(std::size_t(test.rows()), 0);
    split->test = split->train;
    return split;
}

// Sets the panel's target as a user does: the kind in the combo, then the value.
void setTarget(FpgaPanel &panel, hw::Target::Kind kind, double value)
{
    panel.findChild<QComboBox *>(QStringLiteral("targetKind"))->setCurrentIndex(int(kind));
    panel.findChild<QDoubleSpinBox *>(QStringLiteral("targetValue"))->setValue(value);
}

} // namespace

class TestFpgaPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void estimateUpdatesWithTheSettings();
    void automaticSettingsChooseForTheBoard();
    void settingsAreRemembered();
    void projectFolderNextToTheModelAndRemembered();
    void buildFailsAtExportWhenNothingFits();
    void buildKeepsTheBitstream();
    void destroyingThePanelDuringVerifyWaits();
    void estimatesArriveOffTheGuiThreadNewestWins();
    void exportWritesTheFolder();
    void verifyPassesOffTheGuiThread();
    void stopDuringSynthesisIsNotAFailure();
    void nothingBuiltIsNotSuccess();
    void latencyTargetIsTheCoresChoice();
    void impossibleTargetShowsTheCoresMessage();
    void targetOnlyWithAutoAndRemembered();
    void synthesiseAndBuildUseTheTarget();
};

void TestFpgaPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("snn-studio-tests"));
    QApplication::setApplicationName(QStringLiteral("tst_fpgapanel"));
}

void TestFpgaPanel::init()
{
    QSettings().remove(QStringLiteral("fpga")); // every test starts on the defaults
}

void TestFpgaPanel::estimateUpdatesWithTheSettings()
{
    FpgaPanel panel;
    const auto combos = panel.findChildren<QComboBox *>();
    QCOMPARE(combos.front()->count(), 4);
    // 128 x 128 x 8 bits: too many EBR blocks for the HX8K at 8 bits, fine at 4.
    panel.setOriginalGraph(smallGraph({128, 128, 4}));
    combos.front()->setCurrentIndex(3); // iCE40-HX8K breakout
    combos.at(1)->setCurrentIndex(1);   // 1 lane
    panel.findChild<QSpinBox *>()->setValue(8);
    QTRY_VERIFY(!panel.isEstimating());
    QCOMPARE(cell(panel, 5, 0), QStringLiteral("does not fit"));
    const int ebr8 = cell(panel, 1, 0).toInt();
    panel.findChild<QSpinBox *>()->setValue(4);
    QTRY_VERIFY(!panel.isEstimating());
    QCOMPARE(cell(panel, 5, 0), QStringLiteral("fits"));
    QVERIFY(cell(panel, 1, 0).toInt() < ebr8);
    QCOMPARE(panel.exportOptions().quant.weightBits, 4);
    QCOMPARE(panel.exportOptions().board, QStringLiteral("hx8k"));
    QCOMPARE(panel.exportOptions().lanes, 1);
}

void TestFpgaPanel::estimatesArriveOffTheGuiThreadNewestWins()
{
    FpgaPanel panel;
    QSignalSpy changed(&panel, &FpgaPanel::estimatesChanged);
    const Graph first = smallGraph({64, 128, 4});
    const Graph second = smallGraph({32, 16, 4});
    panel.setOriginalGraph(first);
    panel.setOriginalGraph(second); // supersedes the first before it arrives
    QVERIFY(panel.isEstimating());
    QVERIFY(!panel.originalFit()); // nothing computed on the GUI thread
    QTRY_VERIFY(!panel.isEstimating());
    QCOMPARE(changed.count(), 1); // the superseded result is dropped
    const hw::ExportOptions o = panel.exportOptions();
    const hw::FitCheck expected = hw::checkFit(second, o.quant, o.lanes, hw::board(o.board));
    QVERIFY(panel.originalFit());
    QCOMPARE(panel.originalFit()->estimate.logicCells, expected.estimate.logicCells);
    QCOMPARE(panel.originalFit()->estimate.ebrBlocks, expected.estimate.ebrBlocks);
    QCOMPARE(cell(panel, 1, 0), QString::number(expected.estimate.ebrBlocks));
    QVERIFY(!panel.optimizedFit());

    // A graph the core cannot run: no estimate, the reason in the status line.
    Graph linear = second;
    linear.layer(linear.layers().back().id).neuron.spiking = false;
    panel.setOriginalGraph(linear);
    QTRY_VERIFY(!panel.isEstimating());
    QVERIFY(!panel.originalFit());
    QCOMPARE(cell(panel, 5, 0), QStringLiteral("not supported"));
}

void TestFpgaPanel::exportWritesTheFolder()
{
    QTemporaryDir dir;
    FpgaPanel panel;
    panel.setOriginalGraph(smallGraph({6, 4, 3}));
    panel.setExportDirectory(dir.path());
    panel.exportDesign();
    for (const char *file : {"snn_core.v", "snn_uart_top.v", "weights.mem", "top.pcf", "build.sh",
                             "tb_snn_core.v", "README.md"})
        QVERIFY2(QFile::exists(QDir(dir.path()).filePath(QLatin1String(file))), file);
    QVERIFY(panel.log().contains(QStringLiteral("exported")));
}

void TestFpgaPanel::verifyPassesOffTheGuiThread()
{
    if (QStandardPaths::findExecutable(QStringLiteral("iverilog")).isEmpty())
        QFAIL("iverilog is not installed");
    FpgaPanel panel;
    panel.setOriginalGraph(smallGraph({6, 4, 3}));
    QSignalSpy done(&panel, &FpgaPanel::verificationFinished);
    panel.verify();
    QVERIFY(panel.isBusy());
    QVERIFY(done.wait(60000));
    QVERIFY2(done.front().at(0).toBool(), qPrintable(done.front().at(1).toString()));
    QVERIFY(!panel.isBusy());
    QVERIFY(panel.log().contains(QStringLiteral("PASS: 8 samples")));
}

void TestFpgaPanel::stopDuringSynthesisIsNotAFailure()
{
    if (QStandardPaths::findExecutable(QStringLiteral("yosys")).isEmpty())
        QFAIL("yosys is not installed");
    FpgaPanel panel;
    panel.setOriginalGraph(smallGraph({6, 4, 3}));
    panel.setOptimizedGraph(smallGraph({6, 3, 3}));
    QSignalSpy busy(&panel, &FpgaPanel::busyChanged);
    QSignalSpy synthesised(&panel, &FpgaPanel::synthesisFinished);
    panel.synthesise();
    QVERIFY(panel.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(panel.log().contains(QStringLiteral("== yosys")), 10000);
    panel.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 10000);
    QVERIFY(panel.log().contains(QStringLiteral("stopped")));
    QVERIFY(!panel.log().contains(QStringLiteral("FAILED")));
    QCOMPARE(synthesised.size(), 0); // neither graph was reported
}

void TestFpgaPanel::nothingBuiltIsNotSuccess()
{
    // 64 x 128 x 8-bit weights do not fit the iCEstick: Synthesise builds nothing and says so.
    FpgaPanel panel;
    panel.setOriginalGraph(smallGraph({64, 128, 4}));
    panel.findChildren<QComboBox *>().front()->setCurrentIndex(0); // iCEstick
    panel.findChild<QSpinBox *>()->setValue(8);                    // fixed: no automatic choice
    QSignalSpy synthesised(&panel, &FpgaPanel::synthesisFinished);
    panel.synthesise();
    QTRY_VERIFY(!panel.isBusy());
    QCOMPARE(synthesised.size(), 0);
    QVERIFY2(panel.log().contains(QStringLiteral(
                 "Nothing was built: the original graph was not built (does not fit the iCEstick")),
             qPrintable(panel.log()));
    QVERIFY(!panel.log().contains(QStringLiteral("Synthesis finished")));
}

void TestFpgaPanel::automaticSettingsChooseForTheBoard()
{
    // Bits and lanes start on Auto: the chooser's configuration for the board, and its reason.
    FpgaPanel panel;
    QVERIFY(panel.automaticBits());
    QVERIFY(panel.automaticLanes());
    const Graph g = smallGraph({128, 128, 4});
    panel.findChildren<QComboBox *>().front()->setCurrentIndex(3); // iCE40-HX8K breakout
    panel.setOriginalGraph(g);
    QTRY_VERIFY(!panel.isEstimating());
    const hw::Configuration c = hw::chooseConfiguration(g, {}, hw::board(QStringLiteral("hx8k")));
    QCOMPARE(c.quant.weightBits, 6); // 8 and 7 bits need too many EBR blocks on the HX8K
    QCOMPARE(panel.exportOptions().quant.weightBits, c.quant.weightBits);
    QCOMPARE(panel.exportOptions().lanes, c.lanes);
    QCOMPARE(panel.choice(), c.reason);
    // The choice in one line, why and the fit check's figures on hover.
    QCOMPARE(c.lanes, 2);
    QCOMPARE(panel.status(),
             QStringLiteral("Auto: 6-bit weights, 2 lanes, weights in EBR, the most accurate and "
                            "then fastest configuration that fits the iCE40-HX8K breakout (hover "
                            "for why)."));
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("status"))->toolTip(),
             QStringLiteral("%1.\n%2").arg(c.reason, c.fit.message));
    QCOMPARE(cell(panel, 5, 0), QStringLiteral("fits"));
    QCOMPARE(cell(panel, 0, 0), QString::number(c.fit.estimate.logicCells));

    // The optimised graph is checked at the original's configuration (a like-for-like column).
    const Graph smaller = smallGraph({128, 100, 4});
    panel.setOptimizedGraph(smaller);
    QTRY_VERIFY(!panel.isEstimating());
    QVERIFY(panel.optimizedFit());
    QCOMPARE(panel.optimizedFit()->estimate.logicCells,
             hw::checkFit(smaller, c.quant, c.lanes, hw::board(QStringLiteral("hx8k")))
                 .estimate.logicCells);

    // Fixed bits: the lanes alone are chosen.
    panel.findChild<QSpinBox *>()->setValue(4);
    QTRY_VERIFY(!panel.isEstimating());
    QVERIFY(!panel.automaticBits());
    const hw::Configuration four = hw::chooseConfiguration(g, {}, hw::board(QStringLiteral("hx8k")),
                                                           hw::WeightMemory::Auto, 4, 0);
    QCOMPARE(panel.exportOptions().quant.weightBits, 4);
    QCOMPARE(panel.exportOptions().lanes, four.lanes);
    QCOMPARE(panel.choice(), four.reason);
}

void TestFpgaPanel::settingsAreRemembered()
{
    {
        FpgaPanel panel;
        panel.findChildren<QComboBox *>().front()->setCurrentIndex(0); // iCEstick
        panel.findChild<QSpinBox *>()->setValue(5);
        panel.findChildren<QComboBox *>().at(1)->setCurrentIndex(2); // 2 lanes
        panel.findChildren<QComboBox *>().at(2)->setCurrentIndex(1); // EBR
        panel.findChild<QDoubleSpinBox *>()->setValue(24.0);
    }
    FpgaPanel again;
    const hw::ExportOptions o = again.exportOptions();
    QCOMPARE(o.board, QStringLiteral("icestick"));
    QCOMPARE(o.quant.weightBits, 5);
    QCOMPARE(o.lanes, 2);
    QVERIFY(o.weightMemory == hw::WeightMemory::Ebr);
    QCOMPARE(o.clockMHz, 24.0);
    QVERIFY(!again.automaticBits());
}

void TestFpgaPanel::projectFolderNextToTheModelAndRemembered()
{
    QTemporaryDir dir;
    const QString model = dir.filePath(QStringLiteral("net.h5"));
    {
        FpgaPanel panel;
        panel.setModel(model, QStringLiteral("net.h5"));
        QCOMPARE(panel.projectDirectory(), dir.filePath(QStringLiteral("net-icebreaker")));
        panel.findChildren<QComboBox *>().front()->setCurrentIndex(0);
        QCOMPARE(panel.projectDirectory(), dir.filePath(QStringLiteral("net-icestick")));
        panel.setProjectDirectory(dir.filePath(QStringLiteral("mine")));
        QCOMPARE(panel.projectDirectory(), dir.filePath(QStringLiteral("mine")));
    }
    FpgaPanel panel;
    panel.setModel(model, QStringLiteral("net.h5"));
    QCOMPARE(panel.projectDirectory(), dir.filePath(QStringLiteral("mine"))); // remembered
    // Another model keeps its own default; a model without a file goes to the documents folder.
    panel.setModel(dir.filePath(QStringLiteral("other.h5")), QStringLiteral("other.h5"));
    QCOMPARE(panel.projectDirectory(), dir.filePath(QStringLiteral("other-icestick")));
    panel.setModel({}, QStringLiteral("Fashion-MNIST SNN (shipped)"));
    QCOMPARE(panel.projectDirectory(),
             QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                 .filePath(QStringLiteral("SNN Studio/fashion-mnist-snn-shipped-icestick")));
    // An empty choice goes back to the default.
    panel.setModel(model, QStringLiteral("net.h5"));
    panel.setProjectDirectory({});
    QCOMPARE(panel.projectDirectory(), dir.filePath(QStringLiteral("net-icestick")));
}

void TestFpgaPanel::buildFailsAtExportWhenNothingFits()
{
    // 8-bit weights fixed on the iCEstick: the export refuses, the step is marked, its log is one
    // click away, and no bitstream is left or claimed.
    QTemporaryDir dir;
    FpgaPanel panel;
    panel.setModel(dir.filePath(QStringLiteral("big.h5")), QStringLiteral("big.h5"));
    panel.findChildren<QComboBox *>().front()->setCurrentIndex(0); // iCEstick
    panel.findChild<QSpinBox *>()->setValue(8);
    panel.setOriginalGraph(smallGraph({64, 128, 4}));
    QSignalSpy built(&panel, &FpgaPanel::buildFinished);
    panel.build();
    QVERIFY(panel.isBusy());
    QVERIFY(built.wait(20000));
    QCOMPARE(built.front().at(0).toBool(), false);
    const QString summary = built.front().at(1).toString();
    QVERIFY2(summary.startsWith(QStringLiteral(
                 "Build failed at export (nothing was built): does not fit the iCEstick")),
             qPrintable(summary));
    QCOMPARE(panel.status(), summary);
    QVERIFY(QRegularExpression(QStringLiteral("^failed: Export \\d+\\.\\d s$"))
                .match(panel.stepText(FpgaPanel::StepExport))
                .hasMatch());
    QCOMPARE(panel.stepText(FpgaPanel::StepYosys), QStringLiteral("yosys")); // never ran
    panel.showStepLog(FpgaPanel::StepExport);
    QCOMPARE(panel.findChild<QPlainTextEdit *>()->textCursor().selectedText(),
             QStringLiteral("== export"));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("big-icestick/top.bin"))));
    QVERIFY(!panel.log().contains(QStringLiteral("Built")));
}

void TestFpgaPanel::buildKeepsTheBitstream()
{
    for (const char *tool : {"yosys", "nextpnr-ice40", "icepack", "iverilog"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            QFAIL(qPrintable(QStringLiteral("%1 is not installed").arg(QLatin1String(tool))));
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("tiny-icebreaker"));
    const Graph g = smallGraph({6, 4, 3});
    const hw::Configuration c =
        hw::chooseConfiguration(g, {}, hw::board(QStringLiteral("icebreaker")));
    {
        auto panel = std::make_unique<FpgaPanel>();
        panel->setModel(dir.filePath(QStringLiteral("tiny.h5")), QStringLiteral("tiny.h5"));
        panel->setOriginalGraph(g);
        QSignalSpy built(panel.get(), &FpgaPanel::buildFinished);
        QSignalSpy synthesised(panel.get(), &FpgaPanel::synthesisFinished);
        panel->build();
        QVERIFY(built.wait(600000));
        const QString summary = built.front().at(1).toString();
        QVERIFY2(built.front().at(0).toBool(), qPrintable(panel->log()));
        QVERIFY2(summary.startsWith(
                     QStringLiteral("Built %1 (%2-bit weights, %3 lanes, weights in EBR; ")
                         .arg(QDir(folder).filePath(QStringLiteral("top.bin")))
                         .arg(c.quant.weightBits)
                         .arg(c.lanes)),
                 qPrintable(summary));
        QVERIFY(summary.endsWith(QStringLiteral("RTL verify passed on 4 samples.")));
        QVERIFY(panel->log().contains(QStringLiteral("Auto: %1").arg(c.reason)));
        QCOMPARE(synthesised.size(), 1);
        const auto report = synthesised.front().at(1).value<hw::FlowReport>();
        QVERIFY(summary.contains(QStringLiteral("%1 / 5280 logic cells").arg(report.logicCells)));
        QCOMPARE(report.bitstream, QDir(folder).filePath(QStringLiteral("top.bin")));
        for (int step = 0; step < FpgaPanel::StepCount; ++step)
            QVERIFY2(QRegularExpression(QStringLiteral("^\\S+ \\d+\\.\\d s$"))
                         .match(panel->stepText(step))
                         .hasMatch(),
                     qPrintable(panel->stepText(step)));
        QCOMPARE(cell(*panel, 4, 1),
                 QStringLiteral("%1 KB").arg(double(report.bitstreamBytes) / 1024.0, 0, 'f', 1));
    }
    // The panel is gone; the project folder and its bitstream stay.
    const QFileInfo bitstream(QDir(folder).filePath(QStringLiteral("top.bin")));
    QVERIFY(bitstream.exists());
    QVERIFY(bitstream.size() > 30000); // an iCE40 UP5K image is about 104 KB
    QVERIFY(QFile::exists(QDir(folder).filePath(QStringLiteral("build.sh"))));
}

void TestFpgaPanel::destroyingThePanelDuringVerifyWaits()
{
    if (QStandardPaths::findExecutable(QStringLiteral("iverilog")).isEmpty())
        QFAIL("iverilog is not installed");
    // The verification works in the panel's temporary folder: the destructor stops and waits
    // for it before the folder is removed (no crash, no job left behind).
    auto panel = std::make_unique<FpgaPanel>();
    panel->setOriginalGraph(smallGraph({6, 4, 3}));
    QSignalSpy done(panel.get(), &FpgaPanel::verificationFinished);
    panel->verify();
    QVERIFY(panel->isBusy());
    panel.reset();
    QCOMPARE(done.size(), 0);
}

// The shipped model with a latency target on 300 Fashion-MNIST test images: the panel's design is
// hw::chooseForTarget's on the same samples, and its latency and logic cells are in the status.
void TestFpgaPanel::latencyTargetIsTheCoresChoice()
{
    const Graph g = loadGraph(QStringLiteral(SNN_SOURCE_DIR "/resources/fashion-mnist-snn.h5"));
    sim::Dataset test;
    const QString missing = errorOf(
        [&] { test = sim::loadSamples(QStringLiteral("fashion-mnist"), sim::kTestSplit, 0, 300); });
    if (!missing.isEmpty())
        QFAIL(qPrintable(missing));
    flow::Pipeline pipeline;
    pipeline.setData(splitOf(test.x));
    FpgaPanel panel(&pipeline);
    panel.setOriginalGraph(g);
    const auto expectChoice = [&](const hw::Target &target) {
        setTarget(panel, target.kind, target.value);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isEstimating(), 120000);
        hw::ExportOptions o = panel.estimates()->options();
        QCOMPARE(o.quant.weightBits, 0); // Auto
        QCOMPARE(o.lanes, 0);
        QCOMPARE(o.target.text(), target.text());
        const hw::Configuration c = hw::chooseForTarget(g, o, eval::meanCyclesOn(test.x));
        const eval::HardwareFigures f = eval::hardwareFigures(g, o, test.x);
        const hw::ExportOptions used = panel.exportOptions();
        QCOMPARE(used.quant.weightBits, c.quant.weightBits);
        QCOMPARE(used.lanes, c.lanes);
        QCOMPARE(used.weightMemory, c.fit.spram ? hw::WeightMemory::Spram : hw::WeightMemory::Ebr);
        QCOMPARE(panel.choice(), c.reason);
        QCOMPARE(panel.originalFit()->estimate.logicCells, c.fit.estimate.logicCells);
        QCOMPARE(*panel.estimates()->latencyMs(), f.latencyMs());
        QCOMPARE(panel.status(),
                 QStringLiteral("Auto for %1: %2, %3 ms per inference, about %4 logic cells "
                                "(hover for why).")
                     .arg(target.text(), hw::describe(used, c.fit.spram),
                          numberText(f.latencyMs(), 3), numberText(c.fit.estimate.logicCells)));
        QCOMPARE(cell(panel, 0, 0), QString::number(c.fit.estimate.logicCells));
    };
    // Every design meets a day: the smallest; just under its latency a faster, larger one.
    expectChoice(hw::Target::latency(1e6));
    if (QTest::currentTestFailed())
        return;
    const int smallestLanes = panel.exportOptions().lanes;
    const int smallestCells = panel.originalFit()->estimate.logicCells;
    expectChoice(hw::Target::latency(std::floor(*panel.estimates()->latencyMs() * 900.0) / 1000.0));
    QVERIFY(panel.exportOptions().lanes > smallestLanes);
    QVERIFY(panel.originalFit()->estimate.logicCells > smallestCells);
}

// A target no design meets: the core's one line in the status line, the log, the status bar
// (message()) and the table; without a data set, why the latency cannot be measured.
void TestFpgaPanel::impossibleTargetShowsTheCoresMessage()
{
    const Graph g = smallGraph({16, 24, 4});
    const RowMatrixXf samples = test::uniformSamples(40, 16, 3);
    flow::Pipeline pipeline;
    pipeline.setData(splitOf(samples));
    FpgaPanel panel(&pipeline);
    QSignalSpy messages(&panel, &FpgaPanel::message);
    panel.setOriginalGraph(g);
    QTRY_VERIFY(!panel.isEstimating());
    QCOMPARE(cell(panel, 0, 0), QString::number(panel.originalFit()->estimate.logicCells));
    setTarget(panel, hw::Target::Kind::LatencyMs, 0.001);
    QTRY_VERIFY(!panel.isEstimating());
    hw::ExportOptions o = panel.estimates()->options();
    QCOMPARE(o.target.text(), QStringLiteral("latency <= 0.001 ms"));
    const QString expected =
        errorOf([&] { hw::chooseForTarget(g, o, eval::meanCyclesOn(samples)); });
    QVERIFY2(expected.startsWith(QStringLiteral("no configuration on the iCEBreaker meets the "
                                                "target latency <= 0.001 ms: the fastest")),
             qPrintable(expected));
    QCOMPARE(panel.status(), expected);
    QVERIFY(!panel.originalFit());
    QCOMPARE(cell(panel, 5, 0), QStringLiteral("no design"));
    QCOMPARE(cell(panel, 0, 0), QStringLiteral("-")); // no figures of an earlier design
    QVERIFY(panel.log().contains(QStringLiteral("Target: %1\n").arg(expected)));
    QTRY_VERIFY(!messages.isEmpty());
    QCOMPARE(messages.back().front().toString(), expected);
    QTemporaryDir dir;
    panel.setExportDirectory(dir.path());
    panel.exportDesign(); // not the default design in its place
    QCOMPARE(panel.status(), expected);
    QVERIFY(QDir(dir.path()).isEmpty());

    // A logic-cell budget below the smallest design: its message names the smallest.
    setTarget(panel, hw::Target::Kind::LogicCells, 1);
    QTRY_VERIFY(!panel.isEstimating());
    o = panel.estimates()->options();
    const QString cells = errorOf([&] { hw::chooseForTarget(g, o, eval::meanCyclesOn(samples)); });
    QVERIFY2(cells.contains(QStringLiteral("the smallest that fits takes about")),
             qPrintable(cells));
    QCOMPARE(panel.status(), cells);

    // No data set: nothing to measure the latency on, and Build refuses before it starts.
    pipeline.setData(nullptr);
    QTRY_VERIFY(!panel.isEstimating());
    QCOMPARE(panel.status(), errorOf([&] { hw::settle(g, o); }));
    QCOMPARE(messages.back().front().toString(), panel.status());
    QSignalSpy built(&panel, &FpgaPanel::buildFinished);
    panel.build();
    QCOMPARE(built.size(), 1);
    QCOMPARE(built.front().at(1).toString(),
             QStringLiteral("the target <= 1 logic cells needs a data set: the latency is "
                            "measured on its test samples"));
    QVERIFY(!panel.isBusy());
}

// The target is for Auto: disabled (and not used) with bits and lanes both fixed; remembered.
void TestFpgaPanel::targetOnlyWithAutoAndRemembered()
{
    {
        FpgaPanel panel;
        auto *target = panel.findChild<TargetControl *>();
        QVERIFY(target->isEnabled());
        QVERIFY(!panel.estimates()->options().target.isSet()); // none by default
        setTarget(panel, hw::Target::Kind::LogicCells, 2500);
        QCOMPARE(panel.estimates()->options().target.text(),
                 QStringLiteral("<= 2,500 logic cells"));
        panel.findChild<QSpinBox *>()->setValue(4); // fixed bits: the lanes are still Auto
        QVERIFY(target->isEnabled());
        QVERIFY(panel.estimates()->options().target.isSet());
        panel.findChildren<QComboBox *>().at(1)->setCurrentIndex(2); // 2 lanes: nothing to choose
        QVERIFY(!target->isEnabled());
        QVERIFY(!panel.estimates()->options().target.isSet());
        panel.findChildren<QComboBox *>().at(1)->setCurrentIndex(0); // Auto lanes again
        QVERIFY(target->isEnabled());
        QCOMPARE(panel.estimates()->options().target.text(),
                 QStringLiteral("<= 2,500 logic cells"));
        setTarget(panel, hw::Target::Kind::LatencyMs, 7.25); // each kind keeps its value
        setTarget(panel, hw::Target::Kind::LogicCells, 2500);
        panel.findChild<QComboBox *>(QStringLiteral("targetKind"))->setCurrentIndex(1);
        QCOMPARE(panel.estimates()->options().target.text(), QStringLiteral("latency <= 7.25 ms"));
    }
    FpgaPanel again;
    QCOMPARE(again.estimates()->options().target.text(), QStringLiteral("latency <= 7.25 ms"));
    again.findChild<QComboBox *>(QStringLiteral("targetKind"))->setCurrentIndex(2);
    QCOMPARE(again.estimates()->options().target.text(), QStringLiteral("<= 2,500 logic cells"));
}

// Synthesise and Build export the design the target chooses (the log's "Auto:" line is the
// chooser's reason on the pipeline's samples); both are stopped once yosys runs.
void TestFpgaPanel::synthesiseAndBuildUseTheTarget()
{
    if (QStandardPaths::findExecutable(QStringLiteral("yosys")).isEmpty())
        QFAIL("yosys is not installed");
    QTemporaryDir dir;
    const Graph g = smallGraph({16, 24, 4});
    const RowMatrixXf samples = test::uniformSamples(40, 16, 5);
    flow::Pipeline pipeline;
    pipeline.setData(splitOf(samples));
    FpgaPanel panel(&pipeline);
    panel.setModel(dir.filePath(QStringLiteral("net.h5")), QStringLiteral("net.h5"));
    panel.setOriginalGraph(g);
    setTarget(panel, hw::Target::Kind::LogicCells, 5000);
    QTRY_VERIFY(!panel.isEstimating());
    const hw::Configuration c =
        hw::chooseForTarget(g, panel.estimates()->options(), eval::meanCyclesOn(samples));
    QVERIFY(c.reason.contains(QStringLiteral("that meets <= 5,000 logic cells")));
    const QString line = QStringLiteral("Auto: %1\n").arg(c.reason);
    panel.synthesise();
    QTRY_VERIFY_WITH_TIMEOUT(panel.log().contains(QStringLiteral("== yosys")), 30000);
    QVERIFY2(panel.log().contains(line), qPrintable(panel.log()));
    panel.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 10000);

    panel.findChild<QPlainTextEdit *>()->clear();
    panel.build();
    QTRY_VERIFY_WITH_TIMEOUT(panel.log().count(QStringLiteral("== yosys")) == 1, 30000);
    QVERIFY2(panel.log().contains(line), qPrintable(panel.log()));
    panel.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 10000);
}

SNN_WIDGET_TEST_MAIN(TestFpgaPanel)
#include "tst_fpgapanel.moc"
