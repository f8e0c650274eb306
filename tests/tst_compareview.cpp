#include "CompareView.h"
#include "ComparisonModel.h"
#include "PlotExport.h"
#include "PlotTestUtils.h"
#include "QCustomPlotInclude.h"
#include "RateHeatmap.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "base/Names.h"
#include "graph/Example.h"
#include "hw/Boards.h"
#include "hw/ResourceEstimator.h"

#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::widgets;

class TestCompareView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void barsFollowEachPass();
    void everyRowInView();
    void barsReadableBesideTheTable();
    void exportsPlotsAndTheReport();

private:
    Graph m_before;
    std::shared_ptr<const OptimizeResult> m_result;
    hw::ExportOptions m_hardware;
    QTemporaryDir m_dir;
};

void TestCompareView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_before = exampleGraph();
    m_result = std::make_shared<const OptimizeResult>(optimize(m_before, availablePasses()));
    m_hardware.quant.weightBits = 4;
}

// One bar per stage: the report's figures, and the estimate of the graph after each pass.
void TestCompareView::barsFollowEachPass()
{
    ComparisonModel model;
    CompareView view(&model, nullptr);
    QSignalSpy estimated(&view, &CompareView::estimatesFinished);
    view.setResult(m_before, m_result, {}, m_hardware);
    const Report &report = m_result->report;
    QCOMPARE(view.stages().size(), report.passReports.size() + 1);
    QCOMPARE(view.stages().front().params, double(m_before.totalParams()));
    for (std::size_t i = 0; i < report.passReports.size(); ++i) {
        QCOMPARE(view.stages()[i + 1].params, double(report.passReports[i].after.params));
        QCOMPARE(view.stages()[i + 1].neurons, double(report.passReports[i].after.neurons));
    }
    QVERIFY(estimated.wait(60000));
    const hw::Board &board = hw::board(m_hardware.board);
    auto cells = [&](const Graph &g) {
        return double(
            hw::checkFit(g, m_hardware.quant, m_hardware.lanes, board).estimate.logicCells);
    };
    QCOMPARE(view.stages().front().logicCells, std::optional(cells(m_before)));
    QCOMPARE(view.stages()[1].logicCells,
             std::optional(cells(optimize(m_before, {report.passes.front()}).graph)));
    QCOMPARE(view.stages().back().logicCells, std::optional(cells(m_result->graph)));

    // A newer result supersedes the estimates under way; no result clears the bars.
    view.setResult(m_before, nullptr, {}, m_hardware);
    QVERIFY(view.stages().empty());
    QVERIFY(!view.isEstimating());
}

void TestCompareView::everyRowInView()
{
    ComparisonModel model;
    model.setResult(m_before, m_result->graph, m_result->report);
    CompareView view(&model, nullptr);
    view.resize(900, 430); // the central area of a 1280x800 screen
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTableView *table = view.table();
    const int last = model.rowCount() - 1;
    QVERIFY(table->rowViewportPosition(last) + table->rowHeight(last) <=
            table->viewport()->height());
}

// At the size the Compare tab has in the window a 1280x800 screen opens (745x355, measured on
// scripts/screenshots.sh's picture) the whole table is in view, and beside it every label of the
// bars (the stage names, each bar's percentage, the legend, the axis) is readable: nothing
// clipped, nothing overlapping. The bars are percentages of the original, the tooltip the figures.
void TestCompareView::barsReadableBesideTheTable()
{
    ComparisonModel model;
    model.setResult(m_before, m_result->graph, m_result->report);
    CompareView view(&model, nullptr);
    view.resize(745, 355);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy estimated(&view, &CompareView::estimatesFinished);
    view.setResult(m_before, m_result, {}, m_hardware);
    QVERIFY(estimated.wait(60000));
    QCOMPARE(view.sideTabs()->currentWidget(), view.passPlot());
    QTableView *table = view.table();
    const int last = model.rowCount() - 1;
    QTRY_VERIFY(table->rowViewportPosition(last) + table->rowHeight(last) <=
                table->viewport()->height());
    QCustomPlot *plot = view.passPlot();
    plot->replot();
    const QString problem = unreadableText(plot);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Three labelled bars per stage: parameters, neurons, estimated LC (no cycles without data).
    const std::size_t stages = view.stages().size();
    QCOMPARE(plot->itemCount(), int(3 * stages));
    QCOMPARE(plot->plottableCount(), 3);
    const Report &report = m_result->report;
    const double params = 100.0 * double(report.after.params) / double(report.before.params);
    auto label = [plot, stages](int series, std::size_t stage) {
        return qobject_cast<QCPItemText *>(plot->item(series * int(stages) + int(stage)))->text();
    };
    QCOMPARE(label(0, 0), QStringLiteral("100%"));
    QCOMPARE(label(0, stages - 1), QStringLiteral("%1%").arg(params, 0, 'f', 1));
    QCOMPARE(label(1, stages - 1),
             QStringLiteral("%1%").arg(
                 100.0 * double(report.after.neurons) / double(report.before.neurons), 0, 'f', 1));
    const double cells =
        100.0 * *view.stages().back().logicCells / *view.stages().front().logicCells;
    QCOMPARE(label(2, stages - 1),
             cells == 100.0 ? QStringLiteral("100%") : QStringLiteral("%1%").arg(cells, 0, 'f', 1));

    // The tooltip of the last stage's bars.
    QCPAxisRect *rect = plot->axisRect(0);
    const QPoint at(rect->center().x(),
                    int(rect->axis(QCPAxis::atLeft)->coordToPixel(double(stages - 1))));
    QCOMPARE(view.stageAt(at), int(stages - 1));
    QCOMPARE(view.stageAt(QPoint(0, 0)), -1);
    // Hovering shows the figures and how to export.
    QTest::mouseMove(plot, at);
    QTRY_COMPARE(plot->toolTip(),
                 view.stageToolTip(int(stages - 1)) +
                     QStringLiteral("\n\nRight-click to export the plot (PNG, SVG or PDF)"));
    const QLocale english(QLocale::English);
    QCOMPARE(
        view.stageToolTip(int(stages - 1)),
        QStringLiteral("After %1:\nParameters: %2 (%3%)\nNeurons: %4 (%5%)\nLC (est.): %6 (%7)\n"
                       "Cycles/inference: not measured (run with a data set)")
            .arg(view.stages().back().name, english.toString(report.after.params))
            .arg(params, 0, 'f', 1)
            .arg(english.toString(report.after.neurons))
            .arg(100.0 * double(report.after.neurons) / double(report.before.neurons), 0, 'f', 1)
            .arg(english.toString(qint64(*view.stages().back().logicCells)), label(2, stages - 1)));
}

