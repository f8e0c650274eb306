#include "SimTestData.h"
#include "TestUtils.h"
#include "io/GraphFile.h"
#include "io/Hdf5.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <thread>

using namespace snn;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// `path`, when given, goes before PATH (a folder of stand-in tools).
Run snnc(const QStringList &arguments, int timeoutMs = 60000, const QString &path = {})
{
    QProcess p;
    if (!path.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), path + QLatin1Char(':') + env.value("PATH"));
        p.setProcessEnvironment(env);
    }
    p.start(QStringLiteral(SNNC_PATH), arguments);
    Run r;
    if (!p.waitForFinished(timeoutMs))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestSnnc : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void helpEverywhere_data();
    void helpEverywhere();
    void exampleAndInfo();
    void optimizeWritesGraphAndReport();
    void optimizeJsonToStdout();
    void optimizeOnTheCore();
    void synthChoosesAndKeepsTheBitstream();
    void synthMakesThePllClock();
    void flashWritesTheWeightImageAfterTheBitstream();
    void verifyOverTheUart();
    void verifyJson();
    void pipelineWritesTheFolder();
    void pipelineWithoutBuild();
    void pipelineToolFailureExitsOne();
    void errors_data();
    void errors();
    void nameInjectionIsRefused();
    void hugeDeclarationIsRefused();

private:
    // A 16-input, 3-class data set (IDX files: 120 training and 40 test samples) and an
    // untrained 16-8-3 network for it, made once.
    QStringList pipelineInputs();

    QTemporaryDir m_dir;
    QString m_example;
};

void TestSnnc::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_example = m_dir.filePath(QStringLiteral("example.h5"));
    const Run r = snnc({QStringLiteral("example"), QStringLiteral("-o"), m_example});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("wrote %1: 3 layers, 217728 parameters\n").arg(m_example));
    pipelineInputs(); // the toy data set, for the errors too
}

void TestSnnc::helpEverywhere_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");
    QTest::newRow("top") << QStringList{QStringLiteral("--help")} << QStringLiteral("optimize");
    for (const char *command : {"example", "info", "optimize"})
        QTest::newRow(command)
            << QStringList{QString::fromLatin1(command), QStringLiteral("--help")}
            << QStringLiteral("Usage: snnc %1").arg(QString::fromLatin1(command));
}

void TestSnnc::helpEverywhere()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    const Run r = snnc(arguments);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(expected), qPrintable(r.out));
    QCOMPARE(r.err, QString());
}

void TestSnnc::exampleAndInfo()
{
    const Run r = snnc({QStringLiteral("info"), m_example});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith(
        QStringLiteral("%1: 3 layers, 784 inputs, 330 neurons, 217,728 parameters\n")
            .arg(m_example)));
    QVERIFY(r.out.contains(QStringLiteral("hidden1 <- input: LIF 256 x 784, 200,704 params; "
                                          "threshold 1, beta 0.9, reset subtract")));
    // The example's rates are made up, and info says so on every layer.
    QVERIFY(r.out.contains(
        QStringLiteral("      rates (synthetic, not measured): mean 0.0837, max 0.1993, 30 never "
                       "fired\n")));
    QCOMPARE(r.out.count(QStringLiteral("rates (synthetic, not measured)")), 3);
    QVERIFY(r.out.contains(QStringLiteral("output <- hidden2: LIF 10 x 64, 640 params")));
    QVERIFY(r.out.contains(QStringLiteral("[output]")));
}

void TestSnnc::optimizeWritesGraphAndReport()
{
    const QString out = m_dir.filePath(QStringLiteral("optimized.h5"));
    const QString report = m_dir.filePath(QStringLiteral("report.json"));
    const Run r = snnc({QStringLiteral("optimize"), m_example, QStringLiteral("-o"), out,
                        QStringLiteral("--json"), report});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("Parameters:  217,728 -> 192,288 (-11.7%)")));
    QVERIFY(r.out.contains(QStringLiteral("WARNING: the firing rates of hidden1, hidden2 are "
                                          "synthetic, not measured: the neurons removed may fire "
                                          "on real data (measure the rates first: snnc rates)")));
    QVERIFY(r.out.endsWith(QStringLiteral("wrote %1\n").arg(out)));
    const Graph g = loadGraph(out);
    QCOMPARE(g.totalParams(), std::int64_t(192288));
    QCOMPARE(g.layers()[0].neurons(), 226);

    QFile file(report);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(json[QStringLiteral("after")][QStringLiteral("params")].toInteger(), 192288);
    QCOMPARE(json[QStringLiteral("passes")].toArray().size(), 3);

    // A subset, with thresholds: removing neurons that fired at most 5% of steps.
    const Run subset = snnc({QStringLiteral("optimize"), m_example, QStringLiteral("--passes"),
                             QStringLiteral("dead_neuron_elimination"),
                             QStringLiteral("--dead-threshold"), QStringLiteral("0.05")});
    QCOMPARE(subset.exitCode, 0);
    QVERIFY(subset.out.contains(QStringLiteral("Passes:      dead_neuron_elimination\n")));
    QVERIFY(subset.out.contains(QStringLiteral("WARNING: the threshold 0.05 > 0 removes neurons "
                                               "that did fire")));
}

