#include "opt/Sweep.h"

#include "base/Error.h"
#include "hw/Boards.h"

#include <QJsonArray>

#include <algorithm>

namespace snn {

namespace {

SweepFigures figures(const Graph &graph, const SweepOptions &options,
                     std::optional<double> accuracy, const RunControl &control)
{
    SweepFigures f;
    f.size = GraphSize::of(graph);
    f.accuracy = accuracy;
    const ValidationSet *validation = options.optimize.validation.get();
    try {
        f.hardware =
            eval::hardwareFigures(graph, options.figureOptions(),
                                  validation ? validation->data.x : RowMatrixXf(), control);
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) {
        f.notEstimated = e.message();
    }
    return f;
}

// A figure of the hardware, or nothing when it was not estimated (or, for the cycles and what
// follows from them, not measured).
std::optional<double> hardwareValue(const SweepFigures &f,
                                    double (*value)(const eval::HardwareFigures &), bool cycles)
{
    if (!f.hardware || (cycles && !f.hardware->hasCycles()))
        return std::nullopt;
    return value(*f.hardware);
}

// The columns of the table, CSV and JSON after the size: name, figure, whether it needs cycles,
// decimals.
struct Column {
    const char *name;
    double (*value)(const eval::HardwareFigures &);
    bool cycles;
    int decimals;
};
const Column kHardwareColumns[] = {
    {"logic_cells",
     [](const eval::HardwareFigures &h) { return double(h.fit.estimate.logicCells); }, false, 0},
    {"ebr", [](const eval::HardwareFigures &h) { return double(h.fit.estimate.ebrBlocks); }, false,
     0},
    {"spram", [](const eval::HardwareFigures &h) { return double(h.fit.estimate.spramBlocks); },
     false, 0},
};
const Column kCycleColumns[] = {
    {"cycles_per_inference", [](const eval::HardwareFigures &h) { return h.cyclesPerInference; },
     true, 1},
    {"latency_ms", [](const eval::HardwareFigures &h) { return h.latencyMs(); }, true, 3},
    {"weight_kbit", [](const eval::HardwareFigures &h) { return h.weightKbit(); }, false, 1},
};

QJsonObject figuresJson(const SweepFigures &f)
{
    const QJsonValue notEstimated = QStringLiteral("not measured: %1").arg(f.notEstimated);
    const auto add = [&](QJsonObject &o, const Column &c) {
        const std::optional<double> v = hardwareValue(f, c.value, c.cycles);
        o.insert(QLatin1String(c.name),
                 v ? QJsonValue(*v)
                   : (f.hardware ? QJsonValue(QStringLiteral("not measured")) : notEstimated));
    };
    QJsonObject o{
        {QStringLiteral("params"), qint64(f.size.params)},
        {QStringLiteral("neurons"), qint64(f.size.neurons)},
        {QStringLiteral("layers"), f.size.layers},
        {QStringLiteral("fits"), f.hardware ? QJsonValue(f.hardware->fit.fits) : notEstimated},
        {QStringLiteral("accuracy"),
         f.accuracy ? QJsonValue(*f.accuracy) : QJsonValue(QStringLiteral("not measured"))}};
    for (const Column &c : kHardwareColumns)
        add(o, c);
    for (const Column &c : kCycleColumns)
        add(o, c);
    return o;
}

int total(const Report &r, int PassReport::*count)
{
    int n = 0;
    for (const PassReport &p : r.passReports)
        n += p.*count;
    return n;
}

} // namespace

std::vector<double> parseSweepValues(const QString &text, const QString &what)
{
    std::vector<double> values;
    for (const QString &v : text.split(QLatin1Char(','))) {
        bool ok = false;
        values.push_back(v.trimmed().toDouble(&ok));
        if (!ok)
            throw Error(QStringLiteral("%1 takes comma-separated numbers, not '%2'").arg(what, v));
    }
    return values;
}

void setSweepParameter(OptimizeOptions &options, SweepParameter parameter, double value)
{
    const auto v = float(value);
    switch (parameter) {
    case SweepParameter::DeadThreshold:
        options.deadThreshold = v;
        return;
    case SweepParameter::Similarity:
        options.similarity = v;
        return;
    case SweepParameter::NormTolerance:
        options.normTolerance = v;
        return;
    case SweepParameter::FusionActivity:
        options.fusionActivity = v;
        return;
    case SweepParameter::BudgetCycles:
        options.budgetCycles = {value, true};
        return;
    }
}

QString toString(SweepParameter parameter)
{
    return kSweepParameterNames.name(parameter);
}

void SweepOptions::validate() const
{
    if (values.empty())
        throw Error(QStringLiteral("a sweep needs at least one value"));
    for (double v : values) {
        OptimizeOptions o = optimize;
        setSweepParameter(o, parameter, v);
        o.validate();
    }
    if (parameter == SweepParameter::BudgetCycles && !passes.contains(passes::kNeuronPruning))
        throw Error(QStringLiteral("budget-cycles is neuron_pruning's: add it to the passes"));
    hw::board(board);
    hw::withDefaults(figureOptions()).quant.validate();
}

hw::ExportOptions SweepOptions::figureOptions() const
{
    hw::ExportOptions o;
    o.board = board;
    o.quant = quant;
    o.lanes = lanes;
    o.weightMemory = memory;
    return o;
}

SweepResult sweep(const Graph &graph, const SweepOptions &options, const RunControl &control)
{
    options.validate();
    graph.validate();
    const ValidationSet *validation = options.optimize.validation.get();
    // Progress: the input graph (its simulation with a validation set, and its figures), then
    // one part per value.
    const double parts = double(options.values.size()) + 1.0;
    const auto part = [&](double from, double to, const QString &prefix = {}) {
        return control.part(from / parts, to / parts, prefix);
    };
    SweepResult result;
    result.parameter = options.parameter;
    result.board = hw::board(options.board).name;
    result.weightBits = options.quant.weightBits;
    result.lanes = options.lanes;
    OptimizeOptions base = options.optimize;
    base.deployment = options.figureOptions(); // neuron_pruning's budgets on the same figures
    base.hardware = options.quant;
    std::optional<double> accuracyBefore;
    if (validation) {
        validation->simulation.validate();
        validation->data.checkFits(graph.inputSize(),
                                   graph.layer(sim::classifierLayer(graph)).neurons());
        base.predictionsBefore = validationPredictions(graph, *validation, part(0.0, 0.5));
        accuracyBefore = sim::accuracy(base.predictionsBefore, validation->data.y);
    }
    result.before = figures(graph, options, accuracyBefore, part(0.5, 1.0));
    for (std::size_t i = 0; i < options.values.size(); ++i) {
        const double value = options.values[i];
        const double from = double(i) + 1.0;
        OptimizeOptions o = base;
        setSweepParameter(o, options.parameter, value);
        const QString prefix =
            QStringLiteral("%1 %2: ").arg(toString(options.parameter)).arg(value);
        OptimizeResult r = optimize(graph, options.passes, o, part(from, from + 0.7, prefix));
        const std::optional<double> accuracy =
            r.report.accuracy ? std::optional(r.report.accuracy->after) : std::nullopt;
        result.points.push_back({value,
                                 figures(r.graph, options, accuracy, part(from + 0.7, from + 1.0)),
                                 std::move(r.report)});
    }
    control.report(1.0, QStringLiteral("done"));
    return result;
}

QJsonObject SweepResult::toJson() const
{
    QJsonArray array;
    for (const SweepPoint &p : points) {
        QJsonObject o = figuresJson(p.figures);
        o.insert(QStringLiteral("value"), p.value);
        o.insert(QStringLiteral("neurons_removed"), total(p.report, &PassReport::neuronsRemoved));
        o.insert(QStringLiteral("neurons_merged"), total(p.report, &PassReport::neuronsMerged));
        o.insert(QStringLiteral("layers_fused"), total(p.report, &PassReport::layersFused));
        array.append(o);
    }
    return {{QStringLiteral("parameter"), toString(parameter)}, {QStringLiteral("board"), board},
            {QStringLiteral("weight_bits"), weightBits},        {QStringLiteral("lanes"), lanes},
            {QStringLiteral("before"), figuresJson(before)},    {QStringLiteral("points"), array}};
}

std::vector<int> SweepResult::paretoFront() const
{
    struct Point {
        int index;
        double cycles, accuracy;
    };
    std::vector<Point> known;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const SweepFigures &f = points[i].figures;
        if (f.accuracy && f.hardware && f.hardware->hasCycles())
            known.push_back({int(i), f.hardware->cyclesPerInference, *f.accuracy});
    }
    // By cycles, then by accuracy, best first: a point is on the front when it is more accurate
    // than every point before it.
    std::stable_sort(known.begin(), known.end(), [](const Point &a, const Point &b) {
        return a.cycles != b.cycles ? a.cycles < b.cycles : a.accuracy > b.accuracy;
    });
    std::vector<int> front;
    double best = -1.0;
    for (const Point &p : known)
        if (p.accuracy > best) {
            front.push_back(p.index);
            best = p.accuracy;
        }
    return front;
}

