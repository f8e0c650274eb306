#include "ComparisonModel.h"
#include "TestUtils.h"
#include "graph/Example.h"
#include "opt/Optimizer.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBrush>

using namespace snn;
using namespace snn::widgets;

namespace {

using Metric = ComparisonModel::Metric;

QString cell(const ComparisonModel &m, Metric metric, int column)
{
    return m.index(ComparisonModel::rowOf(metric), column).data().toString();
}

QString layerCell(const ComparisonModel &m, const Graph &g, const QString &layer, int column)
{
    return m.index(m.rowOfLayer(g.findByName(layer)->id), column).data().toString();
}

} // namespace

class TestComparisonModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void passesTheModelTester();
    void showsTheReportsNumbers();
    void pendingMetricsShowADashAndSayWhatFillsThem_data();
    void pendingMetricsShowADashAndSayWhatFillsThem();
    void measuredAccuracyFromTheReport();
    void metricsByEnumAndColumnsByName();
    void fusedLayersAreNamed();
    void textAndCsv();
};

void TestComparisonModel::passesTheModelTester()
{
    ComparisonModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const Graph g = exampleGraph();
    model.setBefore(g);
    const OptimizeResult r = optimize(g, availablePasses());
    model.setResult(g, r.graph, r.report);
    model.setMetric(Metric::SynthesisedLogicCells, 10.0, 8.0);
    model.addColumn(QStringLiteral("UP5K"), QStringLiteral("filled by the FPGA tab"));
    model.setExtra(Metric::EstimatedLogicCells, QStringLiteral("UP5K"), QStringLiteral("fits"));
    model.clearResult();
    model.setBefore(Graph(4));
    QCOMPARE(model.columnCount(), 5);
}

void TestComparisonModel::showsTheReportsNumbers()
{
    ComparisonModel model;
    const Graph g = exampleGraph();
    model.setBefore(g);
    QVERIFY(!model.hasResult());
    QCOMPARE(cell(model, Metric::Parameters, ComparisonModel::BeforeColumn),
             QStringLiteral("217,728"));
    QCOMPARE(cell(model, Metric::Parameters, ComparisonModel::AfterColumn), QStringLiteral("-"));
    const OptimizeResult r = optimize(g, availablePasses());
    model.setResult(g, r.graph, r.report);
    QVERIFY(model.hasResult());
    const QLocale en(QLocale::English);
    QCOMPARE(cell(model, Metric::Parameters, ComparisonModel::AfterColumn),
             en.toString(qint64(r.report.after.params)));
    QCOMPARE(cell(model, Metric::Neurons, ComparisonModel::BeforeColumn), QStringLiteral("330"));
    QCOMPARE(cell(model, Metric::Neurons, ComparisonModel::AfterColumn),
             en.toString(qint64(r.report.after.neurons)));
    QCOMPARE(cell(model, Metric::Layers, ComparisonModel::ChangeColumn), QStringLiteral("0"));
    QCOMPARE(cell(model, Metric::CompressionRatio, ComparisonModel::AfterColumn),
             QStringLiteral("%1x").arg(r.report.compressionRatio(), 0, 'f', 3));
    // hidden1 loses its 30 dead neurons.
    QCOMPARE(layerCell(model, g, QStringLiteral("hidden1"), ComparisonModel::MetricColumn),
             QStringLiteral("Neurons: hidden1"));
    QCOMPARE(layerCell(model, g, QStringLiteral("hidden1"), ComparisonModel::AfterColumn),
             QStringLiteral("226"));
    QCOMPARE(layerCell(model, g, QStringLiteral("hidden1"), ComparisonModel::ChangeColumn),
             QStringLiteral("-30 (-11.7%)"));
    // Changed cells are highlighted, unchanged ones not.
    const int h1 = model.rowOfLayer(g.findByName(QStringLiteral("hidden1"))->id);
    const int out = model.rowOfLayer(g.findByName(QStringLiteral("output"))->id);
    QVERIFY(model.index(h1, ComparisonModel::ChangeColumn).data(Qt::BackgroundRole).isValid());
    QVERIFY(!model.index(out, ComparisonModel::ChangeColumn).data(Qt::BackgroundRole).isValid());
    // Rows: 4 sizes, 5 hardware figures and 9 other metrics pending, 3 layers.
    QCOMPARE(model.rowCount(), 21);
    QCOMPARE(model.rowOfLayer(12345), -1);
}

