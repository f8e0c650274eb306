#include "TestUtils.h"
#include "base/Error.h"
#include "eval/Accuracy.h"
#include "eval/HardwareFigures.h"
#include "hw/Boards.h"

#include <QJsonObject>

using namespace snn;

namespace {

// input(16) -> 12 -> 4, LIF, random weights with a positive drift so that the hidden layer fires.
Graph network()
{
    Graph g = test::randomChain(5, {16, 12, 4}, 0.5, 0.15);
    g.validate();
    return g;
}

RowMatrixXf samples(int count)
{
    return test::uniformSamples(count, 16, 9);
}

hw::ExportOptions automaticLanes(int bits)
{
    hw::ExportOptions o;
    o.quant.weightBits = bits;
    o.lanes = 0;
    return o;
}

} // namespace

class TestHardwareFigures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cyclesAreTheCoreModelsMean();
    void resourcesAndConfiguration();
    void withoutSamples();
    void json();
    void comparison();
    void refusedGraph();
};

void TestHardwareFigures::cyclesAreTheCoreModelsMean()
{
    const Graph g = network();
    const RowMatrixXf x = samples(25);
    std::vector<int> predictions;
    const eval::HardwareFigures f =
        eval::hardwareFigures(g, automaticLanes(4), x, {}, &predictions);
    QCOMPARE(f.samples, 25);
    QCOMPARE(f.options.quant.weightBits, 4);
    // The oracle: each sample through the model, one after the other, its cycles by hw::coreCycles
    // (which tst_verilog checks against the testbench's count).
    const hw::QuantizedNetwork net = hw::quantize(g, f.options.quant);
    const hw::MemoryLayout layout = hw::memoryLayout(net, f.options.lanes);
    hw::ModelRunner runner(net);
    std::int64_t cycles = 0;
    std::vector<int> expected;
    for (Eigen::Index s = 0; s < x.rows(); ++s) {
        hw::ModelTrace trace;
        expected.push_back(runner.run(hw::intensities(x.row(s).transpose()), &trace).predicted);
        cycles += hw::coreCycles(net, layout, trace);
    }
    QCOMPARE(f.cyclesPerInference, double(cycles) / 25.0);
    QVERIFY(f.cyclesPerInference > 0.0);
    QCOMPARE(predictions, expected);
    QCOMPARE(predictions, eval::quantizedPredictions(net, x));
    // The iCEBreaker's 12 MHz oscillator; 16 intensities out and 4 counts and the class back,
    // each frame 5 bytes more (start, command, length, CRC), 10 bits a byte at 115,200 baud.
    QCOMPARE(f.clockMHz, 12.0);
    QCOMPARE(f.latencyMs(), f.cyclesPerInference / 12e3);
    QCOMPARE(f.uartMs, (16 + 5 + 5 + 5) * 10.0 / 115200.0 * 1e3);
    QCOMPARE(f.inferencesPerSecond(), 1000.0 / (f.latencyMs() + f.uartMs));
    // A PLL clock scales the latency; the UART takes as long.
    hw::ExportOptions fast = automaticLanes(4);
    fast.clockMHz = 48.0;
    const eval::HardwareFigures f48 = eval::hardwareFigures(g, fast, x);
    QCOMPARE(f48.clockMHz, 48.0);
    QCOMPARE(f48.cyclesPerInference, f.cyclesPerInference);
    QCOMPARE(f48.latencyMs(), f.latencyMs() / 4.0);
}

void TestHardwareFigures::resourcesAndConfiguration()
{
    const Graph g = network();
    const eval::HardwareFigures f = eval::hardwareFigures(g, automaticLanes(4), RowMatrixXf());
    QVERIFY(f.automatic);
    // Auto: the most lanes that fit up to the power of two that covers the largest layer (12).
    QCOMPARE(f.options.lanes, 16);
    const hw::FitCheck fit =
        hw::checkFit(g, f.options.quant, 16, hw::board(QStringLiteral("icebreaker")));
    QCOMPARE(f.fit.estimate.logicCells, fit.estimate.logicCells);
    QCOMPARE(f.fit.estimate.ebrBlocks, fit.estimate.ebrBlocks);
    QCOMPARE(f.fit.estimate.spramBlocks, 0);
    QCOMPARE(f.fit.spram, false);
    // 16 + 12 words (one group per source in each layer) of 16 lanes x 4 bits.
    QCOMPARE(f.fit.estimate.weightBits, std::int64_t((16 + 12) * 16 * 4));
    QCOMPARE(f.weightKbit(), (16 + 12) * 16 * 4 / 1024.0);
    QCOMPARE(f.configText(),
             QStringLiteral("4-bit weights, 16 lanes, weights in EBR (Auto for this graph)"));
    hw::ExportOptions set = automaticLanes(4);
    set.lanes = 2;
    const eval::HardwareFigures two = eval::hardwareFigures(g, set, RowMatrixXf());
    QVERIFY(!two.automatic);
    QCOMPARE(two.configText(), QStringLiteral("4-bit weights, 2 lanes, weights in EBR (as set)"));
    // Auto bits too: the most accurate that fit, 8.
    hw::ExportOptions both = automaticLanes(0);
    QCOMPARE(eval::hardwareFigures(g, both, RowMatrixXf()).options.quant.weightBits, 8);
}

