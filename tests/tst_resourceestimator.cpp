#include "TestUtils.h"
#include "base/Error.h"
#include "graph/Example.h"
#include "hw/ResourceEstimator.h"

#include <cstdlib>

using namespace snn;
using namespace snn::hw;
using snn::test::makeLayer;

namespace {

Graph chain(const std::vector<int> &sizes)
{
    Graph g(sizes.front());
    LayerId source = kNetworkInput;
    for (std::size_t k = 1; k < sizes.size(); ++k) {
        Layer l = makeLayer(QStringLiteral("l%1").arg(k), source, sizes[k], sizes[k - 1]);
        l.weights.setConstant(0.1f);
        l.weights(0, 0) = 0.5f;
        source = g.addLayer(l);
    }
    return g;
}

Graph graphNamed(const QString &name)
{
    if (name == QLatin1String("example"))
        return exampleGraph();
    QStringList sizes = name.split(QLatin1Char('-'));
    std::vector<int> n;
    for (const QString &s : sizes)
        n.push_back(s.toInt());
    return chain(n);
}

// The oracle for chooseConfiguration: every setting through checkFit, from the most bits and
// lanes down, keeping the first that fits with no more lanes than the largest layer can use.
// {0, 0} when none fits.
std::pair<int, int> bruteForce(const Graph &g, const Board &b, int fixedBits, int fixedLanes)
{
    int largest = 0;
    for (const Layer &l : g.layers())
        largest = std::max(largest, int(l.weights.rows()));
    for (int bits = 8; bits >= 2; --bits)
        for (int lanes : {16, 8, 4, 2, 1}) {
            if ((fixedBits && bits != fixedBits) || (fixedLanes && lanes != fixedLanes))
                continue;
            if (!fixedLanes && lanes / 2 >= largest)
                continue; // half as many lanes would cover the largest layer as well
            QuantConfig c;
            c.weightBits = bits;
            try {
                if (checkFit(g, c, lanes, b).fits)
                    return {bits, lanes};
            } catch (const Error &) {
            }
        }
    return {0, 0};
}

} // namespace

class TestResourceEstimator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ebrBlocks_data();
    void ebrBlocks();
    void boardsAndPins();
    void smallNetworkFits();
    void exampleIsRefusedWithNumbersAndAHint();
    void exampleFitsTheSpramAtFourBits();
    void hx1kSuggestsABiggerBoard();
    void chooserPicksTheMostAccurateThatFits_data();
    void chooserPicksTheMostAccurateThatFits();
    void chooserSaysWhy();
    void chooserRefusesWithTheFitMessage();
};

void TestResourceEstimator::ebrBlocks_data()
{
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("writable");
    QTest::addColumn<int>("blocks");
    QTest::addColumn<int>("muxBits");
    QTest::newRow("256x16") << 256 << 16 << true << 1 << 0;
    QTest::newRow("512x8") << 512 << 8 << true << 1 << 0;
    QTest::newRow("6x32 (two 16-bit halves)") << 6 << 32 << true << 2 << 0;
    QTest::newRow("2048x2") << 2048 << 2 << false << 1 << 0;
    QTest::newRow("784x8") << 784 << 8 << true << 2 << 0;
    QTest::newRow("200704x16") << 200704 << 16 << false << 784 << 97 * 16;
    QTest::newRow("empty") << 0 << 8 << true << 0 << 0;
    // Weights of 64-48-32-10 at 4 lanes x 6 bits: five 256-word slices of 24 bits packed into
    // eight 256x16 blocks (nextpnr: 8), not 9 in whole 512x8 columns.
    QTest::newRow("1248x24 read-only") << 1248 << 24 << false << 8 << 4 * 24;
    // 256x16 (17 blocks, a 17-way multiplexer) costs yosys as much as 512x8 (18 blocks, 9-way):
    // the first tried, 512x8, is kept (nextpnr: 18).
    QTest::newRow("4288x16 read-only") << 4288 << 16 << false << 18 << 8 * 16;
}

void TestResourceEstimator::ebrBlocks()
{
    QFETCH(int, depth);
    QFETCH(int, width);
    QFETCH(bool, writable);
    QFETCH(int, blocks);
    QFETCH(int, muxBits);
    const EbrMapping m = ebrMapping(depth, width, writable);
    QCOMPARE(m.blocks, blocks);
    QCOMPARE(m.readMuxBits, muxBits);
}