void TestComparisonModel::pendingMetricsShowADashAndSayWhatFillsThem_data()
{
    QTest::addColumn<Metric>("metric");
    QTest::addColumn<QString>("filledBy");
    QTest::newRow("logic cells") << Metric::EstimatedLogicCells << "Deploy's resource estimate";
    QTest::newRow("ebr") << Metric::EstimatedEbr << "Deploy's resource estimate";
    QTest::newRow("spram") << Metric::EstimatedSpram << "256 Kbit SPRAM blocks, 0 when";
    QTest::newRow("accuracy") << Metric::Accuracy << "attach a data set";
    QTest::newRow("fpga input") << Metric::FpgaInputAccuracy << "Deploy's weight bits";
    QTest::newRow("fpga core") << Metric::FpgaCoreAccuracy << "Deploy's weight bits";
    QTest::newRow("synthesised logic cells") << Metric::SynthesisedLogicCells << "Synthesise";
    QTest::newRow("synthesised ebr") << Metric::SynthesisedEbr << "4 Kbit blocks";
    QTest::newRow("synthesised spram") << Metric::SynthesisedSpram << "256 Kbit SPRAM blocks";
}

void TestComparisonModel::pendingMetricsShowADashAndSayWhatFillsThem()
{
    QFETCH(Metric, metric);
    QFETCH(QString, filledBy);
    ComparisonModel model;
    const Graph g = exampleGraph();
    const OptimizeResult r = optimize(g, availablePasses());
    model.setResult(g, r.graph, r.report);
    const int row = ComparisonModel::rowOf(metric);
    QCOMPARE(model.index(row, ComparisonModel::MetricColumn).data().toString(),
             ComparisonModel::metricName(metric));
    for (int c : {ComparisonModel::BeforeColumn, ComparisonModel::AfterColumn,
                  ComparisonModel::ChangeColumn}) {
        QCOMPARE(model.index(row, c).data().toString(), QStringLiteral("-"));
        QVERIFY(model.index(row, c).data(Qt::ToolTipRole).toString().contains(filledBy));
    }
}

void TestComparisonModel::measuredAccuracyFromTheReport()
{
    ComparisonModel model;
    const Graph g = exampleGraph();
    OptimizeResult r = optimize(g, availablePasses());
    r.report.accuracy = AccuracyChange{0.865, 0.8649, 0.9973, 10000, QString()};
    model.setResult(g, r.graph, r.report);
    QCOMPARE(cell(model, Metric::Accuracy, ComparisonModel::BeforeColumn),
             QStringLiteral("86.50%"));
    QCOMPARE(cell(model, Metric::Accuracy, ComparisonModel::AfterColumn), QStringLiteral("86.49%"));
    // The FPGA core: the first measured width names the row; the tooltip says how.
    const QString how = QStringLiteral("the core's input generator (seed 0xace1), 16 steps, "
                                       "16-bit membrane");
    r.report.hardware = HardwareAccuracy{AccuracyChange{0.867, 0.866, 0.99, 10000, how},
                                         {{4, AccuracyChange{0.784, 0.7825, 0.98, 10000, how}}}};
    model.setResult(g, r.graph, r.report);
    QCOMPARE(cell(model, Metric::FpgaInputAccuracy, ComparisonModel::AfterColumn),
             QStringLiteral("86.60%"));
    QCOMPARE(cell(model, Metric::FpgaCoreAccuracy, ComparisonModel::MetricColumn),
             QStringLiteral("Accuracy, 4-bit FPGA core"));
    QCOMPARE(cell(model, Metric::FpgaCoreAccuracy, ComparisonModel::BeforeColumn),
             QStringLiteral("78.40%"));
    QCOMPARE(cell(model, Metric::FpgaCoreAccuracy, ComparisonModel::ChangeColumn),
             QStringLiteral("-0.15%"));
    QCOMPARE(
        model.index(ComparisonModel::rowOf(Metric::FpgaCoreAccuracy), ComparisonModel::AfterColumn)
            .data(Qt::ToolTipRole)
            .toString(),
        QStringLiteral("10000 samples; %1; predictions unchanged for 98.00%").arg(how));
    // A later run without data shows "not measured" again, never the old figures; when the
    // core could not be measured, the tooltip says why.
    r.report.accuracy.reset();
    r.report.hardware.reset();
    r.report.hardwareNotMeasured = QStringLiteral("layer l1 is not spiking");
    model.setResult(g, r.graph, r.report);
    for (Metric metric : {Metric::Accuracy, Metric::FpgaInputAccuracy, Metric::FpgaCoreAccuracy})
        for (int column : {ComparisonModel::BeforeColumn, ComparisonModel::AfterColumn})
            QCOMPARE(cell(model, metric, column), QStringLiteral("-"));
    QCOMPARE(cell(model, Metric::FpgaCoreAccuracy, ComparisonModel::MetricColumn),
             QStringLiteral("Accuracy, FPGA core"));
    QCOMPARE(
        model.index(ComparisonModel::rowOf(Metric::FpgaCoreAccuracy), ComparisonModel::BeforeColumn)
            .data(Qt::ToolTipRole)
            .toString(),
        QStringLiteral("Not measured: layer l1 is not spiking"));
}

