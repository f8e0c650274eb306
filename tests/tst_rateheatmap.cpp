#include "QCustomPlotInclude.h"
#include "RateHeatmap.h"
#include "TestUtils.h"
#include "graph/Example.h"
#include "opt/Optimizer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>

#include <cmath>

using namespace snn;
using namespace snn::widgets;
using snn::test::makeLayer;
using Side = RateHeatmap::Side;

class TestRateHeatmap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dataEqualsRatesAndMarksDeadNeurons();
    void layersWithoutRatesAreNotDrawn();
    void afterSideShowsTheOptimisedGraph();
    void fusedLayerStaysInItsRow();
    void hoverAndClick();
    void hundredThousandNeurons();
};

void TestRateHeatmap::dataEqualsRatesAndMarksDeadNeurons()
{
    const Graph g = exampleGraph();
    RateHeatmap map;
    map.setBefore(g);
    QCOMPARE(map.rowCount(Side::Before), 3);
    int dead = 0;
    for (int row = 0; row < g.layerCount(); ++row) {
        const Layer &l = g.layers()[std::size_t(row)];
        for (int n = 0; n < l.neurons(); ++n) {
            const auto cell = map.cell(Side::Before, row, n);
            QVERIFY(cell && cell->measured);
            QCOMPARE(cell->layer, l.id);
            QCOMPARE(cell->rate, l.rates(n));
            if (l.rates(n) == 0.0f) {
                ++dead;
                QVERIFY(cell->dead);
                QVERIFY(map.deadMark(Side::Before, row, n));
                QVERIFY(std::isnan(map.mapValue(Side::Before, row, n)));
            } else {
                QVERIFY(!map.deadMark(Side::Before, row, n));
                QCOMPARE(map.mapValue(Side::Before, row, n), double(l.rates(n)));
            }
        }
        // Beyond the layer's neurons: nothing drawn.
        if (l.neurons() < 256) {
            QVERIFY(!map.cell(Side::Before, row, l.neurons()));
            QVERIFY(std::isnan(map.mapValue(Side::Before, row, l.neurons())));
            QVERIFY(!map.deadMark(Side::Before, row, l.neurons()));
        }
    }
    QCOMPARE(dead, 30); // the example's dead hidden1 neurons
    // The example's rates are made up: the title says so, until measured rates replace them.
    QCOMPARE(map.title(Side::Before),
             QStringLiteral("Before optimisation (synthetic rates, not measured)"));
    QCOMPARE(map.title(Side::After), QStringLiteral("After optimisation"));
    Graph measured = g;
    for (const Layer &l : g.layers())
        measured.layer(l.id).ratesSource = QStringLiteral("measured: toy, test, 9 samples");
    map.setBefore(measured);
    QCOMPARE(map.title(Side::Before), QStringLiteral("Before optimisation"));
}

void TestRateHeatmap::layersWithoutRatesAreNotDrawn()
{
    Graph g(2);
    Layer a = makeLayer(QStringLiteral("a"), kNetworkInput, 3, 2);
    a.rates = snn::test::vec({0.0f, 0.5f, 0.25f});
    const LayerId ida = g.addLayer(a);
    g.addLayer(makeLayer(QStringLiteral("b"), ida, 2, 3)); // no rates
    RateHeatmap map;
    map.setBefore(g);
    QVERIFY(map.deadMark(Side::Before, 0, 0));
    QCOMPARE(map.mapValue(Side::Before, 0, 1), 0.5);
    for (int n = 0; n < 2; ++n) {
        QVERIFY(!map.cell(Side::Before, 1, n)->measured);
        QVERIFY(std::isnan(map.mapValue(Side::Before, 1, n))); // not drawn as zero
        QVERIFY(!map.deadMark(Side::Before, 1, n));            // and not as dead
    }
}

