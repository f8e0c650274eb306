#include "hw/Settle.h"

#include "base/Error.h"

namespace snn::hw {

Settled settle(const Graph &original, ExportOptions o)
{
    const Board &b = board(o.board);
    const bool autoBits = o.quant.weightBits == 0;
    const bool autoLanes = o.lanes == 0;
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
    return QStringLiteral("%1-bit weights, %2 lanes, weights in %3")
        .arg(o.quant.weightBits)
        .arg(o.lanes)
        .arg(spram ? QStringLiteral("SPRAM") : QStringLiteral("EBR"));
}

} // namespace snn::hw
