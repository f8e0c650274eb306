#pragma once

#include "graph/Graph.h"

#include <QAbstractTableModel>

#include <optional>

namespace snn {
struct Report;
}

namespace snn::widgets {

// Before / after / change of an optimisation, one row per metric (keyed by Metric, in its order)
// and one per layer (keyed by layer id): the sizes, then metrics other parts fill later (the
// deployed core's hardware figures and accuracy measured by a run with data, the FPGA tab's
// estimates and synthesis) which show "-" and a tooltip saying what fills them until set, then
// the neurons of each layer. More columns can be added by name. Changed values are highlighted.
class ComparisonModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { MetricColumn, BeforeColumn, AfterColumn, ChangeColumn, FixedColumns };
    // Text: the row's own words before and after (the configuration).
    enum class Format { Integer, Ratio, Percent, Milliseconds, PerSecond, Text };
    // The metric rows, in table order. The display text comes from metricName().
    enum class Metric {
        Parameters,
        Neurons,
        Layers,
        CompressionRatio,
        // The deployed core's hardware figures (Report::figures, eval::HardwareFigures): each
        // graph at the configuration Auto picks for it, cycles measured on the run's data.
        FpgaConfiguration,
        CyclesPerInference,
        Latency,
        InferencesPerSecond, // with the UART transfer
        WeightMemory,        // stored weight Kbit
        EstimatedLogicCells, // the figures' estimate, else the FPGA tab's
        EstimatedEbr,
        EstimatedSpram, // 256 kbit SPRAM blocks (iCE40 UltraPlus), when the weights are there
        Accuracy,       // measured by a run with a data set
        // The FPGA core's accuracy (Report::hardware): the float graph on the core's own input
        // spikes, and the bit-accurate model at the FPGA tab's weight width.
        FpgaInputAccuracy,
        FpgaCoreAccuracy,
        SynthesisedLogicCells, // nextpnr's placed design, from Synthesise / Build
        SynthesisedEbr,
        SynthesisedSpram,
        Count
    };
    Q_ENUM(Metric)
    static QString metricName(Metric metric);

    explicit ComparisonModel(QObject *parent = nullptr);

    // The graph before optimisation; clears any result.
    void setBefore(const Graph &graph);
    // The optimised graph and the report of the run that made it (from `before`).
    void setResult(const Graph &before, const Graph &after, const Report &report);
    void clearResult();
    bool hasResult() const { return m_hasResult; }

    // Sets a metric's values (std::nullopt: unknown, shown as "-") and what they are (the
    // tooltip; empty: the pending one while unknown).
    void setMetric(Metric metric, std::optional<double> before, std::optional<double> after,
                   const QString &toolTip = {});
    // Adds a column after the fixed ones; its cells show "-" and the tooltip until set.
    int addColumn(const QString &name, const QString &pendingToolTip);
    void setExtra(Metric metric, const QString &column, const QString &text);
    static int rowOf(Metric metric) { return int(metric); }
    // Whether a metric has a value before or after (not "-" in both).
    bool isMeasured(Metric metric) const;
    int rowOfLayer(LayerId id) const; // the layer's "Neurons: <name>" row, -1 if absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The table as aligned plain text (for the clipboard) and as CSV (RFC 4180 quoting).
    QString toText() const;
    QString toCsv() const;

private:
    struct Row {
        QString name;       // metricName(), or "Neurons: <layer>"
        LayerId layer = -1; // a per-layer row's layer
        Format format = Format::Integer;
        std::optional<double> before;
        std::optional<double> after;
        QString beforeText; // overrides the before value (Format::Text)
        QString afterText;  // overrides the after value (e.g. "fused")
        QString label;      // shown instead of the name when set (e.g. "Accuracy, 8-bit FPGA core")
        QString pendingToolTip;
        QString toolTip;      // what a measured value is, once there is one
        bool fromRun = false; // measured by an optimisation run: cleared with its result
        std::map<QString, QString> extra;

        void clearMeasurement()
        {
            before.reset();
            after.reset();
            beforeText.clear();
            afterText.clear();
            label.clear();
            toolTip.clear();
        }
    };
    struct ExtraColumn {
        QString name;
        QString pendingToolTip;
    };
    QString cellText(const Row &row, int column) const;
    // The hardware figures' rows from a run's report (Report::figures).
    void setFigures(const Report &report);
    bool isChanged(const Row &row) const;
    Row &row(Metric metric) { return m_rows[std::size_t(metric)]; }
    static constexpr int kFirstLayerRow = int(Metric::Count);

    std::vector<Row> m_rows;
    std::vector<ExtraColumn> m_columns;
    bool m_hasResult = false;
};

} // namespace snn::widgets
