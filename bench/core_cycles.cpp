// The FPGA core's clock cycles per inference over a data set, from the bit-accurate model
// (hw::coreCycles of each sample's trace, eval::runCore), with the quantised accuracy beside them:
// the figures of docs/hardware.md's throughput table.
//
// Usage: core_cycles MODEL.h5 DATA [BITS [LANES [STEPS]]]   (default: 4 bits, 8 lanes, 16 steps;
// DATA as snnc's --data, its test split)

#include "base/Error.h"
#include "eval/Accuracy.h"
#include "io/GraphFile.h"
#include "sim/Dataset.h"

#include <QCoreApplication>

#include <cstdio>

using namespace snn;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: core_cycles MODEL.h5 DATA [BITS [LANES [STEPS]]]\n");
        return 2;
    }
    try {
        const Graph graph = loadGraph(args[1]);
        const sim::Dataset data = sim::loadSamples(args[2], sim::kTestSplit, 0, 0);
        hw::QuantConfig config;
        config.weightBits = args.size() > 3 ? args[3].toInt() : 4;
        const int lanes = args.size() > 4 ? args[4].toInt() : 8;
        config.steps = args.size() > 5 ? args[5].toInt() : 16;
        const hw::QuantizedNetwork net = hw::quantize(graph, config);
        const eval::CoreRun run = eval::runCore(net, {hw::memoryLayout(net, lanes)}, data.x);
        int correct = 0;
        for (std::size_t i = 0; i < run.predictions.size(); ++i)
            correct += run.predictions[i] == data.y[i] ? 1 : 0;
        const double samples = double(run.predictions.size());
        std::printf("%d samples, %d-bit weights, %d lanes, %d steps, blocks of %d: %.1f cycles per "
                    "inference (mean), accuracy %.2f%%\n",
                    int(samples), config.weightBits, lanes, config.steps,
                    hw::memoryLayout(net, lanes).blockSteps, double(run.cycles.front()) / samples,
                    100.0 * correct / samples);
    } catch (const Error &e) {
        std::fprintf(stderr, "core_cycles: %s\n", qPrintable(e.message()));
        return 1;
    }
    return 0;
}
