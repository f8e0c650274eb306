#include "ComparisonModel.h"

#include "base/Names.h"
#include "hw/Boards.h"
#include "opt/Report.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

#include <cmath>

namespace snn::widgets {

namespace {

const QString kDash = QStringLiteral("-");

QString format(double value, ComparisonModel::Format format)
{
    const QLocale locale(QLocale::English);
    switch (format) {
    case ComparisonModel::Format::Integer:
        return locale.toString(qint64(std::llround(value)));
    case ComparisonModel::Format::Ratio:
        return QStringLiteral("%1x").arg(value, 0, 'f', 3);
    case ComparisonModel::Format::Percent:
        return QStringLiteral("%1%").arg(100.0 * value, 0, 'f', 2);
    case ComparisonModel::Format::Milliseconds:
        return QStringLiteral("%1 ms").arg(locale.toString(value, 'f', 3));
    case ComparisonModel::Format::PerSecond:
        return QStringLiteral("%1/s").arg(locale.toString(value, 'f', 1));
    case ComparisonModel::Format::Text:
        break;
    }
    return {};
}

// "4-bit, 8 lanes, SPRAM": a configuration in a table cell.
QString configurationText(const eval::HardwareFigures &f)
{
    return ComparisonModel::tr("%1-bit, %2 lanes, %3")
        .arg(f.options.quant.weightBits)
        .arg(f.options.lanes)
        .arg(f.fit.spram ? QStringLiteral("SPRAM") : QStringLiteral("EBR"));
}

// The rows whose after value is the run's (cleared with it) and the sizes.
bool isSize(ComparisonModel::Metric m)
{
    return m <= ComparisonModel::Metric::CompressionRatio;
}

} // namespace

QString ComparisonModel::metricName(Metric metric)
{
    switch (metric) {
    case Metric::Parameters:
        return tr("Parameters");
    case Metric::Neurons:
        return tr("Neurons");
    case Metric::Layers:
        return tr("Layers");
    case Metric::CompressionRatio:
        return tr("Compression ratio");
    case Metric::FpgaConfiguration:
        return tr("FPGA configuration");
    case Metric::CyclesPerInference:
        return tr("Cycles per inference");
    case Metric::Latency:
        return tr("Latency");
    case Metric::InferencesPerSecond:
        return tr("Inferences/s (with UART)");
    case Metric::WeightMemory:
        return tr("Weight memory (Kbit)");
    case Metric::EstimatedLogicCells:
        return tr("Logic cells (LC), estimated");
    case Metric::EstimatedEbr:
        return tr("EBR blocks (4 kbit), estimated");
    case Metric::EstimatedSpram:
        return tr("SPRAM blocks (256 kbit), estimated");
    case Metric::Accuracy:
        return tr("Accuracy");
    case Metric::FpgaInputAccuracy:
        return tr("Accuracy, float on FPGA input");
    case Metric::FpgaCoreAccuracy:
        return tr("Accuracy, FPGA core");
    case Metric::SynthesisedLogicCells:
        return tr("Logic cells (LC), synthesised");
    case Metric::SynthesisedEbr:
        return tr("EBR blocks (4 kbit), synthesised");
    case Metric::SynthesisedSpram:
        return tr("SPRAM blocks (256 kbit), synthesised");
    case Metric::Count:
        break;
    }
    return {};
}

ComparisonModel::ComparisonModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    const QString measured = tr("Not measured: attach a data set (Data menu) and run the passes "
                                "to measure accuracy before and after on it");
    const QString fpga = tr("Not measured: attach a data set (Data menu) and run the passes; the "
                            "FPGA core is measured at Deploy's weight bits");
    const QString synthesised =
        tr("Filled by Synthesise in Deploy (nextpnr's placed design%1), which "
           "builds both graphs, or by a Build of one; the Pipeline builds only the optimised "
           "graph: not synthesised yet");
    const QString figures = tr("Not measured: attach a data set (Data menu) and run the passes; "
                               "the FPGA core on the FPGA tab's board (Deploy) at its weight "
                               "bits, each graph at the configuration Auto picks for it");
    for (int m = 0; m < int(Metric::Count); ++m) {
        Row r;
        r.name = metricName(Metric(m));
        switch (Metric(m)) {
        case Metric::CompressionRatio:
            r.format = Format::Ratio;
            break;
        case Metric::FpgaConfiguration:
        case Metric::CyclesPerInference:
        case Metric::Latency:
        case Metric::InferencesPerSecond:
        case Metric::WeightMemory:
            r.format = Metric(m) == Metric::FpgaConfiguration     ? Format::Text
                       : Metric(m) == Metric::Latency             ? Format::Milliseconds
                       : Metric(m) == Metric::InferencesPerSecond ? Format::PerSecond
                                                                  : Format::Integer;
            r.pendingToolTip = figures;
            r.fromRun = true;
            break;
        case Metric::EstimatedLogicCells:
            r.pendingToolTip =
                tr("Filled by Deploy's resource estimate (iCE40 logic cells) for its "
                   "board and settings");
            break;
        case Metric::EstimatedEbr:
            r.pendingToolTip = tr("Filled by Deploy's resource estimate (4 Kbit EBR blocks) "
                                  "for its board and settings");
            break;
        case Metric::EstimatedSpram:
            r.pendingToolTip = tr("Filled by Deploy's resource estimate (256 Kbit SPRAM "
                                  "blocks, 0 when the weights are in EBR) for its board and "
                                  "settings");
            break;
        case Metric::Accuracy:
            r.pendingToolTip = measured;
            break;
        case Metric::FpgaInputAccuracy:
        case Metric::FpgaCoreAccuracy:
            r.pendingToolTip = fpga;
            break;
        case Metric::SynthesisedLogicCells:
            r.pendingToolTip = synthesised.arg(QString());
            break;
        case Metric::SynthesisedEbr:
            r.pendingToolTip = synthesised.arg(tr(", 4 Kbit blocks"));
            break;
        case Metric::SynthesisedSpram:
            r.pendingToolTip = synthesised.arg(tr(", 256 Kbit SPRAM blocks"));
            break;
        default:
            break;
        }
        if (Metric(m) == Metric::Accuracy || Metric(m) == Metric::FpgaInputAccuracy ||
            Metric(m) == Metric::FpgaCoreAccuracy) {
            r.format = Format::Percent;
            r.fromRun = true;
        }
        m_rows.push_back(r);
    }
}