void TestSnnc::optimizeJsonToStdout()
{
    const Run r =
        snnc({QStringLiteral("optimize"), m_example, QStringLiteral("--json"), QStringLiteral("-"),
              QStringLiteral("--passes"), QStringLiteral("layer_fusion,dead_neuron_elimination")});
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(json[QStringLiteral("pass_reports")].toArray()[0][QStringLiteral("pass")].toString(),
             QStringLiteral("layer_fusion"));
}

// --quantized: the passes kept exact on the 4-bit core, its agreement per pass, the hardware
// figures before and after; a log of stdout and stderr together holds the report alone (no
// progress meter off a terminal); neuron_pruning to a cycles budget (on the iCEstick's one lane,
// where each hidden neuron is a group of its own: at the iCEBreaker's 8 lanes the 8 hidden neurons
// are one group, and pruning saves only their spikes' cycles).
void TestSnnc::optimizeOnTheCore()
{
    pipelineInputs();
    const QString data = m_dir.filePath(QStringLiteral("toy"));
    const QString model = m_dir.filePath(QStringLiteral("copies.h5"));
    Graph g = test::randomChain(5, {16, 8, 3}, 1.0, 0.2);
    Layer &h = g.layer(g.layers()[0].id);
    h.weights.row(7) = h.weights.row(0); // an exact copy, a merge on the core's grid
    // Its outgoing weights, half its original's against them, sum within the 4-bit range.
    Layer &out = g.layer(g.layers()[1].id);
    out.weights.col(7) = -0.5f * out.weights.col(0);
    h.rates = Eigen::VectorXf::Constant(8, 0.2f);
    saveGraph(g, model);
    const QString json = m_dir.filePath(QStringLiteral("core.json"));
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(SNNC_PATH),
            {QStringLiteral("optimize"), model, QStringLiteral("--validate"), data,
             QStringLiteral("--quantized"), QStringLiteral("4"), QStringLiteral("--json"), json});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const QString log = QString::fromUtf8(p.readAll());
    QVERIFY2(log.startsWith(QStringLiteral("Optimisation report\n")), qPrintable(log));
    QVERIFY(!log.contains(QLatin1Char('\r')));
    QVERIFY(!log.contains(QStringLiteral("%  ")));
    QVERIFY(log.contains(QStringLiteral("[redundancy_elimination] 1 neurons merged")));
    QVERIFY(log.contains(QStringLiteral("FPGA core:   iCEBreaker")));
    QFile file(json);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject hardware = report[QStringLiteral("hardware")].toObject();
    const QJsonObject before = hardware[QStringLiteral("before")].toObject();
    const QJsonObject after = hardware[QStringLiteral("after")].toObject();
    for (const char *key : {"config", "cycles_per_inference", "latency_ms", "inferences_per_s",
                            "weight_kbit", "ebr", "spram", "logic_cells"}) {
        QVERIFY2(before.contains(QLatin1String(key)), key);
        QVERIFY2(after.contains(QLatin1String(key)), key);
    }
    QCOMPARE(before[QStringLiteral("samples")].toInt(), 40);
    QVERIFY(after[QStringLiteral("cycles_per_inference")].toDouble() <
            before[QStringLiteral("cycles_per_inference")].toDouble());
    QCOMPARE(after[QStringLiteral("config")][QStringLiteral("weight_bits")].toInt(), 4);
    const QJsonObject merge = report[QStringLiteral("pass_reports")].toArray()[1].toObject();
    QCOMPARE(merge[QStringLiteral("neurons_merged")].toInt(), 1);
    const QJsonObject core = merge[QStringLiteral("core")].toArray()[0].toObject();
    QCOMPARE(core[QStringLiteral("weight_bits")].toInt(), 4);
    QCOMPARE(core[QStringLiteral("accuracy")][QStringLiteral("agreement")].toDouble(), 1.0);
    QCOMPARE(report[QStringLiteral("hardware_accuracy")][QStringLiteral("quantized")][0]
                   [QStringLiteral("accuracy")][QStringLiteral("agreement")]
                       .toDouble(),
             1.0);

    const Run pruned =
        snnc({QStringLiteral("optimize"), model, QStringLiteral("--validate"), data,
              QStringLiteral("--quantized"), QStringLiteral("4"), QStringLiteral("--passes"),
              QStringLiteral("neuron_pruning"), QStringLiteral("--budget-cycles"),
              QStringLiteral("80%"), QStringLiteral("--board"), QStringLiteral("icestick"),
              QStringLiteral("--json"), QStringLiteral("-")});
    QCOMPARE(pruned.exitCode, 0);
    const QJsonObject figures = QJsonDocument::fromJson(pruned.out.toUtf8())
                                    .object()[QStringLiteral("hardware")]
                                    .toObject();
    QVERIFY(
        figures[QStringLiteral("after")][QStringLiteral("cycles_per_inference")].toDouble() <=
        0.8 * figures[QStringLiteral("before")][QStringLiteral("cycles_per_inference")].toDouble());
}

