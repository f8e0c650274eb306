#pragma once

#include "base/RunControl.h"
#include "graph/Graph.h"
#include "hw/Quantizer.h"
#include "opt/PassOptions.h"
#include "opt/Report.h"
#include "sim/Engine.h"

#include <memory>

namespace snn {

// A labelled data set on which optimize() measures accuracy and output agreement before and after
// each pass, with the same input spikes every time.
struct ValidationSet {
    sim::Dataset data;
    sim::SimOptions simulation;
};

// The passes' thresholds and what optimize() measures around them.
struct OptimizeOptions : PassOptions {
    // When set, accuracy is measured (Report::accuracy, PassReport::accuracy); else "not measured".
    std::shared_ptr<const ValidationSet> validation;
    // With a validation set: the FPGA core's accuracy (its bit-accurate model under `hardware`,
    // at each of these weight widths, beside the float graph on the same generated input spikes)
    // is measured before and after all passes (Report::hardware) and before and after each pass
    // (PassReport::core), and the hardware figures at the first width with the cycles measured on
    // the validation samples (Report::figures, PassReport::figures). Empty: not measured.
    std::vector<int> hardwareBits;
    // Where the hardware figures are taken: the board, lanes (0: chosen for each graph), weight
    // memory, clock and baud, and in its quant only the weight bits for when no width is measured
    // or kept exact (0: chosen for each graph); the core's other settings are `hardware`'s.
    hw::ExportOptions deployment = automaticDeployment();
    // With a validation set: the input graph's predictions on it, when the caller already has
    // them (validationPredictions(); a sweep runs the passes on one graph many times). Empty:
    // optimize() simulates the input graph first.
    std::vector<int> predictionsBefore;

    // Throws Error naming the option that is out of range (PassOptions::validate() first).
    void validate() const;
    // The deployed weight width: the first of hardwareBits, else of exactBits, else 0 (chosen
    // for each graph).
    int deployedBits() const;
    // The settings of the hardware figures: `deployment` with `hardware` at deployedBits() (or
    // at deployment's weight bits when that is 0).
    hw::ExportOptions figureOptions() const;
    // The iCEBreaker, lanes chosen for each graph, the weights where they fit.
    static hw::ExportOptions automaticDeployment();
};

struct OptimizeResult {
    Graph graph;
    Report report;
};

namespace passes {
inline const QString kDeadNeuronElimination = QStringLiteral("dead_neuron_elimination");
inline const QString kRedundancyElimination = QStringLiteral("redundancy_elimination");
inline const QString kLayerFusion = QStringLiteral("layer_fusion");
inline const QString kNeuronPruning = QStringLiteral("neuron_pruning");
} // namespace passes

// The retrain-free passes, in the default order: what runs when no pass is named.
QStringList availablePasses();
// Every pass: availablePasses() and neuron_pruning (it needs a budget and then a fine-tune).
QStringList allPasses();
// Throws Error for a name that is not a pass, listing the valid names.
void checkPassNames(const QStringList &passNames);

// The predictions of `graph` on the validation set (what optimize() compares each pass with).
std::vector<int> validationPredictions(const Graph &graph, const ValidationSet &validation,
                                       const RunControl &control = {});

// Runs the named passes in the given order on `graph` (which must be valid; pass a copy to keep
// it, or move it in when it is not needed after: the result is built in it). An unknown pass
// name throws Error listing the valid names, so does neuron_pruning without a budget; a cancel
// request throws Cancelled.
OptimizeResult optimize(Graph graph, const QStringList &passNames,
                        const OptimizeOptions &options = {}, const RunControl &control = {});

// `result` (optimize() on `input` with `options`) once its graph was retrained into `tuned`
// (fine-tuning for the FPGA core: the same layers and sizes, other weights): the passes' reports
// stay, the overall float and hardware accuracy and the hardware figures are measured again for
// `input` -> `tuned`, and `how` goes into Report::retraining. Throws Error when `tuned` does not
// have the result graph's layers and sizes, Cancelled when asked to stop.
OptimizeResult retrained(const Graph &input, OptimizeResult result, Graph tuned, const QString &how,
                         const OptimizeOptions &options, const RunControl &control = {});

} // namespace snn
