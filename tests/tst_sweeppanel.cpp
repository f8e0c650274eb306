#include "Document.h"
#include "PlotTestUtils.h"
#include "QCustomPlotInclude.h"
#include "SweepPanel.h"
#include "TestUtils.h"
#include "hw/Boards.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTableWidget>

using namespace snn;
using namespace snn::widgets;

namespace {

// input(8) -> hidden(12) -> out(3) with hidden's rates 0, 0.01, ..., 0.11 (one neuron per
// step of 0.01): a dead threshold t removes the neurons at or below it.
Graph steppedRates()
{
    Graph g = test::randomChain(11, {8, 12, 3}, 1.0, 0.2);
    Layer &hidden = g.layer(g.layers().front().id);
    hidden.rates.resize(12);
    for (int i = 0; i < 12; ++i)
        hidden.rates(i) = 0.01f * float(i);
    return g;
}

std::shared_ptr<ValidationSet> randomSet()
{
    auto set = std::make_shared<ValidationSet>();
    Rng rng(3);
    set->data.name = QStringLiteral("random");
    set->data.x = RowMatrixXf(40, 8);
    for (int r = 0; r < 40; ++r) {
        for (int c = 0; c < 8; ++c)
            set->data.x(r, c) = float(rng.uniform());
        set->data.y.push_back(r % 3);
    }
    set->simulation.steps = 8;
    return set;
}

SweepOptions baseOptions()
{
    SweepOptions o;
    o.passes = {passes::kDeadNeuronElimination};
    o.optimize.validation = randomSet();
    o.quant.weightBits = 4;
    o.lanes = 2;
    return o;
}

// A panel on a document holding steppedRates(), sweeping with baseOptions().
struct Fixture {
    Document doc;
    SweepPanel panel;
    Fixture()
    {
        doc.reset(steppedRates());
        panel.setDocument(&doc);
        panel.setOptionsSource(baseOptions);
    }
};

// Runs the panel's sweep and waits for its result.
bool runAndWait(SweepPanel &panel)
{
    panel.run();
    if (!panel.isRunning())
        return false;
    QSignalSpy message(&panel, &SweepPanel::message);
    return message.wait(30000) && panel.result().has_value();
}

// Shows the panel at `size` and sweeps `values` in it.
bool showAndRun(SweepPanel &panel, const QString &values, QSize size)
{
    panel.setValuesText(values);
    panel.resize(size);
    panel.show();
    return QTest::qWaitForWindowExposed(&panel) && runAndWait(panel);
}

} // namespace

class TestSweepPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runEqualsTheCoreSweep();
    void clickingAPointPicksItsValue();
    void labelsStayReadable();
    void cancelDropsTheRun();
    void badValuesGiveOneLine();
    void anEditDropsTheResultARenameKeepsIt();
};

void TestSweepPanel::runEqualsTheCoreSweep()
{
    Fixture fixture;
    SweepPanel &panel = fixture.panel;
    const Graph g = steppedRates();
    panel.setValuesText(QStringLiteral("0.05, 0, 0.1"));
    QVERIFY(runAndWait(panel));

    SweepOptions o = baseOptions();
    o.values = {0.05, 0.0, 0.1};
    const SweepResult expected = sweep(g, o);
    QCOMPARE(QJsonDocument(panel.result()->toJson()).toJson(),
             QJsonDocument(expected.toJson()).toJson());
    QCOMPARE(expected.points[0].figures.size.neurons, 12 + 3 - 6); // rates 0 ... 0.05 removed
    QVERIFY(expected.before.accuracy.has_value());

    // The plots: one point per value, in the order given, at (parameters or logic cells,
    // accuracy in percent); the input graph as its own point.
    const auto *byParams = static_cast<QCPCurve *>(panel.parametersPlot()->plottable(0));
    const auto *byCells = static_cast<QCPCurve *>(panel.hardwarePlot()->plottable(0));
    QCOMPARE(byParams->dataCount(), 3);
    QCOMPARE(byCells->dataCount(), 3);
    for (int i = 0; i < 3; ++i) {
        const SweepFigures &f = expected.points[std::size_t(i)].figures;
        QCOMPARE(byParams->data()->at(i)->t, double(i));
        QCOMPARE(byParams->data()->at(i)->key, double(f.size.params));
        QCOMPARE(byParams->data()->at(i)->value, 100.0 * *f.accuracy);
        QCOMPARE(byCells->data()->at(i)->key, double(f.hardware->fit.estimate.logicCells));
    }
    QCOMPARE(panel.parametersPlot()->graph(0)->data()->at(0)->key,
             double(expected.before.size.params));
    QCOMPARE(panel.parametersPlot()->yAxis->label(), QStringLiteral("Accuracy (%)"));

    // The table: the input graph, then the points.
    const auto *table = panel.findChild<QTableWidget *>();
    QCOMPARE(table->rowCount(), 4);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("input graph"));
    QCOMPARE(table->item(1, 0)->text(), QStringLiteral("0.05"));
    QCOMPARE(table->item(1, 2)->text(), QStringLiteral("9"));
    QCOMPARE(table->item(1, 5)->text(),
             QStringLiteral("%1%").arg(100.0 * *expected.points[0].figures.accuracy, 0, 'f', 2));
}

