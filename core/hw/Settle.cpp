#include "hw/Settle.h"

#include "base/Error.h"
#include "base/Text.h"

#include <algorithm>
#include <tuple>

namespace snn::hw {

namespace {

// One configuration chooseForTarget weighs: its lanes, weight memory, estimate and latency.
struct Candidate {
    int lanes = 0;
    bool spram = false;
    ResourceEstimate estimate;
    double clockMHz = 0.0;
    double latencyMs = 0.0;

    int blocks() const { return estimate.ebrBlocks + estimate.spramBlocks; }
    // "4.213 ms at 12 MHz, about 2,104 logic cells, 12 EBR and 0 SPRAM blocks"
    QString figures() const
    {
        return QStringLiteral("%1 ms at %2 MHz, about %3 logic cells, %4 EBR and %5 SPRAM blocks")
            .arg(numberText(latencyMs, 3), numberText(clockMHz, 2), numberText(estimate.logicCells))
            .arg(estimate.ebrBlocks)
            .arg(estimate.spramBlocks);
    }
};

// Every lane count and weight memory the chooser considers at `net`'s bits that fits `board`,
// with its latency.
std::vector<Candidate> candidates(const QuantizedNetwork &net, const ExportOptions &o,
                                  const Board &board, const MeanCycles &meanCycles)
{
    std::vector<int> lanesList;
    for (int lanes = 1; lanes <= usefulLanes(net); lanes *= 2)
        if (o.lanes == 0 || lanes == o.lanes)
            lanesList.push_back(lanes);
    if (lanesList.empty())
        lanesList = {o.lanes}; // as asked, even when it cannot be faster
    std::vector<bool> memories;
    if (o.weightMemory != WeightMemory::Spram)
        memories.push_back(false);
    if (o.weightMemory != WeightMemory::Ebr)
        memories.push_back(true);
    const std::vector<double> cycles = meanCycles(net, lanesList);
    std::vector<Candidate> found;
    for (std::size_t i = 0; i < lanesList.size(); ++i)
        for (const bool spram : memories) {
            Candidate c;
            c.lanes = lanesList[i];
            c.spram = spram;
            c.estimate = estimateResources(net, c.lanes, spram);
            if (!fitsBoard(c.estimate, c.lanes, net.config.weightBits, spram, board))
                continue;
            c.clockMHz = exportClock(board, o.clockMHz, o.baud, spram).mhz;
            c.latencyMs = cycles[i] / (c.clockMHz * 1e3);
            found.push_back(c);
        }
    return found;
}

} // namespace

Configuration chooseForTarget(const Graph &graph, const ExportOptions &o, const MeanCycles &cycles)
{
    const Board &b = board(o.board);
    // The chooser's bits (the given ones when fixed), or its message when nothing fits; its
    // configuration is one of the candidates, so there is at least one.
    const QuantConfig config =
        chooseConfiguration(graph, o.quant, b, o.weightMemory, o.quant.weightBits, o.lanes).quant;
    const QuantizedNetwork net = quantize(graph, config);
    const std::vector<Candidate> all = candidates(net, o, b, cycles);
    const bool latency = o.target.kind == Target::Kind::LatencyMs;
    const auto smaller = [](const Candidate &x, const Candidate &y) {
        return std::tuple(x.estimate.logicCells, x.blocks(), x.latencyMs) <
               std::tuple(y.estimate.logicCells, y.blocks(), y.latencyMs);
    };
    const auto faster = [](const Candidate &x, const Candidate &y) {
        return std::tuple(x.latencyMs, x.estimate.logicCells, x.blocks()) <
               std::tuple(y.latencyMs, y.estimate.logicCells, y.blocks());
    };
    std::vector<Candidate> meeting;
    std::copy_if(all.begin(), all.end(), std::back_inserter(meeting), [&](const Candidate &c) {
        return latency ? c.latencyMs <= o.target.value : c.estimate.logicCells <= o.target.value;
    });
    const auto describeOne = [&](const Candidate &c) {
        ExportOptions d = o;
        d.quant = config;
        d.lanes = c.lanes;
        return describe(d, c.spram);
    };
    if (meeting.empty()) {
        const Candidate best =
            *std::min_element(all.begin(), all.end(), latency ? faster : smaller);
        throw Error(
            QStringLiteral("no configuration on the %1 meets the target %2: the %3 takes %4 (%5)")
                .arg(b.name, o.target.text(),
                     latency ? QStringLiteral("fastest that fits")
                             : QStringLiteral("smallest that fits"),
                     latency ? numberText(best.latencyMs, 3) + QStringLiteral(" ms")
                             : QStringLiteral("about %1 logic cells")
                                   .arg(numberText(best.estimate.logicCells)),
                     describeOne(best)));
    }
    const Candidate chosen =
        *std::min_element(meeting.begin(), meeting.end(), latency ? smaller : faster);
    Configuration c;
    c.quant = config;
    c.lanes = chosen.lanes;
    c.fit = checkFit(graph, config, chosen.lanes, b,
                     chosen.spram ? WeightMemory::Spram : WeightMemory::Ebr);
    c.reason = QStringLiteral("%1 for the %2: the %3 of %4 fitting configurations that meets %5 "
                              "(%6)")
                   .arg(describeOne(chosen), b.name,
                        latency ? QStringLiteral("smallest") : QStringLiteral("fastest"))
                   .arg(all.size())
                   .arg(o.target.text(), chosen.figures());
    return c;
}

Settled settle(const Graph &original, ExportOptions o, const MeanCycles &cycles)
{
    const Board &b = board(o.board);
    const bool autoBits = o.quant.weightBits == 0;
    const bool autoLanes = o.lanes == 0;
    if (o.target.isSet()) {
        o.target.validate();
        if (!autoBits && !autoLanes)
            throw Error(QStringLiteral("the target %1 is for Auto: leave the lanes (or the weight "
                                       "bits) to be chosen")
                            .arg(o.target.text()));
        if (!cycles)
            throw Error(QStringLiteral("the target %1 needs samples to measure the cycles on (a "
                                       "data set)")
                            .arg(o.target.text()));
        const Configuration c = chooseForTarget(original, o, cycles);
        o.quant = c.quant;
        o.lanes = c.lanes;
        o.weightMemory = c.fit.spram ? WeightMemory::Spram : WeightMemory::Ebr;
        return {o, c.fit, c.reason};
    }
    o = withDefaults(o);
    QString reason;
    if (autoBits || autoLanes) {
        try {
            const Configuration c =
                chooseConfiguration(original, o.quant, b, o.weightMemory,
                                    autoBits ? 0 : o.quant.weightBits, autoLanes ? 0 : o.lanes);
            o.quant = c.quant;
            o.lanes = c.lanes;
            return {o, c.fit, c.reason};
        } catch (const Error &e) {
            reason = e.message(); // nothing fits; the fit check below says by how much
        }
    }
    return {o, checkFit(original, o.quant, o.lanes, b, o.weightMemory), reason};
}

ExportOptions withDefaults(ExportOptions o)
{
    if (o.quant.weightBits == 0)
        o.quant.weightBits = 8;
    if (o.lanes == 0)
        o.lanes = 4;
    return o;
}

ExportOptions settledOrDefault(const Graph &graph, const ExportOptions &options)
{
    try {
        return settle(graph, options).options;
    } catch (const Error &) { // the core cannot be built for it: nothing to settle on
        return withDefaults(options);
    }
}

QString describe(const ExportOptions &o, bool spram)
{
    return QStringLiteral("%1-bit weights, %2 lane%3, weights in %4")
        .arg(o.quant.weightBits)
        .arg(o.lanes)
        .arg(o.lanes == 1 ? "" : "s")
        .arg(spram ? QStringLiteral("SPRAM") : QStringLiteral("EBR"));
}

} // namespace snn::hw
