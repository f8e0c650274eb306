#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "hw/Exporter.h"
#include "hw/IceFlow.h"
#include "hw/Synthesis.h"

#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::hw;

class TestIceFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesNextpnrReport();
    void rejectsNonReport();
    void parsesYosysStat();
    void parsesIcetimeReport();
    void noBitstreamIsAFailure();
    void buildScriptRunsWhatTheFlowRuns();
    void automaticClockBuildsAgainFaster_data();
    void automaticClockBuildsAgainFaster();
    void smallDesignToBitstream();
};

void TestIceFlow::parsesNextpnrReport()
{
    const QByteArray json = R"({"critical_paths": [], "fmax": {"clk$glb": {"achieved": 20.5,
        "constraint": 12}, "other": {"achieved": 48.0, "constraint": 12}},
        "utilization": {"ICESTORM_LC": {"available": 5280, "used": 846},
        "ICESTORM_RAM": {"available": 30, "used": 7}, "ICESTORM_SPRAM": {"available": 4, "used": 1},
        "ICESTORM_DSP": {"available": 8, "used": 0}, "SB_IO": {"available": 96, "used": 8}}})";
    FlowReport r;
    parseNextpnrReport(json, &r, QStringLiteral("report.json"));
    QCOMPARE(r.logicCells, 846);
    QCOMPARE(r.logicCellsAvailable, 5280);
    QCOMPARE(r.ebr, 7);
    QCOMPARE(r.ebrAvailable, 30);
    QCOMPARE(r.spram, 1);
    QCOMPARE(r.dspAvailable, 8);
    QCOMPARE(r.io, 8);
    QCOMPARE(r.fmaxMHz, 20.5); // the slowest clock
    QCOMPARE(r.targetMHz, 12.0);
    QVERIFY(r.timingMet());
    r.targetMHz = 30.0;
    QVERIFY(!r.timingMet());
    QVERIFY(r.toText().contains(QStringLiteral("NOT met")));
}

void TestIceFlow::rejectsNonReport()
{
    FlowReport r;
    try {
        parseNextpnrReport("{\"fmax\": {}}", &r, QStringLiteral("x.json"));
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("x.json has no \"utilization\" (not a nextpnr report)"));
    }
    try {
        parseNextpnrReport("not json", &r, QStringLiteral("y.json"));
        QFAIL("accepted");
    } catch (const Error &e) {
        QVERIFY(e.message().startsWith(QStringLiteral("y.json is not JSON")));
    }
}

void TestIceFlow::parsesYosysStat()
{
    const QString text = QStringLiteral("\n=== snn_uart_top ===\n\n"
                                        "   Number of wires:                831\n"
                                        "   Number of cells:               1404\n"
                                        "     SB_CARRY                      327\n"
                                        "     SB_DFF                        117\n"
                                        "     SB_LUT4                       785\n"
                                        "     SB_RAM40_4K                     7\n\n");
    const auto cells = parseYosysStat(text);
    QCOMPARE(int(cells.size()), 4);
    QCOMPARE(cells.at(QStringLiteral("SB_LUT4")), 785);
    QCOMPARE(cells.at(QStringLiteral("SB_RAM40_4K")), 7);
    QCOMPARE(cells.at(QStringLiteral("SB_CARRY")), 327);
}

void TestIceFlow::parsesIcetimeReport()
{
    // The end of a real timing.rpt (icetime -d up5k -P sg48 -mtr timing.rpt, fpga-icestorm
    // 0~20230218).
    const QString text =
        QStringLiteral("    45.277 ns .. 47.039 ns core.v_wdata_SB_LUT4_O_12_I2[2]\n"
                       "                  lcout -> core.v_wdata_SB_DFF_D_Q[3]\n\n"
                       "Total number of logic levels: 42\n"
                       "Total path delay: 48.10 ns (20.79 MHz)\n\n");
    FlowReport r;
    parseIcetimeReport(text, &r, QStringLiteral("timing.rpt"));
    QCOMPARE(r.icetimeMHz, 20.79);
    QCOMPARE(r.icetimeDelayNs, 48.10);
    QCOMPARE(r.icetimeLevels, 42);
    QCOMPARE(r.timingReport, QStringLiteral("20.79 MHz (critical path 48.10 ns, 42 logic levels)"));
    QVERIFY(r.toText().contains(
        QStringLiteral("icetime      20.79 MHz (critical path 48.10 ns, 42 logic levels)\n")));
    QCOMPARE(r.toJson()[QStringLiteral("icetime_mhz")].toDouble(), 20.79);
    try {
        parseIcetimeReport(QStringLiteral("// Reading input .asc file..\n"), &r,
                           QStringLiteral("t.rpt"));
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("t.rpt has no \"Total path delay\" (not an icetime report)"));
    }
}