void TestSnnc::synthChoosesAndKeepsTheBitstream()
{
    for (const char *tool : {"yosys", "nextpnr-ice40", "icepack", "icetime"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            QFAIL(qPrintable(QStringLiteral("%1 is not installed").arg(QLatin1String(tool))));
    const QString model = m_dir.filePath(QStringLiteral("small.h5"));
    saveGraph(test::randomChain(3, {4, 3, 2}, 1.0, 0.2), model);
    // Export without --bits or --lanes says what it chose.
    const QString exported = m_dir.filePath(QStringLiteral("exported"));
    const Run e = snnc({QStringLiteral("export"), model, QStringLiteral("--board"),
                        QStringLiteral("icestick"), QStringLiteral("-o"), exported});
    QCOMPARE(e.exitCode, 0);
    QVERIFY2(e.out.startsWith(QStringLiteral(
                 "8-bit weights, 2 lanes, weights in EBR for the iCEstick: the most weight bits; "
                 "the most lanes that fit at 8 bits (4 lanes: needs about 1867 of 1280 logic "
                 "cells)\nfits the iCEstick")),
             qPrintable(e.out));
    // Synthesis without them: the chosen configuration, a kept bitstream and icetime's timing.
    const QString dir = m_dir.filePath(QStringLiteral("built"));
    const Run r = snnc({QStringLiteral("synth"), model, QStringLiteral("--board"),
                        QStringLiteral("icebreaker"), QStringLiteral("-o"), dir},
                       300000);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.err.section(QLatin1Char('\n'), 0, 0),
             QStringLiteral("8-bit weights, 4 lanes, weights in EBR for the iCEBreaker: the most "
                            "weight bits; as many lanes as the largest layer (3 neurons) can use"));
    QVERIFY(QFileInfo(QDir(dir).filePath(QStringLiteral("top.bin"))).size() > 100000);
    QVERIFY2(
        r.out.contains(
            QStringLiteral("bitstream    %1 (").arg(QDir(dir).filePath(QStringLiteral("top.bin")))),
        qPrintable(r.out));
    // The clock, chosen by itself (--clock auto): measured at the oscillator, built again at the
    // highest standard PLL clock 10% below that fmax, which the second run meets.
    static const QRegularExpression chosen(QStringLiteral(
        "\nclock        (\\d+) MHz by the PLL \\(auto: the highest standard clock 10% below "
        "nextpnr's ([0-9.]+) MHz fmax at 12 MHz\\)\n"));
    const QRegularExpressionMatch clock = chosen.match(r.out);
    QVERIFY2(clock.hasMatch(), qPrintable(r.out));
    QVERIFY(clock.captured(1).toInt() % 3 == 0);
    QVERIFY(clock.captured(1).toDouble() * 1.1 <= clock.captured(2).toDouble());
    QVERIFY2(
        r.out.contains(QStringLiteral(" MHz (target %1.00 MHz: met)\n").arg(clock.captured(1))),
        qPrintable(r.out));
    QCOMPARE(r.err.count(QStringLiteral("== nextpnr\n")), 2);
    QVERIFY(r.err.contains(QStringLiteral("== clock: %1 MHz by the PLL").arg(clock.captured(1))));
    QFile readme(QDir(dir).filePath(QStringLiteral("README.md")));
    QVERIFY(readme.open(QIODevice::ReadOnly));
    QVERIFY(readme.readAll().contains(
        QStringLiteral("Core clock: %1 MHz by the PLL (auto: ").arg(clock.captured(1)).toUtf8()));
    static const QRegularExpression icetime(QStringLiteral(
        "\nicetime      [0-9.]+ MHz \\(critical path [0-9.]+ ns, \\d+ logic levels\\)\n"));
    QVERIFY2(icetime.match(r.out).hasMatch(), qPrintable(r.out));
}

void TestSnnc::synthMakesThePllClock()
{
    for (const char *tool : {"yosys", "nextpnr-ice40", "icepack"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            QFAIL(qPrintable(QStringLiteral("%1 is not installed").arg(QLatin1String(tool))));
    const QString model = m_dir.filePath(QStringLiteral("pll.h5"));
    saveGraph(test::randomChain(3, {4, 3, 2}, 1.0, 0.2), model);
    // 18 MHz from the iCEBreaker's 12 MHz: an SB_PLL40_PAD drives the core clock.
    const QString dir = m_dir.filePath(QStringLiteral("pll"));
    const Run r = snnc({QStringLiteral("synth"), model, QStringLiteral("--board"),
                        QStringLiteral("icebreaker"), QStringLiteral("--clock"),
                        QStringLiteral("18"), QStringLiteral("--json"), QStringLiteral("-o"), dir},
                       300000);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(report[QStringLiteral("yosys_cells")][QStringLiteral("SB_PLL40_PAD")].toInt(), 1);
    QCOMPARE(report[QStringLiteral("target_mhz")].toDouble(), 18.0);
    // nextpnr times the PLL's output net, the one clock of the core and the UART.
    QFile json(QDir(dir).filePath(QStringLiteral("report.json")));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonObject fmax =
        QJsonDocument::fromJson(json.readAll())[QStringLiteral("fmax")].toObject();
    QCOMPARE(fmax.keys(), QStringList{QStringLiteral("sys_clk")});
    // A clock far above what the core reaches fails, saying so.
    const Run fast =
        snnc({QStringLiteral("synth"), model, QStringLiteral("--board"),
              QStringLiteral("icebreaker"), QStringLiteral("--clock"), QStringLiteral("100"),
              QStringLiteral("-o"), m_dir.filePath(QStringLiteral("fast"))},
             300000);
    QCOMPARE(fast.exitCode, 1);
    static const QRegularExpression message(QStringLiteral(
        "\\nsnnc: nextpnr reaches [0-9.]+ MHz, below the 100.50 MHz core clock: choose a lower "
        "clock \\(or allow a slow clock to build anyway\\)\\n$"));
    QVERIFY2(message.match(fast.err).hasMatch(), qPrintable(fast.err));
}

void TestSnnc::flashWritesTheWeightImageAfterTheBitstream()
{
    // A stand-in iceprog on PATH records its arguments and where it ran.
    QTemporaryDir tools;
    const QString log = tools.filePath(QStringLiteral("iceprog.log"));
    QFile script(tools.filePath(QStringLiteral("iceprog")));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(
        QStringLiteral("#!/bin/sh\necho \"$(basename \"$PWD\") $*\" >> %1\n").arg(log).toUtf8());
    script.close();
    script.setPermissions(script.permissions() | QFileDevice::ExeOwner);
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", tools.path().toUtf8() + ':' + path);
    QTemporaryDir design;
    const QString dir = design.filePath(QStringLiteral("spram"));
    QVERIFY(QDir().mkpath(dir));
    for (const char *name : {"top.bin", "weights.bin"}) {
        QFile f(QDir(dir).filePath(QLatin1String(name)));
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    const Run r = snnc({QStringLiteral("flash"), dir});
    qputenv("PATH", path);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("flashed %1/top.bin\nflashed %1/weights.bin\n").arg(dir));
    QFile written(log);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.readAll(), QByteArray("spram top.bin\nspram -o 1048576 weights.bin\n"));
}

QStringList TestSnnc::pipelineInputs()
{
    const QString data = m_dir.filePath(QStringLiteral("toy"));
    const QString model = m_dir.filePath(QStringLiteral("toy.h5"));
    if (!QFileInfo::exists(model)) {
        test::writeToyIdxFolder(data, 120, 40, 3);
        saveGraph(test::randomChain(5, {16, 8, 3}, 1.0, 0.2), model);
    }
    return {QStringLiteral("pipeline"),
            model,
            QStringLiteral("--data"),
            data,
            QStringLiteral("--board"),
            QStringLiteral("icebreaker"),
            QStringLiteral("--train-epochs"),
            QStringLiteral("1"),
            QStringLiteral("--train-steps"),
            QStringLiteral("5"),
            QStringLiteral("--train-batch"),
            QStringLiteral("16"),
            QStringLiteral("--train-val-split"),
            QStringLiteral("20")};
}

// The whole chain headless: an untrained model is trained, measured, optimised, fine-tuned for
// the core and built; DIR holds the graph, the report and the hardware folder with the
// bitstream; one line per stage on stderr.
// snnc verify --uart at the fastest rate a 12 MHz core takes (8 clocks a bit), the host's clock
// 2% fast and slow among the cases: an EBR design (iCEstick) and one with its weights in SPRAM,
// loaded from the flash model (iCEBreaker, with the button that reloads the damaged images).
void TestSnnc::verifyOverTheUart()
{
    if (QStandardPaths::findExecutable(QStringLiteral("iverilog")).isEmpty())
        QFAIL("iverilog is not installed");
    const QString model = m_dir.filePath(QStringLiteral("uart.h5"));
    saveGraph(test::randomChain(3, {4, 3, 2}, 1.0, 0.2), model);
    const QString common = QStringLiteral("status, run, clock +2%, clock -2%, stray byte, dropped "
                                          "byte, bad checksum, bad length, unknown command");
    const QStringList boards[] = {
        {QStringLiteral("icestick")},
        {QStringLiteral("icebreaker"), QStringLiteral("--memory"), QStringLiteral("spram")}};
    const QString cases[] = {common, common + QStringLiteral(", stale image, missing image, bad "
                                                             "magic, wrong length, bad crc, image "
                                                             "restored")};
    for (int b = 0; b < 2; ++b) {
        const Run r = snnc(QStringList{QStringLiteral("verify"), model, QStringLiteral("--board")}
                               << boards[b]
                               << QStringList{QStringLiteral("--uart"), QStringLiteral("--baud"),
                                              QStringLiteral("1500000"),
                                              QStringLiteral("--samples"), QStringLiteral("2")},
                           300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(QStringLiteral("\nPASS (UART): 2 samples, every output spike "
                                               "count and class identical to the bit-accurate "
                                               "model\n  cases at 1500000 baud: %1\n")
                                    .arg(cases[b])),
                 qPrintable(r.out));
    }
}

// snnc verify --json (Verilator): the keys, and a failing verilator in one line.
void TestSnnc::verifyJson()
{
    const QString model = m_dir.filePath(QStringLiteral("json.h5"));
    saveGraph(test::randomChain(4, {6, 5, 3}, 1.0, 0.2), model);
    const QStringList arguments{QStringLiteral("verify"),    model,
                                QStringLiteral("--board"),   QStringLiteral("icestick"),
                                QStringLiteral("--samples"), QStringLiteral("5"),
                                QStringLiteral("--json"),    QStringLiteral("-")};
    const Run r = snnc(arguments, 300000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("samples")).toInt(), 5);
    QCOMPARE(json.value(QStringLiteral("identical")).toBool(false), true);
    QCOMPARE(json.value(QStringLiteral("mismatches")).toInt(-1), 0);
    QVERIFY(json.value(QStringLiteral("first_mismatch")).isNull());
    QCOMPARE(json.value(QStringLiteral("simulator")).toString(), QStringLiteral("verilator"));
    for (const char *key : {"cycles_per_inference", "spike_words", "checksums", "export_seconds",
                            "simulation_seconds"})
        QVERIFY2(json.value(QLatin1String(key)).toDouble() > 0, key);
    QTemporaryDir tools;
    test::writeScript(tools.filePath(QStringLiteral("verilator")),
                      "#!/bin/sh\necho '%Error: stand-in refuses'\nexit 1\n");
    const Run failing = snnc(arguments, 60000, tools.path());
    QCOMPARE(failing.exitCode, 1);
    QVERIFY2(failing.err.endsWith(
                 QStringLiteral("\nsnnc: verilator failed (exit 1): %Error: stand-in refuses\n")),
             qPrintable(failing.err));
}

void TestSnnc::pipelineWritesTheFolder()
{
    for (const char *tool : {"yosys", "nextpnr-ice40", "icepack", "iverilog"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            QFAIL(qPrintable(QStringLiteral("%1 is not installed").arg(QLatin1String(tool))));
    const QString out = m_dir.filePath(QStringLiteral("pipeline/out")); // made with its parent
    const Run r =
        snnc(pipelineInputs() + QStringList{QStringLiteral("--finetune-qat"), QStringLiteral("1"),
                                            QStringLiteral("-o"), out},
             600000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    QVERIFY2(lines[0].startsWith(QStringLiteral("Training: done in ")), qPrintable(lines[0]));
    QVERIFY(lines[0].contains(QStringLiteral(" s: 1 epoch, kept epoch 1, validation accuracy ")));
    QVERIFY2(lines[1].startsWith(QStringLiteral("Firing rates: done in ")), qPrintable(lines[1]));
    QVERIFY(lines[1].contains(QStringLiteral(" s: 120 validation samples, "))); // the last 5,000
    QVERIFY(lines[2].startsWith(QStringLiteral("Passes: done in ")));
    QVERIFY(lines[2].contains(QStringLiteral(" parameters (")));
    QVERIFY(lines[2].contains(QStringLiteral(", accuracy ")));
    QVERIFY(lines[3].startsWith(QStringLiteral("Fine-tune (QAT): done in ")));
    const QString bitstream = QDir(out).filePath(QStringLiteral("hardware/top.bin"));
    QVERIFY2(lines[4].startsWith(QStringLiteral("Build: done in ")), qPrintable(lines[4]));
    QVERIFY(lines[4].contains(QStringLiteral(" s: Built %1 (").arg(bitstream)));
    QVERIFY(lines[4].endsWith(QStringLiteral("RTL verify passed on 4 samples.")));
    QVERIFY(r.out.startsWith(QStringLiteral("Pipeline: Training: 1 epoch, kept epoch 1")));
    QVERIFY(r.out.endsWith(QStringLiteral("\nwrote %1/optimized.h5, %1/report.json and "
                                          "%1/hardware\n")
                               .arg(out)));
    QVERIFY(QFileInfo(bitstream).size() > 30000);
    const Graph optimized = loadGraph(QDir(out).filePath(QStringLiteral("optimized.h5")));
    QFile file(QDir(out).filePath(QStringLiteral("report.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(report.value(QStringLiteral("ok")).toBool(), true);
    for (const QJsonValue &stage : report.value(QStringLiteral("stages")).toArray())
        QCOMPARE(stage.toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("done"));
    const QJsonObject optimization = report.value(QStringLiteral("optimization")).toObject();
    QCOMPARE(optimization.value(QStringLiteral("after")).toObject().value("params").toInteger(),
             optimized.totalParams());
    QVERIFY(optimization.value(QStringLiteral("retrained"))
                .toString()
                .startsWith(QStringLiteral("fine-tuned 1 epoch through the ")));
    QCOMPARE(report.value(QStringLiteral("hardware"))
                 .toObject()
                 .value(QStringLiteral("bitstream"))
                 .toString(),
             bitstream);
}

// --no-build ends after the passes: the graph and the report, no hardware folder; a trained
// graph (measured rates) is not trained again.
void TestSnnc::pipelineWithoutBuild()
{
    const QString out = m_dir.filePath(QStringLiteral("pipeline-no-build"));
    const Run r = snnc(pipelineInputs() +
                       QStringList{QStringLiteral("--no-build"), QStringLiteral("-o"), out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[3], QStringLiteral("Fine-tune (QAT): not run: not asked"));
    QCOMPARE(lines[4], QStringLiteral("Build: not run: not asked"));
    QVERIFY(
        r.out.endsWith(QStringLiteral("\nwrote %1/optimized.h5 and %1/report.json\n").arg(out)));
    QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("hardware"))));
    const QString trained = QDir(out).filePath(QStringLiteral("optimized.h5"));
    const Run again = snnc({QStringLiteral("pipeline"), trained, QStringLiteral("--data"),
                            m_dir.filePath(QStringLiteral("toy")), QStringLiteral("--board"),
                            QStringLiteral("icebreaker"), QStringLiteral("--no-build"),
                            QStringLiteral("-o"), out});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QVERIFY2(again.err.startsWith(
                 QStringLiteral("Training: not run: a trained graph (measured rates)\n")),
             qPrintable(again.err));
}

// A tool that fails is a failure (exit 1) with its message in one line; the graph and the
// report are still written. A folder that cannot be made: exit 1 too.
void TestSnnc::pipelineToolFailureExitsOne()
{
    QTemporaryDir tools;
    test::writeScript(tools.filePath(QStringLiteral("yosys")),
                      "#!/bin/sh\necho 'ERROR: fake yosys refuses the design'\nexit 1\n");
    const QString out = m_dir.filePath(QStringLiteral("pipeline-fails"));
    const Run r = snnc(pipelineInputs() +
                           QStringList{QStringLiteral("--no-train"), QStringLiteral("-o"), out},
                       120000, tools.path());
    QCOMPARE(r.exitCode, 1);
    const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    QVERIFY2(lines[4].startsWith(QStringLiteral("Build: failed in ")), qPrintable(lines[4]));
    QVERIFY(lines[4].contains(QStringLiteral(" s: Build failed at yosys (nothing was built): ")));
    QVERIFY(lines[4].contains(QStringLiteral("fake yosys refuses the design")));
    QCOMPARE(lines[5], QStringLiteral("snnc: ") + lines[4]);
    QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("optimized.h5"))));
    QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("report.json"))));
    QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("hardware/top.bin"))));

    const Run blocked = snnc(pipelineInputs() +
                             QStringList{QStringLiteral("-o"), m_example + QStringLiteral("/out")});
    QCOMPARE(blocked.exitCode, 1);
    QCOMPARE(
        blocked.err,
        QStringLiteral("snnc: cannot create the folder %1/out: not a directory\n").arg(m_example));
}

