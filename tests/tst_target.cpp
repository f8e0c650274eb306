#include "SimTestData.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "base/Text.h"
#include "eval/HardwareFigures.h"
#include "io/GraphFile.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <tuple>

using namespace snn;
using snn::test::errorOf;

namespace {

// input(16) -> 32 -> 4, LIF: every lane count from 1 to 16 can speed the hidden layer up.
Graph network()
{
    Graph g = test::randomChain(5, {16, 32, 4}, 0.5, 0.15);
    g.validate();
    return g;
}

RowMatrixXf samples(int count)
{
    return test::uniformSamples(count, 16, 9);
}

// One configuration as the oracle sees it: the cycles summed sample by sample from the core's
// exact cycle model (hw::coreCycles, which tst_verilog checks against the testbench), the latency
// at the export clock, the estimate and whether it fits the board.
struct Option {
    int lanes = 0;
    bool spram = false;
    double latencyMs = 0.0;
    int logicCells = 0;
    int blocks = 0;
    bool fits = false;
};

std::vector<Option> oracle(const Graph &g, const hw::ExportOptions &o, const RowMatrixXf &x)
{
    const hw::QuantizedNetwork net = hw::quantize(g, o.quant);
    const hw::Board &board = hw::board(o.board);
    std::vector<Option> all;
    for (int lanes = 1; lanes <= 16; lanes *= 2) {
        const hw::MemoryLayout layout = hw::memoryLayout(net, lanes);
        hw::ModelRunner runner(net);
        std::int64_t cycles = 0;
        for (Eigen::Index s = 0; s < x.rows(); ++s) {
            hw::ModelTrace trace;
            runner.run(hw::intensities(x.row(s).transpose()), &trace);
            cycles += hw::coreCycles(net, layout, trace);
        }
        for (const bool spram : {false, true}) {
            const hw::ResourceEstimate e = hw::estimateResources(net, lanes, spram);
            const double mhz = hw::exportClock(board, o.clockMHz, o.baud, spram).mhz;
            all.push_back({lanes, spram, double(cycles) / double(x.rows()) / (mhz * 1e3),
                           e.logicCells, e.ebrBlocks + e.spramBlocks,
                           hw::fitsBoard(e, lanes, o.quant.weightBits, spram, board)});
        }
    }
    return all;
}

// The oracle's choice for a target: by brute force over the fitting options in `memory`.
Option expected(const std::vector<Option> &all, const hw::Target &t, hw::WeightMemory memory)
{
    const bool latency = t.kind == hw::Target::Kind::LatencyMs;
    std::optional<Option> best;
    for (const Option &c : all) {
        if (!c.fits || (memory == hw::WeightMemory::Ebr && c.spram) ||
            (memory == hw::WeightMemory::Spram && !c.spram))
            continue;
        if (latency ? c.latencyMs > t.value : c.logicCells > t.value)
            continue;
        const auto key = [latency](const Option &k) {
            return latency ? std::tuple(double(k.logicCells), double(k.blocks), k.latencyMs)
                           : std::tuple(k.latencyMs, double(k.logicCells), double(k.blocks));
        };
        if (!best || key(c) < key(*best))
            best = c;
    }
    return best.value_or(Option{});
}

const Option &at(const std::vector<Option> &all, int lanes, bool spram = false)
{
    for (const Option &c : all)
        if (c.lanes == lanes && c.spram == spram)
            return c;
    throw Error(QStringLiteral("no option"));
}

hw::ExportOptions fourBits(const hw::Target &target, hw::WeightMemory memory)
{
    hw::ExportOptions o;
    o.quant.weightBits = 4;
    o.lanes = 0;
    o.weightMemory = memory;
    o.target = target;
    return o;
}

QString shortest(double v)
{
    return QString::number(v, 'f', QLocale::FloatingPointShortest);
}

} // namespace

class TestTarget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void latencyTargetPicksTheSmallestThatMeetsIt();
    void impossibleTargets();
    void logicCellTargetPicksTheFastestUnderIt();
    void autoMemory();
    void refusals();
    void throughSnnc();
};