void TestComparisonModel::metricsByEnumAndColumnsByName()
{
    ComparisonModel model;
    const Graph g = exampleGraph();
    model.setBefore(g);
    model.setMetric(Metric::Accuracy, 0.875, 0.8725);
    QCOMPARE(cell(model, Metric::Accuracy, ComparisonModel::BeforeColumn),
             QStringLiteral("87.50%"));
    QCOMPARE(cell(model, Metric::Accuracy, ComparisonModel::ChangeColumn),
             QStringLiteral("-0.25%"));
    QVERIFY(!model.index(ComparisonModel::rowOf(Metric::Accuracy), ComparisonModel::AfterColumn)
                 .data(Qt::ToolTipRole)
                 .isValid());
    // Every metric in its enum order, then the layers in the graph's order.
    for (int m = 0; m < int(Metric::Count); ++m)
        QCOMPARE(model.index(m, ComparisonModel::MetricColumn).data().toString(),
                 ComparisonModel::metricName(Metric(m)));
    QCOMPARE(model.rowOfLayer(g.layers().front().id), int(Metric::Count));
    QCOMPARE(model.index(int(Metric::Count), 0).data().toString(),
             QStringLiteral("Neurons: hidden1"));
    const int column = model.addColumn(QStringLiteral("iCE40 UP5K"), QStringLiteral("fit check"));
    QCOMPARE(column, ComparisonModel::FixedColumns);
    QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), QStringLiteral("iCE40 UP5K"));
    QCOMPARE(model.index(0, column).data().toString(), QStringLiteral("-"));
    QCOMPARE(model.index(0, column).data(Qt::ToolTipRole).toString(), QStringLiteral("fit check"));
    model.setExtra(Metric::Parameters, QStringLiteral("iCE40 UP5K"), QStringLiteral("fits"));
    QCOMPARE(model.index(0, column).data().toString(), QStringLiteral("fits"));
}

void TestComparisonModel::fusedLayersAreNamed()
{
    // hidden2 nearly never fires: layer fusion folds it into output.
    Graph g = exampleGraph();
    Layer &h2 = g.layer(g.findByName(QStringLiteral("hidden2"))->id);
    h2.rates.setConstant(0.005f);
    const OptimizeResult r = optimize(g, {passes::kLayerFusion});
    QCOMPARE(r.report.after.layers, 2);
    ComparisonModel model;
    model.setResult(g, r.graph, r.report);
    QCOMPARE(layerCell(model, g, QStringLiteral("hidden2"), ComparisonModel::AfterColumn),
             QStringLiteral("fused into %1").arg(r.graph.layers().back().name));
    QCOMPARE(layerCell(model, g, QStringLiteral("output"), ComparisonModel::AfterColumn),
             QStringLiteral("10"));
}

void TestComparisonModel::textAndCsv()
{
    ComparisonModel model;
    const Graph g = exampleGraph();
    const OptimizeResult r = optimize(g, {passes::kDeadNeuronElimination});
    model.setResult(g, r.graph, r.report);
    const QStringList csv = model.toCsv().split(QStringLiteral("\r\n"));
    QCOMPARE(csv.size(), model.rowCount() + 2); // header, rows, empty after the last CRLF
    QCOMPARE(csv[0], QStringLiteral("Metric,Before,After,Change"));
    // 30 dead neurons of hidden1 go: their 784 weights each and their 64 columns in hidden2.
    QCOMPARE(r.report.after.params, 217728 - 30 * 784 - 30 * 64);
    QCOMPARE(csv[1], QStringLiteral("Parameters,\"217,728\",\"192,288\",\"-25,440 (-11.7%)\""));
    QCOMPARE(csv[5], QStringLiteral("FPGA configuration,-,-,-"));
    QCOMPARE(csv[1 + ComparisonModel::rowOf(Metric::EstimatedLogicCells)],
             QStringLiteral("\"Logic cells (LC), estimated\",-,-,-"));
    // The SPRAM rows, estimated and synthesised, keyed by their metric.
    model.setMetric(Metric::EstimatedSpram, 0, 4);
    model.setMetric(Metric::SynthesisedSpram, 4, 4);
    const QStringList filled = model.toCsv().split(QStringLiteral("\r\n"));
    QCOMPARE(filled[1 + ComparisonModel::rowOf(Metric::EstimatedSpram)],
             QStringLiteral("\"SPRAM blocks (256 kbit), estimated\",0,4,+4"));
    QCOMPARE(filled[1 + ComparisonModel::rowOf(Metric::SynthesisedSpram)],
             QStringLiteral("\"SPRAM blocks (256 kbit), synthesised\",4,4,0"));
    const QStringList text = model.toText().split(QLatin1Char('\n'));
    QVERIFY(text[0].startsWith(QStringLiteral("Metric")));
    QVERIFY(text[1].startsWith(QStringLiteral("Parameters")));
    QVERIFY(text[1].endsWith(QStringLiteral("-25,440 (-11.7%)")));
    // Columns line up: every row is as wide as the header.
    QCOMPARE(text[1].size(), text[0].size());
}

SNN_WIDGET_TEST_MAIN(TestComparisonModel)
#include "tst_comparisonmodel.moc"
