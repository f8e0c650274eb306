#include "ComparisonModel.h"

#include "Names.h"
#include "Report.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

#include <cmath>

namespace snn::widgets {

const QString ComparisonModel::kLuts = QStringLiteral("Estimated LUTs");
const QString ComparisonModel::kBram = QStringLiteral("Estimated BRAM");
const QString ComparisonModel::kAccuracy = QStringLiteral("Accuracy");
const QString ComparisonModel::kFpgaInputAccuracy = QStringLiteral("Accuracy, float on FPGA input");
const QString ComparisonModel::kFpgaCoreAccuracy = QStringLiteral("Accuracy, FPGA core");

namespace {

const QString kParams = QStringLiteral("Parameters");
const QString kNeurons = QStringLiteral("Neurons");
const QString kLayers = QStringLiteral("Layers");
const QString kCompression = QStringLiteral("Compression ratio");
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
    }
    return {};
}

} // namespace

ComparisonModel::ComparisonModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    for (const QString &name : {kParams, kNeurons, kLayers, kCompression}) {
        Row r;
        r.name = name;
        r.format = name == kCompression ? Format::Ratio : Format::Integer;
        m_rows.push_back(r);
    }
    addMetric(kLuts, tr("Filled by the FPGA tab's resource estimate (iCE40 logic cells) for "
                        "its board and settings"));
    addMetric(kBram, tr("Filled by the FPGA tab's resource estimate (4 Kbit EBR blocks) for its "
                        "board and settings"));
    addMetric(kAccuracy,
              tr("Not measured: attach a data set (Data menu) and run the passes to measure "
                 "accuracy before and after on it"),
              Format::Percent);
    const QString fpga = tr("Not measured: attach a data set (Data menu) and run the passes; the "
                            "FPGA core is measured at the FPGA tab's weight bits");
    addMetric(kFpgaInputAccuracy, fpga, Format::Percent);
    addMetric(kFpgaCoreAccuracy, fpga, Format::Percent);
    for (Row &r : m_rows)
        r.fromRun =
            r.name == kAccuracy || r.name == kFpgaInputAccuracy || r.name == kFpgaCoreAccuracy;
}

int ComparisonModel::firstLayerRow() const
{
    int row = 0;
    while (row < int(m_rows.size()) && !m_rows[std::size_t(row)].perLayer)
        ++row;
    return row;
}

int ComparisonModel::rowOf(const QString &metric) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].name == metric)
            return int(i);
    return -1;
}

void ComparisonModel::setBefore(const Graph &graph)
{
    beginResetModel();
    m_hasResult = false;
    m_rows.erase(m_rows.begin() + firstLayerRow(), m_rows.end());
    for (Row &r : m_rows)
        if (r.name == kParams || r.name == kNeurons || r.name == kLayers || r.name == kCompression)
            r.after.reset();
    for (Row &r : m_rows)
        if (r.fromRun)
            r.clearMeasurement();
    m_rows[std::size_t(rowOf(kParams))].before = double(graph.totalParams());
    m_rows[std::size_t(rowOf(kNeurons))].before = double(graph.totalNeurons());
    m_rows[std::size_t(rowOf(kLayers))].before = double(graph.layerCount());
    m_rows[std::size_t(rowOf(kCompression))].before = 1.0;
    for (const Layer &l : graph.layers()) {
        Row row;
        row.name = tr("Neurons: %1").arg(l.name);
        row.before = double(l.neurons());
        row.perLayer = true;
        m_rows.push_back(row);
    }
    endResetModel();
}

void ComparisonModel::setResult(const Graph &before, const Graph &after, const Report &report)
{
    setBefore(before);
    beginResetModel();
    m_hasResult = true;
    m_rows[std::size_t(rowOf(kParams))].after = double(report.after.params);
    m_rows[std::size_t(rowOf(kNeurons))].after = double(report.after.neurons);
    m_rows[std::size_t(rowOf(kLayers))].after = double(report.after.layers);
    m_rows[std::size_t(rowOf(kCompression))].after = report.compressionRatio();
    const auto measured = [this](const QString &name, const AccuracyChange &a) -> Row & {
        Row &r = m_rows[std::size_t(rowOf(name))];
        r.before = a.before;
        r.after = a.after;
        r.toolTip = tr("%1 samples; %2; predictions unchanged for %3%")
                        .arg(a.samples)
                        .arg(a.how)
                        .arg(100.0 * a.agreement, 0, 'f', 2);
        return r;
    };
    if (report.accuracy)
        measured(kAccuracy, *report.accuracy);
    if (report.hardware && !report.hardware->quantized.empty()) {
        const HardwareAccuracy::Width &w = report.hardware->quantized.front();
        measured(kFpgaInputAccuracy, report.hardware->floatModel);
        measured(kFpgaCoreAccuracy, w.accuracy).label =
            tr("Accuracy, %1-bit FPGA core").arg(w.weightBits);
    } else if (!report.hardwareNotMeasured.isEmpty()) {
        for (const QString &name : {kFpgaInputAccuracy, kFpgaCoreAccuracy})
            m_rows[std::size_t(rowOf(name))].toolTip =
                tr("Not measured: %1").arg(report.hardwareNotMeasured);
    }
    int row = firstLayerRow();
    for (const Layer &l : before.layers()) {
        Row &r = m_rows[std::size_t(row++)];
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

void ComparisonModel::clearResult()
{
    beginResetModel();
    m_hasResult = false;
    for (Row &r : m_rows)
        if (r.perLayer || r.fromRun || r.name == kParams || r.name == kNeurons ||
            r.name == kLayers || r.name == kCompression) {
            if (r.fromRun)
                r.clearMeasurement();
            r.after.reset();
            r.afterText.clear();
        }
    endResetModel();
}

int ComparisonModel::addMetric(const QString &name, const QString &pendingToolTip, Format format)
{
    if (const int existing = rowOf(name); existing >= 0)
        return existing;
    const int row = firstLayerRow();
    beginInsertRows({}, row, row);
    Row r;
    r.name = name;
    r.format = format;
    r.pendingToolTip = pendingToolTip;
    m_rows.insert(m_rows.begin() + row, r);
    endInsertRows();
    return row;
}

void ComparisonModel::setMetric(const QString &name, std::optional<double> before,
                                std::optional<double> after)
{
    const int row = rowOf(name);
    if (row < 0)
        return;
    m_rows[std::size_t(row)].before = before;
    m_rows[std::size_t(row)].after = after;
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
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

void ComparisonModel::setExtra(const QString &metric, const QString &column, const QString &text)
{
    const int row = rowOf(metric);
    int col = -1;
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].name == column)
            col = FixedColumns + int(i);
    if (row < 0 || col < 0)
        return;
    m_rows[std::size_t(row)].extra[column] = text;
    Q_EMIT dataChanged(index(row, col), index(row, col));
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
        return row.before ? format(*row.before, row.format) : kDash;
    case AfterColumn:
        if (!row.afterText.isEmpty())
            return row.afterText;
        return row.after ? format(*row.after, row.format) : kDash;
    case ChangeColumn: {
        if (!row.before || !row.after || row.format == Format::Ratio)
            return kDash;
        const double delta = *row.after - *row.before;
        if (delta == 0.0)
            return QStringLiteral("0");
        QString text = (delta > 0 ? QStringLiteral("+") : QString()) + format(delta, row.format);
        if (row.format == Format::Integer && *row.before != 0.0)
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
        if (column == MetricColumn && !row.perLayer) {
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