namespace {

QStringList row(const QString &value, const SweepFigures &f)
{
    QStringList cells{value, QString::number(f.size.params), QString::number(f.size.neurons)};
    const auto add = [&](const Column &c) {
        const std::optional<double> v = hardwareValue(f, c.value, c.cycles);
        cells << (v ? QString::number(*v, 'f', c.decimals) : QString());
    };
    for (const Column &c : kHardwareColumns)
        add(c);
    cells << (f.hardware ? (f.hardware->fit.fits ? QStringLiteral("yes") : QStringLiteral("no"))
                         : QString());
    cells << (f.accuracy ? QString::number(*f.accuracy, 'f', 4) : QString());
    for (const Column &c : kCycleColumns)
        add(c);
    return cells;
}

QStringList columnNames()
{
    QStringList names{QStringLiteral("value"), QStringLiteral("params"), QStringLiteral("neurons")};
    for (const Column &c : kHardwareColumns)
        names << QLatin1String(c.name);
    names << QStringLiteral("fits") << QStringLiteral("accuracy");
    for (const Column &c : kCycleColumns)
        names << QLatin1String(c.name);
    return names;
}

} // namespace

QString SweepResult::toCsv() const
{
    QString text = columnNames().join(QLatin1Char(',')) + QLatin1Char('\n');
    text += row(QStringLiteral("before"), before).join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const SweepPoint &p : points)
        text += row(QString::number(p.value), p.figures).join(QLatin1Char(',')) + QLatin1Char('\n');
    return text;
}

