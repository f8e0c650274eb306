#pragma once

// The work of the Pipeline's graph stages as plain functions (docs/pipeline.md): training,
// firing rates on the validation split, and the fine-tune of the passes' result for the FPGA
// core (the passes themselves are snn::optimize). Each takes and returns values, runs on the
// calling thread, reports through its callbacks and throws Cancelled when asked to stop;
// flow::Pipeline runs them off the GUI thread, one after the other. Also the one-line results
// the Pipeline shows for each.

#include "base/RunControl.h"
#include "graph/Graph.h"
#include "opt/Optimizer.h"
#include "sim/SpikeMonitor.h"
#include "train/TrainRun.h"

#include <functional>
#include <memory>

namespace snn::flow {

using TrainProgressFn = std::function<void(const sim::TrainProgress &)>;

// True when no layer of `graph` has measured rates (a new network, the synthetic example).
bool isUntrained(const Graph &graph);

struct Trained {
    sim::TrainState state; // the completed epochs; state.best is the graph kept (best epoch)
    bool stopped = false;  // a stop request ended it: state holds the epochs completed so far
};
// Trains `graph` on `data` as `settings` say (sim::trainUntilStopped): the validation split held
// out, the best epoch on it kept with its measured rates. Throws Error for data that do not fit.
Trained trainGraph(const Graph &graph, const sim::DataSplit &data,
                   const sim::TrainSettings &settings, const TrainProgressFn &progress,
                   const RunControl &control);
// "epoch 2/5, batch 30/40: loss 0.512", a training under way.
QString trainingText(const sim::TrainProgress &progress);
// "3 epochs, kept epoch 2, validation accuracy 81.20%"
QString trainedText(const sim::TrainState &state);
// "1 epoch", "3 epochs"
QString epochsText(int epochs);

// The samples the rates are measured on: `data`'s validation split, else its last
// sim::kDefaultValidationSize training samples (what a training holds out by default).
sim::Dataset validationSet(const sim::DataSplit &data);

struct Measured {
    Graph graph; // with the measured rates and their rates_source
    sim::Activity activity;
};
// Every neuron's firing rate on validationSet(data) (sim::SpikeMonitor, default options).
Measured measureRates(const Graph &graph, const sim::DataSplit &data, const RunControl &control);
// "5000 validation samples, 12 neurons never fired, accuracy 86.40%"
QString measuredText(const sim::Activity &activity);

// The labelled set accuracy is measured on before and after the passes: `data`'s test split,
// else its training samples (what the studio's Compare tab and snnc pipeline report).
std::shared_ptr<const ValidationSet> accuracySet(const sim::DataSplit &data);
// The samples a hardware target's latency is measured on (hw::chooseForTarget): the same
// accuracySet, whose samples the passes' hardware figures measure the cycles on.
std::shared_ptr<const RowMatrixXf> targetSamples(const sim::DataSplit &data);
// "784 -> 640 parameters (1.225x), accuracy 86.50% -> 86.40%"
QString passesText(const Report &report);

struct FineTuned {
    OptimizeResult result; // the passes' result with the tuned graph, measured again
    sim::TrainState state; // the fine-tune's epochs
    int bits = 0;          // the core's weight bits it trained through
};
// The passes' graph (`passes`, optimize() on `input` with `options`) trained for `epochs` through
// the FPGA core's arithmetic at `bits` (quantisation-aware: `settings` with qatBits and epochs
// replaced), then measured again (snn::retrained). Throws Cancelled when stopped, Error for data
// that do not fit.
FineTuned fineTune(const Graph &input, const OptimizeResult &passes, sim::TrainSettings settings,
                   int bits, int epochs, const sim::DataSplit &data, const OptimizeOptions &options,
                   const TrainProgressFn &progress, const RunControl &control);
// trainedText(), and the core's accuracy after the passes alone and after the fine-tune:
// "1 epoch, kept epoch 1, validation accuracy 80.00%; 4-bit core accuracy 78.40% -> 87.70%"
QString fineTunedText(const FineTuned &tuned, const Report &passes);

} // namespace snn::flow