void TestTarget::latencyTargetPicksTheSmallestThatMeetsIt()
{
    const Graph g = network();
    const RowMatrixXf x = samples(30);
    const std::vector<Option> all = oracle(g, fourBits({}, hw::WeightMemory::Ebr), x);
    // Halfway between 2 and 4 lanes' latency: 4 lanes is the smallest that meets it.
    const double ms = (at(all, 2).latencyMs + at(all, 4).latencyMs) / 2.0;
    for (const double target : {ms, at(all, 4).latencyMs}) {
        const hw::Target t = hw::Target::latency(target);
        QCOMPARE(expected(all, t, hw::WeightMemory::Ebr).lanes, 4);
        std::vector<int> predictions;
        const eval::HardwareFigures f =
            eval::hardwareFigures(g, fourBits(t, hw::WeightMemory::Ebr), x, {}, &predictions);
        QCOMPARE(f.options.lanes, 4);
        QVERIFY(!f.fit.spram);
        QCOMPARE(f.latencyMs(), at(all, 4).latencyMs);
        QCOMPARE(f.fit.estimate.logicCells, at(all, 4).logicCells);
        QCOMPARE(predictions, eval::quantizedPredictions(hw::quantize(g, f.options.quant), x));
        const QJsonObject config = f.toJson()[QStringLiteral("config")].toObject();
        QCOMPARE(config[QStringLiteral("target")].toObject(),
                 (QJsonObject{{QStringLiteral("kind"), QStringLiteral("latency_ms")},
                              {QStringLiteral("value"), target}}));
        QCOMPARE(f.configText(),
                 QStringLiteral("4-bit weights, 4 lanes, weights in EBR (Auto for this graph, "
                                "target latency <= %1 ms)")
                     .arg(shortest(target)));
    }
    // Without a target Auto takes the most lanes the largest layer can use.
    QCOMPARE(eval::hardwareFigures(g, fourBits({}, hw::WeightMemory::Ebr), x).options.lanes, 16);
}

void TestTarget::impossibleTargets()
{
    const Graph g = network();
    const RowMatrixXf x = samples(30);
    const std::vector<Option> all = oracle(g, fourBits({}, hw::WeightMemory::Ebr), x);
    QVERIFY(at(all, 16).latencyMs > 0.001);
    QCOMPARE(errorOf([&] {
                 eval::hardwareFigures(
                     g, fourBits(hw::Target::latency(0.001), hw::WeightMemory::Ebr), x);
             }),
             QStringLiteral("no configuration on the iCEBreaker meets the target latency <= "
                            "0.001 ms: the fastest that fits takes %1 ms (4-bit weights, 16 "
                            "lanes, weights in EBR)")
                 .arg(numberText(at(all, 16).latencyMs, 3)));
    const int cells = at(all, 1).logicCells - 1;
    QCOMPARE(errorOf([&] {
                 eval::hardwareFigures(
                     g, fourBits(hw::Target::logicCells(cells), hw::WeightMemory::Ebr), x);
             }),
             QStringLiteral("no configuration on the iCEBreaker meets the target <= %1 logic "
                            "cells: the smallest that fits takes about %2 logic cells (4-bit "
                            "weights, 1 lane, weights in EBR)")
                 .arg(numberText(cells), numberText(at(all, 1).logicCells)));
}

void TestTarget::logicCellTargetPicksTheFastestUnderIt()
{
    const Graph g = network();
    const RowMatrixXf x = samples(30);
    const std::vector<Option> all = oracle(g, fourBits({}, hw::WeightMemory::Ebr), x);
    // Up to 8 lanes' estimate: 8 lanes is the fastest under it; one cell less leaves 4.
    for (const auto &[cells, lanes] :
         {std::pair(at(all, 8).logicCells, 8), std::pair(at(all, 8).logicCells - 1, 4)}) {
        const hw::Target t = hw::Target::logicCells(cells);
        QCOMPARE(expected(all, t, hw::WeightMemory::Ebr).lanes, lanes);
        const eval::HardwareFigures f =
            eval::hardwareFigures(g, fourBits(t, hw::WeightMemory::Ebr), x);
        QCOMPARE(f.options.lanes, lanes);
        QCOMPARE(f.latencyMs(), at(all, lanes).latencyMs);
        QVERIFY(f.fit.estimate.logicCells <= cells);
    }
}

void TestTarget::autoMemory()
{
    // With the memory Auto, both EBR and SPRAM designs are candidates: the smallest meeting a
    // loose target is 1 lane in whichever memory costs fewer logic cells (then blocks).
    const Graph g = network();
    const RowMatrixXf x = samples(10);
    const std::vector<Option> all = oracle(g, fourBits({}, hw::WeightMemory::Auto), x);
    const hw::Target t = hw::Target::latency(1000.0);
    const Option want = expected(all, t, hw::WeightMemory::Auto);
    QCOMPARE(want.lanes, 1);
    const eval::HardwareFigures f =
        eval::hardwareFigures(g, fourBits(t, hw::WeightMemory::Auto), x);
    QCOMPARE(f.options.lanes, 1);
    QCOMPARE(f.fit.spram, want.spram);
    QCOMPARE(f.options.weightMemory, want.spram ? hw::WeightMemory::Spram : hw::WeightMemory::Ebr);
    QCOMPARE(f.fit.estimate.logicCells, want.logicCells);
}

