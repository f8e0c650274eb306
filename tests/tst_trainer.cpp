#include "GraphEquality.h"
#include "SimTestData.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "eval/Accuracy.h"
#include "train/TrainRun.h"

#include "sim/SpikeMonitor.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <limits>
#include <new>
#include <numeric>

#include <sys/resource.h>
#include <unistd.h>

using namespace snn;
using namespace snn::test;

namespace {

// A tiny 6-5-4-3 network with biases.
Graph tinyNet(ResetMode reset, std::uint64_t seed, float resetValue = 0.0f)
{
    NeuronParams p;
    p.reset = reset;
    p.resetValue = resetValue;
    p.beta = 0.8f;
    p.threshold = 0.5f;
    Graph g = sim::initialGraph(6, {5, 4, 3}, p, seed);
    // Larger weights so that the neurons are busy.
    for (const Layer &l : g.layers())
        g.layer(l.id).weights *= 2.0f;
    return g;
}

sim::TrainOptions smallOptions()
{
    sim::TrainOptions o;
    o.steps = 12;
    o.batchSize = 16;
    o.epochs = 3;
    o.learningRate = 5e-3f;
    return o;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void gradientMatchesFiniteDifferences_data();
    void gradientMatchesFiniteDifferences();
    void trainingOnIdxFilesReducesTheLoss();
    void resumeGivesTheSameResult();
    void sameResultOnAnyThreadCount();
    void cancelKeepsTheLastEpoch();
    void validationChoosesAndTestOnlyReports();
    void neverTrainsOnValidationSamples();
    void badInput();
    void runningOutOfMemoryLeavesTheTrainerUsable();
    void qatForwardIsTheHardwareModel();
    void qatImprovesTheQuantisedAccuracy();
};

void TestTrainer::gradientMatchesFiniteDifferences_data()
{
    QTest::addColumn<int>("reset");
    QTest::addColumn<float>("resetValue");
    QTest::addColumn<int>("loss");
    QTest::addColumn<int>("encoding");
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("perNeuron");
    QTest::addColumn<float>("initial");
    const auto row = [](const char *name, ResetMode reset, float resetValue, sim::Loss loss,
                        sim::Encoding encoding, NeuronType type = NeuronType::LIF,
                        bool perNeuron = false, float initial = 0.0f) {
        QTest::newRow(name) << int(reset) << resetValue << int(loss) << int(encoding) << int(type)
                            << perNeuron << initial;
    };
    using sim::Encoding;
    using sim::Loss;
    row("subtract count current", ResetMode::Subtract, 0.0f, Loss::SpikeCount, Encoding::Current);
    row("zero count current", ResetMode::Zero, 0.0f, Loss::SpikeCount, Encoding::Current);
    row("zero to -0.2 count current", ResetMode::Zero, -0.2f, Loss::SpikeCount, Encoding::Current);
    row("subtract-next count current", ResetMode::SubtractNext, 0.0f, Loss::SpikeCount,
        Encoding::Current);
    row("subtract-next membrane rate", ResetMode::SubtractNext, 0.0f, Loss::Membrane,
        Encoding::Rate);
    row("subtract-nodelay count current", ResetMode::SubtractNoDelay, 0.0f, Loss::SpikeCount,
        Encoding::Current);
    row("subtract-nodelay membrane rate", ResetMode::SubtractNoDelay, 0.0f, Loss::Membrane,
        Encoding::Rate);
    row("subtract membrane current", ResetMode::Subtract, 0.0f, Loss::Membrane, Encoding::Current);
    row("subtract count rate", ResetMode::Subtract, 0.0f, Loss::SpikeCount, Encoding::Rate);
    // zero-next's reset is a step of the previous membrane, detached (as snnTorch's mem_reset).
    row("zero-next count current", ResetMode::ZeroNext, 0.0f, Loss::SpikeCount, Encoding::Current);
    row("zero-next membrane rate", ResetMode::ZeroNext, 0.0f, Loss::Membrane, Encoding::Rate);
    // CubaLIF: the synaptic current carries the gradient back through alpha.
    row("CubaLIF subtract count current", ResetMode::Subtract, 0.0f, Loss::SpikeCount,
        Encoding::Current, NeuronType::CubaLIF);
    row("CubaLIF zero membrane rate", ResetMode::Zero, 0.0f, Loss::Membrane, Encoding::Rate,
        NeuronType::CubaLIF);
    row("CubaLIF zero-next count rate", ResetMode::ZeroNext, 0.0f, Loss::SpikeCount, Encoding::Rate,
        NeuronType::CubaLIF);
    row("CubaLIF subtract-next count current", ResetMode::SubtractNext, 0.0f, Loss::SpikeCount,
        Encoding::Current, NeuronType::CubaLIF);
    // Beta, threshold (and alpha) per neuron; membranes starting at 0.3.
    row("per neuron subtract count current", ResetMode::Subtract, 0.0f, Loss::SpikeCount,
        Encoding::Current, NeuronType::LIF, true);
    row("per neuron CubaLIF subtract-next membrane current", ResetMode::SubtractNext, 0.0f,
        Loss::Membrane, Encoding::Current, NeuronType::CubaLIF, true);
    row("initial membrane zero count current", ResetMode::Zero, 0.0f, Loss::SpikeCount,
        Encoding::Current, NeuronType::LIF, false, 0.3f);
}

void TestTrainer::gradientMatchesFiniteDifferences()
{
    QFETCH(int, reset);
    QFETCH(float, resetValue);
    QFETCH(int, loss);
    QFETCH(int, encoding);
    QFETCH(int, type);
    QFETCH(bool, perNeuron);
    QFETCH(float, initial);
    Graph g = tinyNet(ResetMode(reset), 3, resetValue);
    for (const Layer &layer : g.layers()) {
        Layer &l = g.layer(layer.id);
        l.neuron.type = NeuronType(type);
        l.neuron.alpha = l.neuron.type == NeuronType::CubaLIF ? 0.6f : 0.0f;
        l.neuron.initial = initial;
        if (perNeuron) {
            const Eigen::VectorXf ramp = Eigen::VectorXf::LinSpaced(l.neurons(), 0.0f, 1.0f);
            l.setPerNeuron("beta", (0.6f + 0.3f * ramp.array()).matrix());
            l.setPerNeuron("threshold", (0.4f + 0.2f * ramp.array()).matrix());
            if (l.neuron.type == NeuronType::CubaLIF)
                l.setPerNeuron("alpha", (0.3f + 0.5f * ramp.array()).matrix());
        }
    }
    g.validate();
    const sim::Dataset wide = toyData(4, 3, 3, 5);
    const RowMatrixXf x = wide.x.leftCols(6);
    sim::TrainOptions o;
    o.steps = 6;
    o.smoothSpikes = true; // the forward pass whose exact derivative BPTT computes
    o.detachReset = false; // the full gradient, through the reset too
    o.surrogateSlope = 2.0f;
    o.loss = sim::Loss(loss);
    o.encoding = sim::Encoding(encoding);
    const sim::Gradients grad = sim::computeGradients(g, x, wide.y, o, 77);
    QVERIFY(std::isfinite(grad.loss));

    // Central differences in every weight and bias of every layer.
    const float h = 1e-3f;
    double worst = 0.0;
    int checked = 0;
    for (int l = 0; l < g.layerCount(); ++l) {
        const LayerId id = g.layers()[std::size_t(l)].id;
        const Layer &layer = g.layer(id);
        for (Eigen::Index i = 0; i < layer.weights.size() + layer.bias.size(); ++i) {
            Graph plus = g, minus = g;
            auto at = [&](Graph &gg) -> float & {
                Layer &ll = gg.layer(id);
                return i < ll.weights.size() ? ll.weights.data()[i]
                                             : ll.bias(i - ll.weights.size());
            };
            at(plus) += h;
            at(minus) -= h;
            const double numeric = (sim::computeGradients(plus, x, wide.y, o, 77).loss -
                                    sim::computeGradients(minus, x, wide.y, o, 77).loss) /
                                   (2.0 * double(h));
            const double analytic = i < layer.weights.size()
                                        ? double(grad.dW[std::size_t(l)].data()[i])
                                        : double(grad.dB[std::size_t(l)](i - layer.weights.size()));
            const double error = std::abs(numeric - analytic) /
                                 std::max(1e-2, std::abs(numeric) + std::abs(analytic));
            worst = std::max(worst, error);
            ++checked;
            QVERIFY2(error < 2e-2,
                     qPrintable(QStringLiteral("layer %1 parameter %2: numeric %3, BPTT %4")
                                    .arg(l)
                                    .arg(i)
                                    .arg(numeric)
                                    .arg(analytic)));
        }
    }
    QCOMPARE(checked, 6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
    // The gradient is not trivially zero.
    QVERIFY(grad.dW[0].cwiseAbs().maxCoeff() > 1e-4f);
}

void TestTrainer::trainingOnIdxFilesReducesTheLoss()
{
    QTemporaryDir dir;
    const sim::Dataset train = toyData(240, 3, 4, 1), test = toyData(60, 3, 4, 2);
    writeIdxPair(train, 4, dir.filePath(QStringLiteral("train-images-idx3-ubyte")),
                 dir.filePath(QStringLiteral("train-labels-idx1-ubyte")), false);
    writeIdxPair(test, 4, dir.filePath(QStringLiteral("t10k-images-idx3-ubyte.gz")),
                 dir.filePath(QStringLiteral("t10k-labels-idx1-ubyte.gz")), true);
    sim::DataSplit split = sim::loadDataSplit(dir.path());
    sim::holdOutValidation(split, 40);
    NeuronParams p;
    sim::TrainState state = sim::TrainState::start(sim::initialGraph(16, {12, 3}, p, 7));
    std::vector<sim::TrainProgress> epochs;
    int batches = 0;
    sim::train(state, split, smallOptions(), [&](const sim::TrainProgress &pr) {
        if (pr.epochEnd)
            epochs.push_back(pr);
        else
            ++batches;
    });
    QCOMPARE(int(epochs.size()), 3);
    QCOMPARE(batches, 3 * 13); // 200 training samples in batches of 16
    QCOMPARE(state.epoch, 3);
    QVERIFY2(
        epochs.back().loss < 0.7 * epochs.front().loss,
        qPrintable(QStringLiteral("%1 -> %2").arg(epochs.front().loss).arg(epochs.back().loss)));
    QVERIFY(epochs.back().validationAccuracy);
    QVERIFY2(*epochs.back().validationAccuracy >= 0.9,
             qPrintable(QString::number(*epochs.back().validationAccuracy)));
    QVERIFY(epochs.back().samplesPerSecond > 0.0);
    QCOMPARE(int(epochs.back().deadNeurons.size()), 2);
    QCOMPARE(int(epochs.back().meanRate.size()), 2);
    // The selected graph carries the rates measured on the validation set, and says so.
    for (const Layer &l : state.best.layers())
        QCOMPARE(l.ratesSource, QStringLiteral("measured: %1, validation, 40 samples, current, "
                                               "T=12")
                                    .arg(QFileInfo(dir.path()).fileName()));
    QCOMPARE(int(state.history.size()), 3);
    QVERIFY(state.testAccuracy); // reported once all epochs ran
}

void TestTrainer::resumeGivesTheSameResult()
{
    sim::DataSplit split{toyData(100, 3, 4, 1), toyData(30, 3, 4, 2), std::nullopt,
                         QStringLiteral("toy")};
    sim::holdOutValidation(split, 20);
    const Graph start = sim::initialGraph(16, {8, 3}, NeuronParams{}, 7);
    sim::TrainSettings settings;
    settings.options = smallOptions();
    settings.options.encoding = sim::Encoding::Rate;
    settings.options.epochs = 3;
    sim::TrainState straight = sim::TrainState::start(start);
    sim::train(straight, split, settings.options);

    // Stopped in the middle of epoch 2, kept on disk (the checkpoint, which holds the best graph
    // too), then resumed from that file alone: the same weights, best epoch and curves.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("state.h5"));
    sim::TrainState first = sim::TrainState::start(start);
    int batches = 0;
    RunControl stop;
    stop.cancelRequested = [&] { return batches >= 9; }; // 5 batches per epoch
    QVERIFY_THROWS_EXCEPTION(Cancelled, sim::train(
                                            first, split, settings.options,
                                            [&](const sim::TrainProgress &p) {
                                                batches += p.epochEnd ? 0 : 1;
                                                if (p.epochEnd)
                                                    sim::saveCheckpoint(path, first, settings,
                                                                        QStringLiteral("r"));
                                            },
                                            stop));
    QCOMPARE(first.epoch, 1);
    sim::Checkpoint resumed = sim::loadCheckpoint(path);
    QCOMPARE(resumed.state.epoch, 1);
    QCOMPARE(resumed.runId, QStringLiteral("r"));
    QCOMPARE(resumed.settings, settings);
    SNN_COMPARE_GRAPHS(resumed.state.best, first.best);
    QCOMPARE(resumed.state.best.layers()[0].ratesSource, first.best.layers()[0].ratesSource);
    sim::train(resumed.state, split, resumed.settings.options);
    QCOMPARE(resumed.state.epoch, 3);
    for (int l = 0; l < start.layerCount(); ++l) {
        QCOMPARE(resumed.state.graph.layers()[std::size_t(l)].weights,
                 straight.graph.layers()[std::size_t(l)].weights);
        QCOMPARE(resumed.state.graph.layers()[std::size_t(l)].bias,
                 straight.graph.layers()[std::size_t(l)].bias);
        QCOMPARE(resumed.state.best.layers()[std::size_t(l)].weights,
                 straight.best.layers()[std::size_t(l)].weights);
        QCOMPARE(resumed.state.best.layers()[std::size_t(l)].rates,
                 straight.best.layers()[std::size_t(l)].rates);
    }
    QCOMPARE(resumed.state.bestEpoch, straight.bestEpoch);
    QCOMPARE(resumed.state.adamStep, straight.adamStep);
    for (std::size_t e = 0; e < 3; ++e) {
        QCOMPARE(resumed.state.history[e].loss, straight.history[e].loss);
        QCOMPARE(*resumed.state.history[e].validationAccuracy,
                 *straight.history[e].validationAccuracy);
    }
    QCOMPARE(*resumed.state.testAccuracy, *straight.testAccuracy);
    QVERIFY(straight.graph.layers()[0].weights != start.layers()[0].weights);
}

void TestTrainer::sameResultOnAnyThreadCount()
{
    // Each batch is cut into the same shares on any number of threads (and the last, short batch
    // of 4 into shares of one sample): weights, optimiser state and accuracy are identical.
    const sim::DataSplit split{toyData(100, 3, 4, 1), toyData(30, 3, 4, 2)};
    const Graph start = sim::initialGraph(16, {40, 3}, NeuronParams{}, 7);
    for (const sim::Encoding encoding : {sim::Encoding::Current, sim::Encoding::Rate}) {
        std::vector<sim::TrainState> results;
        for (int threads : {1, 2, 3}) {
            sim::TrainOptions o = smallOptions();
            o.encoding = encoding;
            o.threads = threads;
            results.push_back(sim::TrainState::start(start));
            sim::train(results.back(), split, o);
        }
        QVERIFY(results[0].graph.layers()[0].weights != start.layers()[0].weights);
        for (std::size_t r = 1; r < results.size(); ++r) {
            for (int l = 0; l < start.layerCount(); ++l) {
                const Layer &a = results[r].graph.layers()[std::size_t(l)];
                const Layer &b = results[0].graph.layers()[std::size_t(l)];
                QCOMPARE(a.weights, b.weights);
                QCOMPARE(a.bias, b.bias);
                QCOMPARE(results[r].vW[std::size_t(l)], results[0].vW[std::size_t(l)]);
            }
            QCOMPARE(*results[r].testAccuracy, *results[0].testAccuracy);
        }
    }
}

void TestTrainer::cancelKeepsTheLastEpoch()
{
    const sim::DataSplit split{toyData(100, 3, 4, 1), std::nullopt};
    NeuronParams p;
    sim::TrainState state = sim::TrainState::start(sim::initialGraph(16, {8, 3}, p, 7));
    int batches = 0;
    Graph afterFirst;
    RunControl control;
    control.cancelRequested = [&] { return batches >= 9; };
    QVERIFY_THROWS_EXCEPTION(Cancelled, sim::train(
                                            state, split, smallOptions(),
                                            [&](const sim::TrainProgress &pr) {
                                                if (pr.epochEnd)
                                                    afterFirst = state.graph;
                                                else
                                                    ++batches;
                                            },
                                            control));
    QCOMPARE(state.epoch, 1);
    QCOMPARE(state.graph.layers()[0].weights, afterFirst.layers()[0].weights);
}

void TestTrainer::validationChoosesAndTestOnlyReports()
{
    // A learning rate high enough that accuracy goes up and down: the best epoch is the one with
    // the highest validation accuracy (the earliest of equals), whatever the test set says.
    sim::DataSplit split{toyData(120, 3, 4, 1), toyData(40, 3, 4, 2), std::nullopt,
                         QStringLiteral("toy")};
    sim::holdOutValidation(split, 30);
    sim::TrainOptions o = smallOptions();
    o.epochs = 6;
    o.learningRate = 0.05f;
    o.encoding = sim::Encoding::Rate;
    const Graph start = sim::initialGraph(16, {10, 3}, NeuronParams{}, 3);
    sim::TrainState state = sim::TrainState::start(start);
    std::vector<Graph> graphs;
    sim::train(state, split, o, [&](const sim::TrainProgress &p) {
        if (p.epochEnd)
            graphs.push_back(state.graph);
    });
    int best = 1;
    for (int e = 2; e <= 6; ++e)
        if (*state.history[std::size_t(e) - 1].validationAccuracy >
            *state.history[std::size_t(best) - 1].validationAccuracy)
            best = e;
    QCOMPARE(state.bestEpoch, best);
    QCOMPARE(state.best.layers()[0].weights, graphs[std::size_t(best) - 1].layers()[0].weights);
    sim::SimOptions sim;
    sim.steps = o.steps;
    sim.encoding = o.encoding;
    sim.seed = o.seed;
    QCOMPARE(*state.testAccuracy, sim::SpikeMonitor(sim).record(state.best, *split.test).accuracy);

    // The test set changes nothing: another test set (or none) gives the same run and choice.
    for (const std::optional<sim::Dataset> &test :
         {std::optional<sim::Dataset>(toyData(40, 3, 4, 99)), std::optional<sim::Dataset>()}) {
        sim::DataSplit other = split;
        other.test = test;
        sim::TrainState again = sim::TrainState::start(start);
        sim::train(again, other, o);
        QCOMPARE(again.bestEpoch, state.bestEpoch);
        QCOMPARE(again.best.layers()[0].weights, state.best.layers()[0].weights);
        QCOMPARE(again.best.layers()[0].rates, state.best.layers()[0].rates);
        QCOMPARE(bool(again.testAccuracy), bool(test));
    }

    // Without a validation set nothing is chosen: the last epoch is kept, rated on the
    // training samples.
    sim::DataSplit noValidation{split.train, split.test, std::nullopt, QStringLiteral("toy")};
    sim::TrainState last = sim::TrainState::start(start);
    sim::train(last, noValidation, o);
    QCOMPARE(last.bestEpoch, 6);
    QVERIFY(!last.history.back().validationAccuracy);
    QCOMPARE(last.best.layers()[0].ratesSource,
             QStringLiteral("measured: toy, train, 90 samples, rate, T=12"));
}

void TestTrainer::neverTrainsOnValidationSamples()
{
    // Poison the held-out samples with NaN pixels: one gradient step on any of them would make
    // the weights NaN. Validation only simulates them (NaN currents never cross the threshold).
    sim::DataSplit split{toyData(90, 3, 4, 1), std::nullopt, std::nullopt, QStringLiteral("toy")};
    split.train.x.bottomRows(30).setConstant(std::numeric_limits<float>::quiet_NaN());
    sim::holdOutValidation(split, 30);
    QVERIFY(split.train.x.allFinite());
    sim::TrainOptions o = smallOptions();
    sim::TrainState state = sim::TrainState::start(sim::initialGraph(16, {8, 3}, {}, 7));
    sim::train(state, split, o);
    for (const Layer &l : state.graph.layers()) {
        QVERIFY(l.weights.allFinite());
        QVERIFY(l.bias.allFinite());
    }
    QVERIFY(std::isfinite(state.history.back().loss));
    QCOMPARE(state.history.back().batches, 4); // 60 samples in batches of 16
}

void TestTrainer::badInput()
{
    NeuronParams p;
    sim::TrainState state = sim::TrainState::start(sim::initialGraph(16, {8, 3}, p, 7));
    sim::DataSplit split{toyData(10, 4, 4, 1), std::nullopt}; // label 3 for a 3-output network
    try {
        sim::train(state, split, smallOptions());
        QFAIL("no error");
    } catch (const Error &e) {
        QVERIFY2(
            e.message().contains(QStringLiteral("is out of range for a network with 3 outputs")),
            qPrintable(e.message()));
    }
    sim::TrainOptions o = smallOptions();
    o.batchSize = 0;
    QVERIFY_THROWS_EXCEPTION(Error, sim::train(state, {toyData(10, 3, 4, 1), std::nullopt}, o));
}

void TestTrainer::runningOutOfMemoryLeavesTheTrainerUsable()
{
#if defined(__SANITIZE_ADDRESS__)
    QFAIL("AddressSanitizer reports an allocation of 170 GB instead of failing it");
#else
    // A batch whose input spikes take 170 GB per share (16 inputs x 10,000 steps x 2^18
    // samples) after a batch that filled the buffers kept from call to call. Eigen 3.4's
    // resize() frees such a buffer before it allocates the new one and keeps the freed pointer
    // when that fails: snnc train then aborted in a double free (issue 29). Now the failure is a
    // std::bad_alloc, and the next batches give exactly what they give on a fresh trainer.
    const Graph g = sim::initialGraph(16, {8, 3}, NeuronParams{}, 7);
    sim::TrainOptions o = smallOptions();
    o.encoding = sim::Encoding::Rate;
    const sim::Dataset small = toyData(16, 3, 4, 1);
    const sim::Gradients expected = sim::computeGradients(g, small.x, small.y, o, 5);
    sim::Gradients g1;
    sim::computeGradients(g, small.x, small.y, o, 5, g1);
    sim::TrainOptions huge = o;
    huge.steps = 10000;
    const RowMatrixXf x = RowMatrixXf::Constant(1 << 20, 16, 0.5f);
    const std::vector<int> y(std::size_t(x.rows()), 0);
    {
        // The address space capped 2 GB above its size: the allocation fails whatever the
        // system's overcommit policy.
        rlimit saved{};
        QCOMPARE(getrlimit(RLIMIT_AS, &saved), 0);
        QFile statm(QStringLiteral("/proc/self/statm"));
        QVERIFY(statm.open(QIODevice::ReadOnly));
        const rlim_t size =
            statm.readAll().split(' ').front().toULongLong() * rlim_t(sysconf(_SC_PAGESIZE));
        rlimit capped = saved;
        capped.rlim_cur = std::min(saved.rlim_max, size + (rlim_t(2) << 30));
        QCOMPARE(setrlimit(RLIMIT_AS, &capped), 0);
        bool failed = false;
        try {
            sim::computeGradients(g, x, y, huge, 5, g1);
        } catch (const std::bad_alloc &) {
            failed = true;
        }
        QCOMPARE(setrlimit(RLIMIT_AS, &saved), 0);
        QVERIFY(failed);
    }
    for (int again = 0; again < 2; ++again) {
        sim::computeGradients(g, small.x, small.y, o, 5, g1);
        QCOMPARE(g1.loss, expected.loss);
        QCOMPARE(g1.predictions, expected.predictions);
        for (std::size_t l = 0; l < expected.dW.size(); ++l) {
            QCOMPARE(g1.dW[l], expected.dW[l]);
            QCOMPARE(g1.dB[l], expected.dB[l]);
        }
    }
#endif
}

void TestTrainer::qatForwardIsTheHardwareModel()
{
    // With qatBits the forward pass is the bit-accurate model: the same spikes of every layer
    // and the same class for every sample, one at a time and in a batch.
    const sim::Dataset data = toyData(12, 3, 4, 3);
    Graph g = sim::initialGraph(16, {12, 3}, NeuronParams{}, 9);
    for (const Layer &l : g.layers())
        g.layer(l.id).weights *= 3.0f; // busy neurons
    sim::TrainOptions o = smallOptions();
    o.qatBits = 4;
    const hw::QuantizedNetwork net = hw::quantize(g, sim::qatConfig(o));
    QCOMPARE(net.config.steps, 12);
    std::vector<int> classes;
    std::vector<double> total(2, 0.0);
    for (int b = 0; b < data.size(); ++b) {
        hw::ModelTrace trace;
        const hw::ModelResult r =
            hw::runModel(net, hw::intensities(data.x.row(b).transpose()), &trace);
        std::vector<double> spikes(2, 0.0);
        for (const auto &step : trace.spikes)
            for (std::size_t l = 0; l < 2; ++l)
                for (char s : step[l])
                    spikes[l] += s;
        QCOMPARE(spikes[1], double(std::accumulate(r.counts.begin(), r.counts.end(), 0)));
        const sim::Gradients one =
            sim::computeGradients(g, data.x.middleRows(b, 1), {data.y[std::size_t(b)]}, o, 1);
        QCOMPARE(one.spikesPerLayer, spikes);
        QCOMPARE(one.predictions, std::vector<int>{r.predicted});
        classes.push_back(r.predicted);
        total[0] += spikes[0];
        total[1] += spikes[1];
    }
    QVERIFY(total[0] > 0.0 && total[1] > 0.0);
    const sim::Gradients batch = sim::computeGradients(g, data.x, data.y, o, 1);
    QCOMPARE(batch.predictions, classes);
    QCOMPARE(batch.spikesPerLayer, total);
    QVERIFY(batch.dW[0].cwiseAbs().maxCoeff() > 0.0f);
    // The float forward pass differs (its own input spikes, unquantised weights).
    o.qatBits = 0;
    o.encoding = sim::Encoding::Rate;
    QVERIFY(sim::computeGradients(g, data.x, data.y, o, 1).spikesPerLayer != total);
}

void TestTrainer::qatImprovesTheQuantisedAccuracy()
{
    // A small float network loses accuracy at 2 bits (70% -> 100% here); a short quantisation-aware
    // fine-tuning of it wins accuracy back on the bit-accurate model, and keeps its graph on the
    // grid.
    sim::DataSplit split{toyData(400, 8, 4, 1), toyData(200, 8, 4, 2), std::nullopt,
                         QStringLiteral("toy")};
    sim::TrainOptions o = smallOptions();
    o.encoding = sim::Encoding::Rate;
    o.epochs = 4;
    sim::TrainState state = sim::TrainState::start(sim::initialGraph(16, {16, 8}, {}, 3));
    sim::train(state, split, o);
    hw::QuantConfig config;
    config.steps = o.steps;
    config.weightBits = 2;
    const auto quantised = [&](const Graph &g) {
        return sim::accuracy(eval::quantizedPredictions(hw::quantize(g, config), split.test->x, {}),
                             split.test->y);
    };
    const double before = quantised(state.best);

    sim::TrainOptions q = o;
    q.qatBits = 2;
    q.epochs = 3;
    q.learningRate = 2e-3f;
    sim::TrainState tuned = sim::TrainState::start(state.best);
    sim::train(tuned, split, q);
    const double after = quantised(tuned.best);
    QCOMPARE(*tuned.testAccuracy, after); // reported by the hardware model
    QVERIFY2(after >= before + 0.2,
             qPrintable(QStringLiteral("2-bit accuracy %1 -> %2").arg(before).arg(after)));
    // The kept graph is on the 2-bit grid: its weights are integers over the layer's scale.
    const hw::QuantizedNetwork net = hw::quantize(tuned.best, config);
    QCOMPARE(tuned.best.layers()[0].weights(2, 5),
             float(net.layers[0].weight(2, 5) / net.layers[0].scale));
    QCOMPARE(tuned.best.layers()[0].neuron.beta, 0.875f);
}

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
