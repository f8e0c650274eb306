#include "HostileNames.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "base/Names.h"
#include "base/RunControl.h"
#include "graph/Example.h"
#include "hw/Exporter.h"
#include "hw/IceFlow.h"
#include "hw/Protocol.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cctype>
#include <cstring>

using namespace snn;
using namespace snn::hw;
using snn::test::makeLayer;

namespace {

QByteArray read(const QString &dir, const char *name)
{
    QFile f(QDir(dir).filePath(QLatin1String(name)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool write(const QString &dir, const char *name, const QByteArray &contents)
{
    QFile f(QDir(dir).filePath(QLatin1String(name)));
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           f.write(contents) == contents.size();
}

// Runs the exported folder's ./simulate.sh (with `bench` "uart": the board-level testbench); its
// exit code (-1 when it did not finish).
int simulate(const QString &dir, const QString &bench = QString())
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QDir(dir).filePath(QStringLiteral("simulate.sh")),
            bench.isEmpty() ? QStringList() : QStringList{bench});
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit)
        return -1;
    return p.exitCode();
}

// A 3-layer LIF chain whose hidden layers fire on the exported testbench's samples.
Graph chainWithHiddenLayers()
{
    return test::randomChain(21, {6, 5, 4, 3}, 0.6, 0.15);
}

// Each step as "program arg ...", for readable comparisons.
QStringList commandLines(const std::vector<ToolStep> &steps)
{
    QStringList lines;
    for (const ToolStep &step : steps)
        lines << (QStringList{step.program} + step.arguments).join(QLatin1Char(' '));
    return lines;
}

Graph small(const QString &name = QStringLiteral("out"))
{
    Graph g(4);
    Layer l = makeLayer(name, kNetworkInput, 3, 4, {1, 0, 0, 0.5f, 0, 1, 0, 0, 0, 0, 1, -1});
    l.neuron.threshold = 0.5f;
    g.addLayer(l);
    return g;
}

} // namespace

class TestExporter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ebrFolderRunsWithoutTheStudio();
    void spramFolderCarriesTheFlashImage();
    void refusesWhatDoesNotFit();
    void randomSamplesAreStable();
    void exercisingSamplesAvoidStuckOutputs();
    void hiddenWeightBitFlipsAreCaught();
    void flashFaultsAreCaught();
    void boardLevelTestbenchRecovers();
    void clockThroughThePll();
    void namesAreEscaped();
    void templatesFillInOnePass();
};

void TestExporter::ebrFolderRunsWithoutTheStudio()
{
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icestick");
    o.lanes = 2;
    o.testSamples = 3;
    const ExportResult r = exportDesign(small(), o, dir.path());
    QVERIFY(!r.fit.spram);
    QVERIFY(r.files.contains(QStringLiteral("weights.mem")));
    QVERIFY(!r.files.contains(QStringLiteral("weights.bin")));
    const QByteArray build = read(dir.path(), "build.sh");
    QVERIFY(build.contains("nextpnr-ice40 --hx1k --package tq144 --json top.json --pcf top.pcf"));
    QVERIFY(build.contains("--freq 12 --timing-allow-fail"));
    QVERIFY(QFile(QDir(dir.path()).filePath(QStringLiteral("build.sh"))).permissions() &
            QFileDevice::ExeOwner);
    QVERIFY(read(dir.path(), "top.pcf").contains("set_io clk 21\n"));
    QVERIFY(!read(dir.path(), "top.pcf").contains("flash"));
    QCOMPARE(read(dir.path(), "flash.sh").count("iceprog"), 1);
    QCOMPARE(commandLines(flashCommands(dir.path())),
             QStringList{QStringLiteral("iceprog top.bin")});
    QCOMPARE(read(dir.path(), "samples.mem").count('\n'), 3 * 4);
    // 3 samples x (3 counts + the class).
    QCOMPARE(read(dir.path(), "expected.mem").count('\n'), 3 * 4);
    QVERIFY(read(dir.path(), "README.md").contains("| out | 4 | 3 |"));
    QVERIFY(read(dir.path(), "snn_defines.vh").contains("EBR"));
    // The estimate, with the logic-cell model's terms that add up to it.
    const QJsonObject estimate =
        QJsonDocument::fromJson(read(dir.path(), "estimate.json")).object();
    QCOMPARE(estimate[QStringLiteral("logic_cells")].toInt(), r.fit.estimate.logicCells);
    QCOMPARE(estimate[QStringLiteral("ebr_blocks")].toInt(), r.fit.estimate.ebrBlocks);
    QCOMPARE(estimate[QStringLiteral("weights_in_spram")].toBool(), false);
    const QJsonArray terms = estimate[QStringLiteral("logic_cell_terms")].toArray();
    QCOMPARE(terms.size(), int(r.fit.estimate.logicCellTerms.size()));
    double sum = 0.0;
    for (const QJsonValue &t : terms)
        sum += t[QStringLiteral("units")].toDouble() * t[QStringLiteral("cells")].toDouble();
    QCOMPARE(int(std::lround(sum)), r.fit.estimate.logicCells);
    QCOMPARE(terms[0][QStringLiteral("term")].toString(), QStringLiteral("fixed"));
}

