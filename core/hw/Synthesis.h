#pragma once

// Export and the iCE40 flow in one: what `snnc synth MODEL`, the studio's Synthesise and Build
// and snnstudio.synth run. With an automatic clock (ExportOptions::clockMHz 0) it builds twice:
// first at the export's clock (the oscillator) to measure nextpnr's fmax, then again at the
// highest standard PLL clock that fmax clears by kClockMargin (clockForFmax), one standard clock
// lower each time nextpnr misses it (at most kClockAttempts), back at the first clock when none
// is met. The report and the exported README say which clock and why.

#include "hw/Exporter.h"
#include "hw/IceFlow.h"

#include <functional>

namespace snn::hw {

// PLL clocks an automatic clock tries after the measuring run.
inline constexpr int kClockAttempts = 3;

struct Synthesised {
    ExportResult exported; // the design as built (its clock: exported.clock)
    FlowReport report;     // its flow; report.clock says which clock and why
};

// Exports `graph` with `options` into `dir` and runs the flow there (runFlow: `log`,
// `cancelRequested` and `stepStarted` as it takes them; a second run starts again at step 0).
// Throws Error with the export's or the failing tool's message, or slowClockProblem when the
// final fmax is below the clock and `allowSlowClock` is not set; Cancelled when stopped.
Synthesised synthesiseDesign(const Graph &graph, const ExportOptions &options, const QString &dir,
                             bool allowSlowClock, const std::function<void(const QString &)> &log,
                             const std::function<bool()> &cancelRequested = {},
                             const std::function<void(int step)> &stepStarted = {});

} // namespace snn::hw
