#include "base/Error.h"
#include "hw/Pll.h"

#include <QTest>

using namespace snn;
using namespace snn::hw;

class TestPll : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesIcepll_data();
    void matchesIcepll();
    void refusesOutOfRange();
    void standardClocksAreExact();
};

void TestPll::matchesIcepll_data()
{
    QTest::addColumn<double>("input");
    QTest::addColumn<double>("output");
    QTest::addColumn<double>("achieved");
    QTest::addColumn<int>("divr");
    QTest::addColumn<int>("divf");
    QTest::addColumn<int>("divq");
    QTest::addColumn<int>("filter");
    // Golden values: `icepll -i IN -o OUT` (fpga-icestorm 0~20230218), achieved to its 3 decimals.
    QTest::newRow("12 -> 16") << 12.0 << 16.0 << 15.938 << 0 << 84 << 6 << 1;
    QTest::newRow("12 -> 18") << 12.0 << 18.0 << 18.000 << 0 << 47 << 5 << 1;
    QTest::newRow("12 -> 20") << 12.0 << 20.0 << 19.875 << 0 << 52 << 5 << 1;
    QTest::newRow("12 -> 25") << 12.0 << 25.0 << 25.125 << 0 << 66 << 5 << 1;
    QTest::newRow("12 -> 48") << 12.0 << 48.0 << 48.000 << 0 << 63 << 4 << 1;
    QTest::newRow("12 -> 100") << 12.0 << 100.0 << 100.500 << 0 << 66 << 3 << 1;
    QTest::newRow("10 -> 21.7") << 10.0 << 21.7 << 21.562 << 0 << 68 << 5 << 1;
    QTest::newRow("13.5 -> 75") << 13.5 << 75.0 << 74.250 << 0 << 43 << 3 << 1;
    QTest::newRow("13.5 -> 275") << 13.5 << 275.0 << 276.750 << 0 << 40 << 1 << 1;
    QTest::newRow("25 -> 18") << 25.0 << 18.0 << 17.969 << 0 << 22 << 5 << 2;
    QTest::newRow("25 -> 133") << 25.0 << 133.0 << 132.812 << 1 << 84 << 3 << 1;
    QTest::newRow("50 -> 21.7") << 50.0 << 21.7 << 21.562 << 4 << 68 << 5 << 1;
    QTest::newRow("50 -> 75") << 50.0 << 75.0 << 75.000 << 0 << 11 << 3 << 4;
    QTest::newRow("50 -> 200") << 50.0 << 200.0 << 200.000 << 0 << 15 << 2 << 4;
}

void TestPll::matchesIcepll()
{
    QFETCH(double, input);
    QFETCH(double, output);
    QFETCH(double, achieved);
    QFETCH(int, divr);
    QFETCH(int, divf);
    QFETCH(int, divq);
    QFETCH(int, filter);
    const PllSettings p = pllSettings(input, output);
    QCOMPARE(p.divr, divr);
    QCOMPARE(p.divf, divf);
    QCOMPARE(p.divq, divq);
    QCOMPARE(p.filterRange, filter);
    QVERIFY2(std::abs(p.outputMHz - achieved) <= 0.0005 + 1e-9,
             qPrintable(QString::number(p.outputMHz)));
    // The output is what the dividers make.
    QCOMPARE(p.outputMHz, input / (divr + 1) * (divf + 1) / (1 << divq));
}

void TestPll::refusesOutOfRange()
{
    try {
        pllSettings(12.0, 15.0);
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the iCE40 PLL makes 16 to 275 MHz, not 15 MHz (leave "
                                             "the clock at the board's 12 MHz for no PLL)"));
    }
    try {
        pllSettings(8.0, 18.0);
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("the iCE40 PLL takes a 10 to 133 MHz input, not 8 MHz"));
    }
}

void TestPll::standardClocksAreExact()
{
    // From 12 MHz the PLL makes f exactly when f x 2^divq / 12 is a whole divf + 1 with the VCO in
    // 533..1066 MHz: the multiples of 3 from 18 to 264 (divq 2 to 5) and 270 (divq 1, a
    // multiple of 6); not 16 (15.938), 20 (19.875), 25 (25.125), 100 (100.5) or 273.
    const std::vector<double> clocks = standardClocksMHz(12.0);
    std::vector<double> expected;
    for (int f = 18; f <= 264; f += 3)
        expected.push_back(f);
    expected.push_back(270);
    QCOMPARE(clocks, expected);
    for (const double f : clocks) {
        const PllSettings p = pllSettings(12.0, f);
        QCOMPARE(p.outputMHz, f);
        QCOMPARE(p.divr, 0);
    }
    // A cap (the flash loader's 100 MHz).
    const std::vector<double> capped = standardClocksMHz(12.0, 100.0);
    QCOMPARE(capped.front(), 18.0);
    QCOMPARE(capped.back(), 99.0);
    QCOMPARE(int(capped.size()), 28);
}

QTEST_GUILESS_MAIN(TestPll)
#include "tst_pll.moc"