void TestRateHeatmap::afterSideShowsTheOptimisedGraph()
{
    // The example's 30 dead hidden1 neurons go; the same graph with 5 copies of neuron 40
    // planted at 50..54 merges them into 40.
    Graph g = exampleGraph();
    const Layer &h1 = g.layers()[0];
    for (int n = 50; n < 55; ++n) {
        g.layer(h1.id).weights.row(n) = h1.weights.row(40);
        if (h1.hasBias())
            g.layer(h1.id).bias(n) = h1.bias(40);
    }
    RateHeatmap map;
    map.setBefore(g);
    QCOMPARE(map.rowCount(Side::After), 0);
    auto result = std::make_shared<const OptimizeResult>(
        optimize(g, {passes::kDeadNeuronElimination, passes::kRedundancyElimination}));
    QCOMPARE(result->graph.layers()[0].neurons(), 256 - 30 - 5);
    map.setAfter(result);
    QCOMPARE(map.rowCount(Side::After), 3);
    // On the neuron axis before: the removed neurons 0..29 in grey at their old place, the
    // merged 50..54 in pink pointing to 40, the kept ones with their rate.
    for (int n = 0; n < 256; ++n) {
        const auto cell = map.cell(Side::After, 0, n);
        QVERIFY(cell);
        if (n < 30) {
            QCOMPARE(cell->fate, (NeuronFate{NeuronFate::Removed, -1}));
            QCOMPARE(map.goneMark(0, n), 0.0);
            QVERIFY(std::isnan(map.mapValue(Side::After, 0, n)));
            QVERIFY(!map.deadMark(Side::After, 0, n));
        } else if (n >= 50 && n < 55) {
            QCOMPARE(cell->fate, (NeuronFate{NeuronFate::Merged, 40}));
            QCOMPARE(map.goneMark(0, n), 1.0);
            QVERIFY(std::isnan(map.mapValue(Side::After, 0, n)));
        } else {
            const int now = n < 50 ? n - 30 : n - 35;
            QCOMPARE(cell->fate, (NeuronFate{NeuronFate::Kept, now}));
            QVERIFY(std::isnan(map.goneMark(0, n)));
            QCOMPARE(map.mapValue(Side::After, 0, n), double(g.layers()[0].rates(n)));
            QCOMPARE(cell->rate, result->graph.layers()[0].rates(now));
        }
    }
    QVERIFY(!map.cell(Side::After, 0, 256));
    QVERIFY(std::isnan(map.goneMark(1, 0))); // hidden2 unchanged
    // Both sides on one neuron axis: the before side's 256 columns.
    for (QCPAxisRect *rect : map.plot()->axisRects())
        QCOMPARE(rect->axis(QCPAxis::atBottom)->range(), QCPRange(-0.5, 255.5));

    // Hovering a merged neuron draws the arrow to its keeper; the tooltips say what happened.
    map.resize(1000, 300);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.replotNow();
    QVERIFY(!map.keeperArrow()->visible());
    const QPoint merged = map.pixelOf(Side::After, 0, 52);
    QTest::mouseMove(map.plotWidget(), map.plotWidget()->mapFrom(&map, merged));
    QTRY_VERIFY(map.keeperArrow()->visible());
    QCOMPARE(map.keeperArrow()->start->coords(), QPointF(52, 0));
    QCOMPARE(map.keeperArrow()->end->coords(), QPointF(40, 0));
    QCOMPARE(map.toolTipAt(merged),
             QStringLiteral("hidden1, neuron 52: merged into neuron 40 (its outgoing weights "
                            "added there)"));
    QCOMPARE(map.toolTipAt(map.pixelOf(Side::After, 0, 3)),
             QStringLiteral("hidden1, neuron 3: removed by dead-neuron elimination"));
    QCOMPARE(map.toolTipAt(map.pixelOf(Side::After, 0, 60)),
             QStringLiteral("hidden1, neuron 60 (now 25): %1 spikes per step")
                 .arg(double(g.layers()[0].rates(60)), 0, 'f', 4));
    const QPoint kept = map.pixelOf(Side::After, 0, 60);
    QTest::mouseMove(map.plotWidget(), map.plotWidget()->mapFrom(&map, kept));
    QTRY_VERIFY(!map.keeperArrow()->visible());

    map.setAfter(nullptr);
    QCOMPARE(map.rowCount(Side::After), 0);
}

