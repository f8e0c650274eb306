#include "SimTestData.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "eval/Accuracy.h"
#include "hw/Quantizer.h"
#include "opt/Optimizer.h"
#include "sim/SpikeMonitor.h"

#include <QJsonArray>

#include <QJsonObject>

using namespace snn;
using namespace snn::test;

namespace {

// 16 inputs -> 20 hidden (neurons 3, 7 and 11 can never fire: negative weights and bias) -> 3.
Graph netWithSilentNeurons()
{
    Rng rng(5);
    Graph g(16);
    Layer h = makeLayer(QStringLiteral("hidden"), kNetworkInput, 20, 16);
    for (Eigen::Index i = 0; i < h.weights.size(); ++i)
        h.weights.data()[i] = float(rng.uniform() * 0.6 - 0.2);
    h.bias = Eigen::VectorXf::Zero(20);
    for (int dead : {3, 7, 11}) {
        h.weights.row(dead).setConstant(-0.5f);
        h.bias(dead) = -0.1f;
    }
    const LayerId hid = g.addLayer(h);
    Layer o = makeLayer(QStringLiteral("output"), hid, 3, 20);
    for (Eigen::Index i = 0; i < o.weights.size(); ++i)
        o.weights.data()[i] = float(rng.uniform() * 1.0 - 0.3);
    g.addLayer(o);
    return g;
}

// The net above with its rates measured on toy data, and options that measure the accuracy on
// that data, the FPGA core's at 10 steps.
struct HardwareCase {
    Graph graph = netWithSilentNeurons();
    sim::Dataset data = toyData(120, 3, 4, 9);
    sim::SimOptions simulation;
    OptimizeOptions options;
};

HardwareCase hardwareCase()
{
    HardwareCase c;
    c.simulation.steps = 12;
    sim::SpikeMonitor::storeRates(c.graph, sim::SpikeMonitor(c.simulation).record(c.graph, c.data),
                                  QStringLiteral("measured"));
    auto validation = std::make_shared<ValidationSet>();
    validation->data = c.data;
    validation->simulation = c.simulation;
    c.options.validation = validation;
    c.options.hardware.steps = 10;
    return c;
}

} // namespace

class TestSpikeMonitor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recordsRatesAndCounts();
    void ratesDriveDeadNeuronElimination_data();
    void ratesDriveDeadNeuronElimination();
    void notMeasuredWithoutData();
    void hardwareAccuracyBeforeAndAfter();
    void retrainedResultMeasuredAgain();
    void badData();
};

void TestSpikeMonitor::recordsRatesAndCounts()
{
    const Graph g = netWithSilentNeurons();
    const sim::Dataset d = toyData(50, 3, 4, 8);
    sim::SimOptions o;
    o.steps = 10;
    const sim::Activity a = sim::SpikeMonitor(o).record(g, d);
    QCOMPARE(a.samples, 50);
    QCOMPARE(int(a.rates.size()), 2);
    QCOMPARE(a.rates[0].size(), Eigen::Index(20));
    QCOMPARE(a.outputCounts.rows(), Eigen::Index(50));
    QCOMPARE(a.outputCounts.cols(), Eigen::Index(3));
    QCOMPARE(a.silentNeurons()[0], 3);
    for (int dead : {3, 7, 11})
        QCOMPARE(a.rates[0](dead), 0.0f);
    // The output rates are the per-sample counts averaged.
    QVERIFY(std::abs(double(a.rates[1].sum()) - double(a.outputCounts.sum()) / (50.0 * 10.0)) <
            1e-5);
    QVERIFY(a.rates[1].sum() > 0.0f);
    QVERIFY((a.outputCounts.array() <= 10.0f).all());
    int correct = 0;
    for (int i = 0; i < 50; ++i) {
        QCOMPARE(a.predictions[std::size_t(i)], sim::predict(a.outputCounts.row(i)));
        correct += a.predictions[std::size_t(i)] == d.y[std::size_t(i)];
    }
    QCOMPARE(a.accuracy, correct / 50.0);

    Graph stored = g;
    sim::SpikeMonitor::storeRates(stored, a, QStringLiteral("measured: x"));
    QCOMPARE(stored.layers()[0].rates, a.rates[0]);
    QCOMPARE(stored.layers()[1].rates, a.rates[1]);
    QCOMPARE(stored.layers()[0].ratesSource, QStringLiteral("measured: x"));
    stored.validate();

    // measure() records and stores, naming the data, split, samples, encoding and steps.
    Graph measured = g;
    const sim::Activity m =
        sim::SpikeMonitor(o).measure(measured, d, QStringLiteral("toy-set"), sim::kValidationSplit);
    QCOMPARE(m.rates[0], a.rates[0]);
    for (const Layer &l : measured.layers()) {
        QCOMPARE(l.ratesSource,
                 QStringLiteral("measured: toy-set, validation, 50 samples, rate, T=10"));
        QVERIFY(!l.hasSyntheticRates());
    }
    QCOMPARE(measured.layers()[1].rates, a.rates[1]);
}