bool ComparisonModel::isMeasured(Metric metric) const
{
    const Row &r = m_rows[std::size_t(metric)];
    return r.before || r.after || !r.beforeText.isEmpty() || !r.afterText.isEmpty();
}

int ComparisonModel::rowOfLayer(LayerId id) const
{
    for (std::size_t i = kFirstLayerRow; i < m_rows.size(); ++i)
        if (m_rows[i].layer == id)
            return int(i);
    return -1;
}

void ComparisonModel::setBefore(const Graph &graph)
{
    beginResetModel();
    m_hasResult = false;
    m_rows.erase(m_rows.begin() + kFirstLayerRow, m_rows.end());
    for (int m = 0; m < kFirstLayerRow; ++m) {
        Row &r = m_rows[std::size_t(m)];
        if (isSize(Metric(m)))
            r.after.reset();
        if (r.fromRun)
            r.clearMeasurement();
    }
    row(Metric::Parameters).before = double(graph.totalParams());
    row(Metric::Neurons).before = double(graph.totalNeurons());
    row(Metric::Layers).before = double(graph.layerCount());
    row(Metric::CompressionRatio).before = 1.0;
    for (const Layer &l : graph.layers()) {
        Row r;
        r.name = tr("Neurons: %1").arg(l.name);
        r.layer = l.id;
        r.before = double(l.neurons());
        m_rows.push_back(r);
    }
    endResetModel();
}

