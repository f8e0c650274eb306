#pragma once

// What the deployed FPGA core costs and how fast it answers, for one graph (docs/passes.md,
// "Hardware figures"): the configuration (weight bits, lanes, where the weights go), cycles per
// inference (the mean over samples of the core's exact cycle count, hw::coreCycles, of each
// sample's run through the bit-accurate model), the latency at the core clock, inferences per
// second with the UART transfer, the stored weight memory, EBR and SPRAM blocks and the estimated
// logic cells. The one computation behind every comparison: snnc optimize's report, the Compare
// tab, the bars after each pass, the Sweep and neuron_pruning's budgets.

#include "base/Matrix.h"
#include "base/RunControl.h"
#include "eval/Accuracy.h"
#include "graph/Graph.h"
#include "hw/Settle.h"

#include <QJsonObject>

#include <optional>
#include <vector>

namespace snn::eval {

struct HardwareFigures {
    hw::ExportOptions options; // as used: the weight bits and lanes settled
    bool automatic = false;    // bits or lanes were chosen for this graph (Auto), not given
    QString reason;            // the chooser's one line (hw::Settled::reason; empty: as set)
    hw::FitCheck fit;          // on options.board: fits, where the weights are, the estimate
    double clockMHz = 0.0;     // the core clock: the board's, or the PLL's for options.clockMHz
    double uartMs = 0.0;       // one RUN request and its reply on the serial line (8N1)
    int samples = 0;           // run through the model for the cycles (0: cycles not measured)
    double cyclesPerInference = 0.0; // the mean over the samples

    bool hasCycles() const { return samples > 0; }
    double latencyMs() const; // cycles per inference at the core clock
    // 1000 / (latency + UART transfer): a host sending one sample after another.
    double inferencesPerSecond() const;
    double weightKbit() const; // stored weight bits (with lane padding) / 1024
    // "4-bit weights, 8 lanes, weights in SPRAM (Auto for this graph)", "... (Auto for this
    // graph, target latency <= 5 ms)" or "... (as set)"
    QString configText() const;
    // {"config": {"text", "board", "weight_bits", "lanes", "memory", "chosen": "auto" | "set",
    // "fits", "clock_mhz", "target": hw::Target::toJson}, "cycles_per_inference", "latency_ms",
    // "inferences_per_s", "uart_ms", "samples", "weight_kbit", "ebr", "spram", "logic_cells"}; the
    // cycles and what follows from them are "not measured" without samples.
    QJsonObject toJson() const;
};

// The figures of `graph` for `options` (the board and the core's settings; weight bits and lanes
// 0 are chosen for this graph, hw::settle; with options.target, for the target on the cycles
// measured on `samples`), the cycles measured on `samples` (rows of values in [0, 1]; no rows:
// not measured; a target then throws). `predictions`, when given, receives the core's class of each
// sample from the same run. Throws Error when the core cannot be built for the graph, Cancelled
// when asked to stop.
HardwareFigures hardwareFigures(const Graph &graph, const hw::ExportOptions &options,
                                const RowMatrixXf &samples, const RunControl &control = {},
                                std::vector<int> *predictions = nullptr);

// The core's mean cycles per inference over `samples` for a target's choice (hw::MeanCycles):
// one run of the bit-accurate model, every lane count asked measured on it (runCore). `run`,
// when given, receives that run and `lanes` the lane counts in its order. `samples` and
// `measured` must outlive the function.
struct MeasuredCycles {
    std::vector<int> lanes;
    CoreRun run;
};
hw::MeanCycles meanCyclesOn(const RowMatrixXf &samples, const RunControl &control = {},
                            MeasuredCycles *measured = nullptr);

// The settings `figures` were taken at, every one fixed: the same configuration for another graph.
hw::ExportOptions sameConfiguration(const HardwareFigures &figures);

// Before and after an optimisation: each graph at the configuration Auto picks for it (or as
// set), and the after graph at the before graph's configuration.
struct HardwareComparison {
    HardwareFigures before;
    HardwareFigures after;
    HardwareFigures afterSameConfiguration;
    // {"before", "after", "after_same_configuration"}: HardwareFigures::toJson each.
    QJsonObject toJson() const;
    // The lines of a text report: one per figure, before -> after (change).
    QStringList lines() const;
};

} // namespace snn::eval
