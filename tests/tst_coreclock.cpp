#include "base/Error.h"
#include "hw/CoreClock.h"

#include <QTest>

#include <limits>

using namespace snn;
using namespace snn::hw;

namespace {

const double kNoLimit = std::numeric_limits<double>::infinity();

} // namespace

class TestCoreClock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exportRunsTheGivenOrTheOscillator();
    void exportFindsAClockForTheBaudRate();
    void fmaxChoosesTheHighestStandardClockWithMargin_data();
    void fmaxChoosesTheHighestStandardClockWithMargin();
};

void TestCoreClock::exportRunsTheGivenOrTheOscillator()
{
    const Board &stick = board(QStringLiteral("icestick"));
    CoreClock c = exportClock(stick, 0.0, 115200, false);
    QCOMPARE(c.mhz, 12.0);
    QVERIFY(!c.pll);
    QVERIFY(c.automatic);
    QCOMPARE(c.reason, QStringLiteral("the board's 12 MHz oscillator (auto: synthesis chooses a "
                                      "faster PLL clock when nextpnr's fmax allows)"));
    c = exportClock(stick, 12.0, 115200, false);
    QVERIFY(!c.pll);
    QVERIFY(!c.automatic);
    QCOMPARE(c.reason, QStringLiteral("the board's 12 MHz oscillator, as set"));
    c = exportClock(stick, 18.0, 115200, false);
    QCOMPARE(c.mhz, 18.0);
    QCOMPARE(c.pll->divf, 47);
    QCOMPARE(c.reason, QStringLiteral("18 MHz by the PLL, as set"));
    c = exportClock(stick, 20.0, 115200, false); // the PLL's nearest
    QCOMPARE(c.mhz, 19.875);
    QCOMPARE(c.reason, QStringLiteral("19.875 MHz by the PLL, as set"));
}

void TestCoreClock::exportFindsAClockForTheBaudRate()
{
    // 3 Mbaud needs 24 MHz (8 clocks a bit); 2 Mbaud 16, of which the PLL makes 18 exactly (9).
    const Board &breaker = board(QStringLiteral("icebreaker"));
    CoreClock c = exportClock(breaker, 0.0, 3000000, true);
    QCOMPARE(c.mhz, 24.0);
    QVERIFY(c.pll);
    QVERIFY(c.automatic);
    QCOMPARE(c.reason, QStringLiteral("24 MHz by the PLL (auto: the lowest standard clock that "
                                      "makes 3000000 baud; synthesis chooses a faster PLL clock "
                                      "when nextpnr's fmax allows)"));
    QCOMPARE(exportClock(breaker, 0.0, 2000000, true).mhz, 18.0);
    QCOMPARE(exportClock(breaker, 0.0, 1500000, true).mhz, 12.0);
    // A given clock that cannot make it is refused when the design is generated, not here.
    QCOMPARE(exportClock(breaker, 12.0, 3000000, true).mhz, 12.0);
}

void TestCoreClock::fmaxChoosesTheHighestStandardClockWithMargin_data()
{
    QTest::addColumn<double>("fmax");
    QTest::addColumn<double>("current");
    QTest::addColumn<double>("below");
    QTest::addColumn<int>("baud");
    QTest::addColumn<bool>("spram");
    QTest::addColumn<double>("chosen"); // 0: none
    // 45 x 1.1 = 49.5 <= 50.12 < 52.8 = 48 x 1.1.
    QTest::newRow("iCEstick-like 50.12 MHz")
        << 50.12 << 12.0 << kNoLimit << 115200 << false << 45.0;
    QTest::newRow("45 missed: the next below") << 50.12 << 12.0 << 45.0 << 115200 << false << 42.0;
    // 45 MHz / 2 Mbaud = 22.5 clocks: 23 give 1.96 Mbaud, 2.2% off; 42 MHz makes 21 exactly.
    QTest::newRow("2 Mbaud skips 45") << 50.12 << 12.0 << kNoLimit << 2000000 << false << 42.0;
    QTest::newRow("18.12 MHz: nothing 10% below above 12")
        << 18.12 << 12.0 << kNoLimit << 115200 << false << 0.0;
    QTest::newRow("19.8 MHz: 18") << 19.8 << 12.0 << kNoLimit << 115200 << false << 18.0;
    QTest::newRow("only above the measured clock")
        << 30.0 << 24.0 << kNoLimit << 3000000 << true << 27.0;
    QTest::newRow("the top: 270") << 300.0 << 12.0 << kNoLimit << 115200 << false << 270.0;
    QTest::newRow("weights in flash: at most 100")
        << 300.0 << 12.0 << kNoLimit << 115200 << true << 99.0;
}

void TestCoreClock::fmaxChoosesTheHighestStandardClockWithMargin()
{
    QFETCH(double, fmax);
    QFETCH(double, current);
    QFETCH(double, below);
    QFETCH(int, baud);
    QFETCH(bool, spram);
    QFETCH(double, chosen);
    const std::optional<CoreClock> c =
        clockForFmax(board(QStringLiteral("icestick")), fmax, current, below, baud, spram);
    QCOMPARE(c ? c->mhz : 0.0, chosen);
    if (c) {
        QVERIFY(c->automatic);
        QCOMPARE(c->pll->outputMHz, chosen);
        QCOMPARE(c->reason, QStringLiteral("%1 MHz by the PLL (auto: the highest standard clock "
                                           "10% below nextpnr's %2 MHz fmax at %3 MHz)")
                                .arg(chosen)
                                .arg(fmax, 0, 'f', 2)
                                .arg(current));
    }
}

QTEST_GUILESS_MAIN(TestCoreClock)
#include "tst_coreclock.moc"
