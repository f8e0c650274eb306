#include "Example.h"
#include "QCustomPlotInclude.h"
#include "RateHeatmap.h"
#include "TestUtils.h"

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
    const Graph g = exampleGraph();
    RateHeatmap map;
    map.setBefore(g);
    QCOMPARE(map.rowCount(Side::After), 0);
    auto after = std::make_shared<Graph>(g);
    std::vector<int> dead(30);
    for (int i = 0; i < 30; ++i)
        dead[std::size_t(i)] = i;
    after->layer(g.layers()[0].id).removeNeurons(dead);
    after->layer(g.layers()[1].id).removeInputs(dead);
    map.setAfter(after);
    QCOMPARE(map.rowCount(Side::After), 3);
    QVERIFY(!map.cell(Side::After, 0, 226));
    QCOMPARE(map.cell(Side::After, 0, 0)->rate, g.layers()[0].rates(30));
    QVERIFY(!map.deadMark(Side::After, 0, 0));
    // Both sides on one neuron axis: the before side's 256 columns.
    for (QCPAxisRect *rect : map.plot()->axisRects())
        QCOMPARE(rect->axis(QCPAxis::atBottom)->range(), QCPRange(-0.5, 255.5));
    map.setAfter(nullptr);
    QCOMPARE(map.rowCount(Side::After), 0);
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