void TestExporter::spramFolderCarriesTheFlashImage()
{
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icebreaker");
    o.lanes = 4;
    o.quant.weightBits = 4;
    o.weightMemory = WeightMemory::Spram;
    const ExportResult r = exportDesign(small(), o, dir.path());
    QVERIFY(r.fit.spram);
    QVERIFY(read(dir.path(), "snn_defines.vh").contains("`define SNN_SPRAM"));
    // The header (magic "SNNW", length, design hash, CRC-32/MPEG-2 of the words; little-endian),
    // then 4 sources x 1 group, two bytes per word.
    const QByteArray image = read(dir.path(), "weights.bin");
    QCOMPARE(image.size(), 16 + 4 * 2);
    QCOMPARE(image.left(8), QByteArray("SNNW\x08\0\0\0", 8));
    auto le32 = [&image](int at) {
        std::uint32_t v = 0;
        for (int i = 3; i >= 0; --i)
            v = (v << 8) | quint8(image[at + i]);
        return v;
    };
    QCOMPARE(le32(8), designHash(r.net, 4));
    QCOMPARE(le32(12), protocol::crc32Mpeg2(image.mid(16)));
    // Source 0: neurons 0..2 weights 7, 0, 0 (4 bits each, lane 0 lowest): 0x0007.
    QCOMPARE(quint8(image[16]), quint8(0x07));
    QCOMPARE(quint8(image[17]), quint8(0x00));
    // flash.mem: the same bytes, one per line.
    QCOMPARE(read(dir.path(), "flash.mem").split('\n').size(), 16 + 4 * 2 + 1);
    QVERIFY(read(dir.path(), "flash.sh").contains("iceprog -o 1048576 weights.bin"));
    QCOMPARE(commandLines(flashCommands(dir.path())),
             (QStringList{QStringLiteral("iceprog top.bin"),
                          QStringLiteral("iceprog -o 1048576 weights.bin")}));
    // flash.sh, run by sh with a stand-in iceprog, runs exactly these.
    QTemporaryDir tools;
    const QString log = tools.filePath(QStringLiteral("calls.log"));
    QVERIFY(test::writeRecordingTools(tools.path(), {QStringLiteral("iceprog")}, log));
    QProcess sh;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"), tools.path() + QLatin1Char(':') + env.value("PATH"));
    sh.setProcessEnvironment(env);
    sh.start(QDir(dir.path()).filePath(QStringLiteral("flash.sh")), {});
    QVERIFY(sh.waitForFinished(30000));
    QCOMPARE(sh.exitCode(), 0);
    QCOMPARE(read(tools.path(), "calls.log"),
             QByteArray("== iceprog\ntop.bin\n== iceprog\n-o\n1048576\nweights.bin\n"));
    QVERIFY(read(dir.path(), "top.pcf").contains("set_io flash_miso 17\n"));
    QVERIFY(read(dir.path(), "simulate.sh").contains("spi_flash_model.v"));
}

void TestExporter::refusesWhatDoesNotFit()
{
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icestick");
    try {
        exportDesign(exampleGraph(), o, dir.filePath(QStringLiteral("x")));
        QFAIL("exported");
    } catch (const Error &e) {
        QVERIFY2(e.message().startsWith(QStringLiteral("does not fit the iCEstick: needs ")),
                 qPrintable(e.message()));
    }
    QVERIFY(!QDir(dir.filePath(QStringLiteral("x"))).exists()); // nothing written
}

void TestExporter::randomSamplesAreStable()
{
    const auto a = randomSamples(5, 2, 7);
    QCOMPARE(a, randomSamples(5, 2, 7));
    QVERIFY(a != randomSamples(5, 2, 8));
    QCOMPARE(a.size(), std::size_t(2));
    QCOMPARE(a[0].size(), std::size_t(5));
}

