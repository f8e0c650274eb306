#pragma once

// Instant resource figures for the generated core, before synthesis: EBR blocks from the memory
// shapes (yosys' own block arithmetic), logic cells from a linear model calibrated against nextpnr
// runs (docs/performance.md, "Hardware resource estimate").

#include "Boards.h"
#include "Quantizer.h"

namespace snn::hw {

// How yosys 0.23 (memory_libmap) maps a depth x width memory onto SB_RAM40_4K blocks. For each
// block configuration (2048x2, 1024x4, 512x8, 256x16) the memory is cut into depth slices of that
// many words and the bits of all slices are packed into blocks of that width: one block can hold
// bits of several slices, and a multiplexer after the read picks the slice. yosys keeps the
// cheapest: 64 per block, 0.5 per multiplexer input bit and, for a writable memory, 0.5 per
// write-enable demultiplexer output. A writable memory is also tried without byte enables (write
// widths up to 8, each word padded to whole block widths), first. Exact for the core's memories,
// except that yosys drops read-only bits that the contents make constant (a bias memory of zeros).
struct EbrMapping {
    int blocks = 0;
    int readMuxBits = 0; // (depth slices - 1) x width: data bits into the slice multiplexer
};
EbrMapping ebrMapping(std::int64_t depth, int width, bool writable);

// One term of the logic-cell model: how many units of it the design has and the logic cells
// each costs, fitted by least squares to nextpnr runs (bench/hw_estimate.py reads the terms from
// an exported design's estimate.json and fits the costs again).
struct LogicCellTerm {
    QString name;
    double units = 0.0; // 0 when the term does not apply to the design
    double cells = 0.0;
};

struct ResourceEstimate {
    int logicCells = 0; // the rounded sum of units x cells over logicCellTerms
    std::vector<LogicCellTerm> logicCellTerms;
    int ebrBlocks = 0;           // all EBR memories
    int weightEbrBlocks = 0;     // the weight memory alone (0 with SPRAM)
    int spramBlocks = 0;         // SB_SPRAM256KA blocks holding the weights
    std::int64_t weightBits = 0; // stored weight bits including lane padding
    std::int64_t weightWords = 0;
};

// With `spram`, the weights live in SPRAM (16-bit words) instead of EBR.
ResourceEstimate estimateResources(const QuantizedNetwork &net, int lanes, bool spram = false);

// Where the weights go: EBR, the UP5K's SPRAM, or EBR when it fits and else SPRAM.
enum class WeightMemory { Auto, Ebr, Spram };

struct FitCheck {
    bool fits = false;
    bool spram = false; // the design keeps its weights in SPRAM
    ResourceEstimate estimate;
    QString message; // one line: the numbers and, when it does not fit, what would make it fit
};

// Checks a network against a board before synthesis. `graph` lets the check try other settings
// for its hint.
FitCheck checkFit(const Graph &graph, const QuantConfig &config, int lanes, const Board &board,
                  WeightMemory memory = WeightMemory::Auto);

} // namespace snn::hw