void TestResourceEstimator::boardsAndPins()
{
    QCOMPARE(boardIds(), (QStringList{QStringLiteral("icestick"), QStringLiteral("icebreaker"),
                                      QStringLiteral("upduino3"), QStringLiteral("hx8k")}));
    const Board &b = board(QStringLiteral("iCEBreaker"));
    QCOMPARE(b.device, QStringLiteral("up5k"));
    QCOMPARE(b.ebrBlocks, 30);
    QVERIFY(b.pcf().contains("set_io clk 35\n"));
    QVERIFY(b.pcf().contains("set_io led[4] 21\n"));
    QCOMPARE(board(QStringLiteral("icestick")).ebrBits(), std::int64_t(65536));
    try {
        board(QStringLiteral("arty"));
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("unknown board 'arty' (known: icestick, icebreaker, "
                                             "upduino3, hx8k)"));
    }
}

void TestResourceEstimator::smallNetworkFits()
{
    const FitCheck f =
        checkFit(chain({16, 8, 4}), QuantConfig(), 1, board(QStringLiteral("icestick")));
    QVERIFY2(f.fits, qPrintable(f.message));
    // One lane: 16 x 8 groups + 8 x 4 groups = 160 words of 8 bits.
    QCOMPARE(f.estimate.weightBits, std::int64_t(160 * 8));
    QCOMPARE(f.estimate.weightEbrBlocks, 1);
    QVERIFY2(f.message.startsWith(QStringLiteral("fits the iCEstick: needs 1.3 Kbit of weights")),
             qPrintable(f.message));
}

void TestResourceEstimator::exampleIsRefusedWithNumbersAndAHint()
{
    const Graph g = exampleGraph();
    QuantConfig c;
    c.weightBits = 4;
    // In EBR alone the 784-256-64-10 example cannot fit the UP5K.
    const FitCheck ebr = checkFit(g, c, 4, board(QStringLiteral("icebreaker")), WeightMemory::Ebr);
    QVERIFY(!ebr.fits);
    QVERIFY(!ebr.spram);
    // 217,728 weights x 4 bits, plus the output layer's 10 neurons padded to 12 (3 groups of 4).
    QCOMPARE(ebr.estimate.weightBits, std::int64_t(784 * 256 + 256 * 64 + 64 * 12) * 4);
    QVERIFY2(ebr.message.contains(QStringLiteral("needs 851.0 Kbit of weights")),
             qPrintable(ebr.message));
    QVERIFY(ebr.message.contains(
        QStringLiteral("the iCEBreaker (UP5K) has 120 Kbit in 30 EBR blocks, 1024 Kbit of SPRAM")));
    QVERIFY(ebr.message.contains(QStringLiteral("a smaller network")));
}

void TestResourceEstimator::exampleFitsTheSpramAtFourBits()
{
    const Graph g = exampleGraph();
    QuantConfig c;
    c.weightBits = 4;
    const FitCheck f = checkFit(g, c, 4, board(QStringLiteral("icebreaker")));
    QVERIFY2(f.fits, qPrintable(f.message));
    QVERIFY(f.spram);
    QCOMPARE(f.estimate.weightWords, std::int64_t(784 * 64 + 256 * 16 + 64 * 3));
    QCOMPARE(f.estimate.spramBlocks, 4);
    QCOMPARE(f.estimate.weightEbrBlocks, 0);
    // yosys 0.23 + nextpnr 0.4 (docs/performance.md, example-spram, the block core): 2829 logic
    // cells, 13 EBR blocks.
    QVERIFY2(std::abs(f.estimate.logicCells - 2829) <= 226,
             qPrintable(QString::number(f.estimate.logicCells)));
    QCOMPARE(f.estimate.ebrBlocks, 13);
    QVERIFY(f.message.startsWith(QStringLiteral("fits the iCEBreaker with the weights in SPRAM")));
    // At 8 bits, 4 lanes make 32-bit words, 2 blocks wide and 4 banks deep: refused, with the
    // setting that fits as the hint.
    c.weightBits = 8;
    const FitCheck f8 = checkFit(g, c, 4, board(QStringLiteral("icebreaker")));
    QVERIFY(!f8.fits);
    QVERIFY2(f8.message.contains(QStringLiteral("it would fit with 4-bit weights and 4 lanes "
                                                "(weights in SPRAM)")),
             qPrintable(f8.message));
    // The UPduino 3 shares its flash pins (14, 15) with its UART: no SPRAM loader there.
    const FitCheck up = checkFit(g, c, 4, board(QStringLiteral("upduino3")));
    QVERIFY(!up.fits);
    QVERIFY2(up.message.contains(QStringLiteral("flash pins are shared with its UART")),
             qPrintable(up.message));
    // The iCEstick has no SPRAM.
    c.weightBits = 4;
    const FitCheck hx1k = checkFit(g, c, 4, board(QStringLiteral("icestick")), WeightMemory::Spram);
    QVERIFY(!hx1k.fits);
    QVERIFY2(hx1k.message.contains(QStringLiteral("(the iCEstick has no SPRAM)")),
             qPrintable(hx1k.message));
}