void ComparisonModel::setResult(const Graph &before, const Graph &after, const Report &report)
{
    setBefore(before);
    beginResetModel();
    m_hasResult = true;
    row(Metric::Parameters).after = double(report.after.params);
    row(Metric::Neurons).after = double(report.after.neurons);
    row(Metric::Layers).after = double(report.after.layers);
    row(Metric::CompressionRatio).after = report.compressionRatio();
    const auto measured = [this](Metric metric, const AccuracyChange &a) -> Row & {
        Row &r = row(metric);
        r.before = a.before;
        r.after = a.after;
        r.toolTip = tr("%1 samples; %2; predictions unchanged for %3%")
                        .arg(a.samples)
                        .arg(a.how)
                        .arg(100.0 * a.agreement, 0, 'f', 2);
        return r;
    };
    if (report.accuracy)
        measured(Metric::Accuracy, *report.accuracy);
    if (report.hardware && !report.hardware->quantized.empty()) {
        const HardwareAccuracy::Width &w = report.hardware->quantized.front();
        measured(Metric::FpgaInputAccuracy, report.hardware->floatModel);
        measured(Metric::FpgaCoreAccuracy, w.accuracy).label =
            tr("Accuracy, %1-bit FPGA core").arg(w.weightBits);
    } else if (!report.hardwareNotMeasured.isEmpty()) {
        for (Metric m : {Metric::FpgaInputAccuracy, Metric::FpgaCoreAccuracy,
                         Metric::FpgaConfiguration, Metric::CyclesPerInference, Metric::Latency,
                         Metric::InferencesPerSecond, Metric::WeightMemory})
            row(m).toolTip = tr("Not measured: %1").arg(report.hardwareNotMeasured);
    }
    if (report.figures)
        setFigures(report);
    int index = kFirstLayerRow;
    for (const Layer &l : before.layers()) {
        Row &r = m_rows[std::size_t(index++)];
        if (const Layer *kept = after.find(l.id)) {
            r.after = double(kept->neurons());
            continue;
        }
        r.afterText = tr("removed");
        for (const PassReport &pass : report.passReports)
            for (const LayerChange &c : pass.layers)
                if (c.layer == l.name && !c.fusedInto.isEmpty())
                    r.afterText = tr("fused into %1").arg(c.fusedInto);
    }
    endResetModel();
}

