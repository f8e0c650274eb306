#pragma once

// Instant resource figures for the generated core, before synthesis: EBR blocks from the memory
// shapes (yosys' own block arithmetic), logic cells from a linear model calibrated against nextpnr
// runs (docs/performance.md, "Hardware resource estimate").

#include "hw/Boards.h"
#include "hw/Quantizer.h"

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

// With `spram`, the weights live in SPRAM (words of 1, 2 or 4 blocks side by side) instead of
// EBR.
ResourceEstimate estimateResources(const QuantizedNetwork &net, int lanes, bool spram = false);

// Where the weights go: EBR, the UP5K's SPRAM, or EBR when it fits and else SPRAM.
enum class WeightMemory { Auto, Ebr, Spram };
// "auto", "ebr", "spram" (snnc --memory).
inline constexpr EnumNames<WeightMemory, 3> kWeightMemoryNames({{WeightMemory::Auto, "auto"},
                                                                {WeightMemory::Ebr, "ebr"},
                                                                {WeightMemory::Spram, "spram"}});

struct FitCheck {
    bool fits = false;
    bool spram = false; // the design keeps its weights in SPRAM
    ResourceEstimate estimate;
    QString message; // one line: the numbers and, when it does not fit, what would make it fit
};

// Whether a design of `lanes` lanes and `weightBits`-bit weights with the estimate `e` fits
// `board`, its weights in SPRAM or EBR; `why` gets the reason SPRAM cannot hold the weights.
bool fitsBoard(const ResourceEstimate &e, int lanes, int weightBits, bool spram, const Board &board,
               QString *why = nullptr);

// The most lanes that can speed `net` up: the largest layer's neurons rounded up to a power of
// two, at most 16 (more lanes add logic and no speed).
int usefulLanes(const QuantizedNetwork &net);

// Checks a network against a board before synthesis. `graph` lets the check try other settings
// for its hint.
FitCheck checkFit(const Graph &graph, const QuantConfig &config, int lanes, const Board &board,
                  WeightMemory memory = WeightMemory::Auto);

// A configuration picked for a board, and why.
struct Configuration {
    QuantConfig quant; // the given settings with the chosen weight bits
    int lanes = 4;
    FitCheck fit;   // the chosen configuration's fit check (fits; spram says where the weights go)
    QString reason; // one line: what was chosen and what did not fit
};

// Contract: the most accurate configuration of `graph` that fits `board`, for a build where the
// user has not fixed bits or lanes. Accuracy first: the largest weight bits (8 down to 2) at which
// some lane count fits; then speed: the most lanes (16 down to 1) that fit at those bits, but no
// more than the largest layer can use (lanes beyond its neurons add logic and no speed). The
// weights go to EBR when they fit there and else to SPRAM, unless `memory` forces one.
// `fixedBits` / `fixedLanes` (0: free) pin that setting and the search covers the other; with
// both fixed this is checkFit. `base` gives the membrane bits, steps and seed (its weight bits are
// ignored unless fixed). A setting the quantiser refuses (a threshold that rounds to zero at few
// bits) counts as not fitting. Throws Error with checkFit's message at the smallest setting
// searched (the numbers and what would make it fit) when nothing fits, or the quantiser's error
// when it refuses the graph at every setting.
Configuration chooseConfiguration(const Graph &graph, const QuantConfig &base, const Board &board,
                                  WeightMemory memory = WeightMemory::Auto, int fixedBits = 0,
                                  int fixedLanes = 0);

} // namespace snn::hw
