#pragma once

#include "hw/Exporter.h"
#include "opt/Optimizer.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCustomPlot;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTableView;

namespace snn {
class JobRunner;
}

namespace snn::widgets {

class ComparisonModel;
class RateHeatmap;

// The comparison of an optimisation run (the Optimise workspace's Compare tab): the before /
// after table (every row and column in view), and beside it (under it when the view is narrower
// than the table and 240 px), one tab each, bars of parameters, neurons, estimated logic cells
// (LC) and the deployed core's cycles per inference after each pass as a percentage of the
// original (one labelled bar per series and stage, the figures in the tooltip) and the run's
// report. Plots export as PNG, SVG or
// PDF (context menu); Export report writes the whole comparison as one HTML or Markdown file with
// its images beside it.
class CompareView : public QWidget {
    Q_OBJECT
public:
    // Shows `model` in its own table; `heatmap` is exported with the report (may be nullptr).
    CompareView(ComparisonModel *model, RateHeatmap *heatmap, QWidget *parent = nullptr);
    ~CompareView() override;

    // A finished run on `before` (nullptr: no result; the view says so). The LC and cycles after
    // each pass are the report's hardware figures when the run measured them (a data set: each
    // graph at its own configuration); else the LC are computed off the GUI thread with
    // `hardware` (the FPGA tab's settings), the passes replayed without validation data to get
    // each intermediate graph, and the cycles are not measured.
    void setResult(const Graph &before, std::shared_ptr<const OptimizeResult> result,
                   const OptimizeOptions &options, const hw::ExportOptions &hardware);
    bool hasResult() const { return m_result != nullptr; }
    // Appends a paragraph to the report (the Pipeline's summary); the next setResult() drops it.
    void addNote(const QString &text);
    QString reportText() const; // the report as shown (and exported)

    // The bars as drawn: one entry per stage ("original", then each pass).
    struct Stage {
        QString name;
        double params = 0;
        double neurons = 0;
        std::optional<double> logicCells; // unknown while estimating, or when it cannot be built
        std::optional<double> cycles;     // per inference: measured by a run with data
    };
    const std::vector<Stage> &stages() const { return m_stages; }
    bool isEstimating() const;

    QTableView *table() const { return m_table; }
    QCustomPlot *passPlot() const { return m_plot; }
    QTabWidget *sideTabs() const { return m_side; } // the bars, the report
    // The stage whose bars are at `pos` in passPlot() (-1: none), and its figures as the plot's
    // tooltip shows them: each series' value and percentage of the original.
    int stageAt(QPoint pos) const;
    QString stageToolTip(int stage) const;
    // Writes `path`, Markdown when it ends in .md, else HTML: the table, the report and the
    // images (<name>-passes.png, <name>-rates.png) beside it. Throws Error with one line when
    // something cannot be written.
    void exportReport(const QString &path) const;

Q_SIGNALS:
    void message(const QString &text);
    void estimatesFinished();

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void redraw();
    // The table as wide as its columns, the rest for the report and bars (beside it, or under it
    // when the view is narrow).
    void fitTable();
    // The synthesised rows only once a synthesis filled one: the whole table stays in view.
    void showSynthesisedRows();

    ComparisonModel *m_model;
    RateHeatmap *m_heatmap;
    QTableView *m_table;
    QPlainTextEdit *m_report;
    QCustomPlot *m_plot;
    QPushButton *m_exportReport;
    QTabWidget *m_side;
    QSplitter *m_split;
    int m_tableWidth = 0; // as wide as its columns (0 until a result)
    JobRunner *m_estimates;
    std::shared_ptr<const OptimizeResult> m_result;
    std::vector<Stage> m_stages;
};

} // namespace snn::widgets
