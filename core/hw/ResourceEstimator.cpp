#include "hw/ResourceEstimator.h"

#include "base/Error.h"
#include "hw/VerilogGenerator.h"

#include <algorithm>
#include <cmath>

namespace snn::hw {

EbrMapping ebrMapping(std::int64_t depth, int width, bool writable)
{
    EbrMapping best;
    if (depth <= 0 || width <= 0)
        return best;
    double bestCost = -1.0;
    auto consider = [&](std::int64_t blockWidth, bool padded) {
        const std::int64_t words = 4096 / blockWidth;
        const std::int64_t slices = (depth + words - 1) / words;
        const std::int64_t wordBits =
            padded ? (width + blockWidth - 1) / blockWidth * blockWidth : width;
        const std::int64_t blocks = (slices * wordBits + blockWidth - 1) / blockWidth;
        const std::int64_t muxBits = (slices - 1) * width;
        const double cost = 64.0 * double(blocks) + 0.5 * double(muxBits) +
                            (writable && slices > 1 ? 0.5 * double(slices) : 0.0);
        if (bestCost < 0.0 || cost < bestCost) { // yosys keeps the first of equal cost
            bestCost = cost;
            best.blocks = int(blocks);
            best.readMuxBits = int(muxBits);
        }
    };
    if (writable)
        for (int w : {2, 4, 8})
            consider(w, true);
    for (int w : {2, 4, 8, 16})
        consider(w, false);
    return best;
}

ResourceEstimate estimateResources(const QuantizedNetwork &net, int lanes, bool spram)
{
    const MemoryLayout layout = memoryLayout(net, lanes);
    const int mb = net.config.membraneBits;
    const int wb = net.config.weightBits;
    ResourceEstimate e;
    e.weightBits = layout.weightBits(wb);
    e.weightWords = layout.weightWords;
    // The core's memories: input intensities (written by the host), weights (read-only, unless
    // in SPRAM), membranes, biases (read-only) and the two lists of spiking sources.
    const EbrMapping memories[] = {
        ebrMapping(net.inputSize, 8, true),
        spram ? EbrMapping() : ebrMapping(layout.weightWords, lanes * wb, false),
        ebrMapping(layout.membraneWords, lanes * mb, true),
        layout.hasBias ? ebrMapping(layout.membraneWords, lanes * mb, false) : EbrMapping(),
        ebrMapping(layout.listWords[0], layout.listBits, true),
        ebrMapping(layout.listWords[1], layout.listBits, true)};
    e.weightEbrBlocks = memories[1].blocks;
    const SpramLayout spramPlan = spramLayout(lanes, wb, layout.weightWords);
    e.spramBlocks = spram ? spramPlan.blocks : 0;
    int readMuxBits = 0;
    for (const EbrMapping &m : memories) {
        e.ebrBlocks += m.blocks;
        readMuxBits += m.readMuxBits;
    }
    const bool leak = std::any_of(net.layers.begin(), net.layers.end(),
                                  [](const QuantLayer &l) { return l.leakShift > 0; });
    const bool subtract =
        std::any_of(net.layers.begin(), net.layers.end(),
                    [](const QuantLayer &l) { return l.reset == ResetMode::Subtract; });
    // The widths of snn_config.vh: weight, membrane, group, source index and input addresses.
    const int waw = addressBits(layout.weightWords);
    const int vaw = addressBits(layout.membraneWords);
    const int gaw = addressBits(layout.maxGroups);
    const int jw = addressBits(layout.maxIndex);
    const int addressBitCount = waw + vaw + gaw + jw + addressBits(net.inputSize) +
                                addressBits(std::max(layout.listWords[0], layout.listWords[1]));
    // L_N, L_G, L_VBASE, L_OWBASE, L_OG, L_THR, L_K, L_ZERO.
    const int tableBits =
        net.layers.size() > 2 ? (jw + 1) + 2 * (gaw + 1) + vaw + waw + mb + 5 + 1 : 0;
    const double laneBits = double(lanes) * mb;
    // The first layer's currents: block steps x lanes accumulators of accumulatorBits each.
    const double currentBits = double(layout.blockSteps) * lanes * layout.accumulatorBits;
    // Logic-cell model of the block core, fitted by least squares to nextpnr runs of the 34
    // designs in bench/hw_estimate.py (leave-one-out mean 3.3%, max 7.4%; three shapes held out of
    // the fit: mean 1.7%, max 4.6%; docs/hardware.md). Terms: fixed control, UART, raster and input
    // generator; per lane x membrane bit (the lane datapath: add, saturate, threshold, write-back
    // mux), more when a layer has a bias, a leak shift or a subtractive reset (more again without
    // a leak, where the reset's subtraction cannot share the leak's adder); per output counter bit
    // (counter and read-out muxes); per address bit of the counters, list and address adders and
    // comparators; per bit of the layer table, which costs LUTs from three layers on (with one or
    // two layers each bit is a constant or the layer bit itself); per input bit of the
    // multiplexers yosys puts after EBR memories deeper than one block (about nothing in this
    // core); the SPI flash loader of SPRAM designs; per bit of the currents (block steps x lanes
    // accumulators with the step multiplexer); per step of a block (the raster's jumped generator
    // state: 8 parities and a comparator).
    const auto when = [](bool applies, double units) { return applies ? units : 0.0; };
    e.logicCellTerms = {
        {QStringLiteral("fixed"), 1.0, 654.080},
        {QStringLiteral("per lane x membrane bit"), laneBits, 6.041},
        {QStringLiteral("per counter bit"), double(net.outputSize()) * net.countBits(), 2.851},
        {QStringLiteral("SPI flash loader (SPRAM)"), when(spram, 1.0), 363.805},
        {QStringLiteral("per lane x membrane bit with bias"), when(layout.hasBias, laneBits),
         3.092},
        {QStringLiteral("per lane x membrane bit with leak"), when(leak, laneBits), 3.515},
        {QStringLiteral("per lane x membrane bit with subtractive reset"), when(subtract, laneBits),
         -0.957},
        {QStringLiteral("per lane x membrane bit with subtractive reset and no leak"),
         when(subtract && !leak, laneBits), 1.597},
        {QStringLiteral("per address bit"), double(addressBitCount), 8.129},
        {QStringLiteral("per layer-table bit (3+ layers)"), double(tableBits), 1.473},
        {QStringLiteral("per EBR read multiplexer input bit"), double(readMuxBits), -0.018},
        {QStringLiteral("per first-layer current bit (block steps x lanes)"), currentBits, 1.707},
        {QStringLiteral("per block step (the raster's generator jump and comparator)"),
         double(layout.blockSteps), 74.634}};
    double lc = 0.0;
    for (const LogicCellTerm &t : e.logicCellTerms)
        lc += t.units * t.cells;
    e.logicCells = int(std::lround(lc));
    return e;
}

bool fitsBoard(const ResourceEstimate &e, int lanes, int weightBits, bool spram, const Board &board,
               QString *why)
{
    if (spram) {
        if (board.spramBlocks == 0) {
            if (why)
                *why = QStringLiteral("the %1 has no SPRAM").arg(board.name);
            return false;
        }
        if (!board.canLoadFromFlash()) {
            if (why)
                *why = QStringLiteral("the %1's SPI flash pins are shared with its UART, so the "
                                      "SPRAM cannot be loaded from the flash")
                           .arg(board.name);
            return false;
        }
        if (spramBlocksPerWord(lanes, weightBits) == 0) {
            if (why)
                *why = QStringLiteral("SPRAM words are at most 64 bits, %1 lanes x %2-bit weights "
                                      "are %3")
                           .arg(lanes)
                           .arg(weightBits)
                           .arg(lanes * weightBits);
            return false;
        }
        if (e.spramBlocks > board.spramBlocks) {
            if (why)
                *why = QStringLiteral("the weights need %1 SPRAM blocks, the %2 has %3")
                           .arg(e.spramBlocks)
                           .arg(board.name)
                           .arg(board.spramBlocks);
            return false;
        }
    }
    return e.ebrBlocks <= board.ebrBlocks && e.logicCells <= board.logicCells;
}

namespace {

int largestLayer(const QuantizedNetwork &net)
{
    int neurons = 1;
    for (const QuantLayer &l : net.layers)
        neurons = std::max(neurons, l.neurons);
    return neurons;
}

} // namespace

int usefulLanes(const QuantizedNetwork &net)
{
    int lanes = 1;
    while (lanes < largestLayer(net) && lanes < 16)
        lanes *= 2;
    return lanes;
}

namespace {

QString numbersText(const ResourceEstimate &e, const Board &board, bool spram)
{
    const QString weights =
        spram
            ? QStringLiteral("needs %1 Kbit of weights (in %2 SPRAM blocks; %3 EBR blocks for the "
                             "rest)")
                  .arg(double(e.weightBits) / 1024.0, 0, 'f', 1)
                  .arg(e.spramBlocks)
                  .arg(e.ebrBlocks)
            : QStringLiteral("needs %1 Kbit of weights (%2 EBR blocks, %3 in all)")
                  .arg(double(e.weightBits) / 1024.0, 0, 'f', 1)
                  .arg(e.weightEbrBlocks)
                  .arg(e.ebrBlocks);
    QString device = QStringLiteral("the %1 (%2) has %3 Kbit in %4 EBR blocks")
                         .arg(board.name, board.device.toUpper())
                         .arg(board.ebrBits() / 1024)
                         .arg(board.ebrBlocks);
    if (board.spramBlocks > 0)
        device += QStringLiteral(", %1 Kbit of SPRAM").arg(board.spramBlocks * 256);
    return QStringLiteral("%1 and about %2 logic cells; %3 and %4 logic cells")
        .arg(weights)
        .arg(e.logicCells)
        .arg(device)
        .arg(board.logicCells);
}

} // namespace

FitCheck checkFit(const Graph &graph, const QuantConfig &config, int lanes, const Board &board,
                  WeightMemory memory)
{
    const QuantizedNetwork net = quantize(graph, config);
    FitCheck check;
    const ResourceEstimate ebr = estimateResources(net, lanes, false);
    const ResourceEstimate sp = estimateResources(net, lanes, true);
    QString spramWhy;
    const bool ebrFits = fitsBoard(ebr, lanes, config.weightBits, false, board);
    const bool spFits = fitsBoard(sp, lanes, config.weightBits, true, board, &spramWhy);
    if (memory == WeightMemory::Spram || (memory == WeightMemory::Auto && !ebrFits && spFits)) {
        check.spram = true;
        check.estimate = sp;
        check.fits = spFits;
    } else {
        check.estimate = ebr;
        check.fits = ebrFits;
    }
    const QString numbers = numbersText(check.estimate, board, check.spram);
    if (check.fits) {
        check.message =
            QStringLiteral("fits the %1%2: %3")
                .arg(board.name,
                     check.spram ? QStringLiteral(" with the weights in SPRAM") : QString(),
                     numbers);
        return check;
    }
    // What would make it fit: fewer bits, fewer lanes (narrower SPRAM words), another board.
    QStringList hints;
    auto fitsWith = [&](int bits, int l, bool *usesSpram) {
        QuantConfig c = config;
        c.weightBits = bits;
        try {
            const QuantizedNetwork q = quantize(graph, c);
            if (memory != WeightMemory::Spram &&
                fitsBoard(estimateResources(q, l, false), l, bits, false, board)) {
                *usesSpram = false;
                return true;
            }
            if (memory != WeightMemory::Ebr &&
                fitsBoard(estimateResources(q, l, true), l, bits, true, board)) {
                *usesSpram = true;
                return true;
            }
        } catch (const Error &) {
        }
        return false;
    };
    bool found = false;
    for (int bits = config.weightBits; bits >= 2 && !found; --bits)
        for (int l = lanes; l >= 1 && !found; l /= 2) {
            if (bits == config.weightBits && l == lanes)
                continue;
            bool usesSpram = false;
            if (fitsWith(bits, l, &usesSpram)) {
                hints << QStringLiteral("%1-bit weights and %2 lane%3%4")
                             .arg(bits)
                             .arg(l)
                             .arg(l == 1 ? QString() : QStringLiteral("s"))
                             .arg(usesSpram ? QStringLiteral(" (weights in SPRAM)") : QString());
                found = true;
            }
        }
    for (const Board &b : boards())
        if (b.ebrBlocks > board.ebrBlocks && b.ebrBlocks >= ebr.ebrBlocks &&
            b.logicCells >= ebr.logicCells) {
            hints << QStringLiteral("a bigger board (%1: %2 EBR blocks, %3 logic cells)")
                         .arg(b.name)
                         .arg(b.ebrBlocks)
                         .arg(b.logicCells);
            break;
        }
    hints << QStringLiteral("a smaller network (the optimisation passes)");
    check.message =
        QStringLiteral("does not fit the %1: %2%3; it would fit with %4")
            .arg(board.name, numbers,
                 check.spram || memory == WeightMemory::Auto
                     ? (spramWhy.isEmpty() ? QString()
                                           : QStringLiteral(" (") + spramWhy + QLatin1Char(')'))
                     : QString(),
                 hints.join(QStringLiteral(", or ")));
    return check;
}

namespace {

// What a design lacks on a board, in a few words.
QString shortfall(const ResourceEstimate &e, const Board &board)
{
    QStringList parts;
    if (e.ebrBlocks > board.ebrBlocks)
        parts << QStringLiteral("%1 of %2 EBR blocks").arg(e.ebrBlocks).arg(board.ebrBlocks);
    if (e.logicCells > board.logicCells)
        parts
            << QStringLiteral("about %1 of %2 logic cells").arg(e.logicCells).arg(board.logicCells);
    return QStringLiteral("needs ") + parts.join(QStringLiteral(" and "));
}

// One setting tried by the chooser: whether it fits (and where the weights go) or why not.
struct Trial {
    bool fits = false;
    bool spram = false;
    QString why;
};

Trial tryConfiguration(const QuantizedNetwork &net, int lanes, const Board &board,
                       WeightMemory memory)
{
    const int bits = net.config.weightBits;
    const bool trySpram =
        memory == WeightMemory::Spram || (memory == WeightMemory::Auto && board.spramBlocks > 0);
    Trial t;
    QStringList why;
    if (memory != WeightMemory::Spram) {
        const ResourceEstimate e = estimateResources(net, lanes, false);
        if (fitsBoard(e, lanes, bits, false, board)) {
            t.fits = true;
            return t;
        }
        why << (trySpram ? QStringLiteral("in EBR ") : QString()) + shortfall(e, board);
    }
    if (trySpram) {
        const ResourceEstimate e = estimateResources(net, lanes, true);
        QString spramWhy;
        if (fitsBoard(e, lanes, bits, true, board, &spramWhy)) {
            t.fits = true;
            t.spram = true;
            return t;
        }
        why << (spramWhy.isEmpty() ? QStringLiteral("in SPRAM ") + shortfall(e, board) : spramWhy);
    }
    t.why = why.join(QStringLiteral("; "));
    return t;
}

QString lanesText(int lanes)
{
    return QStringLiteral("%1 lane%2").arg(lanes).arg(lanes == 1 ? "" : "s");
}

} // namespace

Configuration chooseConfiguration(const Graph &graph, const QuantConfig &base, const Board &board,
                                  WeightMemory memory, int fixedBits, int fixedLanes)
{
    std::vector<int> bitsList;
    for (int bits = 8; bits >= 2; --bits)
        if (fixedBits == 0 || bits == fixedBits)
            bitsList.push_back(bits);
    if (bitsList.empty())
        bitsList.push_back(fixedBits); // out of range: the quantiser names the problem
    // Why each weight width (that did not fit) failed, by lane count; or the quantiser's refusal.
    std::map<int, std::map<int, QString>> rejected;
    std::map<int, QString> refused;
    int lastQuantized = 0;
    for (int bits : bitsList) {
        QuantConfig config = base;
        config.weightBits = bits;
        QuantizedNetwork net;
        try {
            net = quantize(graph, config);
        } catch (const Error &e) {
            refused[bits] = e.message();
            continue;
        }
        lastQuantized = bits;
        const int useful = usefulLanes(net);
        std::vector<int> lanesList;
        for (int lanes = useful; lanes >= 1; lanes /= 2)
            if (fixedLanes == 0 || lanes == fixedLanes)
                lanesList.push_back(lanes);
        if (fixedLanes > useful || lanesList.empty())
            lanesList = {fixedLanes}; // as asked, even when it cannot be faster (or is invalid)
        for (int lanes : lanesList) {
            const Trial t = tryConfiguration(net, lanes, board, memory);
            if (!t.fits) {
                rejected[bits][lanes] = t.why;
                continue;
            }
            Configuration c;
            c.quant = config;
            c.lanes = lanes;
            c.fit = checkFit(graph, config, lanes, board, memory);
            QString bitsWhy;
            if (fixedBits != 0)
                bitsWhy = QStringLiteral("the weight bits as given");
            else if (bits == bitsList.front())
                bitsWhy = QStringLiteral("the most weight bits");
            else if (refused.count(bits + 1))
                bitsWhy = QStringLiteral("the most weight bits the model takes (%1 bits: %2)")
                              .arg(bits + 1)
                              .arg(refused[bits + 1]);
            else {
                const auto &above = rejected[bits + 1];
                const auto same = above.find(lanes);
                const auto &[shownLanes, why] = same != above.end() ? *same : *above.begin();
                bitsWhy = QStringLiteral("the most weight bits that fit (%1-bit weights fit with "
                                         "no lane count; at %2: %3)")
                              .arg(bits + 1)
                              .arg(lanesText(shownLanes), why);
            }
            QString lanesWhy;
            if (fixedLanes != 0)
                lanesWhy = QStringLiteral("the lanes as given");
            else if (lanes == 16)
                lanesWhy = QStringLiteral("the most lanes");
            else if (lanes == useful)
                lanesWhy =
                    QStringLiteral("as many lanes as the largest layer (%1 neuron%2) can use")
                        .arg(largestLayer(net))
                        .arg(largestLayer(net) == 1 ? "" : "s");
            else
                lanesWhy = QStringLiteral("the most lanes that fit at %1 bits (%2: %3)")
                               .arg(bits)
                               .arg(lanesText(lanes * 2), rejected[bits][lanes * 2]);
            c.reason = QStringLiteral("%1-bit weights, %2, weights in %3 for the %4: %5; %6")
                           .arg(bits)
                           .arg(lanesText(lanes),
                                c.fit.spram ? QStringLiteral("SPRAM") : QStringLiteral("EBR"),
                                board.name, bitsWhy, lanesWhy);
            return c;
        }
    }
    if (lastQuantized == 0)
        throw Error(refused.begin()->second); // the smallest width's refusal
    QuantConfig smallest = base;
    smallest.weightBits = lastQuantized;
    const int fewestLanes = rejected[lastQuantized].begin()->first;
    throw Error(checkFit(graph, smallest, fewestLanes, board, memory).message);
}

} // namespace snn::hw