void TestSpikeMonitor::ratesDriveDeadNeuronElimination_data()
{
    QTest::addColumn<int>("encoding");
    QTest::newRow("rate") << int(sim::Encoding::Rate);
    QTest::newRow("current") << int(sim::Encoding::Current);
}

void TestSpikeMonitor::ratesDriveDeadNeuronElimination()
{
    QFETCH(int, encoding);
    Graph g = netWithSilentNeurons();
    const sim::Dataset d = toyData(200, 3, 4, 8);
    sim::SimOptions o;
    o.steps = 12;
    o.encoding = sim::Encoding(encoding);
    const sim::Activity a = sim::SpikeMonitor(o).record(g, d);
    sim::SpikeMonitor::storeRates(g, a, QStringLiteral("measured"));
    const int silent = a.silentNeurons()[0];
    QVERIFY(silent >= 3);

    OptimizeOptions options;
    auto validation = std::make_shared<ValidationSet>();
    validation->data = d;
    validation->simulation = o;
    options.validation = validation;
    const OptimizeResult r = optimize(g, {passes::kDeadNeuronElimination}, options);
    QCOMPARE(r.graph.layers()[0].neurons(), 20 - silent);
    QCOMPARE(r.report.passReports[0].neuronsRemoved, silent);
    // Removing neurons that never fired on this data changes nothing on this data, exactly.
    QVERIFY(r.report.accuracy);
    QCOMPARE(r.report.accuracy->before, a.accuracy);
    QCOMPARE(r.report.accuracy->after, a.accuracy);
    QCOMPARE(r.report.accuracy->agreement, 1.0);
    QCOMPARE(r.report.accuracy->samples, 200);
    QVERIFY(r.report.passReports[0].accuracy);
    QCOMPARE(r.report.passReports[0].accuracy->agreement, 1.0);
    const sim::Activity after = sim::SpikeMonitor(o).record(r.graph, d);
    QCOMPARE(after.outputCounts, a.outputCounts);
    QCOMPARE(after.predictions, a.predictions);

    const QString text = r.report.summary();
    QVERIFY2(
        text.contains(QStringLiteral("Accuracy:    %1% -> %1% (agreement 100.00% of 200 samples)")
                          .arg(100.0 * a.accuracy, 0, 'f', 2)),
        qPrintable(text));
    const QJsonObject json = r.report.toJson();
    QCOMPARE(json[QStringLiteral("accuracy")].toObject()[QStringLiteral("agreement")].toDouble(),
             1.0);
    QCOMPARE(json[QStringLiteral("accuracy")].toObject()[QStringLiteral("samples")].toInt(), 200);

    // A pass that changes the function shows it: a dead threshold that removes firing neurons.
    options.deadThreshold = 0.2f;
    const OptimizeResult lossy = optimize(g, {passes::kDeadNeuronElimination}, options);
    QVERIFY(lossy.graph.layers()[0].neurons() < 20 - silent);
    const sim::Activity lossyActivity = sim::SpikeMonitor(o).record(lossy.graph, d);
    QCOMPARE(lossy.report.accuracy->after, lossyActivity.accuracy);
    QCOMPARE(lossy.report.accuracy->agreement,
             sim::agreement(a.predictions, lossyActivity.predictions));
}

