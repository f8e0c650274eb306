#include "opt/Report.h"

#include "base/Text.h"
#include "graph/Graph.h"
#include "hw/Boards.h"

#include <QJsonArray>

#include <algorithm>

namespace snn {

namespace {

QString number(std::int64_t n)
{
    return numberText(double(n));
}

QString change(std::int64_t before, std::int64_t after)
{
    return changeText(double(before), double(after));
}

QJsonObject sizeJson(const GraphSize &s)
{
    return {{QStringLiteral("params"), qint64(s.params)},
            {QStringLiteral("neurons"), qint64(s.neurons)},
            {QStringLiteral("layers"), s.layers}};
}

QString percent(double fraction)
{
    return QStringLiteral("%1%").arg(100.0 * fraction, 0, 'f', 2);
}

QString accuracyText(const AccuracyChange &a)
{
    return QStringLiteral("%1 -> %2 (agreement %3 of %4 samples)")
        .arg(percent(a.before), percent(a.after), percent(a.agreement), number(a.samples));
}

QJsonValue accuracyJson(const std::optional<AccuracyChange> &a)
{
    if (!a)
        return QStringLiteral("not measured");
    return QJsonObject{{QStringLiteral("before"), a->before},
                       {QStringLiteral("after"), a->after},
                       {QStringLiteral("agreement"), a->agreement},
                       {QStringLiteral("samples"), a->samples},
                       {QStringLiteral("how"), a->how}};
}

QString notMeasuredText(const QString &why)
{
    return why.isEmpty() ? QStringLiteral("not measured")
                         : QStringLiteral("not measured: %1").arg(why);
}

// [{"weight_bits", "accuracy"}, ...]
QJsonArray widthsJson(const std::vector<HardwareAccuracy::Width> &widths)
{
    QJsonArray array;
    for (const HardwareAccuracy::Width &w : widths)
        array.append(QJsonObject{{QStringLiteral("weight_bits"), w.weightBits},
                                 {QStringLiteral("accuracy"), accuracyJson(w.accuracy)}});
    return array;
}

QJsonValue hardwareJson(const std::optional<HardwareAccuracy> &h, const QString &notMeasured)
{
    if (!h)
        return notMeasuredText(notMeasured);
    return QJsonObject{{QStringLiteral("float_model"), accuracyJson(h->floatModel)},
                       {QStringLiteral("quantized"), widthsJson(h->quantized)}};
}

// One line of a graph's hardware figures: "148,052 cycles/inference, 852 Kbit weights, 19 EBR,
// 4 SPRAM, 3,161 LC (4-bit weights, 8 lanes, weights in SPRAM (Auto for this graph))".
QString figuresText(const eval::HardwareFigures &f)
{
    QString text =
        f.hasCycles()
            ? QStringLiteral("%1 cycles/inference, ").arg(numberText(f.cyclesPerInference))
            : QString();
    return text + QStringLiteral("%1 Kbit weights, %2 EBR, %3 SPRAM, %4 LC (%5)")
                      .arg(numberText(f.weightKbit()))
                      .arg(f.fit.estimate.ebrBlocks)
                      .arg(f.fit.estimate.spramBlocks)
                      .arg(numberText(f.fit.estimate.logicCells), f.configText());
}

// What a pass did, for its heading: "30 neurons removed", "2 neurons merged", ...
QString passDid(const PassReport &p)
{
    QString did;
    if (p.pass.startsWith(QLatin1String("dead")))
        did = QStringLiteral("%1 neurons removed").arg(p.neuronsRemoved);
    else if (p.pass.startsWith(QLatin1String("redundancy")))
        did = QStringLiteral("%1 neurons merged").arg(p.neuronsMerged);
    else if (p.pass.startsWith(QLatin1String("neuron")))
        did = QStringLiteral("%1 neurons pruned").arg(p.neuronsRemoved);
    else
        did = QStringLiteral("%1 layers fused").arg(p.layersFused);
    if (p.skipped > 0)
        did += QStringLiteral(", %1 skipped (not exact on the core)").arg(p.skipped);
    return did;
}

// A neuron map as JSON: the index after for a kept neuron, "removed", "fused", or
// {"merged_into": keeper's index before}.
QJsonArray neuronMapJson(const NeuronMap &map)
{
    QJsonArray array;
    for (const NeuronFate &f : map)
        switch (f.kind) {
        case NeuronFate::Kept:
            array.append(f.index);
            break;
        case NeuronFate::Removed:
            array.append(QStringLiteral("removed"));
            break;
        case NeuronFate::Fused:
            array.append(QStringLiteral("fused"));
            break;
        case NeuronFate::Merged:
            array.append(QJsonObject{{QStringLiteral("merged_into"), f.index}});
            break;
        }
    return array;
}

} // namespace

GraphSize GraphSize::of(const Graph &graph)
{
    return {graph.totalParams(), graph.totalNeurons(), graph.layerCount()};
}

NeuronMap Report::neuronMap(int layerId) const
{
    NeuronMap map;
    std::vector<int> original; // the input graph's index of each neuron the layer has now
    for (const PassReport &p : passReports)
        for (const LayerChange &c : p.layers) {
            if (c.layerId != layerId || c.neurons.empty())
                continue;
            if (map.empty()) {
                for (int n = 0; n < int(c.neurons.size()); ++n) {
                    map.push_back({NeuronFate::Kept, n});
                    original.push_back(n);
                }
            }
            std::vector<int> next(std::size_t(c.neuronsAfter), -1);
            for (std::size_t n = 0; n < c.neurons.size() && n < original.size(); ++n) {
                const NeuronFate &f = c.neurons[n];
                NeuronFate &fate = map[std::size_t(original[n])];
                fate = f;
                if (f.kind == NeuronFate::Kept)
                    next[std::size_t(f.index)] = original[n];
                else if (f.kind == NeuronFate::Merged)
                    fate.index = original[std::size_t(f.index)];
            }
            original = std::move(next);
        }
    const bool unchanged = std::all_of(map.begin(), map.end(), [&](const NeuronFate &f) {
        return f.kind == NeuronFate::Kept && f.index == int(&f - map.data());
    });
    if (unchanged)
        map.clear();
    return map;
}

double Report::compressionRatio() const
{
    return after.params > 0 ? double(before.params) / double(after.params) : 1.0;
}

QString Report::summary() const
{
    QStringList lines;
    lines << QStringLiteral("Optimisation report");
    lines << QStringLiteral("Passes:      %1")
                 .arg(passes.isEmpty() ? QStringLiteral("(none)")
                                       : passes.join(QStringLiteral(", ")));
    lines << QStringLiteral("Parameters:  %1").arg(change(before.params, after.params));
    lines << QStringLiteral("Neurons:     %1").arg(change(before.neurons, after.neurons));
    lines << QStringLiteral("Layers:      %1").arg(change(before.layers, after.layers));
    lines << QStringLiteral("Compression: %1x").arg(compressionRatio(), 0, 'f', 3);
    if (!retraining.isEmpty())
        lines << QStringLiteral("Retrained:   %1").arg(retraining);
    if (accuracy)
        lines << QStringLiteral("Accuracy:    %1; %2").arg(accuracyText(*accuracy), accuracy->how);
    else
        lines << QStringLiteral("Accuracy:    not measured (no validation set given)");
    if (hardware) {
        lines << QStringLiteral("Hardware:    %1").arg(hardware->floatModel.how);
        lines << QStringLiteral("  float model      %1").arg(accuracyText(hardware->floatModel));
        for (const HardwareAccuracy::Width &w : hardware->quantized)
            lines << QStringLiteral("  %1-bit weights    %2")
                         .arg(w.weightBits)
                         .arg(accuracyText(w.accuracy));
    } else if (!hardwareNotMeasured.isEmpty()) {
        lines << QStringLiteral("Hardware:    not measured: %1").arg(hardwareNotMeasured);
    }
    if (figures) {
        lines << QStringLiteral("FPGA core:   %1, each graph at its configuration (the after "
                                "graph also at the before's)")
                     .arg(hw::board(figures->before.options.board).name);
        lines << figures->lines();
    }
    for (const PassReport &p : passReports) {
        lines << QString();
        lines << QStringLiteral("[%1] %2; parameters %3")
                     .arg(p.pass, passDid(p), change(p.before.params, p.after.params));
        if (p.accuracy)
            lines << QStringLiteral("  accuracy %1").arg(accuracyText(*p.accuracy));
        for (const HardwareAccuracy::Width &w : p.core)
            lines << QStringLiteral("  %1-bit core %2")
                         .arg(w.weightBits)
                         .arg(accuracyText(w.accuracy));
        if (p.figures)
            lines << QStringLiteral("  FPGA core: %1").arg(figuresText(*p.figures));
        for (const LayerChange &c : p.layers) {
            QString line = QStringLiteral("  %1: %2 -> %3 neurons")
                               .arg(c.layer)
                               .arg(c.neuronsBefore)
                               .arg(c.neuronsAfter);
            if (c.removed)
                line += p.pass.startsWith(QLatin1String("neuron"))
                            ? QStringLiteral(", %1 pruned").arg(c.removed)
                            : QStringLiteral(", %1 dead removed").arg(c.removed);
            if (c.neverFired && !c.removed)
                line += QStringLiteral(", %1 never fired (kept)").arg(c.neverFired);
            if (c.merged)
                line += QStringLiteral(", %1 merged into %2 keepers").arg(c.merged).arg(c.groups);
            if (c.skipped)
                line += QStringLiteral(", %1 skipped").arg(c.skipped);
            if (!c.fusedInto.isEmpty())
                line += QStringLiteral(", fused into %1").arg(c.fusedInto);
            lines << line;
        }
        for (const QString &n : p.notes)
            lines << QStringLiteral("  note: %1").arg(n);
        for (const QString &w : p.warnings)
            lines << QStringLiteral("  WARNING: %1").arg(w);
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QJsonObject Report::toJson() const
{
    QJsonArray passArray;
    for (const PassReport &p : passReports) {
        QJsonArray layers;
        for (const LayerChange &c : p.layers)
            layers.append(QJsonObject{{QStringLiteral("layer"), c.layer},
                                      {QStringLiteral("neurons_before"), c.neuronsBefore},
                                      {QStringLiteral("neurons_after"), c.neuronsAfter},
                                      {QStringLiteral("removed"), c.removed},
                                      {QStringLiteral("merged"), c.merged},
                                      {QStringLiteral("groups"), c.groups},
                                      {QStringLiteral("never_fired"), c.neverFired},
                                      {QStringLiteral("skipped"), c.skipped},
                                      {QStringLiteral("fused_into"), c.fusedInto},
                                      {QStringLiteral("neuron_map"), neuronMapJson(c.neurons)}});
        passArray.append(
            QJsonObject{{QStringLiteral("pass"), p.pass},
                        {QStringLiteral("before"), sizeJson(p.before)},
                        {QStringLiteral("after"), sizeJson(p.after)},
                        {QStringLiteral("neurons_removed"), p.neuronsRemoved},
                        {QStringLiteral("neurons_merged"), p.neuronsMerged},
                        {QStringLiteral("layers_fused"), p.layersFused},
                        {QStringLiteral("skipped"), p.skipped},
                        {QStringLiteral("layers"), layers},
                        {QStringLiteral("accuracy"), accuracyJson(p.accuracy)},
                        {QStringLiteral("core"), widthsJson(p.core)},
                        {QStringLiteral("hardware"),
                         p.figures ? QJsonValue(p.figures->toJson()) : notMeasuredText({})},
                        {QStringLiteral("notes"), QJsonArray::fromStringList(p.notes)},
                        {QStringLiteral("warnings"), QJsonArray::fromStringList(p.warnings)}});
    }
    return {{QStringLiteral("passes"), QJsonArray::fromStringList(passes)},
            {QStringLiteral("before"), sizeJson(before)},
            {QStringLiteral("after"), sizeJson(after)},
            {QStringLiteral("compression_ratio"), compressionRatio()},
            {QStringLiteral("retrained"),
             retraining.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(retraining)},
            {QStringLiteral("accuracy"), accuracyJson(accuracy)},
            {QStringLiteral("hardware_accuracy"), hardwareJson(hardware, hardwareNotMeasured)},
            {QStringLiteral("hardware"),
             figures ? QJsonValue(figures->toJson()) : notMeasuredText(hardwareNotMeasured)},
            {QStringLiteral("pass_reports"), passArray}};
}

} // namespace snn