void TestExporter::exercisingSamplesAvoidStuckOutputs()
{
    // Uniform random intensities drive this network's outputs to 0 or to every step; the scaled
    // samples leave fewer of them stuck (counted with the bit-accurate model).
    QuantConfig c;
    c.steps = 12;
    const QuantizedNetwork net = quantize(test::randomChain(4, {20, 8, 4}, 0.6, 0.3), c);
    auto stuck = [&](const std::vector<std::vector<std::uint8_t>> &samples) {
        int n = 0;
        for (const auto &s : samples)
            for (int count : runModel(net, s).counts)
                n += count == 0 || count == c.steps;
        return n;
    };
    const auto uniform = randomSamples(net.inputSize, 8, 3);
    const auto exercising = exercisingSamples(net, 8, 3);
    QCOMPARE(exercising.size(), std::size_t(8));
    QCOMPARE(exercising, exercisingSamples(net, 8, 3));
    QVERIFY2(stuck(exercising) < stuck(uniform),
             qPrintable(QStringLiteral("%1 vs %2").arg(stuck(exercising)).arg(stuck(uniform))));
    // Each is the uniform sample scaled by one factor.
    for (std::size_t s = 0; s < uniform.size(); ++s)
        for (std::size_t i = 0; i < uniform[s].size(); ++i)
            QVERIFY(exercising[s][i] <= uniform[s][i]);
}

void TestExporter::hiddenWeightBitFlipsAreCaught()
{
    if (QStandardPaths::findExecutable(QStringLiteral("iverilog")).isEmpty())
        QFAIL("iverilog is not installed");
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icebreaker"); // 2 lanes (the iCEstick takes 1 at this size)
    o.lanes = 2;
    o.quant.steps = 12;
    o.testSamples = 4;
    const ExportResult r = exportDesign(chainWithHiddenLayers(), o, dir.path());
    QCOMPARE(simulate(dir.path()), 0);
    // Which sources of each layer spike at least once on the testbench's samples: the weights of
    // a source that never spikes are never added, so no test can see them.
    const QList<QByteArray> samples = read(dir.path(), "samples.mem").trimmed().split('\n');
    std::vector<std::vector<bool>> fires(r.net.layers.size());
    for (int s = 0; s < o.testSamples; ++s) {
        std::vector<std::uint8_t> sample;
        for (int i = 0; i < r.net.inputSize; ++i)
            sample.push_back(std::uint8_t(samples[s * r.net.inputSize + i].toInt(nullptr, 16)));
        ModelTrace trace;
        runModel(r.net, sample, &trace);
        for (std::size_t k = 0; k < r.net.layers.size(); ++k) {
            fires[k].resize(std::size_t(r.net.layers[k].inputs));
            for (int j = 0; j < r.net.layers[k].inputs; ++j)
                for (int t = 0; t < o.quant.steps; ++t)
                    fires[k][std::size_t(j)] =
                        fires[k][std::size_t(j)] ||
                        (k == 0 ? sample[std::size_t(j)] > 0
                                : trace.spikes[std::size_t(t)][k - 1][std::size_t(j)] != 0);
        }
    }
    // Flip the lowest bit of each weight of the hidden layers in weights.mem, one at a time.
    const QByteArray clean = read(dir.path(), "weights.mem");
    const QList<QByteArray> words = clean.trimmed().split('\n');
    const MemoryLayout layout = memoryLayout(r.net, o.lanes);
    int flipped = 0;
    for (std::size_t k = 0; k + 1 < r.net.layers.size(); ++k) {
        const int groups = layout.layers[k].groups;
        for (int j = 0; j < r.net.layers[k].inputs; ++j) {
            if (!fires[k][std::size_t(j)])
                continue;
            for (int n = 0; n < r.net.layers[k].neurons; ++n) {
                const int index = layout.layers[k].weightBase + j * groups + n / o.lanes;
                QList<QByteArray> faulty = words;
                const quint64 word = faulty[index].toULongLong(nullptr, 16) ^
                                     (quint64(1) << (n % o.lanes * o.quant.weightBits));
                faulty[index] =
                    QByteArray::number(word, 16).rightJustified(faulty[index].size(), '0');
                QVERIFY(write(dir.path(), "weights.mem", faulty.join('\n') + '\n'));
                QVERIFY2(simulate(dir.path()) == 1,
                         qPrintable(QStringLiteral("layer %1 weight (%2, %3) flipped unseen")
                                        .arg(k)
                                        .arg(n)
                                        .arg(j)));
                ++flipped;
            }
        }
    }
    // Every input and most hidden neurons spike: nearly all 6 x 5 + 5 x 4 weights were tried.
    QVERIFY2(flipped >= 40, qPrintable(QString::number(flipped)));
    QVERIFY(write(dir.path(), "weights.mem", clean));
    QCOMPARE(simulate(dir.path()), 0);
}