void TestHardwareFigures::withoutSamples()
{
    const eval::HardwareFigures f =
        eval::hardwareFigures(network(), automaticLanes(4), RowMatrixXf());
    QVERIFY(!f.hasCycles());
    QCOMPARE(f.samples, 0);
    QCOMPARE(f.cyclesPerInference, 0.0);
    const QJsonObject json = f.toJson();
    QCOMPARE(json[QStringLiteral("cycles_per_inference")].toString(),
             QStringLiteral("not measured"));
    QCOMPARE(json[QStringLiteral("latency_ms")].toString(), QStringLiteral("not measured"));
    QCOMPARE(json[QStringLiteral("inferences_per_s")].toString(), QStringLiteral("not measured"));
}

void TestHardwareFigures::json()
{
    const eval::HardwareFigures f = eval::hardwareFigures(network(), automaticLanes(4), samples(5));
    const QJsonObject json = f.toJson();
    QCOMPARE(json.keys(),
             (QStringList{QStringLiteral("config"), QStringLiteral("cycles_per_inference"),
                          QStringLiteral("ebr"), QStringLiteral("inferences_per_s"),
                          QStringLiteral("latency_ms"), QStringLiteral("logic_cells"),
                          QStringLiteral("samples"), QStringLiteral("spram"),
                          QStringLiteral("uart_ms"), QStringLiteral("weight_kbit")}));
    QCOMPARE(json[QStringLiteral("cycles_per_inference")].toDouble(), f.cyclesPerInference);
    QCOMPARE(json[QStringLiteral("latency_ms")].toDouble(), f.latencyMs());
    QCOMPARE(json[QStringLiteral("inferences_per_s")].toDouble(), f.inferencesPerSecond());
    QCOMPARE(json[QStringLiteral("weight_kbit")].toDouble(), f.weightKbit());
    QCOMPARE(json[QStringLiteral("logic_cells")].toInt(), f.fit.estimate.logicCells);
    QCOMPARE(json[QStringLiteral("samples")].toInt(), 5);
    const QJsonObject config = json[QStringLiteral("config")].toObject();
    QCOMPARE(config[QStringLiteral("weight_bits")].toInt(), 4);
    QCOMPARE(config[QStringLiteral("lanes")].toInt(), 16);
    QCOMPARE(config[QStringLiteral("memory")].toString(), QStringLiteral("ebr"));
    QCOMPARE(config[QStringLiteral("chosen")].toString(), QStringLiteral("auto"));
    QCOMPARE(config[QStringLiteral("board")].toString(), QStringLiteral("icebreaker"));
    QCOMPARE(config[QStringLiteral("fits")].toBool(), true);
    QCOMPARE(config[QStringLiteral("clock_mhz")].toDouble(), 12.0);
}

void TestHardwareFigures::comparison()
{
    // The after graph (its hidden layer halved) at its own configuration and at the before's.
    const Graph before = network();
    Graph after = before;
    after.layer(after.layers()[0].id).removeNeurons({0, 1, 2, 3, 4, 5});
    after.layer(after.layers()[1].id).removeInputs({0, 1, 2, 3, 4, 5});
    const RowMatrixXf x = samples(10);
    eval::HardwareComparison c;
    c.before = eval::hardwareFigures(before, automaticLanes(4), x);
    c.after = eval::hardwareFigures(after, automaticLanes(4), x);
    c.afterSameConfiguration = eval::hardwareFigures(after, eval::sameConfiguration(c.before), x);
    QCOMPARE(c.before.options.lanes, 16);
    QCOMPARE(c.after.options.lanes, 8); // what covers the largest layer (6)
    QCOMPARE(c.afterSameConfiguration.options.lanes, 16);
    QVERIFY(!c.afterSameConfiguration.automatic);
    QCOMPARE(c.afterSameConfiguration.fit.spram, c.before.fit.spram);
    const QJsonObject json = c.toJson();
    QCOMPARE(json.keys(),
             (QStringList{QStringLiteral("after"), QStringLiteral("after_same_configuration"),
                          QStringLiteral("before")}));
    QCOMPARE(
        json[QStringLiteral("after")][QStringLiteral("config")][QStringLiteral("lanes")].toInt(),
        8);
    const QStringList lines = c.lines();
    QCOMPARE(lines.size(), 9);
    QCOMPARE(lines[0], QStringLiteral("  configuration     4-bit weights, 16 lanes, weights in "
                                      "EBR (Auto for this graph) -> 4-bit weights, 8 lanes, "
                                      "weights in EBR (Auto for this graph)"));
    QVERIFY(lines[1].startsWith(QStringLiteral("  cycles/inference  ")));
    QVERIFY(lines[1].endsWith(QStringLiteral(" (mean of 10 samples)")));
}

void TestHardwareFigures::refusedGraph()
{
    Graph g = network();
    g.layer(g.layers()[0].id).neuron.spiking = false;
    QVERIFY_THROWS_EXCEPTION(Error, eval::hardwareFigures(g, automaticLanes(4), samples(2)));
}

QTEST_GUILESS_MAIN(TestHardwareFigures)
#include "tst_hardwarefigures.moc"
