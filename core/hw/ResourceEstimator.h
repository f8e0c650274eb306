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
    int ebrBlocks = 0;           // all memories
    int weightEbrBlocks = 0;     // the weight memory alone
    std::int64_t weightBits = 0; // stored weight bits including lane padding
};

ResourceEstimate estimateResources(const QuantizedNetwork &net, int lanes);

struct FitCheck {
    bool fits = false;
    ResourceEstimate estimate;
    QString message; // one line: the numbers and, when it does not fit, what would make it fit
};

// Checks a quantised network against a board. `graph` lets the check try other weight widths.
FitCheck checkFit(const Graph &graph, const QuantConfig &config, int lanes, const Board &board);

} // namespace snn::hw