void TestCompareView::exportsPlotsAndTheReport()
{
    ComparisonModel model;
    model.setResult(m_before, m_result->graph, m_result->report);
    RateHeatmap heatmap;
    heatmap.setBefore(m_before);
    CompareView view(&model, &heatmap);
    view.resize(900, 500);
    view.setResult(m_before, m_result, {}, m_hardware);

    const QString html = m_dir.filePath(QStringLiteral("comparison.html"));
    view.exportReport(html);
    QFile file(html);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.contains(QStringLiteral("<img src=\"comparison-passes.png\"")));
    QVERIFY(text.contains(QStringLiteral("<img src=\"comparison-rates.png\"")));
    QVERIFY(text.contains(QStringLiteral("<td>Parameters</td><td class=\"n\">%1</td>")
                              .arg(model.index(0, 1).data().toString())));
    QVERIFY(text.contains(m_result->report.summary().toHtmlEscaped()));
    QVERIFY(QImage(m_dir.filePath(QStringLiteral("comparison-passes.png"))).width() > 0);
    QVERIFY(QImage(m_dir.filePath(QStringLiteral("comparison-rates.png"))).width() > 0);
    QVERIFY(text.contains(QStringLiteral("<td>SPRAM blocks (256 kbit), estimated</td>")));
    QVERIFY(text.contains(QStringLiteral("<td>SPRAM blocks (256 kbit), synthesised</td>")));

    // The same as Markdown: the table (every row, escaped), the images, the report fenced.
    const QString md = m_dir.filePath(QStringLiteral("comparison.md"));
    view.exportReport(md);
    QFile mdFile(md);
    QVERIFY(mdFile.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(mdFile.readAll()).split(QLatin1Char('\n'));
    QCOMPARE(lines[0], QStringLiteral("# Comparison"));
    QCOMPARE(lines[2], QStringLiteral("| Metric | Before | After | Change |"));
    QCOMPARE(lines[3], QStringLiteral("| --- | ---: | ---: | ---: |"));
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < model.columnCount(); ++c)
            cells << markdownEscaped(model.index(r, c).data().toString());
        QCOMPARE(lines[4 + r], QStringLiteral("| %1 |").arg(cells.join(QStringLiteral(" | "))));
    }
    QCOMPARE(lines[4 + ComparisonModel::rowOf(ComparisonModel::Metric::EstimatedSpram)],
             QStringLiteral("| SPRAM blocks \\(256 kbit\\)\\, estimated | \\- | \\- | \\- |"));
    QVERIFY(lines.contains(QStringLiteral("![After each pass](<comparison-passes.png>)")));
    QVERIFY(lines.contains(QStringLiteral("![Firing rates](<comparison-rates.png>)")));
    const QString mdText = lines.join(QLatin1Char('\n'));
    QVERIFY(mdText.contains(
        QStringLiteral("## Report\n\n```\n%1\n```\n").arg(m_result->report.summary())));

    const QString pdf = m_dir.filePath(QStringLiteral("passes.pdf"));
    savePlot(view.passPlot(), pdf);
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QCOMPARE(pdfFile.read(5), QByteArray("%PDF-"));
    const QString svg = m_dir.filePath(QStringLiteral("passes.svg"));
    savePlot(view.passPlot(), svg);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.startsWith("<?xml"));
    QVERIFY(svgText.contains("<svg"));
    try {
        savePlot(view.passPlot(), m_dir.filePath(QStringLiteral("passes.gif")));
        QFAIL("a GIF export was not refused");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("cannot export a plot as '%1': use .png, .svg or .pdf")
                                  .arg(m_dir.filePath(QStringLiteral("passes.gif"))));
    }
    try {
        view.setResult(m_before, nullptr, {}, m_hardware);
        view.exportReport(html);
        QFAIL("an export without a result was not refused");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("no comparison to export: run the passes first"));
    }
}

SNN_WIDGET_TEST_MAIN(TestCompareView)
#include "tst_compareview.moc"