void TestSnnc::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error");
    const QString missing = QStringLiteral("/nonexistent/model.h5");
    QTest::newRow("no command") << QStringList{} << QStringLiteral("snnc: no command given");
    QTest::newRow("unknown command")
        << QStringList{QStringLiteral("frobnicate")}
        << QStringLiteral("snnc: unknown command 'frobnicate' (run 'snnc --help' for the list)");
    QTest::newRow("missing file")
        << QStringList{QStringLiteral("info"), missing}
        << QStringLiteral("snnc: cannot open %1: no such file").arg(missing);
    QTest::newRow("no file")
        << QStringList{QStringLiteral("info")}
        << QStringLiteral("snnc: info takes 1 file argument, got 0 (see snnc info --help)");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("info"), QStringLiteral("--fast"), missing}
        << QStringLiteral("snnc: Unknown option 'fast'.");
    QTest::newRow("unknown pass")
        << QStringList{QStringLiteral("optimize"), QStringLiteral("EXAMPLE"),
                       QStringLiteral("--passes"), QStringLiteral("dead_neuron_elimination,bogus")}
        << QStringLiteral("snnc: unknown pass 'bogus' (valid passes: dead_neuron_elimination, "
                          "redundancy_elimination, layer_fusion, neuron_pruning)");
    QTest::newRow("not a number")
        << QStringList{QStringLiteral("optimize"), QStringLiteral("EXAMPLE"),
                       QStringLiteral("--similarity"), QStringLiteral("high")}
        << QStringLiteral("snnc: --similarity takes a number, not 'high'");
    QTest::newRow("out of range")
        << QStringList{QStringLiteral("optimize"), QStringLiteral("EXAMPLE"),
                       QStringLiteral("--dead-threshold"), QStringLiteral("2")}
        << QStringLiteral("snnc: the dead threshold must be in [0, 1], not 2");
    QTest::newRow("example without -o")
        << QStringList{QStringLiteral("example")} << QStringLiteral("snnc: -o FILE is required");
    // Outputs that name no file are refused before any work.
    QTest::newRow("-o ''") << QStringList{QStringLiteral("example"), QStringLiteral("-o"),
                                          QString()}
                           << QStringLiteral("snnc: cannot save: no file name given");
    QTest::newRow("budget")
        << QStringList{QStringLiteral("optimize"),      QStringLiteral("EXAMPLE"),
                       QStringLiteral("--passes"),      QStringLiteral("neuron_pruning"),
                       QStringLiteral("--budget-kbit"), QStringLiteral("half")}
        << QStringLiteral("snnc: --budget-kbit takes a number above 0 or a percentage (N or N%), "
                          "not 'half'");
    QTest::newRow("no budget")
        << QStringList{QStringLiteral("optimize"), QStringLiteral("EXAMPLE"),
                       QStringLiteral("--passes"), QStringLiteral("neuron_pruning")}
        << QStringLiteral("snnc: neuron_pruning needs a budget: cycles per inference, weight "
                          "memory or logic cells");
    QTest::newRow("-o folder") << QStringList{QStringLiteral("optimize"), QStringLiteral("EXAMPLE"),
                                              QStringLiteral("-o"), QStringLiteral("FOLDER")}
                               << QStringLiteral("snnc: cannot save FOLDER: it is a folder, not a "
                                                 "regular file");
    QTest::newRow("-o folder/") << QStringList{QStringLiteral("import"), QStringLiteral("EXAMPLE"),
                                               QStringLiteral("-o"), QStringLiteral("FOLDER/")}
                                << QStringLiteral("snnc: cannot save FOLDER/: it names a folder, "
                                                  "not a file");
    QTest::newRow("--json folder")
        << QStringList{QStringLiteral("optimize"), QStringLiteral("EXAMPLE"),
                       QStringLiteral("--json"), QStringLiteral("FOLDER")}
        << QStringLiteral("snnc: cannot save FOLDER: it is a folder, not a regular file");
    QTest::newRow("train -o in a missing folder")
        << QStringList{QStringLiteral("train"), QStringLiteral("--data"), QStringLiteral("x"),
                       QStringLiteral("-o"), QStringLiteral("FOLDER/no/g.h5")}
        << QStringLiteral("snnc: cannot save FOLDER/no/g.h5: the folder does not exist");
    const QString passes = QStringLiteral("snnc: --passes needs at least one pass (of "
                                          "dead_neuron_elimination, redundancy_elimination, "
                                          "layer_fusion)");
    for (const QString &list : {QString(), QStringLiteral(","), QStringLiteral(",,")})
        QTest::addRow("--passes '%s'", qPrintable(list))
            << QStringList{QStringLiteral("optimize"), QStringLiteral("EXAMPLE"),
                           QStringLiteral("--passes"), list}
            << passes;
    const int cores = int(std::thread::hardware_concurrency());
    for (const QString &threads :
         {QStringLiteral("-1"), QString::number(cores + 1), QStringLiteral("99999999999")})
        QTest::addRow("--threads %s", qPrintable(threads))
            << QStringList{QStringLiteral("rates"),     QStringLiteral("EXAMPLE"),
                           QStringLiteral("--data"),    QStringLiteral("x"),
                           QStringLiteral("--threads"), threads}
            << QStringLiteral("snnc: --threads takes 0 (all cores) or 1 to %1 (this machine's "
                              "hardware threads), not %2")
                   .arg(cores)
                   .arg(threads);
    // The UART's rate: one the host and the FTDI bridge carry, and one the core clock makes.
    QTest::newRow("--baud 12345")
        << QStringList{QStringLiteral("export"),  QStringLiteral("EXAMPLE"),
                       QStringLiteral("--board"), QStringLiteral("icebreaker"),
                       QStringLiteral("--baud"),  QStringLiteral("12345"),
                       QStringLiteral("-o"),      QStringLiteral("FOLDER/baud")}
        << QStringLiteral("snnc: unsupported baud rate 12345 (supported: 9600, 19200, 38400, "
                          "57600, 115200, 230400, 460800, 921600, 1000000, 1500000, 2000000, "
                          "3000000)");
    QTest::newRow("--baud 921600 --clock 18")
        << QStringList{QStringLiteral("export"),  QStringLiteral("EXAMPLE"),
                       QStringLiteral("--board"), QStringLiteral("icebreaker"),
                       QStringLiteral("--bits"),  QStringLiteral("4"),
                       QStringLiteral("--lanes"), QStringLiteral("4"),
                       QStringLiteral("--clock"), QStringLiteral("18"),
                       QStringLiteral("--baud"),  QStringLiteral("921600"),
                       QStringLiteral("-o"),      QStringLiteral("FOLDER/baud")}
        << QStringLiteral("snnc: 921600 baud cannot be made from a 18 MHz clock within 2% (20 "
                          "clocks per bit give 900000 baud, 2.3% off)");
    QTest::newRow("--clock fast")
        << QStringList{QStringLiteral("export"),  QStringLiteral("EXAMPLE"),
                       QStringLiteral("--board"), QStringLiteral("icebreaker"),
                       QStringLiteral("--clock"), QStringLiteral("fast"),
                       QStringLiteral("-o"),      QStringLiteral("FOLDER/clock")}
        << QStringLiteral("snnc: --clock takes auto or a frequency in MHz, not 'fast'");
    // Fewer than 8 clocks a bit: the receiver's rule.
    QTest::newRow("--baud 3000000 --clock 12")
        << QStringList{QStringLiteral("export"),  QStringLiteral("EXAMPLE"),
                       QStringLiteral("--board"), QStringLiteral("icebreaker"),
                       QStringLiteral("--bits"),  QStringLiteral("4"),
                       QStringLiteral("--lanes"), QStringLiteral("4"),
                       QStringLiteral("--clock"), QStringLiteral("12"),
                       QStringLiteral("--baud"),  QStringLiteral("3000000"),
                       QStringLiteral("-o"),      QStringLiteral("FOLDER/baud")}
        << QStringLiteral("snnc: 3000000 baud is too fast for a 12 MHz clock: the UART needs at "
                          "least 8 clocks per bit (24 MHz for this rate), 4 here");
    const QStringList pipeline{QStringLiteral("pipeline"), QStringLiteral("EXAMPLE"),
                               QStringLiteral("--board"), QStringLiteral("icebreaker")};
    QTest::newRow("pipeline without --data")
        << pipeline + QStringList{QStringLiteral("-o"), QStringLiteral("FOLDER/p")}
        << QStringLiteral("snnc: --data is required");
    QTest::newRow("pipeline without -o")
        << pipeline + QStringList{QStringLiteral("--data"), QStringLiteral("x")}
        << QStringLiteral("snnc: -o DIR is required");
    QTest::newRow("pipeline -o a file")
        << pipeline + QStringList{QStringLiteral("--data"), QStringLiteral("x"),
                                  QStringLiteral("-o"), QStringLiteral("EXAMPLE")}
        << QStringLiteral("snnc: -o FOLDER/example.h5: it is a file, not a folder");
    QTest::newRow("pipeline --train --no-train")
        << pipeline + QStringList{QStringLiteral("--data"),  QStringLiteral("x"),
                                  QStringLiteral("-o"),      QStringLiteral("FOLDER/p"),
                                  QStringLiteral("--train"), QStringLiteral("--no-train")}
        << QStringLiteral("snnc: --train and --no-train exclude each other");
    QTest::newRow("pipeline --train-encoding")
        << pipeline + QStringList{QStringLiteral("--data"),
                                  QStringLiteral("x"),
                                  QStringLiteral("-o"),
                                  QStringLiteral("FOLDER/p"),
                                  QStringLiteral("--train-encoding"),
                                  QStringLiteral("morse")}
        << QStringLiteral("snnc: --train-encoding takes rate or current, not 'morse'");
    QTest::newRow("pipeline without --board")
        << QStringList{QStringLiteral("pipeline"), QStringLiteral("EXAMPLE"),
                       QStringLiteral("--data"),   QStringLiteral("x"),
                       QStringLiteral("-o"),       QStringLiteral("FOLDER/p")}
        << QStringLiteral("snnc: --board is required (one of icestick, icebreaker, upduino3, "
                          "hx8k)");
    QTest::newRow("pipeline data that do not fit")
        << pipeline + QStringList{QStringLiteral("--data"), QStringLiteral("FOLDER/toy"),
                                  QStringLiteral("-o"), QStringLiteral("FOLDER/p")}
        << QStringLiteral("snnc: the data set's samples have 16 features, the network takes 784 "
                          "inputs");
    QTest::newRow("--threads abc")
        << QStringList{QStringLiteral("rates"),     QStringLiteral("EXAMPLE"),
                       QStringLiteral("--data"),    QStringLiteral("x"),
                       QStringLiteral("--threads"), QStringLiteral("abc")}
        << QStringLiteral("snnc: --threads takes an integer, not 'abc'");
}

