#pragma once

// The hardware side of the Pipeline as plain functions (docs/pipeline.md): settling automatic
// weight bits and lanes for a board, fit checks, export, synthesis (yosys, nextpnr-ice40,
// icepack, icetime) and Build (export, synthesis and a short RTL verify into a kept folder).
// They run on the calling thread (the tools in a local event loop) and report each step and
// the tools' output through a BuildLog; flow::Pipeline runs Build off the GUI thread, the FPGA
// tab runs synthesis and verification the same way.

#include "base/Matrix.h"
#include "base/RunControl.h"
#include "graph/Graph.h"
#include "hw/Exporter.h"
#include "hw/IceFlow.h"
#include "hw/Settle.h"
#include "hw/Synthesis.h"
#include "hw/VerilogGenerator.h"

#include <functional>
#include <optional>

namespace snn::flow {

// Settling automatic bits and lanes is the hardware layer's (hw/Settle.h); the flow uses it as
// its own.
using hw::describe;
using hw::settle;
using hw::Settled;
using hw::settledOrDefault;
using hw::withDefaults;

// A fit check under settled settings, or why there is none.
struct FitEstimate {
    std::optional<hw::FitCheck> fit;
    QString error;                            // why there is no fit check
    std::optional<hw::ExportOptions> settled; // the original graph's settled settings
    QString reason;                           // the chooser's
    // With a target (options.target): the original graph's latency per inference on the chosen
    // design, its mean cycles over the samples at the export clock (eval::HardwareFigures).
    std::optional<double> latencyMs;
};
// The fit check of `optimized` (the original when null) under the settings settled on
// `original`; an empty graph, one the core cannot be built for or a target that nothing meets
// gives the reason instead. A target is settled on `samples` (their mean cycles in the core's
// exact cycle model, eval::hardwareFigures); without samples its reason is that it needs them.
FitEstimate fitEstimate(const Graph &original, const Graph *optimized,
                        const hw::ExportOptions &options, const RowMatrixXf *samples = nullptr,
                        const RunControl &control = {});

// What a target is settled on: the mean cycles over `samples` (eval::meanCyclesOn); none
// without samples (a target then fails with hw::settle's reason). `samples` outlives the cycles.
hw::MeanCycles targetCycles(const RowMatrixXf *samples, const RunControl &control);

struct Exported {
    hw::ExportOptions options; // as settled
    QString reason;            // the chooser's (empty: as set)
    int files = 0;
    bool spram = false; // the weights are in SPRAM
};
// Settles the settings on `original` (a target on `cycles`, hw::settle) and exports `graph` with
// them into `dir`, removing the bitstream of an earlier build there (so that no stale bitstream
// passes for this one).
Exported exportSettled(const Graph &original, const Graph &graph, const hw::ExportOptions &options,
                       const QString &dir, const hw::MeanCycles &cycles = {});

// "PASS: 4 samples, every output spike count identical to the bit-accurate model", or "FAIL:
// 2 mismatches over 4 samples" and the testbench's first mismatch lines.
QString verificationText(const hw::RtlVerification &verification);

// The steps of a build, in order: the steps a synthesis runs are StepExport to StepIcetime.
enum BuildStep {
    StepExport,
    StepYosys,
    StepNextpnr,
    StepIcepack,
    StepIcetime,
    StepVerify,
    StepCount
};
// "Export", "yosys", "nextpnr", "icepack", "icetime", "Verify"
QString buildStepName(int step);
// The log line each step begins with ("== export", "== yosys", ... "== verilator").
QString buildStepMarker(int step);

// What a synthesis or build reports as it goes: a step beginning (step >= 0), log text, or the
// synthesis figures (once the bitstream is there, before the RTL verify).
struct BuildEvent {
    int step = -1;
    QString log;
    std::optional<hw::FlowReport> synthesis;
};
using BuildLog = std::function<void(const BuildEvent &)>;

struct Synthesis {
    Exported exported;
    hw::FlowReport report;
};
// Exports `graph` with the settings settled on `original` (a target on `cycles`) into `dir` and
// runs the iCE40 flow there (hw::synthesiseDesign: with an automatic clock, twice). Throws Error
// with the export's or the failing tool's message (the last step reported says which), Cancelled
// when stopped (the running tool is stopped).
Synthesis synthesise(const Graph &original, const Graph &graph, const hw::ExportOptions &options,
                     const QString &dir, const BuildLog &log, const RunControl &control,
                     const hw::MeanCycles &cycles = {});

struct Built {
    Synthesis synthesis;
    QString directory;
    hw::RtlVerification verification;
    // "Built DIR/top.bin (4-bit weights, 4 lanes, weights in EBR; 3120 / 5280 logic cells, ...,
    // fmax 24.1 MHz); RTL verify passed on 4 samples." or "..., but the RTL verify failed: FAIL:
    // ..."
    QString summary;
    bool passed() const { return verification.passed(); }
    QString bitstream() const;
};
// Build: `graph` exported with the settings settled on it (a target on `cycles`) into `dir`,
// synthesised, and its RTL
// checked against the bit-accurate model on options.testSamples samples. Throws Error "Build
// failed at export (nothing was built): ...", "Build failed at nextpnr (nothing was built): ..."
// or "Built, but the RTL verify did not run: ...", Cancelled when stopped.
Built build(const Graph &graph, const hw::ExportOptions &options, const QString &dir,
            const BuildLog &log, const RunControl &control, const hw::MeanCycles &cycles = {});

} // namespace snn::flow
