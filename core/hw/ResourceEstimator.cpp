#include "ResourceEstimator.h"

#include "Error.h"
#include "VerilogGenerator.h"

#include <algorithm>
#include <cmath>

namespace snn::hw {

namespace {

// Logic-cell model, fitted by least squares to nextpnr runs (scripts/calibrate-hw-estimate.py).
constexpr double kLcFixed = 250.0;
constexpr double kLcPerLaneBit = 12.0;
constexpr double kLcPerCounterBit = 3.0;
constexpr double kLcPerAddressBit = 5.0;
constexpr double kLcPerLaneWeightBit = 2.0;

} // namespace

int ebrBlocksFor(std::int64_t depth, int width) {
    if (depth <= 0 || width <= 0)
        return 0;
    static const int widths[] = {16, 8, 4, 2};
    std::int64_t best = -1;
    for (int w : widths) {
        const std::int64_t d = 4096 / w;
        const std::int64_t blocks = ((width + w - 1) / w) * ((depth + d - 1) / d);
        if (best < 0 || blocks < best)
            best = blocks;
    }
    return int(best);
}

ResourceEstimate estimateResources(const QuantizedNetwork &net, int lanes) {
    const MemoryLayout layout = memoryLayout(net, lanes);
    const int mb = net.config.membraneBits;
    const int wb = net.config.weightBits;
    ResourceEstimate e;
    e.weightBits = layout.weightBits(wb);
    e.weightEbrBlocks = ebrBlocksFor(layout.weightWords, lanes * wb);
    e.ebrBlocks = ebrBlocksFor(net.inputSize, 8) + e.weightEbrBlocks +
                  ebrBlocksFor(layout.membraneWords, lanes * mb) +
                  (layout.hasBias ? ebrBlocksFor(layout.membraneWords, lanes * mb) : 0) +
                  ebrBlocksFor(layout.maskWords, lanes);
    int maxIndex = net.inputSize;
    for (const QuantLayer &l : net.layers)
        maxIndex = std::max(maxIndex, l.neurons);
    const int addressing = addressBits(layout.weightWords) + addressBits(layout.membraneWords) +
                           addressBits(maxIndex) + addressBits(layout.maskWords);
    // Calibrated coefficients (docs/performance.md): fixed control, UART and input generator;
    // per lane and membrane bit; output counters; address arithmetic.
    const double lc = kLcFixed + kLcPerLaneBit * lanes * mb +
                      kLcPerCounterBit * net.outputSize() * net.countBits() +
                      kLcPerAddressBit * addressing + kLcPerLaneWeightBit * lanes * wb;
    e.logicCells = int(std::lround(lc));
    return e;
}

FitCheck checkFit(const Graph &graph, const QuantConfig &config, int lanes, const Board &board) {
    const QuantizedNetwork net = quantize(graph, config);
    FitCheck check;
    check.estimate = estimateResources(net, lanes);
    const ResourceEstimate &e = check.estimate;
    const bool ebrOk = e.ebrBlocks <= board.ebrBlocks;
    const bool lcOk = e.logicCells <= board.logicCells;
    check.fits = ebrOk && lcOk;
    const QString numbers =
        QStringLiteral("needs %1 Kbit of weights (%2 EBR blocks, %3 in all) "
                       "and about %4 logic cells; the %5 (%6) has %7 Kbit in %8 "
                       "EBR blocks and %9 logic cells")
            .arg(double(e.weightBits) / 1024.0, 0, 'f', 1)
            .arg(e.weightEbrBlocks)
            .arg(e.ebrBlocks)
            .arg(e.logicCells)
            .arg(board.name, board.device.toUpper())
            .arg(board.ebrBits() / 1024)
            .arg(board.ebrBlocks)
            .arg(board.logicCells);
    if (check.fits) {
        check.message = QStringLiteral("fits the %1: %2").arg(board.name, numbers);
        return check;
    }
    QStringList hints;
    if (!ebrOk) {
        for (int bits = config.weightBits - 1; bits >= 2; --bits) {
            QuantConfig c = config;
            c.weightBits = bits;
            try {
                const ResourceEstimate r = estimateResources(quantize(graph, c), lanes);
                if (r.ebrBlocks <= board.ebrBlocks && r.logicCells <= board.logicCells) {
                    hints << QStringLiteral("%1-bit weights (%2 EBR blocks)")
                                 .arg(bits)
                                 .arg(r.ebrBlocks);
                    break;
                }
            } catch (const Error &) {
            }
        }
    }
    if (!lcOk && lanes > 1)
        hints << QStringLiteral("fewer lanes");
    for (const Board &b : boards())
        if (b.ebrBlocks > board.ebrBlocks && b.ebrBlocks >= e.ebrBlocks &&
            b.logicCells >= e.logicCells) {
            hints << QStringLiteral("a bigger board (%1: %2 EBR blocks, %3 logic cells)")
                         .arg(b.name)
                         .arg(b.ebrBlocks)
                         .arg(b.logicCells);
            break;
        }
    hints << QStringLiteral("a smaller network (the optimisation passes)");
    check.message = QStringLiteral("does not fit the %1: %2; it would fit with %3")
                        .arg(board.name, numbers, hints.join(QStringLiteral(", or ")));
    return check;
}

} // namespace snn::hw