void TestSpikeMonitor::hardwareAccuracyBeforeAndAfter()
{
    // The FPGA core's accuracy before and after the passes: each figure is the one the
    // bit-accurate model (and the float graph on the core's input spikes) gives directly.
    const HardwareCase setup = hardwareCase();
    const Graph &g = setup.graph;
    const sim::Dataset &d = setup.data;
    OptimizeOptions options = setup.options;
    options.hardwareBits = {8, 3};
    QStringList steps;
    RunControl control;
    control.progress = [&steps](double, const QString &step) { steps << step; };
    const OptimizeResult r = optimize(g, {passes::kDeadNeuronElimination}, options, control);
    QVERIFY(r.graph.totalNeurons() < g.totalNeurons());
    QVERIFY(r.report.hardware);
    QVERIFY(r.report.hardwareNotMeasured.isEmpty());
    const HardwareAccuracy &h = *r.report.hardware;
    const auto expect = [&](const AccuracyChange &a, const std::vector<int> &before,
                            const std::vector<int> &after) {
        QCOMPARE(a.before, sim::accuracy(before, d.y));
        QCOMPARE(a.after, sim::accuracy(after, d.y));
        QCOMPARE(a.agreement, sim::agreement(before, after));
        QCOMPARE(a.samples, 120);
    };
    expect(h.floatModel, eval::floatPredictions(g, options.hardware, d.x),
           eval::floatPredictions(r.graph, options.hardware, d.x));
    QCOMPARE(int(h.quantized.size()), 2);
    for (int i = 0; i < 2; ++i) {
        hw::QuantConfig c = options.hardware;
        c.weightBits = options.hardwareBits[std::size_t(i)];
        QCOMPARE(h.quantized[std::size_t(i)].weightBits, c.weightBits);
        expect(h.quantized[std::size_t(i)].accuracy,
               eval::quantizedPredictions(hw::quantize(g, c), d.x),
               eval::quantizedPredictions(hw::quantize(r.graph, c), d.x));
    }
    QVERIFY(h.quantized[1].accuracy.before < h.quantized[0].accuracy.before); // 3 bits cost
    // One progress report per sample and graph: 120 samples, before and after.
    QCOMPARE(steps.count(QStringLiteral("3-bit hardware model")), 240);
    // When the passes change nothing, the "after" figures are the "before" ones, not computed
    // again.
    steps.clear();
    const OptimizeResult same = optimize(g, {passes::kLayerFusion}, options, control);
    QCOMPARE(same.graph.totalNeurons(), g.totalNeurons());
    QCOMPARE(steps.count(QStringLiteral("3-bit hardware model")), 120);
    QCOMPARE(same.report.hardware->quantized[1].accuracy.before, h.quantized[1].accuracy.before);
    QCOMPARE(same.report.hardware->quantized[1].accuracy.after, h.quantized[1].accuracy.before);
    QCOMPARE(same.report.hardware->quantized[1].accuracy.agreement, 1.0);

    const QString text = r.report.summary();
    QVERIFY2(text.contains(QStringLiteral("Hardware:    the core's input generator (seed 0xace1), "
                                          "10 steps, 16-bit membrane")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("  3-bit weights    %1% -> %2%")
                               .arg(100.0 * h.quantized[1].accuracy.before, 0, 'f', 2)
                               .arg(100.0 * h.quantized[1].accuracy.after, 0, 'f', 2)),
             qPrintable(text));
    const QJsonObject json = r.report.toJson()[QStringLiteral("hardware_accuracy")].toObject();
    const QJsonArray widths = json[QStringLiteral("quantized")].toArray();
    QCOMPARE(widths.size(), 2);
    QCOMPARE(widths[1].toObject()[QStringLiteral("weight_bits")].toInt(), 3);
    QCOMPARE(widths[1]
                 .toObject()[QStringLiteral("accuracy")]
                 .toObject()[QStringLiteral("before")]
                 .toDouble(),
             h.quantized[1].accuracy.before);

    // A graph the core cannot run: the passes and the float accuracy still report, the hardware
    // figures say why they are missing.
    Graph linear = g;
    linear.layer(linear.layers().back().id).neuron.spiking = false;
    const OptimizeResult lr = optimize(linear, {passes::kDeadNeuronElimination}, options);
    QVERIFY(lr.report.accuracy);
    QVERIFY(!lr.report.hardware);
    const QString why = QStringLiteral(
        "layer output is not spiking (linear); the hardware runs spiking layers only");
    QCOMPARE(lr.report.hardwareNotMeasured, why);
    QVERIFY(lr.report.summary().contains(QStringLiteral("Hardware:    not measured: ") + why));
    QCOMPARE(lr.report.toJson()[QStringLiteral("hardware_accuracy")].toString(),
             QStringLiteral("not measured: ") + why);

    // Without data there is nothing to measure on; a width out of range is refused up front.
    options.validation.reset();
    QCOMPARE(optimize(g, {}, options).report.hardwareNotMeasured,
             QStringLiteral("no validation set given"));
    options.hardwareBits = {9};
    try {
        optimize(g, {}, options);
        QFAIL("accepted 9-bit weights");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("weight bits must be 2 to 8, got 9"));
    }
}

