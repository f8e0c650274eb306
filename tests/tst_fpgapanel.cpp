#include "FpgaPanel.h"
#include "Rng.h"
#include "TestUtils.h"
#include "hw/Boards.h"
#include "hw/ResourceEstimator.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::widgets;

namespace {

Graph smallGraph(const std::vector<int> &sizes)
{
    return test::randomChain(5, sizes, 1.0, 0.2);
}

QString cell(const FpgaPanel &panel, int row, int column)
{
    return panel.findChild<QTableWidget *>()->item(row, column)->text();
}

} // namespace

class TestFpgaPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void estimateUpdatesWithTheSettings();
    void estimatesArriveOffTheGuiThreadNewestWins();
    void exportWritesTheFolder();
    void verifyPassesOffTheGuiThread();
    void stopDuringSynthesisIsNotAFailure();
    void nothingBuiltIsNotSuccess();
};

void TestFpgaPanel::estimateUpdatesWithTheSettings()
{
    FpgaPanel panel;
    const auto combos = panel.findChildren<QComboBox *>();
    QCOMPARE(combos.front()->count(), 4);
    // 64 x 128 x 8 bits: too many EBR blocks for the iCEstick at 8 bits, fine at 4.
    panel.setOriginalGraph(smallGraph({64, 128, 4}));
    combos.front()->setCurrentIndex(0); // iCEstick
    combos.at(1)->setCurrentIndex(0);   // 1 lane: the HX1K's 1280 logic cells
    QTRY_VERIFY(!panel.isEstimating());
    QCOMPARE(cell(panel, 5, 0), QStringLiteral("does not fit"));
    const int ebr8 = cell(panel, 1, 0).toInt();
    panel.findChild<QSpinBox *>()->setValue(4);
    QTRY_VERIFY(!panel.isEstimating());
    QCOMPARE(cell(panel, 5, 0), QStringLiteral("fits"));
    QVERIFY(cell(panel, 1, 0).toInt() < ebr8);
    QCOMPARE(panel.exportOptions().quant.weightBits, 4);
    QCOMPARE(panel.exportOptions().board, QStringLiteral("icestick"));
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
        QSKIP("iverilog is not installed");
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
        QSKIP("yosys is not installed");
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
    QSignalSpy synthesised(&panel, &FpgaPanel::synthesisFinished);
    panel.synthesise();
    QTRY_VERIFY(!panel.isBusy());
    QCOMPARE(synthesised.size(), 0);
    QVERIFY2(panel.log().contains(QStringLiteral(
                 "Nothing was built: the original graph was not built (does not fit the iCEstick")),
             qPrintable(panel.log()));
    QVERIFY(!panel.log().contains(QStringLiteral("Synthesis finished")));
}

SNN_WIDGET_TEST_MAIN(TestFpgaPanel)
#include "tst_fpgapanel.moc"
