#pragma once

// Hardware settings with automatic weight bits or lanes (0) settled for a graph: what a build,
// the FPGA tab's estimates and the comparisons' hardware figures use (docs/hardware.md).

#include "hw/Exporter.h"

#include <functional>

namespace snn::hw {

// The mean cycles per inference of `net` at each of `lanes`, in that order: the core's exact
// cycle model over a set of samples (eval::hardwareFigures measures them on its samples).
using MeanCycles =
    std::function<std::vector<double>(const QuantizedNetwork &net, const std::vector<int> &lanes)>;

// Contract: Auto with a target (options.target; options' weight bits or lanes 0: chosen). The
// weight bits: as set, else the chooser's (the most that fit with some lane count,
// chooseConfiguration). At those bits, every lane count the chooser considers (1 up to
// usefulLanes, or as set) in every weight memory options.weightMemory allows (Auto: EBR and
// SPRAM) that fits the board is a candidate; its latency is its mean cycles (`cycles`) at its
// export clock (exportClock). A latency target: the smallest candidate that meets it (fewest
// logic cells, then fewest EBR + SPRAM blocks, then the fastest). A logic-cell target: the
// fastest at or under it (then fewest logic cells, then blocks). The configuration's fit check
// is at the chosen memory. Throws Error naming the best reachable (the fastest latency, or the
// fewest logic cells) when no candidate meets the target, or the chooser's message when none
// fits the board.
Configuration chooseForTarget(const Graph &graph, const ExportOptions &options,
                              const MeanCycles &cycles);

// Settings with automatic weight bits or lanes (0) settled for `original`: the most accurate,
// then fastest, configuration that fits (chooseConfiguration), and its fit check. When nothing
// fits: 8 bits / 4 lanes (or the fixed value) with their fit check, and the chooser's message as
// the reason. With a target (options.target): chooseForTarget on `cycles`, the weight memory
// settled too. Throws Error when the quantiser refuses the graph, or for a target: when it is
// not met, when bits and lanes are both fixed (nothing to choose) or when there is no `cycles`.
struct Settled {
    ExportOptions options;
    FitCheck fit;
    QString reason; // the chooser's one line; empty when bits and lanes were fixed
};
Settled settle(const Graph &original, ExportOptions options, const MeanCycles &cycles = {});
// The settings settled for `graph`, or with 8 bits / 4 lanes for what is automatic when the
// graph cannot be built (what the FPGA tab shows until an estimate says otherwise).
ExportOptions settledOrDefault(const Graph &graph, const ExportOptions &options);
// `options` with 8 bits / 4 lanes for what is automatic (0).
ExportOptions withDefaults(ExportOptions options);

// "4-bit weights, 4 lanes, weights in SPRAM"
QString describe(const ExportOptions &options, bool spram);

} // namespace snn::hw