// A result whose graph was retrained (the Pipeline's fine-tune): the passes' reports stay, the
// overall float and hardware accuracy are those of the input against the retrained graph.
void TestSpikeMonitor::retrainedResultMeasuredAgain()
{
    const HardwareCase setup = hardwareCase();
    const Graph &g = setup.graph;
    const sim::Dataset &d = setup.data;
    const sim::SimOptions &o = setup.simulation;
    OptimizeOptions options = setup.options;
    options.hardwareBits = {4};
    const OptimizeResult r = optimize(g, {passes::kDeadNeuronElimination}, options);
    Graph tuned = r.graph;
    for (const Layer &l : r.graph.layers())
        tuned.layer(l.id).weights *= 0.5f;
    const OptimizeResult t =
        retrained(g, r, tuned, QStringLiteral("1 epoch at 4-bit weights"), options);
    QCOMPARE(t.graph.layers()[0].weights, tuned.layers()[0].weights);
    QCOMPARE(t.report.retraining, QStringLiteral("1 epoch at 4-bit weights"));
    QCOMPARE(t.report.toJson()[QStringLiteral("retrained")].toString(), t.report.retraining);
    QVERIFY(r.report.toJson()[QStringLiteral("retrained")].isNull());
    QVERIFY(t.report.summary().contains(QStringLiteral("Retrained:   1 epoch at 4-bit weights")));
    QCOMPARE(t.report.passReports.size(), r.report.passReports.size());
    QCOMPARE(t.report.passReports[0].neuronsRemoved, r.report.passReports[0].neuronsRemoved);
    QCOMPARE(t.report.before, r.report.before);
    QCOMPARE(t.report.after, r.report.after);
    const sim::Activity before = sim::SpikeMonitor(o).record(g, d);
    const sim::Activity after = sim::SpikeMonitor(o).record(tuned, d);
    QCOMPARE(t.report.accuracy->before, before.accuracy);
    QCOMPARE(t.report.accuracy->after, after.accuracy);
    QCOMPARE(t.report.accuracy->agreement, sim::agreement(before.predictions, after.predictions));
    QVERIFY(t.report.accuracy->after != r.report.accuracy->after);
    hw::QuantConfig c = options.hardware;
    c.weightBits = 4;
    const AccuracyChange &core = t.report.hardware->quantized[0].accuracy;
    QCOMPARE(core.before, sim::accuracy(eval::quantizedPredictions(hw::quantize(g, c), d.x), d.y));
    QCOMPARE(core.after,
             sim::accuracy(eval::quantizedPredictions(hw::quantize(tuned, c), d.x), d.y));
    QVERIFY(t.report.summary().contains(QStringLiteral("Retrained:   1 epoch at 4-bit weights")));

    // Another structure is not a retrained result.
    try {
        retrained(g, r, g, QString(), options);
        QFAIL("accepted a graph of other sizes");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the retrained graph does not have the optimised "
                                             "graph's layers and sizes"));
    }
}

void TestSpikeMonitor::notMeasuredWithoutData()
{
    const OptimizeResult r = optimize(netWithSilentNeurons(), availablePasses());
    QVERIFY(!r.report.accuracy);
    QVERIFY(r.report.summary().contains(QStringLiteral("Accuracy:    not measured")));
    QCOMPARE(r.report.toJson()[QStringLiteral("accuracy")].toString(),
             QStringLiteral("not measured"));
}

void TestSpikeMonitor::badData()
{
    const Graph g = netWithSilentNeurons();
    sim::Dataset d = toyData(5, 3, 4, 8);
    d.y[2] = 3;
    try {
        sim::SpikeMonitor().record(g, d);
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral(
                     "toy: label 3 of sample 2 is out of range for a network with 3 outputs"));
    }
    const sim::Dataset wide = toyData(5, 3, 5, 8);
    QVERIFY_THROWS_EXCEPTION(Error, sim::SpikeMonitor().record(g, wide));
    Graph other = g;
    other.removeLayer(other.layers()[1].id);
    QVERIFY_THROWS_EXCEPTION(Error, sim::SpikeMonitor::storeRates(
                                        other, sim::SpikeMonitor().record(g, toyData(5, 3, 4, 8)),
                                        QStringLiteral("measured")));
}

QTEST_GUILESS_MAIN(TestSpikeMonitor)
#include "tst_spikemonitor.moc"