void TestExporter::flashFaultsAreCaught()
{
    if (QStandardPaths::findExecutable(QStringLiteral("iverilog")).isEmpty())
        QFAIL("iverilog is not installed");
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icebreaker");
    o.lanes = 4;
    o.quant.weightBits = 4;
    o.quant.steps = 12;
    o.testSamples = 4;
    o.weightMemory = WeightMemory::Spram;
    exportDesign(chainWithHiddenLayers(), o, dir.path());
    QCOMPARE(simulate(dir.path()), 0);
    // One flash word's lowest bit (the first weight of input 0, after the 16-byte header; each
    // line of flash.mem is one byte): the CRC refuses the image, and the testbench says so.
    const QByteArray flash = read(dir.path(), "flash.mem");
    QByteArray faulty = flash;
    faulty[16 * 3 + 1] = faulty[16 * 3 + 1] == '0' ? '1' : '0';
    QVERIFY(faulty != flash);
    QVERIFY(write(dir.path(), "flash.mem", faulty));
    QCOMPARE(simulate(dir.path()), 1);
    QVERIFY(read(dir.path(), "simulate.log").contains("IMAGE state 6\n"));
    try {
        runRtlSimulation(dir.path(), RunControl());
        QFAIL("a corrupt image passed");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the core in %1 refused its weight image (flash.mem): "
                                             "corrupt (its CRC-32 does not match its weights)")
                                  .arg(dir.path()));
    }
    QVERIFY(write(dir.path(), "flash.mem", flash));
    // A loader that never sends 0xAB: the flash stays in deep power-down and answers nothing
    // (the model starts asleep), so the magic reads all ones.
    const QByteArray core = read(dir.path(), "snn_core.v");
    const QByteArray wake = "ld_shift <= {8'hAB, 24'h0};";
    QCOMPARE(core.count(wake), 1);
    QByteArray asleep = core;
    asleep.replace(wake, "ld_shift <= {8'h00, 24'h0};");
    QVERIFY(write(dir.path(), "snn_core.v", asleep));
    QCOMPARE(simulate(dir.path()), 1);
    QVERIFY(read(dir.path(), "simulate.log").contains("IMAGE state 3\n"));
    // A loader that does not wait tRES1 after the release (3 us, 36 clocks at 12 MHz): its READ
    // comes while the flash is still waking and is ignored.
    const QByteArray wait = "if (ld_gap == FLASH_WAKE_CLKS - 1) begin";
    QCOMPARE(core.count(wait), 1);
    QByteArray hasty = core;
    hasty.replace(wait, "if (1'b1) begin");
    QVERIFY(write(dir.path(), "snn_core.v", hasty));
    QCOMPARE(simulate(dir.path()), 1);
    QVERIFY(read(dir.path(), "simulate.log").contains("IMAGE state 3\n"));
    QVERIFY(write(dir.path(), "snn_core.v", core));
    QCOMPARE(simulate(dir.path()), 0);
    // The wait follows the clock: at 96 MHz (the PLL) it is 288 clocks; the 256 of a fixed wait
    // (2.67 us there) is too short.
    o.clockMHz = 96.0;
    exportDesign(chainWithHiddenLayers(), o, dir.path());
    const QByteArray config = read(dir.path(), "snn_config.vh");
    QCOMPARE(config.count("localparam FLASH_WAKE_CLKS = 288;\n"), 1);
    QCOMPARE(simulate(dir.path()), 0);
    QByteArray fixed = config;
    fixed.replace("localparam FLASH_WAKE_CLKS = 288;", "localparam FLASH_WAKE_CLKS = 256;");
    QVERIFY(write(dir.path(), "snn_config.vh", fixed));
    QCOMPARE(simulate(dir.path()), 1);
    QVERIFY(read(dir.path(), "simulate.log").contains("IMAGE state 3\n"));
}

