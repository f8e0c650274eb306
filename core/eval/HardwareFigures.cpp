#include "eval/HardwareFigures.h"

#include "base/Text.h"
#include "eval/Accuracy.h"
#include "hw/Protocol.h"

#include <QJsonValue>

#include <algorithm>

namespace snn::eval {

namespace {

// Bytes on the serial line for one inference: the RUN request with `inputs` intensities and its
// reply with `outputs` counts and the class.
int uartBytes(int inputs, int outputs)
{
    using namespace hw::protocol;
    return int(frame(kRequestStart, Command::Run, QByteArray(inputs, '\0')).size() +
               frame(kReplyStart, Command::Run, QByteArray(outputs + 1, '\0')).size());
}

const QString kNotMeasured = QStringLiteral("not measured");

} // namespace

double HardwareFigures::latencyMs() const
{
    return cyclesPerInference / (clockMHz * 1e3);
}

double HardwareFigures::inferencesPerSecond() const
{
    return 1000.0 / (latencyMs() + uartMs);
}

double HardwareFigures::weightKbit() const
{
    return double(fit.estimate.weightBits) / 1024.0;
}

QString HardwareFigures::configText() const
{
    if (!automatic)
        return hw::describe(options, fit.spram) + QStringLiteral(" (as set)");
    return hw::describe(options, fit.spram) +
           (options.target.isSet()
                ? QStringLiteral(" (Auto for this graph, target %1)").arg(options.target.text())
                : QStringLiteral(" (Auto for this graph)"));
}

QJsonObject HardwareFigures::toJson() const
{
    const auto measured = [this](double value) {
        return hasCycles() ? QJsonValue(value) : QJsonValue(kNotMeasured);
    };
    const QJsonObject config{
        {QStringLiteral("text"), configText()},
        {QStringLiteral("board"), options.board},
        {QStringLiteral("weight_bits"), options.quant.weightBits},
        {QStringLiteral("lanes"), options.lanes},
        {QStringLiteral("memory"), fit.spram ? QStringLiteral("spram") : QStringLiteral("ebr")},
        {QStringLiteral("chosen"), automatic ? QStringLiteral("auto") : QStringLiteral("set")},
        {QStringLiteral("target"), options.target.toJson()},
        {QStringLiteral("fits"), fit.fits},
        {QStringLiteral("clock_mhz"), clockMHz}};
    return {{QStringLiteral("config"), config},
            {QStringLiteral("cycles_per_inference"), measured(cyclesPerInference)},
            {QStringLiteral("latency_ms"), measured(latencyMs())},
            {QStringLiteral("inferences_per_s"), measured(inferencesPerSecond())},
            {QStringLiteral("uart_ms"), uartMs},
            {QStringLiteral("samples"), samples},
            {QStringLiteral("weight_kbit"), weightKbit()},
            {QStringLiteral("ebr"), fit.estimate.ebrBlocks},
            {QStringLiteral("spram"), fit.estimate.spramBlocks},
            {QStringLiteral("logic_cells"), fit.estimate.logicCells}};
}

HardwareFigures hardwareFigures(const Graph &graph, const hw::ExportOptions &options,
                                const RowMatrixXf &samples, const RunControl &control,
                                std::vector<int> *predictions)
{
    // A target's choice measures every lane count it weighs in one run on the samples; the
    // chosen one's cycles and predictions come from that run.
    MeasuredCycles measured;
    const hw::MeanCycles cycles =
        samples.rows() > 0 ? meanCyclesOn(samples, control, &measured) : hw::MeanCycles();
    const hw::Settled settled = hw::settle(graph, options, cycles);
    HardwareFigures f;
    f.options = settled.options;
    f.automatic = options.quant.weightBits == 0 || options.lanes == 0;
    f.fit = settled.fit;
    f.reason = settled.reason;
    // The clock the export starts at (an automatic one may rise after synthesis: CoreClock.h).
    f.clockMHz =
        hw::exportClock(hw::board(f.options.board), f.options.clockMHz, f.options.baud, f.fit.spram)
            .mhz;
    const hw::QuantizedNetwork net = hw::quantize(graph, f.options.quant);
    f.uartMs = 10.0 * uartBytes(net.inputSize, net.outputSize()) / f.options.baud * 1e3;
    if (samples.rows() == 0 && !predictions)
        return f;
    f.samples = int(samples.rows());
    const auto chosen = std::find(measured.lanes.begin(), measured.lanes.end(), f.options.lanes);
    if (chosen != measured.lanes.end()) {
        f.cyclesPerInference =
            double(measured.run.cycles[std::size_t(chosen - measured.lanes.begin())]) / f.samples;
        if (predictions)
            *predictions = measured.run.predictions;
        return f;
    }
    const CoreRun run = runCore(net, {hw::memoryLayout(net, f.options.lanes)}, samples, control);
    if (f.samples > 0)
        f.cyclesPerInference = double(run.cycles.front()) / f.samples;
    if (predictions)
        *predictions = run.predictions;
    return f;
}

hw::MeanCycles meanCyclesOn(const RowMatrixXf &samples, const RunControl &control,
                            MeasuredCycles *measured)
{
    return [&samples, control, measured](const hw::QuantizedNetwork &net,
                                         const std::vector<int> &lanes) {
        std::vector<hw::MemoryLayout> layouts;
        for (const int l : lanes)
            layouts.push_back(hw::memoryLayout(net, l));
        CoreRun run = runCore(net, layouts, samples, control);
        std::vector<double> mean;
        for (const std::int64_t total : run.cycles)
            mean.push_back(double(total) / double(samples.rows()));
        if (measured)
            *measured = {lanes, std::move(run)};
        return mean;
    };
}

hw::ExportOptions sameConfiguration(const HardwareFigures &figures)
{
    hw::ExportOptions o = figures.options;
    o.weightMemory = figures.fit.spram ? hw::WeightMemory::Spram : hw::WeightMemory::Ebr;
    o.target = {}; // nothing left to choose
    return o;
}

QJsonObject HardwareComparison::toJson() const
{
    return {{QStringLiteral("before"), before.toJson()},
            {QStringLiteral("after"), after.toJson()},
            {QStringLiteral("after_same_configuration"), afterSameConfiguration.toJson()}};
}

QStringList HardwareComparison::lines() const
{
    const HardwareFigures &b = before;
    const HardwareFigures &a = after;
    const HardwareFigures &same = afterSameConfiguration;
    QStringList lines;
    lines << QStringLiteral("  configuration     %1 -> %2").arg(b.configText(), a.configText());
    if (b.hasCycles() && a.hasCycles()) {
        lines << QStringLiteral("  cycles/inference  %1 (mean of %2 samples)")
                     .arg(changeText(b.cyclesPerInference, a.cyclesPerInference))
                     .arg(numberText(a.samples));
        lines << QStringLiteral("  latency           %1 ms at %2 MHz -> %3 ms at %4 MHz")
                     .arg(numberText(b.latencyMs(), 3), numberText(b.clockMHz, 2),
                          numberText(a.latencyMs(), 3), numberText(a.clockMHz, 2));
        lines << QStringLiteral("  inferences/s      %1 (each with %2 ms on the UART at %3 baud)")
                     .arg(changeText(b.inferencesPerSecond(), a.inferencesPerSecond(), 1),
                          numberText(a.uartMs, 1), numberText(a.options.baud));
    } else {
        lines << QStringLiteral("  cycles/inference  not measured (no samples)");
    }
    lines
        << QStringLiteral("  weight Kbit       %1").arg(changeText(b.weightKbit(), a.weightKbit()));
    lines << QStringLiteral("  EBR blocks        %1")
                 .arg(changeText(b.fit.estimate.ebrBlocks, a.fit.estimate.ebrBlocks));
    lines << QStringLiteral("  SPRAM blocks      %1")
                 .arg(changeText(b.fit.estimate.spramBlocks, a.fit.estimate.spramBlocks));
    lines << QStringLiteral("  logic cells       %1 (estimated)")
                 .arg(changeText(b.fit.estimate.logicCells, a.fit.estimate.logicCells));
    QString sameLine = QStringLiteral("  after at the before's configuration: ");
    if (same.hasCycles())
        sameLine += QStringLiteral("%1 cycles, %2 ms, ")
                        .arg(numberText(same.cyclesPerInference), numberText(same.latencyMs(), 3));
    lines << sameLine + QStringLiteral("%1 Kbit, %2 EBR, %3 SPRAM, %4 logic cells")
                            .arg(numberText(same.weightKbit()))
                            .arg(same.fit.estimate.ebrBlocks)
                            .arg(same.fit.estimate.spramBlocks)
                            .arg(numberText(same.fit.estimate.logicCells));
    return lines;
}

} // namespace snn::eval
