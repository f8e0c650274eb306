#include "eval/Accuracy.h"

#include "base/Error.h"
#include "sim/Engine.h"

#include <atomic>
#include <cmath>
#include <exception>

namespace snn::eval {

namespace {

void checkSampleSize(const RowMatrixXf &samples, int inputSize)
{
    if (samples.cols() != inputSize)
        throw Error(QStringLiteral("the samples have %1 values, the network takes %2")
                        .arg(samples.cols())
                        .arg(inputSize));
}

// Runs predict(sample) for every row on all cores; newPredictor() makes one per thread. Progress
// is reported as `step`; a cancel request throws Cancelled.
template <typename NewPredictor>
std::vector<int> predictAll(Eigen::Index count, const QString &step, const RunControl &control,
                            const NewPredictor &newPredictor)
{
    std::vector<int> predictions(std::size_t(count), 0);
    std::atomic<bool> stop{false};
    Eigen::Index done = 0;
    std::exception_ptr failure;
#pragma omp parallel
    {
        auto predict = newPredictor();
#pragma omp for schedule(dynamic, 8)
        for (Eigen::Index s = 0; s < count; ++s) {
            if (stop.load(std::memory_order_relaxed))
                continue;
            try {
                predictions[std::size_t(s)] = predict(s);
            } catch (...) {
#pragma omp critical
                failure = std::current_exception();
                stop = true;
            }
#pragma omp critical(snn_predict_progress)
            {
                if (control.cancelRequested && control.cancelRequested())
                    stop = true;
                control.report(double(++done) / double(count), step);
            }
        }
    }
    if (failure)
        std::rethrow_exception(failure);
    if (stop)
        throw Cancelled();
    return predictions;
}

} // namespace

std::vector<int> quantizedPredictions(const hw::QuantizedNetwork &net, const RowMatrixXf &samples,
                                      const RunControl &control)
{
    return runCore(net, {}, samples, control).predictions;
}

CoreRun runCore(const hw::QuantizedNetwork &net, const std::vector<hw::MemoryLayout> &layouts,
                const RowMatrixXf &samples, const RunControl &control)
{
    checkSampleSize(samples, net.inputSize);
    // Each sample's cycles per layout (only with layouts: the trace costs time).
    std::vector<std::int64_t> cycles(std::size_t(samples.rows()) * layouts.size(), 0);
    CoreRun run;
    run.predictions = predictAll(
        samples.rows(), QStringLiteral("%1-bit hardware model").arg(net.config.weightBits), control,
        [&] {
            return [&, runner = hw::ModelRunner(net),
                    trace = hw::ModelTrace()](Eigen::Index s) mutable {
                const std::vector<std::uint8_t> input = hw::intensities(samples.row(s).transpose());
                if (layouts.empty())
                    return runner.run(input).predicted;
                const int predicted = runner.run(input, &trace).predicted;
                for (std::size_t k = 0; k < layouts.size(); ++k)
                    cycles[std::size_t(s) * layouts.size() + k] =
                        hw::coreCycles(net, layouts[k], trace);
                return predicted;
            };
        });
    run.cycles.assign(layouts.size(), 0);
    for (std::size_t i = 0; i < cycles.size(); ++i)
        run.cycles[i % layouts.size()] += cycles[i];
    return run;
}

std::vector<int> floatPredictions(const Graph &graph, const hw::QuantConfig &config,
                                  const RowMatrixXf &samples, const RunControl &control)
{
    checkSampleSize(samples, graph.inputSize());
    const int outIndex = graph.indexOf(sim::classifierLayer(graph));
    const int outputs = graph.layers()[std::size_t(outIndex)].neurons();
    return predictAll(
        samples.rows(), QStringLiteral("float model on hardware input"), control, [&] {
            return [&](Eigen::Index s) {
                // The output layer's spikes summed over the steps, read out as the hardware does.
                Eigen::VectorXf sums = Eigen::VectorXf::Zero(outputs);
                sim::runSequence(
                    graph, hw::inputSpikes(config, hw::intensities(samples.row(s).transpose())),
                    [&](int layer, int, const Eigen::VectorXf &out) {
                        if (layer == outIndex)
                            sums += out;
                    });
                std::vector<int> counts(static_cast<std::size_t>(outputs));
                for (int n = 0; n < outputs; ++n)
                    counts[std::size_t(n)] = int(std::lround(sums(n)));
                return hw::argmaxLowest(counts);
            };
        });
}

AccuracyComparison compareAccuracy(const Graph &graph, const hw::QuantConfig &config,
                                   const RowMatrixXf &samples, const std::vector<int> &labels,
                                   const std::vector<int> &weightBits, const RunControl &control)
{
    if (samples.rows() != Eigen::Index(labels.size()))
        throw Error(
            QStringLiteral("%1 samples but %2 labels").arg(samples.rows()).arg(labels.size()));
    AccuracyComparison result;
    const double parts = double(weightBits.size() + 1);
    const auto share = [&](std::size_t part) {
        return control.part(double(part) / parts, double(part + 1) / parts);
    };
    result.floatAccuracy =
        sim::accuracy(floatPredictions(graph, config, samples, share(0)), labels);
    for (std::size_t i = 0; i < weightBits.size(); ++i) {
        hw::QuantConfig c = config;
        c.weightBits = weightBits[i];
        result.quantized.push_back(
            {weightBits[i],
             sim::accuracy(quantizedPredictions(hw::quantize(graph, c), samples, share(i + 1)),
                           labels)});
    }
    control.report(1.0, QStringLiteral("done"));
    return result;
}

} // namespace snn::eval
