#include "flow/Hardware.h"

#include "base/Error.h"
#include "eval/HardwareFigures.h"
#include "hw/ResourceEstimator.h"
#include "hw/Verilator.h"

#include <QDir>
#include <QFile>

namespace snn::flow {

FitEstimate fitEstimate(const Graph &original, const Graph *optimized, const hw::ExportOptions &o,
                        const RowMatrixXf *samples, const RunControl &control)
{
    if (original.isEmpty())
        return {std::nullopt, QStringLiteral("the graph has no layers"), std::nullopt, {}, {}};
    try {
        Settled s;
        std::optional<double> latency;
        if (o.target.isSet() && samples) { // the choice and its latency from one run
            const eval::HardwareFigures f = eval::hardwareFigures(original, o, *samples, control);
            s = {f.options, f.fit, f.reason};
            latency = f.latencyMs();
        } else {
            s = settle(original, o);
        }
        if (!optimized)
            return {s.fit, {}, s.options, s.reason, latency};
        return {hw::checkFit(*optimized, s.options.quant, s.options.lanes,
                             hw::board(s.options.board), s.options.weightMemory),
                {},
                s.options,
                s.reason,
                latency};
    } catch (const Cancelled &) {
        throw; // superseded: nothing to show
    } catch (const Error &e) {
        return {std::nullopt, e.message(), std::nullopt, {}, {}};
    }
}

hw::MeanCycles targetCycles(const RowMatrixXf *samples, const RunControl &control)
{
    return samples ? eval::meanCyclesOn(*samples, control) : hw::MeanCycles();
}

Exported exportSettled(const Graph &original, const Graph &graph, const hw::ExportOptions &o,
                       const QString &dir, const hw::MeanCycles &cycles)
{
    const Settled s = settle(original, o, cycles);
    QFile::remove(QDir(dir).filePath(QStringLiteral("top.bin")));
    const hw::ExportResult r = hw::exportDesign(graph, s.options, dir);
    return {s.options, s.reason, int(r.files.size()), r.fit.spram};
}

QString verificationText(const hw::RtlVerification &r)
{
    if (r.passed())
        return QStringLiteral("PASS: %1 samples, every output spike count identical to the "
                              "bit-accurate model")
            .arg(r.samples);
    return QStringLiteral("FAIL: %1 mismatches over %2 samples\n%3")
        .arg(r.mismatches)
        .arg(r.samples)
        .arg(r.details.join(QLatin1Char('\n')));
}

QString buildStepName(int step)
{
    static const QStringList names{QStringLiteral("Export"),  QStringLiteral("yosys"),
                                   QStringLiteral("nextpnr"), QStringLiteral("icepack"),
                                   QStringLiteral("icetime"), QStringLiteral("Verify")};
    return names.value(step);
}

QString buildStepMarker(int step)
{
    static const QStringList markers{QStringLiteral("== export"),  QStringLiteral("== yosys"),
                                     QStringLiteral("== nextpnr"), QStringLiteral("== icepack"),
                                     QStringLiteral("== icetime"), QStringLiteral("== verilator")};
    return markers.value(step);
}

namespace {

void say(const BuildLog &log, const QString &text)
{
    if (log)
        log({-1, text, std::nullopt});
}

void begin(const BuildLog &log, int step)
{
    if (log)
        log({step, {}, std::nullopt});
}

} // namespace

Synthesis synthesise(const Graph &original, const Graph &graph, const hw::ExportOptions &o,
                     const QString &dir, const BuildLog &log, const RunControl &control,
                     const hw::MeanCycles &cycles)
{
    begin(log, StepExport);
    say(log, QStringLiteral("== export: the design into %1\n").arg(QDir::toNativeSeparators(dir)));
    control.checkCancelled();
    const Settled settled = settle(original, o, cycles);
    say(log, settled.reason.isEmpty()
                 ? QStringLiteral("%1 (as set)\n").arg(describe(settled.options, settled.fit.spram))
                 : QStringLiteral("Auto: %1\n").arg(settled.reason));
    QFile::remove(QDir(dir).filePath(QStringLiteral("top.bin"))); // no stale bitstream passes
    // (An automatic clock builds twice: the second run starts again at yosys.)
    const hw::Synthesised built = hw::synthesiseDesign(
        graph, settled.options, dir, false, [&log](const QString &text) { say(log, text); },
        [&control] { return control.cancelRequested && control.cancelRequested(); },
        [&log](int step) { begin(log, StepYosys + step); });
    Synthesis s{{settled.options, settled.reason, int(built.exported.files.size()),
                 built.exported.fit.spram},
                built.report};
    say(log, s.report.toText());
    if (log)
        log({-1, {}, s.report});
    return s;
}

QString Built::bitstream() const
{
    return QDir::toNativeSeparators(QDir(directory).filePath(QStringLiteral("top.bin")));
}

Built build(const Graph &graph, const hw::ExportOptions &options, const QString &dir,
            const BuildLog &log, const RunControl &control, const hw::MeanCycles &cycles)
{
    int step = StepExport; // the step running, for the message of a failure
    const BuildLog tracked = [&](const BuildEvent &event) {
        if (event.step >= 0)
            step = event.step;
        if (log)
            log(event);
    };
    Built built;
    built.directory = dir;
    try {
        built.synthesis = synthesise(graph, graph, options, dir, tracked, control, cycles);
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) {
        say(log, QStringLiteral("FAILED: %1\n").arg(e.message()));
        throw Error(QStringLiteral("Build failed at %1 (nothing was built): %2")
                        .arg(step == StepExport ? QStringLiteral("export") : buildStepName(step),
                             e.message()));
    }
    const hw::FlowReport &r = built.synthesis.report;
    const QString figures =
        QStringLiteral("%1; %2 / %3 logic cells, %4 / %5 EBR, %6 / %7 SPRAM, fmax %8 MHz")
            .arg(describe(built.synthesis.exported.options, built.synthesis.exported.spram))
            .arg(r.logicCells)
            .arg(r.logicCellsAvailable)
            .arg(r.ebr)
            .arg(r.ebrAvailable)
            .arg(r.spram)
            .arg(r.spramAvailable)
            .arg(r.fmaxMHz, 0, 'f', 1);
    begin(log, StepVerify);
    say(log, QStringLiteral("== verilator: RTL against the bit-accurate model\n"));
    try {
        built.verification = hw::runVerilator(dir, control);
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) {
        say(log, QStringLiteral("FAILED: %1\n").arg(e.message()));
        throw Error(QStringLiteral("Built, but the RTL verify did not run: %1").arg(e.message()));
    }
    const QString result = verificationText(built.verification);
    say(log, result + QLatin1Char('\n'));
    built.summary = built.passed() ? QStringLiteral("Built %1 (%2); RTL verify passed on %3 "
                                                    "samples.")
                                         .arg(built.bitstream(), figures)
                                         .arg(built.verification.samples)
                                   : QStringLiteral("Built %1 (%2), but the RTL verify failed: %3")
                                         .arg(built.bitstream(), figures,
                                              result.section(QLatin1Char('\n'), 0, 0));
    return built;
}

} // namespace snn::flow
