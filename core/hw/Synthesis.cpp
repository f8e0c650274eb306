#include "hw/Synthesis.h"

#include "base/Error.h"

#include <limits>

namespace snn::hw {

Synthesised synthesiseDesign(const Graph &graph, const ExportOptions &options, const QString &dir,
                             bool allowSlowClock, const std::function<void(const QString &)> &log,
                             const std::function<bool()> &cancelRequested,
                             const std::function<void(int step)> &stepStarted)
{
    const Board &b = board(options.board);
    Synthesised s;
    const auto build = [&](const CoreClock *clock) {
        if (clock && log)
            log(QStringLiteral("== clock: %1\n").arg(clock->reason));
        s.exported = exportDesign(graph, options, dir, clock);
        FlowOptions flow = flowOptions(dir, b);
        flow.allowSlowClock = true; // checked below, on the run that is kept
        s.report = runFlow(flow, log, cancelRequested, stepStarted);
    };
    build(nullptr);
    const CoreClock first = s.exported.clock;
    if (first.automatic) {
        const double fmax = s.report.fmaxMHz;
        double below = std::numeric_limits<double>::infinity();
        QString missed; // the faster clocks nextpnr did not meet
        for (int attempt = 0; attempt < kClockAttempts; ++attempt) {
            const std::optional<CoreClock> faster =
                clockForFmax(b, fmax, first.mhz, below, options.baud, s.exported.fit.spram);
            if (!faster)
                break;
            build(&*faster);
            if (s.report.timingMet()) {
                s.exported.clock.reason += missed;
                break;
            }
            missed += QStringLiteral("; %1 MHz missed timing (nextpnr: %2 MHz)")
                          .arg(faster->mhz)
                          .arg(s.report.fmaxMHz, 0, 'f', 2);
            below = faster->mhz;
        }
        if (s.exported.clock.mhz == first.mhz || !s.report.timingMet()) {
            // No faster clock, or none met: the first clock, the README saying why.
            CoreClock kept = first;
            kept.reason =
                missed.isEmpty()
                    ? QStringLiteral("%1 (auto: nextpnr's %2 MHz fmax at %3 MHz leaves no faster "
                                     "standard clock %4% below it)")
                          .arg(clockName(first))
                          .arg(fmax, 0, 'f', 2)
                          .arg(first.mhz)
                          .arg(kClockMargin * 100)
                    : QStringLiteral("%1 (auto: no faster standard clock met timing%2)")
                          .arg(clockName(first), missed);
            if (s.exported.clock.mhz == first.mhz)
                s.exported = exportDesign(graph, options, dir, &kept); // (the same design)
            else
                build(&kept);
        }
    }
    s.report.clock = s.exported.clock.reason;
    const QString slow = slowClockProblem(s.report);
    if (!slow.isEmpty() && !allowSlowClock)
        throw Error(slow);
    return s;
}

} // namespace snn::hw