void TestExporter::boardLevelTestbenchRecovers()
{
    if (QStandardPaths::findExecutable(QStringLiteral("iverilog")).isEmpty())
        QFAIL("iverilog is not installed");
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icebreaker");
    o.lanes = 4;
    o.quant.weightBits = 4;
    o.quant.steps = 8;
    o.testSamples = 2;
    o.weightMemory = WeightMemory::Spram;
    o.baud = 1500000; // 8 clocks a bit at 12 MHz: the fastest the receiver takes, a short run
    const ExportResult r = exportDesign(chainWithHiddenLayers(), o, dir.path());
    QVERIFY(read(dir.path(), "snn_defines.vh").contains("`define SNN_BUTTON"));
    QVERIFY(read(dir.path(), "top.pcf").contains("set_io -pullup yes btn_n 10\n"));
    QVERIFY(read(dir.path(), "snn_config.vh")
                .contains(QStringLiteral("localparam [31:0] WEIGHTS_HASH = 32'h%1;")
                              .arg(designHash(r.net, o.lanes), 8, 16, QLatin1Char('0'))
                              .toUtf8()));
    QCOMPARE(simulate(dir.path(), QStringLiteral("uart")), 0);
    const QByteArray log = read(dir.path(), "simulate.log");
    for (const char *name :
         {"status", "run", "clock +2%", "clock -2%", "stray byte", "dropped byte", "bad checksum",
          "bad length", "unknown command", "stale image", "missing image", "bad magic",
          "wrong length", "bad crc", "image restored"})
        QVERIFY2(log.contains(QByteArray("CASE ") + name + " ok\n"), name);
    QVERIFY(log.contains("RESULT samples 2 mismatches 0\n"));
    // Planted faults, each must fail: a receiver without the idle timeout (the dropped byte
    // leaves it waiting: no answer ever comes) ...
    const QByteArray top = read(dir.path(), "snn_uart_top.v");
    const QByteArray timeout = "if (idle == IDLE - 1) begin";
    QCOMPARE(top.count(timeout), 1);
    QByteArray stuck = top;
    stuck.replace(timeout, "if (1'b0) begin");
    QVERIFY(write(dir.path(), "snn_uart_top.v", stuck));
    QCOMPARE(simulate(dir.path(), QStringLiteral("uart")), 1);
    QVERIFY(read(dir.path(), "simulate.log").contains("TIMEOUT"));
    QVERIFY(write(dir.path(), "snn_uart_top.v", top));
    // ... and a loader that takes another design's weights (the hash not checked).
    const QByteArray core = read(dir.path(), "snn_core.v");
    const QByteArray check = "ld_hdr[2:1] == 2'd1 ? IMG_LENGTH : IMG_STALE;";
    QCOMPARE(core.count(check), 1);
    QByteArray trusting = core;
    trusting.replace(check, "ld_hdr[2:1] == 2'd1 ? IMG_LENGTH : IMG_OK;");
    QVERIFY(write(dir.path(), "snn_core.v", trusting));
    QCOMPARE(simulate(dir.path(), QStringLiteral("uart")), 1);
    QVERIFY(read(dir.path(), "simulate.log").contains("MISMATCH case stale image"));
    QVERIFY(write(dir.path(), "snn_core.v", core));
}

void TestExporter::clockThroughThePll()
{
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icebreaker");
    o.lanes = 2;
    o.testSamples = 2;
    o.clockMHz = 18.0;
    // 12 MHz x 48 / 2^5 (icepll -i 12 -o 18); the iCEBreaker's clock pin is the PLL's pad.
    ExportResult r = exportDesign(small(), o, dir.path());
    QCOMPARE(r.clock.mhz, 18.0);
    QCOMPARE(read(dir.path(), "snn_defines.vh").count("`define SNN_PLL\n`define SNN_PLL_PAD\n"), 1);
    const QByteArray config = read(dir.path(), "snn_config.vh");
    QVERIFY(config.contains("localparam [6:0] PLL_DIVF = 47;\n"));
    QVERIFY(config.contains("localparam [2:0] PLL_DIVQ = 5;\n"));
    QVERIFY(config.contains("localparam CLKS_PER_BIT = 156;\n")); // 18 MHz / 115200 baud
    QVERIFY(read(dir.path(), "build.sh").contains("--freq 18 --timing-allow-fail"));
    QCOMPARE(QJsonDocument::fromJson(read(dir.path(), "estimate.json"))
                 .object()[QStringLiteral("clock_mhz")]
                 .toDouble(),
             18.0);
    QCOMPARE(flowOptions(dir.path(), board(QStringLiteral("icebreaker"))).targetMHz, 18.0);
    // The iCEstick's clock reaches the PLL through the fabric: SB_PLL40_CORE.
    o.board = QStringLiteral("icestick");
    exportDesign(small(), o, dir.path());
    QCOMPARE(read(dir.path(), "snn_defines.vh").count("SNN_PLL_PAD"), 0);
    QCOMPARE(read(dir.path(), "snn_defines.vh").count("`define SNN_PLL\n"), 1);
    // The oscillator's own frequency needs no PLL.
    o.clockMHz = 12.0;
    r = exportDesign(small(), o, dir.path());
    QCOMPARE(r.clock.mhz, 12.0);
    QCOMPARE(read(dir.path(), "snn_defines.vh").count("SNN_PLL"), 0);
    QVERIFY(read(dir.path(), "snn_config.vh").contains("localparam CLKS_PER_BIT = 104;\n"));
    o.clockMHz = 15.0;
    try {
        exportDesign(small(), o, dir.path());
        QFAIL("exported");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the iCE40 PLL makes 16 to 275 MHz, not 15 MHz (leave "
                                             "the clock at the board's 12 MHz for no PLL)"));
    }
}