void TestResourceEstimator::hx1kSuggestsABiggerBoard()
{
    // 64 x 128 x 8 bits = 64 Kbit of weights: too much for the HX1K's 16 blocks, and the block
    // core's logic is over its 1280 cells at any setting (yosys 0.23 + nextpnr 0.4 on the HX8K,
    // 4-bit weights, 4 lanes: 2087 logic cells, 16 EBR blocks): the hint is a bigger board.
    const Graph g = chain({64, 128, 4});
    QuantConfig c;
    c.weightBits = 4;
    const ResourceEstimate e = estimateResources(quantize(g, c), 4);
    QVERIFY2(std::abs(e.logicCells - 2087) <= 167, qPrintable(QString::number(e.logicCells)));
    QCOMPARE(e.ebrBlocks, 16);
    c.weightBits = 8;
    const FitCheck f = checkFit(g, c, 4, board(QStringLiteral("icestick")));
    QVERIFY(!f.fits);
    QVERIFY2(f.message.contains(QStringLiteral("needs 68.0 Kbit of weights (18 EBR blocks")),
             qPrintable(f.message));
    QVERIFY2(f.message.contains(QStringLiteral("it would fit with a bigger board (iCEBreaker")),
             qPrintable(f.message));
}

void TestResourceEstimator::chooserPicksTheMostAccurateThatFits_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QString>("board");
    QTest::addColumn<int>("fixedBits");
    QTest::addColumn<int>("fixedLanes");
    QTest::addColumn<int>("bits");
    QTest::addColumn<int>("lanes");
    QTest::addColumn<bool>("spram");
    // 8 bits; 2 lanes need more than the HX1K's logic cells (the protocol takes about 260, the
    // block core's raster and lists about 300 more than the previous core's).
    QTest::newRow("small, iCEstick") << "16-8-4"
                                     << "icestick" << 0 << 0 << 8 << 1 << false;
    // On the UP5K 16 lanes are over its 5280 cells; 8 lanes x 8 bits make 64-bit words, 16 EBR
    // blocks wide: the weights go to SPRAM.
    QTest::newRow("64-128-4, iCEBreaker") << "64-128-4"
                                          << "icebreaker" << 0 << 0 << 8 << 8 << true;
    QTest::newRow("64-128-4, iCEBreaker, 4 lanes") << "64-128-4"
                                                   << "icebreaker" << 0 << 4 << 8 << 4 << false;
    QTest::newRow("64-128-4, iCEBreaker, 5 bits") << "64-128-4"
                                                  << "icebreaker" << 5 << 0 << 5 << 8 << false;
    // The 784-256-64-10 example (no bias): 4-bit weights in SPRAM at 8 lanes (32-bit words, 2
    // blocks side by side, 2 banks deep; 16 lanes are over the UP5K's logic cells); at 5 bits no
    // lane count fits the 4 blocks.
    QTest::newRow("example, iCEBreaker") << "example"
                                         << "icebreaker" << 0 << 0 << 4 << 8 << true;
    QTest::newRow("example, iCEBreaker, 3 bits") << "example"
                                                 << "icebreaker" << 3 << 0 << 3 << 8 << true;
    QTest::newRow("example, iCEBreaker, 8 lanes") << "example"
                                                  << "icebreaker" << 0 << 8 << 4 << 8 << true;
}