QString SweepResult::toText() const
{
    const QStringList header = columnNames();
    std::vector<QStringList> rows{header, row(QStringLiteral("before"), before)};
    for (const SweepPoint &p : points)
        rows.push_back(row(QString::number(p.value), p.figures));
    std::vector<int> widths(std::size_t(header.size()), 0);
    for (QStringList &r : rows)
        for (int c = 0; c < r.size(); ++c) {
            if (r[c].isEmpty())
                r[c] = QStringLiteral("-");
            widths[std::size_t(c)] = std::max(widths[std::size_t(c)], int(r[c].size()));
        }
    const QString bits = weightBits > 0 ? QStringLiteral("%1-bit weights").arg(weightBits)
                                        : QStringLiteral("weight bits chosen for each graph");
    const QString lanesText = lanes > 0 ? QStringLiteral("%1 lanes").arg(lanes)
                                        : QStringLiteral("lanes chosen for each graph");
    QString text = QStringLiteral("sweep of %1; estimates for the %2, %3, %4\n")
                       .arg(toString(parameter), board, bits, lanesText);
    for (const QStringList &r : rows) {
        QStringList cells;
        for (int c = 0; c < r.size(); ++c)
            cells << r[c].leftJustified(widths[std::size_t(c)]);
        text += cells.join(QStringLiteral("  ")).trimmed() + QLatin1Char('\n');
    }
    if (!before.notEstimated.isEmpty())
        text += QStringLiteral("not estimated: %1\n").arg(before.notEstimated);
    return text;
}

} // namespace snn