void TestRateHeatmap::fusedLayerStaysInItsRow()
{
    // L (linear) fuses into C: L's row stays on the after side, every neuron marked fused.
    Graph g(3);
    Layer l = makeLayer(QStringLiteral("L"), kNetworkInput, 2, 3, {1, 2, 0, 0, 1, -1});
    l.neuron.spiking = false;
    const LayerId lid = g.addLayer(l);
    Layer c = makeLayer(QStringLiteral("C"), lid, 2, 2, {1, 1, 2, -1});
    c.rates = snn::test::vec({0.5f, 0.25f});
    const LayerId cid = g.addLayer(c);
    g.addLayer(makeLayer(QStringLiteral("out"), cid, 1, 2, {1, 1}));
    RateHeatmap map;
    map.setBefore(g);
    map.setAfter(std::make_shared<const OptimizeResult>(optimize(g, {passes::kLayerFusion})));
    QCOMPARE(map.rowCount(Side::After), 3);
    for (int n = 0; n < 2; ++n) {
        QCOMPARE(map.cell(Side::After, 0, n)->fate, (NeuronFate{NeuronFate::Fused, -1}));
        QCOMPARE(map.cell(Side::After, 0, n)->fusedInto, QStringLiteral("L+C"));
        QCOMPARE(map.goneMark(0, n), 0.0);
    }
    // C keeps its neurons and rates under the fused layer's name.
    QCOMPARE(map.cell(Side::After, 1, 1)->layerName, QStringLiteral("L+C"));
    QCOMPARE(map.mapValue(Side::After, 1, 1), 0.25);
    QVERIFY(std::isnan(map.goneMark(1, 1)));
}

void TestRateHeatmap::hoverAndClick()
{
    const Graph g = exampleGraph();
    RateHeatmap map;
    map.resize(1000, 300);
    map.setBefore(g);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.replotNow();
    const Layer &h1 = g.layers()[0];
    const QPoint live = map.pixelOf(Side::Before, 0, 100);
    QCOMPARE(map.cellAtPixel(live)->neuron, 100);
    QCOMPARE(map.toolTipAt(live), QStringLiteral("hidden1, neuron 100: %1 spikes per step")
                                      .arg(double(h1.rates(100)), 0, 'f', 4));
    QCOMPARE(map.toolTipAt(map.pixelOf(Side::Before, 0, 3)),
             QStringLiteral("hidden1, neuron 3: dead (never fired)"));
    QSignalSpy clicked(&map, &RateHeatmap::layerClicked);
    const QPoint output = map.pixelOf(Side::Before, 2, 5);
    QTest::mouseClick(map.plotWidget(), Qt::LeftButton, Qt::NoModifier,
                      map.plotWidget()->mapFrom(&map, output));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).value<LayerId>(), g.layers()[2].id);
}

void TestRateHeatmap::hundredThousandNeurons()
{
    Graph g(8);
    Layer big = makeLayer(QStringLiteral("big"), kNetworkInput, 100000, 8);
    big.rates = Eigen::VectorXf::LinSpaced(100000, 0.0f, 0.5f);
    g.addLayer(big);
    RateHeatmap map;
    map.resize(1000, 300);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    QElapsedTimer timer;
    timer.start();
    map.setBefore(g);
    const qint64 setMs = timer.elapsed();
    map.replotNow();
    const qint64 ms = timer.elapsed();
    qInfo("100k neurons: set in %lld ms, set and replot in %lld ms", setMs, ms);
    timer.restart();
    map.replotNow();
    qInfo("100k neurons: replot again in %lld ms", timer.elapsed());
    QVERIFY2(ms < 2000, qPrintable(QString::number(ms)));
    QVERIFY(map.deadMark(Side::Before, 0, 0));
    QCOMPARE(map.mapValue(Side::Before, 0, 99999), 0.5);
    QCOMPARE(map.mapValue(Side::Before, 0, 51234), double(big.rates(51234)));
    // The layer wraps onto rows of kMaxColumns; hover finds the right neuron.
    const QPoint pixel = map.pixelOf(Side::Before, 0, 51234);
    QCOMPARE(map.cellAtPixel(pixel)->neuron, 51234);
}

SNN_WIDGET_TEST_MAIN(TestRateHeatmap)
#include "tst_rateheatmap.moc"