void TestResourceEstimator::chooserPicksTheMostAccurateThatFits()
{
    QFETCH(QString, graph);
    QFETCH(QString, board);
    QFETCH(int, fixedBits);
    QFETCH(int, fixedLanes);
    QFETCH(int, bits);
    QFETCH(int, lanes);
    QFETCH(bool, spram);
    const Graph g = graphNamed(graph);
    const Board &b = hw::board(board);
    QCOMPARE(bruteForce(g, b, fixedBits, fixedLanes), std::make_pair(bits, lanes));
    const Configuration c =
        chooseConfiguration(g, QuantConfig(), b, WeightMemory::Auto, fixedBits, fixedLanes);
    QCOMPARE(c.quant.weightBits, bits);
    QCOMPARE(c.lanes, lanes);
    QVERIFY(c.fit.fits);
    QCOMPARE(c.fit.spram, spram);
    QVERIFY2(c.reason.startsWith(QStringLiteral("%1-bit weights, %2 lane").arg(bits).arg(lanes)),
             qPrintable(c.reason));
}

void TestResourceEstimator::chooserSaysWhy()
{
    const Configuration c =
        chooseConfiguration(exampleGraph(), QuantConfig(), board(QStringLiteral("icebreaker")));
    QCOMPARE(c.reason,
             QStringLiteral(
                 "4-bit weights, 8 lanes, weights in SPRAM for the iCEBreaker: the most weight "
                 "bits that fit (5-bit weights fit with no lane count; at 8 lanes: in EBR needs "
                 "288 of 30 EBR blocks; the weights need 7 SPRAM blocks, the iCEBreaker has 4); "
                 "the most lanes that fit at 4 bits (16 lanes: in EBR needs 250 of 30 EBR blocks "
                 "and about 6514 of 5280 logic cells; in SPRAM needs about 6884 of 5280 logic "
                 "cells)"));
    const Configuration small =
        chooseConfiguration(chain({6, 3}), QuantConfig(), board(QStringLiteral("icestick")));
    QCOMPARE(small.reason, QStringLiteral("8-bit weights, 1 lane, weights in EBR for the "
                                          "iCEstick: the most weight bits; the most lanes that "
                                          "fit at 8 bits (2 lanes: needs about 1305 of 1280 "
                                          "logic cells)"));
    // A threshold that does not fit the 16-bit membrane at 8 and 7 bits (scale 2 x qmax: 300 x
    // 126 > 32767): 6 bits are the most the model takes.
    Graph g = chain({4, 2});
    g.layer(g.layers().front().id).neuron.threshold = 300.0f;
    const Configuration taken = chooseConfiguration(
        g, QuantConfig(), board(QStringLiteral("icestick")), WeightMemory::Auto, 0, 2);
    QCOMPARE(taken.quant.weightBits, 6);
    QVERIFY2(taken.reason.contains(QStringLiteral(
                 "the most weight bits the model takes (7 bits: layer l1: threshold 300 is")),
             qPrintable(taken.reason));
    QVERIFY2(taken.reason.endsWith(QStringLiteral("the lanes as given")), qPrintable(taken.reason));
}

void TestResourceEstimator::chooserRefusesWithTheFitMessage()
{
    // Nothing fits the iCEstick: the error is the fit check of the smallest setting, 2-bit
    // weights on one lane, with its numbers and hints.
    const Graph g = exampleGraph();
    QuantConfig two;
    two.weightBits = 2;
    const QString expected = checkFit(g, two, 1, board(QStringLiteral("icestick"))).message;
    QVERIFY(expected.startsWith(QStringLiteral("does not fit the iCEstick: needs 425.3 Kbit")));
    try {
        chooseConfiguration(g, QuantConfig(), board(QStringLiteral("icestick")));
        QFAIL("chose");
    } catch (const Error &e) {
        QCOMPARE(e.message(), expected);
    }
    // Lanes that are not a power of two: the layout's error.
    try {
        chooseConfiguration(g, QuantConfig(), board(QStringLiteral("icebreaker")),
                            WeightMemory::Auto, 0, 3);
        QFAIL("chose");
    } catch (const Error &e) {
        QVERIFY2(e.message().contains(QStringLiteral("lanes")), qPrintable(e.message()));
    }
}

QTEST_GUILESS_MAIN(TestResourceEstimator)
#include "tst_resourceestimator.moc"