void ComparisonModel::setFigures(const Report &report)
{
    const eval::HardwareFigures &b = report.figures->before;
    const eval::HardwareFigures &a = report.figures->after;
    const eval::HardwareFigures &same = report.figures->afterSameConfiguration;
    const QLocale locale(QLocale::English);
    const QString where =
        tr("On the %1, each graph at the configuration %2 (%3 -> %4)")
            .arg(hw::board(b.options.board).name,
                 b.automatic ? tr("Auto picks for it") : tr("set in the FPGA tab"), b.configText(),
                 a.configText());
    QString atBefore = tr("The after graph at the before's configuration: %1 Kbit, %2 EBR, %3 "
                          "SPRAM, %4 logic cells")
                           .arg(locale.toString(same.weightKbit(), 'f', 0))
                           .arg(same.fit.estimate.ebrBlocks)
                           .arg(same.fit.estimate.spramBlocks)
                           .arg(locale.toString(same.fit.estimate.logicCells));
    if (same.hasCycles())
        atBefore += tr(", %1 cycles per inference (%2 ms)")
                        .arg(locale.toString(same.cyclesPerInference, 'f', 0),
                             locale.toString(same.latencyMs(), 'f', 3));
    Row &config = row(Metric::FpgaConfiguration);
    config.beforeText = configurationText(b);
    config.afterText = configurationText(a);
    config.label = b.automatic ? tr("FPGA configuration (Auto)") : tr("FPGA configuration (set)");
    config.toolTip = where + QStringLiteral(".\n") + atBefore;
    Row &memory = row(Metric::WeightMemory);
    memory.before = b.weightKbit();
    memory.after = a.weightKbit();
    memory.toolTip =
        tr("Stored weight bits with the lanes' padding, / 1024. %1.\n%2").arg(where, atBefore);
    if (!b.hasCycles() || !a.hasCycles())
        return;
    const QString cycles = tr("The mean over %1 samples of the core's exact cycle count (the "
                              "bit-accurate model's spikes). %2.\n%3")
                               .arg(locale.toString(a.samples))
                               .arg(where, atBefore);
    Row &count = row(Metric::CyclesPerInference);
    count.before = b.cyclesPerInference;
    count.after = a.cyclesPerInference;
    count.toolTip = cycles;
    Row &latency = row(Metric::Latency);
    latency.before = b.latencyMs();
    latency.after = a.latencyMs();
    latency.toolTip = tr("Cycles per inference at the core clock (%1 MHz). %2")
                          .arg(locale.toString(a.clockMHz, 'f', 2), cycles);
    Row &rate = row(Metric::InferencesPerSecond);
    rate.before = b.inferencesPerSecond();
    rate.after = a.inferencesPerSecond();
    rate.toolTip =
        tr("One sample after another: each the latency plus %1 ms on the UART at %2 "
           "baud (request and reply). %3")
            .arg(locale.toString(a.uartMs, 'f', 1), locale.toString(a.options.baud), cycles);
}

void ComparisonModel::clearResult()
{
    beginResetModel();
    m_hasResult = false;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        Row &r = m_rows[i];
        if (int(i) >= kFirstLayerRow || r.fromRun || isSize(Metric(i))) {
            if (r.fromRun)
                r.clearMeasurement();
            r.after.reset();
            r.afterText.clear();
        }
    }
    endResetModel();
}

void ComparisonModel::setMetric(Metric metric, std::optional<double> before,
                                std::optional<double> after, const QString &toolTip)
{
    Row &r = row(metric);
    r.before = before;
    r.after = after;
    r.toolTip = toolTip;
    const int index = rowOf(metric);
    Q_EMIT dataChanged(this->index(index, 0), this->index(index, columnCount() - 1));
}

int ComparisonModel::addColumn(const QString &name, const QString &pendingToolTip)
{
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].name == name)
            return FixedColumns + int(i);
    const int column = columnCount();
    beginInsertColumns({}, column, column);
    m_columns.push_back({name, pendingToolTip});
    endInsertColumns();
    return column;
}

void ComparisonModel::setExtra(Metric metric, const QString &column, const QString &text)
{
    int col = -1;
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].name == column)
            col = FixedColumns + int(i);
    if (col < 0)
        return;
    row(metric).extra[column] = text;
    Q_EMIT dataChanged(index(rowOf(metric), col), index(rowOf(metric), col));
}

int ComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FixedColumns + int(m_columns.size());
}

bool ComparisonModel::isChanged(const Row &row) const
{
    if (row.format == Format::Text)
        return row.beforeText != row.afterText;
    if (!row.afterText.isEmpty())
        return true;
    return row.before && row.after && *row.before != *row.after;
}

