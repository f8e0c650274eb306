#pragma once

// Instant resource figures for the generated core, before synthesis: EBR blocks from the memory
// shapes (exact block arithmetic), logic cells from a linear model calibrated against nextpnr
// runs (docs/performance.md, "Hardware resource estimate").

#include "Boards.h"
#include "Quantizer.h"

namespace snn::hw {

// SB_RAM40_4K blocks for a depth x width memory (best of the 256x16, 512x8, 1024x4 and 2048x2
// configurations).
int ebrBlocksFor(std::int64_t depth, int width);

struct ResourceEstimate {
    int logicCells = 0;
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