void TestSweepPanel::clickingAPointPicksItsValue()
{
    Fixture fixture;
    SweepPanel &panel = fixture.panel;
    QVERIFY(showAndRun(panel, QStringLiteral("0, 0.05, 0.1"), {1400, 500}));
    QCustomPlot *plot = panel.parametersPlot();
    plot->replot();
    QSignalSpy picked(&panel, &SweepPanel::pointPicked);
    // A click on the second value's point (parameters differ at each value, so no overlap).
    const auto *points = static_cast<QCPCurve *>(plot->plottable(0));
    const QCPCurveData &second = *points->data()->at(1);
    const QPoint at(int(plot->xAxis->coordToPixel(second.key)),
                    int(plot->yAxis->coordToPixel(second.value)));
    QTest::mouseClick(plot, Qt::LeftButton, {}, at);
    QCOMPARE(picked.size(), 1);
    QVERIFY(picked.front().at(0).value<SweepParameter>() == SweepParameter::DeadThreshold);
    QCOMPARE(picked.front().at(1).toDouble(), 0.05);
    // The picked point is ringed in both plots, and its row selected.
    QCOMPARE(plot->graph(1)->data()->at(0)->key, second.key);
    QCOMPARE(panel.hardwarePlot()->graph(1)->dataCount(), 1);
    QCOMPARE(panel.findChild<QTableWidget *>()->currentRow(), 2);
    QCOMPARE(panel.status(), QStringLiteral("Picked dead-threshold = 0.05: the Optimisation "
                                            "panel takes it."));
}

// The Sweep tab's size at 1280x800 (the plots about 360 x 150 each); six of the values remove the
// same neurons (only the rate-0 one), so their points coincide: labels around that point where
// they fit, none overlapping, the rest hidden; the logic-cell axis ticks whole numbers.
void TestSweepPanel::labelsStayReadable()
{
    Fixture fixture;
    SweepPanel &panel = fixture.panel;
    QVERIFY(showAndRun(panel, QStringLiteral("0, 0.001, 0.002, 0.003, 0.004, 0.005, 0.05, 0.1"),
                       {730, 380}));
    for (QCustomPlot *plot : {panel.parametersPlot(), panel.hardwarePlot()}) {
        plot->replot();
        QCOMPARE(unreadableText(plot), QString());
        // Each distinct point keeps the label of its first value; coinciding ones do not all fit.
        QStringList shown;
        for (int i = 0; i < plot->itemCount(); ++i)
            if (plot->item(i)->visible())
                shown << static_cast<QCPItemText *>(plot->item(i))->text();
        QCOMPARE(plot->itemCount(), 8);
        QVERIFY2(shown.size() < 8, qPrintable(shown.join(QLatin1Char(' '))));
        for (const char *first : {"0", "0.05", "0.1"})
            QVERIFY2(shown.contains(QLatin1String(first)),
                     qPrintable(shown.join(QLatin1Char(' '))));
    }
    for (double tick : panel.hardwarePlot()->xAxis->tickVector())
        QCOMPARE(tick, std::round(tick));
}

void TestSweepPanel::cancelDropsTheRun()
{
    Fixture fixture;
    SweepPanel &panel = fixture.panel;
    QStringList values;
    for (int i = 0; i < 200; ++i)
        values << QString::number(0.0005 * i);
    panel.setValuesText(values.join(QLatin1Char(',')));
    QSignalSpy message(&panel, &SweepPanel::message);
    panel.run();
    QVERIFY(panel.isRunning());
    panel.cancel();
    QVERIFY(!panel.isRunning());
    QCOMPARE(panel.status(), QStringLiteral("Cancelled."));
    QTest::qWait(300);
    QVERIFY(!panel.result());
    QCOMPARE(message.size(), 0);
}

void TestSweepPanel::badValuesGiveOneLine()
{
    Fixture fixture;
    SweepPanel &panel = fixture.panel;
    panel.setValuesText(QStringLiteral("0,x"));
    panel.run();
    QVERIFY(!panel.isRunning());
    QCOMPARE(panel.status(), QStringLiteral("Values takes comma-separated numbers, not 'x'"));
    // Out of range: the core's check, through the job.
    panel.setValuesText(QStringLiteral("2"));
    QSignalSpy message(&panel, &SweepPanel::message);
    panel.run();
    QVERIFY(message.wait(10000));
    QCOMPARE(panel.status(),
             QStringLiteral("Sweep failed: the dead threshold must be in [0, 1], not 2"));
    QVERIFY(!panel.result());
}

void TestSweepPanel::anEditDropsTheResultARenameKeepsIt()
{
    Fixture fixture;
    SweepPanel &panel = fixture.panel;
    panel.setValuesText(QStringLiteral("0"));
    QVERIFY(runAndWait(panel));
    Document &doc = fixture.doc;
    const LayerId hidden = doc.graph().layers().front().id;
    QVERIFY(doc.renameLayer(hidden, QStringLiteral("renamed")));
    QVERIFY(panel.result());
    QVERIFY(doc.resizeLayer(hidden, 10));
    QVERIFY(!panel.result());
    QCOMPARE(panel.status(), QStringLiteral("The graph changed: run the sweep again."));
    QCOMPARE(static_cast<QCPCurve *>(panel.parametersPlot()->plottable(0))->dataCount(), 0);
}

SNN_WIDGET_TEST_MAIN(TestSweepPanel)
#include "tst_sweeppanel.moc"
