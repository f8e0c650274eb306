#include "TestUtils.h"
#include "base/Error.h"
#include "base/Rng.h"
#include "base/RunControl.h"
#include "eval/Accuracy.h"
#include "sim/Engine.h"

#include <set>

using namespace snn;
using namespace snn::eval;
using namespace snn::hw;
using snn::test::makeLayer;

class TestAccuracy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void accuracyOnSyntheticData();
    void predictionsMatchTheModelPerSample();
    void accuracyComparisonAcrossBits();
};

void TestAccuracy::accuracyOnSyntheticData()
{
    // Two classes: input 0 bright -> class 0, input 1 bright -> class 1; an identity network.
    Graph g(2);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 2, 2, {1, 0, 0, 1});
    l.neuron.threshold = 0.5f;
    g.addLayer(l);
    QuantConfig c;
    Eigen::MatrixXf samples(4, 2);
    samples << 1.0f, 0.0f, 0.0f, 1.0f, 0.9f, 0.1f, 0.1f, 0.9f;
    const std::vector<int> labels{0, 1, 0, 1};
    const QuantizedNetwork q = quantize(g, c);
    QCOMPARE(quantizedPredictions(q, samples), labels);
    QCOMPARE(floatPredictions(g, c, samples), labels);
    try {
        compareAccuracy(g, c, samples, {0, 1}, {8}, {});
        QFAIL("accepted mismatched labels");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("4 samples but 2 labels"));
    }
    try {
        quantizedPredictions(q, Eigen::MatrixXf::Zero(2, 3));
        QFAIL("accepted samples of the wrong size");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the samples have 3 values, the network takes 2"));
    }
}

void TestAccuracy::predictionsMatchTheModelPerSample()
{
    // The parallel runner reuses its state across samples: every prediction must be the one a
    // fresh runModel gives, whatever thread ran it.
    const Graph g = test::randomChain(21, {12, 9, 7, 4}, 0.6, 0.1);
    QuantConfig c;
    c.weightBits = 6;
    c.steps = 12;
    const QuantizedNetwork q = quantize(g, c);
    Rng rng(5);
    Eigen::MatrixXf samples(40, 12);
    for (Eigen::Index i = 0; i < samples.size(); ++i)
        samples(i) = float(rng.uniform());
    const std::vector<int> predictions = quantizedPredictions(q, samples);
    std::set<int> classes;
    for (Eigen::Index s = 0; s < samples.rows(); ++s) {
        QCOMPARE(predictions[std::size_t(s)],
                 runModel(q, intensities(samples.row(s).transpose())).predicted);
        classes.insert(predictions[std::size_t(s)]);
    }
    QVERIFY2(classes.size() > 1, "all samples in one class: the check would be weak");
}

void TestAccuracy::accuracyComparisonAcrossBits()
{
    // Class 0 when input 0 is brighter than input 1. Each width's figure must be exactly what
    // quantizedAccuracy gives for that width, in the requested order, with progress per width.
    Graph g(2);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 2, 2, {1.0f, 0.45f, 0.45f, 1.0f});
    l.neuron.threshold = 0.5f;
    l.neuron.type = NeuronType::IF;
    l.neuron.beta = 1.0f;
    g.addLayer(l);
    Eigen::MatrixXf samples(4, 2);
    samples << 1.0f, 0.6f, 0.6f, 1.0f, 0.9f, 0.5f, 0.5f, 0.9f;
    const std::vector<int> labels{0, 1, 0, 1};
    QuantConfig c;
    c.steps = 20;
    QStringList steps;
    RunControl control;
    control.progress = [&steps](double, const QString &step) { steps << step; };
    const AccuracyComparison r = compareAccuracy(g, c, samples, labels, {8, 2}, control);
    QCOMPARE(r.floatAccuracy, sim::accuracy(floatPredictions(g, c, samples), labels));
    QCOMPARE(int(r.quantized.size()), 2);
    QCOMPARE(r.floatAccuracy, 1.0);
    QCOMPARE(r.quantized[0].weightBits, 8);
    QCOMPARE(r.quantized[0].accuracy,
             sim::accuracy(quantizedPredictions(quantize(g, c), samples), labels));
    c.weightBits = 2;
    QCOMPARE(r.quantized[1].accuracy,
             sim::accuracy(quantizedPredictions(quantize(g, c), samples), labels));
    steps.removeDuplicates();
    QCOMPARE(steps, (QStringList{QStringLiteral("float model on hardware input"),
                                 QStringLiteral("8-bit hardware model"),
                                 QStringLiteral("2-bit hardware model"), QStringLiteral("done")}));
    RunControl cancel;
    cancel.cancelRequested = [] { return true; };
    QVERIFY_THROWS_EXCEPTION(Cancelled, compareAccuracy(g, c, samples, labels, {8}, cancel));
}

QTEST_GUILESS_MAIN(TestAccuracy)
#include "tst_accuracy.moc"