void TestExporter::namesAreEscaped()
{
    // A name full of Verilog, shell and Markdown syntax changes only the comment of its row in
    // the layer table and its escaped README cell; no file holds a control character.
    ExportOptions o;
    o.testSamples = 2;
    QTemporaryDir plainDir;
    exportDesign(small(QStringLiteral("plain")), o, plainDir.path());
    const QList<QByteArray> plain = read(plainDir.path(), "snn_layers.vh").split('\n');
    for (const QString &name : test::acceptedHostileNames()) {
        QTemporaryDir dir;
        const ExportResult r = exportDesign(small(name), o, dir.path());
        const QList<QByteArray> table = read(dir.path(), "snn_layers.vh").split('\n');
        QCOMPARE(table.size(), plain.size());
        for (qsizetype i = 0; i < table.size(); ++i) {
            if (table[i] == plain[i])
                continue;
            QCOMPARE(plain[i], QByteArray("    0: begin // plain"));
            QVERIFY2(table[i].startsWith("    0: begin // "), table[i].constData());
            const QByteArray comment = table[i].mid(16);
            QCOMPARE(comment, commentSafe(name).toUtf8());
            for (const char c : comment)
                QVERIFY2(std::isalnum(uchar(c)) || std::strchr(" _.,:+-=#()", c), table[i]);
        }
        QVERIFY(read(dir.path(), "README.md")
                    .contains("| " + markdownEscaped(name).toUtf8() + " | 4 | 3 |"));
        for (const QString &file : r.files) {
            const QByteArray text = read(dir.path(), qPrintable(file));
            if (file.endsWith(QLatin1String(".bin")))
                continue;
            for (const char c : text)
                QVERIFY2(uchar(c) >= 0x20 || c == '\n', qPrintable(file));
            if (file != QLatin1String("README.md") && file != QLatin1String("snn_layers.vh"))
                QVERIFY2(!text.contains(name.toUtf8()), qPrintable(file));
        }
    }
}

void TestExporter::templatesFillInOnePass()
{
    // A value that looks like a placeholder stays as it is; every placeholder needs a value and
    // every value a placeholder.
    const QString build = fillTemplate(QStringLiteral("build.sh"),
                                       {{QStringLiteral("BOARD"), QStringLiteral("@COMMANDS@")},
                                        {QStringLiteral("COMMANDS"), QStringLiteral("true")}});
    QVERIFY(build.contains(QStringLiteral("top.bin for the @COMMANDS@.\n")));
    QVERIFY(build.endsWith(QStringLiteral("\ntrue\n")));
    QVERIFY_THROWS_EXCEPTION(
        std::logic_error,
        fillTemplate(QStringLiteral("build.sh"), {{QStringLiteral("BOARD"), QStringLiteral("x")}}));
    QVERIFY_THROWS_EXCEPTION(std::logic_error,
                             fillTemplate(QStringLiteral("build.sh"),
                                          {{QStringLiteral("BOARD"), QStringLiteral("x")},
                                           {QStringLiteral("COMMANDS"), QStringLiteral("x")},
                                           {QStringLiteral("UNUSED"), QStringLiteral("x")}}));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, fillTemplate(QStringLiteral("missing.sh"), {}));
}

QTEST_GUILESS_MAIN(TestExporter)
#include "tst_exporter.moc"
