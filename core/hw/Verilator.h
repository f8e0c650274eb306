#pragma once

// The core testbench (tb_snn_core.v) compiled with Verilator: the same checks as iverilog runs
// (every layer's spikes at every step, the membrane checksum of every step, every output count
// and class), fast enough for a whole test set. Board-level (UART) and gate-level runs stay on
// iverilog (runRtlSimulation).

#include "hw/VerilogGenerator.h"

namespace snn::hw {

// Where runVerilator keeps the compiled testbench in a design's folder, and the key (a hash of
// the Verilog it was compiled from and of the options) it was compiled for.
inline constexpr const char *kVerilatorFolder = "verilator";

// Compiles tb_snn_core.v and the design in `dir` (as written by generateDesign and
// generateTestbench) with `verilator --binary --timing`, unless DIR/verilator holds the binary
// compiled from the same sources, then runs it as `jobs` processes at once (0: one per core), each
// on its own consecutive part of the samples (+first=F +count=C), and adds up their results; the
// first mismatch is the lowest sample's. Throws Error when Verilator is missing or fails (naming
// it, with its last lines), as runRtlSimulation does for the testbench's own failures; Cancelled
// when `control` asks to stop (the compiler or the simulations are stopped).
RtlVerification runVerilator(const QString &dir, const RunControl &control, int jobs = 0);

} // namespace snn::hw
