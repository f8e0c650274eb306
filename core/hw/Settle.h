#pragma once

// Hardware settings with automatic weight bits or lanes (0) settled for a graph: what a build,
// the FPGA tab's estimates and the comparisons' hardware figures use (docs/hardware.md).

#include "hw/Exporter.h"

namespace snn::hw {

// Settings with automatic weight bits or lanes (0) settled for `original`: the most accurate,
// then fastest, configuration that fits (chooseConfiguration), and its fit check. When nothing
// fits: 8 bits / 4 lanes (or the fixed value) with their fit check, and the chooser's message as
// the reason. Throws Error when the quantiser refuses the graph.
struct Settled {
    ExportOptions options;
    FitCheck fit;
    QString reason; // the chooser's one line; empty when bits and lanes were fixed
};
Settled settle(const Graph &original, ExportOptions options);
// The settings settled for `graph`, or with 8 bits / 4 lanes for what is automatic when the
// graph cannot be built (what the FPGA tab shows until an estimate says otherwise).
ExportOptions settledOrDefault(const Graph &graph, const ExportOptions &options);
// `options` with 8 bits / 4 lanes for what is automatic (0).
ExportOptions withDefaults(ExportOptions options);

// "4-bit weights, 4 lanes, weights in SPRAM"
QString describe(const ExportOptions &options, bool spram);

} // namespace snn::hw