void TestSnnc::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    arguments.replaceInStrings(QStringLiteral("EXAMPLE"), m_example);
    arguments.replaceInStrings(QStringLiteral("FOLDER"), m_dir.path());
    error.replace(QStringLiteral("FOLDER"), m_dir.path());
    const Run r = snnc(arguments);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.section(QLatin1Char('\n'), 0, 0), error);
    if (!arguments.isEmpty())
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1); // exactly one line
    QCOMPARE(r.out, QString());
}

void TestSnnc::nameInjectionIsRefused()
{
    // Issue 17: layer 0's name and layer 1's input carry a newline and a Verilog statement.
    const QString file = m_dir.filePath(QStringLiteral("injected.h5"));
    Graph g(2);
    const LayerId h = g.addLayer(test::makeLayer(QStringLiteral("h"), kNetworkInput, 2, 2));
    g.addLayer(test::makeLayer(QStringLiteral("out"), h, 2, 2));
    saveGraph(g, file);
    {
        auto guard = h5::lock();
        const hid_t f = H5Fopen(QFile::encodeName(file).constData(), H5F_ACC_RDWR, H5P_DEFAULT);
        QVERIFY(f >= 0);
        const QString injected = QStringLiteral("h\n        L_THR = 0; // injected");
        h5::writeStringAttribute(h5::openGroup(f, QStringLiteral("layers/0")),
                                 QStringLiteral("name"), injected);
        h5::writeStringAttribute(h5::openGroup(f, QStringLiteral("layers/1")),
                                 QStringLiteral("input"), injected);
        H5Fclose(f);
    }
    const QString error =
        QStringLiteral("snnc: injected.h5: layer 0: the name contains the control character "
                       "U+000A (a layer name is 1 to 64 printable characters, unique in the "
                       "graph)\n");
    const QString out = m_dir.filePath(QStringLiteral("hw"));
    for (const QStringList &arguments :
         {QStringList{QStringLiteral("info"), file},
          QStringList{QStringLiteral("export"), file, QStringLiteral("--board"),
                      QStringLiteral("icebreaker"), QStringLiteral("-o"), out},
          QStringList{QStringLiteral("export-nir"), file, QStringLiteral("-o"),
                      m_dir.filePath(QStringLiteral("x.nir"))}}) {
        const Run r = snnc(arguments);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err, error);
        QCOMPARE(r.out, QString());
    }
    QVERIFY(!QFileInfo::exists(out + QStringLiteral("/snn_layers.vh")));
}

void TestSnnc::hugeDeclarationIsRefused()
{
    // Issue 14: a 15 KB file declaring a [1 x 1.2e9] weights dataset (the fuzz seed) is refused
    // from its declared shape, before anything is allocated (time and memory: docs/performance.md).
    const QString file = QStringLiteral(SNN_SOURCE_DIR "/tests/fuzz/corpus/graph/weights-1.2e9.h5");
    QVERIFY(QFileInfo(file).size() < 20000);
    const Run r = snnc({QStringLiteral("info"), file});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, QStringLiteral("snnc: weights-1.2e9.h5: layer 'hidden': weights are "
                                   "[1 x 1200000000] but its source 'input' gives 4 values\n"));
}

QTEST_GUILESS_MAIN(TestSnnc)
#include "tst_snnc.moc"
