// Simulation and training throughput on Fashion-MNIST (docs/performance.md, "Simulation").
//   bench_simulation [MODEL.h5] [--train-samples N]
// Measures, in one run: firing-rate collection (SpikeMonitor) over the 10,000 test images, T = 25,
// with the event-driven engine and with dense matrix-vector products, on 1 and 2 threads, for
// rate and current encoding; and the trainer's time per batch of 128 (extrapolated to an epoch).

#include "base/Error.h"
#include "io/GraphFile.h"
#include "sim/SpikeMonitor.h"
#include "train/Trainer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>

using namespace snn;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString model = args.size() > 1
                              ? args[1]
                              : QStringLiteral(SNN_SOURCE_DIR "/resources/fashion-mnist-snn.h5");
    try {
        const Graph graph = loadGraph(model);
        const sim::DataSplit data = sim::loadDataSplit(QStringLiteral("fashion-mnist"));
        const sim::Dataset &test = *data.test;
        std::printf("model %s: %lld parameters; %d test images, T = 25\n", qPrintable(model),
                    static_cast<long long>(graph.totalParams()), test.size());
        std::printf("%-8s %-7s %-8s %10s %12s %9s\n", "encoding", "threads", "engine", "seconds",
                    "samples/s", "accuracy");
        for (auto encoding : {sim::Encoding::Rate, sim::Encoding::Current}) {
            for (int threads : {1, 2}) {
                for (bool sparse : {true, false}) {
                    sim::SimOptions o;
                    o.steps = 25;
                    o.encoding = encoding;
                    o.threads = threads;
                    o.sparse = sparse;
                    QElapsedTimer timer;
                    timer.start();
                    const sim::Activity a = sim::SpikeMonitor(o).record(graph, test);
                    const double s = double(timer.nsecsElapsed()) * 1e-9;
                    std::printf("%-8s %-7d %-8s %10.2f %12.0f %8.2f%%\n",
                                qPrintable(sim::toString(encoding)), threads,
                                sparse ? "events" : "dense", s, test.size() / s,
                                100.0 * a.accuracy);
                }
            }
        }
        // Training: time per batch of 128 at T = 25 (current encoding, the default).
        sim::TrainOptions t;
        const int batches = 20;
        RowMatrixXf x = data.train.x.topRows(t.batchSize);
        std::vector<int> y(data.train.y.begin(), data.train.y.begin() + t.batchSize);
        for (auto encoding : {sim::Encoding::Current, sim::Encoding::Rate}) {
            t.encoding = encoding;
            QElapsedTimer timer;
            timer.start();
            for (int b = 0; b < batches; ++b)
                sim::computeGradients(graph, x, y, t, std::uint64_t(b));
            const double perBatch = double(timer.nsecsElapsed()) * 1e-9 / batches;
            const int perEpoch = (data.train.size() + t.batchSize - 1) / t.batchSize;
            std::printf("training (%s encoding): %.1f ms per batch of %d (forward + BPTT), %.0f s "
                        "per epoch of %d batches (gradients only)\n",
                        qPrintable(sim::toString(encoding)), perBatch * 1e3, t.batchSize,
                        perBatch * perEpoch, perEpoch);
        }
    } catch (const Error &e) {
        std::fprintf(stderr, "bench_simulation: %s\n", e.what());
        return 2;
    }
    return 0;
}