QString ComparisonModel::cellText(const Row &row, int column) const
{
    switch (column) {
    case MetricColumn:
        return row.label.isEmpty() ? row.name : row.label;
    case BeforeColumn:
        if (!row.beforeText.isEmpty())
            return row.beforeText;
        return row.before ? format(*row.before, row.format) : kDash;
    case AfterColumn:
        if (!row.afterText.isEmpty())
            return row.afterText;
        return row.after ? format(*row.after, row.format) : kDash;
    case ChangeColumn: {
        if (row.format == Format::Text)
            return row.beforeText.isEmpty() ? kDash : isChanged(row) ? tr("changed") : tr("same");
        if (!row.before || !row.after || row.format == Format::Ratio)
            return kDash;
        const double delta = *row.after - *row.before;
        if (delta == 0.0)
            return QStringLiteral("0");
        QString text = (delta > 0 ? QStringLiteral("+") : QString()) + format(delta, row.format);
        if (row.format != Format::Percent && *row.before != 0.0)
            text += QStringLiteral(" (%1%2%)")
                        .arg(delta > 0 ? QStringLiteral("+") : QString())
                        .arg(100.0 * delta / *row.before, 0, 'f', 1);
        return text;
    }
    default: {
        const auto &extra = m_columns[std::size_t(column - FixedColumns)];
        auto it = row.extra.find(extra.name);
        return it == row.extra.end() ? kDash : it->second;
    }
    }
}

QVariant ComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return cellText(row, column);
    case Qt::ToolTipRole:
        if (column >= FixedColumns) {
            if (!row.extra.count(m_columns[std::size_t(column - FixedColumns)].name))
                return m_columns[std::size_t(column - FixedColumns)].pendingToolTip;
            return {};
        }
        if (!row.toolTip.isEmpty())
            return row.toolTip;
        if (column != MetricColumn && cellText(row, column) == kDash &&
            !row.pendingToolTip.isEmpty())
            return row.pendingToolTip;
        if (column == MetricColumn && !row.pendingToolTip.isEmpty() && !row.before && !row.after)
            return row.pendingToolTip;
        return {};
    case Qt::TextAlignmentRole:
        return column == MetricColumn ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                                      : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::BackgroundRole:
        if ((column == AfterColumn || column == ChangeColumn) && isChanged(row))
            return QBrush(QColor(0xff, 0xf1, 0xb8));
        return {};
    case Qt::FontRole:
        if (column == MetricColumn && index.row() < kFirstLayerRow) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    default:
        return {};
    }
}

QVariant ComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case MetricColumn:
            return tr("Metric");
        case BeforeColumn:
            return tr("Before");
        case AfterColumn:
            return tr("After");
        case ChangeColumn:
            return tr("Change");
        default:
            return m_columns[std::size_t(section - FixedColumns)].name;
        }
    }
    return {};
}

QString ComparisonModel::toText() const
{
    std::vector<int> widths(std::size_t(columnCount()), 0);
    for (int c = 0; c < columnCount(); ++c) {
        widths[std::size_t(c)] = int(headerData(c, Qt::Horizontal).toString().size());
        for (const Row &r : m_rows)
            widths[std::size_t(c)] = std::max(widths[std::size_t(c)], int(cellText(r, c).size()));
    }
    auto line = [&](auto cell) {
        QStringList parts;
        for (int c = 0; c < columnCount(); ++c) {
            const QString text = cell(c);
            parts << (c == MetricColumn ? text.leftJustified(widths[std::size_t(c)])
                                        : text.rightJustified(widths[std::size_t(c)]));
        }
        return parts.join(QStringLiteral("  ")).trimmed();
    };
    QStringList lines;
    lines << line([&](int c) { return headerData(c, Qt::Horizontal).toString(); });
    for (const Row &r : m_rows)
        lines << line([&](int c) { return cellText(r, c); });
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString ComparisonModel::toCsv() const
{
    QStringList lines;
    QStringList header;
    for (int c = 0; c < columnCount(); ++c)
        header << csvField(headerData(c, Qt::Horizontal).toString());
    lines << header.join(QLatin1Char(','));
    for (const Row &r : m_rows) {
        QStringList fields;
        for (int c = 0; c < columnCount(); ++c)
            fields << csvField(cellText(r, c));
        lines << fields.join(QLatin1Char(','));
    }
    return lines.join(QStringLiteral("\r\n")) + QStringLiteral("\r\n");
}

} // namespace snn::widgets