void TestTarget::refusals()
{
    const Graph g = network();
    const hw::Target t = hw::Target::latency(5.0);
    QCOMPARE(errorOf([&] { eval::hardwareFigures(g, fourBits(t, hw::WeightMemory::Ebr), {}); }),
             QStringLiteral("the target latency <= 5 ms needs samples to measure the cycles on "
                            "(a data set)"));
    hw::ExportOptions fixed = fourBits(t, hw::WeightMemory::Ebr);
    fixed.lanes = 4;
    fixed.quant.weightBits = 4;
    QCOMPARE(errorOf([&] { eval::hardwareFigures(g, fixed, samples(3)); }),
             QStringLiteral("the target latency <= 5 ms is for Auto: leave the lanes (or the "
                            "weight bits) to be chosen"));
    QCOMPARE(errorOf([&] {
                 eval::hardwareFigures(
                     g, fourBits(hw::Target::latency(-1.0), hw::WeightMemory::Ebr), samples(3));
             }),
             QStringLiteral("the latency target must be a positive number, not -1"));
    // Nothing fits the board at all: the chooser's own message.
    const Graph big = test::randomChain(3, {784, 256, 64, 10}, 0.5, 0.15);
    hw::ExportOptions onStick = fourBits(t, hw::WeightMemory::Auto);
    onStick.board = QStringLiteral("icestick");
    const QString chooser = errorOf([&] {
        hw::chooseConfiguration(big, onStick.quant, hw::board(onStick.board),
                                hw::WeightMemory::Auto, 4);
    });
    QVERIFY2(chooser.startsWith(QStringLiteral("does not fit the iCEstick")), qPrintable(chooser));
    QCOMPARE(
        errorOf([&] { eval::hardwareFigures(big, onStick, RowMatrixXf::Constant(2, 784, 0.5f)); }),
        chooser);
}

// snnc export and optimize with a target on a data set's test samples; an impossible target is
// one line on stderr.
void TestTarget::throughSnnc()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString data = dir.filePath(QStringLiteral("toy"));
    test::writeToyIdxFolder(data, 60, 30, 4);
    const QString model = dir.filePath(QStringLiteral("model.h5"));
    const Graph g = network();
    saveGraph(g, model);
    const RowMatrixXf x = sim::loadSamples(data, sim::kTestSplit, 0, 0).x;
    const std::vector<Option> all = oracle(g, fourBits({}, hw::WeightMemory::Ebr), x);
    const double ms = (at(all, 2).latencyMs + at(all, 4).latencyMs) / 2.0;
    QCOMPARE(expected(all, hw::Target::latency(ms), hw::WeightMemory::Ebr).lanes, 4);

    QProcess p;
    p.start(QStringLiteral(SNNC_PATH),
            {QStringLiteral("export"), model, QStringLiteral("--board"),
             QStringLiteral("icebreaker"), QStringLiteral("--bits"), QStringLiteral("4"),
             QStringLiteral("--memory"), QStringLiteral("ebr"), QStringLiteral("--target-latency"),
             shortest(ms), QStringLiteral("--target-data"), data, QStringLiteral("-o"),
             dir.filePath(QStringLiteral("out"))});
    QVERIFY(p.waitForFinished(60000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QCOMPARE(p.exitCode(), 0);
    const Option &four = at(all, 4);
    QVERIFY2(
        out.startsWith(
            QStringLiteral("4-bit weights, 4 lanes, weights in EBR for the iCEBreaker: the "
                           "smallest of 5 fitting configurations that meets latency <= %1 "
                           "ms (%2 ms at 12.00 MHz, about %3 logic cells, ")
                .arg(shortest(ms), numberText(four.latencyMs, 3), numberText(four.logicCells))),
        qPrintable(out));

    p.start(QStringLiteral(SNNC_PATH),
            {QStringLiteral("optimize"), model, QStringLiteral("--validate"), data,
             QStringLiteral("--quantized"), QStringLiteral("4"), QStringLiteral("--target-lc"),
             QString::number(at(all, 8).logicCells), QStringLiteral("--json"),
             QStringLiteral("-")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject before = QJsonDocument::fromJson(p.readAllStandardOutput())
                                   .object()[QStringLiteral("hardware")]
                                   .toObject()[QStringLiteral("before")]
                                   .toObject();
    const QJsonObject config = before[QStringLiteral("config")].toObject();
    const Option want =
        expected(oracle(g, fourBits({}, hw::WeightMemory::Auto), x),
                 hw::Target::logicCells(at(all, 8).logicCells), hw::WeightMemory::Auto);
    QCOMPARE(config[QStringLiteral("lanes")].toInt(), want.lanes);
    QCOMPARE(config[QStringLiteral("target")][QStringLiteral("kind")].toString(),
             QStringLiteral("logic_cells"));
    QCOMPARE(before[QStringLiteral("logic_cells")].toInt(), want.logicCells);

    p.start(QStringLiteral(SNNC_PATH),
            {QStringLiteral("optimize"), model, QStringLiteral("--validate"), data,
             QStringLiteral("--quantized"), QStringLiteral("4"), QStringLiteral("--target-latency"),
             QStringLiteral("0.0001")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.startsWith(QStringLiteral("snnc: no configuration on the iCEBreaker meets the "
                                           "target latency <= 0.0001 ms: the fastest that fits "
                                           "takes ")),
             qPrintable(err));
    QCOMPARE(err.count(QLatin1Char('\n')), 1);
    QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()), QString());
}

QTEST_GUILESS_MAIN(TestTarget)
#include "tst_target.moc"
