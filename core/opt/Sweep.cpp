#include "opt/Sweep.h"

#include "base/Error.h"
#include "hw/Boards.h"

#include <QJsonArray>

namespace snn {

namespace {

SweepFigures figures(const Graph &graph, const SweepOptions &options, const hw::Board &board,
                     std::optional<double> accuracy)
{
    SweepFigures f;
    f.size = GraphSize::of(graph);
    f.accuracy = accuracy;
    try {
        f.fit = hw::checkFit(graph, options.quant, options.lanes, board, options.memory);
    } catch (const Error &e) {
        f.notEstimated = e.message();
    }
    return f;
}

QJsonObject figuresJson(const SweepFigures &f)
{
    const QJsonValue notEstimated = QStringLiteral("not measured: %1").arg(f.notEstimated);
    const auto estimate = [&](auto value) {
        return f.fit ? QJsonValue(value(*f.fit)) : notEstimated;
    };
    return {
        {QStringLiteral("params"), qint64(f.size.params)},
        {QStringLiteral("neurons"), qint64(f.size.neurons)},
        {QStringLiteral("layers"), f.size.layers},
        {QStringLiteral("logic_cells"),
         estimate([](const hw::FitCheck &c) { return c.estimate.logicCells; })},
        {QStringLiteral("ebr"),
         estimate([](const hw::FitCheck &c) { return c.estimate.ebrBlocks; })},
        {QStringLiteral("spram"),
         estimate([](const hw::FitCheck &c) { return c.estimate.spramBlocks; })},
        {QStringLiteral("fits"), estimate([](const hw::FitCheck &c) { return c.fits; })},
        {QStringLiteral("accuracy"),
         f.accuracy ? QJsonValue(*f.accuracy) : QJsonValue(QStringLiteral("not measured"))},
    };
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
    hw::board(board);
    quant.validate();
}

SweepResult sweep(const Graph &graph, const SweepOptions &options, const RunControl &control)
{
    options.validate();
    graph.validate();
    const hw::Board &board = hw::board(options.board);
    const ValidationSet *validation = options.optimize.validation.get();
    // Progress: the input graph's simulation (with a validation set), then one part per value.
    const double parts = double(options.values.size()) + (validation ? 1.0 : 0.0);
    SweepResult result;
    result.parameter = options.parameter;
    result.board = board.name;
    result.weightBits = options.quant.weightBits;
    result.lanes = options.lanes;
    OptimizeOptions base = options.optimize;
    std::optional<double> accuracyBefore;
    if (validation) {
        validation->simulation.validate();
        validation->data.checkFits(graph.inputSize(),
                                   graph.layer(sim::classifierLayer(graph)).neurons());
        base.predictionsBefore =
            validationPredictions(graph, *validation, control.part(0.0, 1.0 / parts, QString()));
        accuracyBefore = sim::accuracy(base.predictionsBefore, validation->data.y);
    }
    result.before = figures(graph, options, board, accuracyBefore);
    for (std::size_t i = 0; i < options.values.size(); ++i) {
        const double value = options.values[i];
        const double from = double(i) + (validation ? 1.0 : 0.0);
        OptimizeOptions o = base;
        setSweepParameter(o, options.parameter, value);
        const RunControl part =
            control.part(from / parts, (from + 1.0) / parts,
                         QStringLiteral("%1 %2: ").arg(toString(options.parameter)).arg(value));
        OptimizeResult r = optimize(graph, options.passes, o, part);
        const std::optional<double> accuracy =
            r.report.accuracy ? std::optional(r.report.accuracy->after) : std::nullopt;
        result.points.push_back(
            {value, figures(r.graph, options, board, accuracy), std::move(r.report)});
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

namespace {

QStringList row(const QString &value, const SweepFigures &f)
{
    const auto estimate = [&](auto number) {
        return f.fit ? QString::number(number(*f.fit)) : QString();
    };
    return {value,
            QString::number(f.size.params),
            QString::number(f.size.neurons),
            estimate([](const hw::FitCheck &c) { return c.estimate.logicCells; }),
            estimate([](const hw::FitCheck &c) { return c.estimate.ebrBlocks; }),
            estimate([](const hw::FitCheck &c) { return c.estimate.spramBlocks; }),
            f.fit ? (f.fit->fits ? QStringLiteral("yes") : QStringLiteral("no")) : QString(),
            f.accuracy ? QString::number(*f.accuracy, 'f', 4) : QString()};
}

const QStringList kColumns = {QStringLiteral("value"),   QStringLiteral("params"),
                              QStringLiteral("neurons"), QStringLiteral("logic_cells"),
                              QStringLiteral("ebr"),     QStringLiteral("spram"),
                              QStringLiteral("fits"),    QStringLiteral("accuracy")};

} // namespace

QString SweepResult::toCsv() const
{
    QString text = kColumns.join(QLatin1Char(',')) + QLatin1Char('\n');
    text += row(QStringLiteral("before"), before).join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const SweepPoint &p : points)
        text += row(QString::number(p.value), p.figures).join(QLatin1Char(',')) + QLatin1Char('\n');
    return text;
}

QString SweepResult::toText() const
{
    std::vector<QStringList> rows{kColumns, row(QStringLiteral("before"), before)};
    for (const SweepPoint &p : points)
        rows.push_back(row(QString::number(p.value), p.figures));
    std::vector<int> widths(std::size_t(kColumns.size()), 0);
    for (QStringList &r : rows)
        for (int c = 0; c < r.size(); ++c) {
            if (r[c].isEmpty())
                r[c] = QStringLiteral("-");
            widths[std::size_t(c)] = std::max(widths[std::size_t(c)], int(r[c].size()));
        }
    QString text = QStringLiteral("sweep of %1; estimates for the %2, %3-bit weights, %4 lanes\n")
                       .arg(toString(parameter), board)
                       .arg(weightBits)
                       .arg(lanes);
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