void TestIceFlow::noBitstreamIsAFailure()
{
    // Tools that succeed and build nothing (a tiny fake program for each, first on the PATH):
    // the flow must fail after icepack, not report a bitstream.
    QTemporaryDir tools;
    QTemporaryDir dir;
    for (const char *tool : {"yosys", "nextpnr-ice40", "icepack", "icetime"}) {
        QFile f(tools.filePath(QLatin1String(tool)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\nexit 0\n");
        f.close();
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
    }
    QFile report(dir.filePath(QStringLiteral("report.json")));
    QVERIFY(report.open(QIODevice::WriteOnly));
    report.write(R"({"fmax": {}, "utilization": {"ICESTORM_LC": {"available": 5280, "used": 1}}})");
    report.close();
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", tools.path().toLocal8Bit());
    FlowReport r;
    try {
        r = runFlow(flowOptions(dir.path(), board(QStringLiteral("icebreaker"))), {});
        qputenv("PATH", path);
        QFAIL("reported success");
    } catch (const Error &e) {
        qputenv("PATH", path);
        QCOMPARE(e.message(), QStringLiteral("icepack wrote no bitstream (%1)")
                                  .arg(QDir(dir.path()).filePath(QStringLiteral("top.bin"))));
    }
}

void TestIceFlow::buildScriptRunsWhatTheFlowRuns()
{
    // The exported build.sh, run by sh, and the flow on the same folder call stand-in tools that
    // record their arguments: the two records must be the same, and be flowSteps' commands.
    QTemporaryDir tools;
    QTemporaryDir dir;
    const QString log = tools.filePath(QStringLiteral("calls.log"));
    QVERIFY(test::writeRecordingTools(
        tools.path(),
        {QStringLiteral("yosys"), QStringLiteral("nextpnr-ice40"), QStringLiteral("icepack"),
         QStringLiteral("icetime")},
        log,
        "case $tool in\n"
        "nextpnr-ice40) echo '{\"fmax\": {}, \"utilization\": {\"ICESTORM_LC\": {}}}' > "
        "report.json ;;\n"
        "icepack) echo bits > top.bin ;;\n"
        "esac\n"));
    ExportOptions options;
    options.board = QStringLiteral("icestick");
    options.lanes = 1;
    options.testSamples = 1;
    options.clockMHz = 30.0; // through the PLL: a --freq that is not the oscillator's 12
    const ExportResult exported =
        exportDesign(test::randomChain(5, {4, 3, 2}, 0.5, 0.0), options, dir.path());
    const auto recorded = [&log] {
        QFile f(log);
        const QByteArray calls = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        f.remove();
        return calls;
    };
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", tools.path().toLocal8Bit() + ':' + path);
    QProcess sh;
    sh.start(QDir(dir.path()).filePath(QStringLiteral("build.sh")), {});
    const bool ran = sh.waitForFinished(30000) && sh.exitCode() == 0;
    const QByteArray script = recorded();
    FlowReport report;
    QString failure;
    try {
        report = runFlow(flowOptions(dir.path(), board(options.board)), {});
    } catch (const Error &e) {
        failure = e.message();
    }
    qputenv("PATH", path);
    QVERIFY2(ran, sh.readAllStandardError().constData());
    QCOMPARE(failure, QString());
    const QByteArray flow = recorded();
    FlowOptions expected;
    expected.device = QStringLiteral("hx1k");
    expected.package = QStringLiteral("tq144");
    expected.targetMHz = exported.clock.mhz;
    QByteArray steps;
    for (const ToolStep &step : flowSteps(expected)) {
        steps += "== " + step.program.toUtf8() + '\n';
        for (const QString &argument : step.arguments)
            steps += argument.toUtf8() + '\n';
    }
    QCOMPARE(script, flow);
    QCOMPARE(script, steps);
    QVERIFY(script.contains("\n--freq\n" + QByteArray::number(exported.clock.mhz) + '\n'));
    QVERIFY(exported.clock.mhz != 12.0);
    QCOMPARE(script.count("== "), 4);
    QCOMPARE(report.bitstreamBytes, 5);                                  // "bits\n"
    QCOMPARE(report.clock, QStringLiteral("30 MHz by the PLL, as set")); // from estimate.json
}

void TestIceFlow::automaticClockBuildsAgainFaster_data()
{
    QTest::addColumn<QString>("atTwelve"); // nextpnr's fmax at --freq 12
    QTest::addColumn<QString>("faster");   // its fmax at any other --freq F: an awk expression
    QTest::addColumn<QList<int>>("freqs"); // the --freq of each run
    QTest::addColumn<QString>("clock");    // the report's (and the README's) clock
    QTest::newRow("met") << QStringLiteral("50.12") << QStringLiteral("F + 5") << QList<int>{12, 45}
                         << QStringLiteral("45 MHz by the PLL (auto: the highest standard clock "
                                           "10% below nextpnr's 50.12 MHz fmax at 12 MHz)");
    QTest::newRow("missed, back to 12")
        << QStringLiteral("50.12") << QStringLiteral("F - 1") << QList<int>{12, 45, 42, 39, 12}
        << QStringLiteral("the board's 12 MHz oscillator (auto: no faster standard clock met "
                          "timing; 45 MHz missed timing (nextpnr: 44.00 MHz); 42 MHz missed timing "
                          "(nextpnr: 41.00 MHz); 39 MHz missed timing (nextpnr: 38.00 MHz))");
    QTest::newRow("nothing faster")
        << QStringLiteral("18.12") << QStringLiteral("F") << QList<int>{12}
        << QStringLiteral("the board's 12 MHz oscillator (auto: "
                          "nextpnr's 18.12 MHz fmax at 12 MHz leaves "
                          "no faster standard clock 10% below it)");
}

void TestIceFlow::automaticClockBuildsAgainFaster()
{
    QFETCH(QString, atTwelve);
    QFETCH(QString, faster);
    QFETCH(QList<int>, freqs);
    QFETCH(QString, clock);
    // Stand-in tools: nextpnr's report gives `atTwelve` MHz at --freq 12, `faster` at others.
    QTemporaryDir tools;
    QTemporaryDir dir;
    const QString log = tools.filePath(QStringLiteral("calls.log"));
    QVERIFY(test::writeRecordingTools(
        tools.path(),
        {QStringLiteral("yosys"), QStringLiteral("nextpnr-ice40"), QStringLiteral("icepack"),
         QStringLiteral("icetime")},
        log,
        "case $tool in\n"
        "nextpnr-ice40) F=$(printf '%s\\n' \"$@\" | grep -A1 -e --freq | tail -n 1)\n"
        "  if [ \"$F\" = 12 ]; then A=" +
            atTwelve.toUtf8() + "; else A=$(awk \"BEGIN { F = $F; print " + faster.toUtf8() +
            " }\"); fi\n"
            "  echo \"{\\\"fmax\\\": {\\\"sys_clk\\\": {\\\"achieved\\\": $A, "
            "\\\"constraint\\\": $F}}, \\\"utilization\\\": {\\\"ICESTORM_LC\\\": {}}}\" > "
            "report.json ;;\n"
            "icepack) echo bits > top.bin ;;\n"
            "esac\n"));
    ExportOptions options;
    options.board = QStringLiteral("icestick");
    options.lanes = 1;
    options.testSamples = 1;
    const Graph g = test::randomChain(5, {4, 3, 2}, 0.5, 0.0);
    QString text;
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", tools.path().toLocal8Bit() + ':' + path);
    Synthesised s;
    QString failure;
    try {
        s = synthesiseDesign(g, options, dir.path(), false,
                             [&text](const QString &line) { text += line; });
    } catch (const Error &e) {
        failure = e.message();
    }
    qputenv("PATH", path);
    QCOMPARE(failure, QString());
    QFile calls(log);
    QVERIFY(calls.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = calls.readAll().split('\n');
    QList<int> ran;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i)
        if (lines[i] == "--freq")
            ran << lines[i + 1].toInt();
    QCOMPARE(ran, freqs);
    QCOMPARE(s.report.clock, clock);
    QCOMPARE(s.exported.clock.reason, clock);
    QCOMPARE(s.report.targetMHz, double(freqs.back()));
    QVERIFY(s.report.timingMet());
    QVERIFY(s.report.toText().startsWith(QStringLiteral("clock        %1\n").arg(clock)));
    // The folder is the design at that clock: its PLL, UART divisor and README.
    QFile config(QDir(dir.path()).filePath(QStringLiteral("snn_config.vh")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QByteArray vh = config.readAll();
    QVERIFY(vh.contains(QByteArray("localparam CLKS_PER_BIT = ") +
                        QByteArray::number(std::lround(freqs.back() * 1e6 / 115200)) + ";\n"));
    QCOMPARE(s.exported.clock.pll.has_value(), freqs.back() != 12);
    QFile readme(QDir(dir.path()).filePath(QStringLiteral("README.md")));
    QVERIFY(readme.open(QIODevice::ReadOnly));
    QVERIFY(readme.readAll().contains(QStringLiteral("Core clock: %1.").arg(clock).toUtf8()));
    QCOMPARE(flowOptions(dir.path(), board(options.board)).targetMHz, double(freqs.back()));
    QCOMPARE(text.count(QStringLiteral("== clock: ")), freqs.size() - 1);
}

void TestIceFlow::smallDesignToBitstream()
{
    for (const char *tool : {"yosys", "nextpnr-ice40", "icepack", "icetime"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            QFAIL(qPrintable(QStringLiteral("%1 is not installed").arg(QLatin1String(tool))));
    // 4 inputs -> 3 LIF neurons -> 2 outputs, two lanes, on the iCEBreaker.
    Graph g(4);
    Rng rng(3);
    LayerId source = kNetworkInput;
    for (int n : {3, 2}) {
        Layer l;
        l.name = QStringLiteral("l%1").arg(n);
        l.source = source;
        l.weights = Eigen::MatrixXf(n, g.layerCount() == 0 ? 4 : 3);
        for (Eigen::Index i = 0; i < l.weights.size(); ++i)
            l.weights.data()[i] = float(rng.normal());
        source = g.addLayer(l);
    }
    QTemporaryDir dir;
    ExportOptions options;
    options.board = QStringLiteral("icebreaker");
    options.lanes = 2;
    options.testSamples = 2;
    exportDesign(g, options, dir.path());
    IceFlow flow;
    QSignalSpy steps(&flow, &IceFlow::stepStarted);
    QSignalSpy finished(&flow, &IceFlow::finished);
    QSignalSpy failed(&flow, &IceFlow::failed);
    flow.start(flowOptions(dir.path(), board(QStringLiteral("icebreaker"))));
    QVERIFY(flow.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 120000);
    QVERIFY2(failed.isEmpty(),
             failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));
    QCOMPARE(steps.size(), 4);
    QCOMPARE(steps.at(1).at(1).toString(), QStringLiteral("nextpnr"));
    const FlowReport r = finished.front().front().value<FlowReport>();
    QVERIFY2(r.logicCells > 100 && r.logicCells < 1500, qPrintable(QString::number(r.logicCells)));
    QCOMPARE(r.logicCellsAvailable, 5280);
    QVERIFY(r.ebr >= 3); // input, weight, membrane and mask memories in EBR
    QCOMPARE(r.ebrAvailable, 30);
    QCOMPARE(r.spram, 0);
    QCOMPARE(r.io, 9); // clock, UART rx and tx, five LEDs, the button
    QVERIFY(r.fmaxMHz > 0.0);
    QCOMPARE(r.targetMHz, 12.0);
    QVERIFY(r.cells.count(QStringLiteral("SB_LUT4")) == 1);
    QCOMPARE(r.cells.at(QStringLiteral("SB_RAM40_4K")), r.ebr);
    QVERIFY(QFileInfo(r.bitstream).isFile());
    QCOMPARE(r.bitstreamBytes, QFileInfo(r.bitstream).size());
    QVERIFY(r.bitstreamBytes > 100000); // an UP5K image is about 104 KB
    // icetime's estimate (its chip databases: Debian's fpga-icestorm-chipdb).
    QVERIFY2(r.icetimeMHz > 5.0 && r.icetimeMHz < 200.0, qPrintable(r.timingReport));
    QVERIFY(r.icetimeLevels > 0);
    QVERIFY(QFileInfo::exists(QDir(dir.path()).filePath(QStringLiteral("timing.rpt"))));
}

QTEST_GUILESS_MAIN(TestIceFlow)
#include "tst_iceflow.moc"
