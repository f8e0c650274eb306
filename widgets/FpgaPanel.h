#pragma once

// The FPGA tab as a standalone widget: board, weight bits, lanes and target frequency; Export,
// Synthesise, Verify and Flash; a live log, a step indicator and Stop; and a before / after table
// (LC, EBR, SPRAM, fmax, bitstream size, fit) for the original and the optimised graph. The tools
// run as subprocesses (hw::IceFlow, hw::ToolRunner) and the RTL simulation on a worker thread, so
// the GUI thread never waits.

#include "Graph.h"
#include "hw/Exporter.h"
#include "hw/IceFlow.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTemporaryDir;

namespace snn::hw {
class ToolRunner;
}

namespace snn::widgets {

class FpgaPanel : public QWidget {
    Q_OBJECT
public:
    explicit FpgaPanel(QWidget *parent = nullptr);
    ~FpgaPanel() override;

    void setOriginalGraph(const Graph &graph);
    // The optimised graph, synthesised after the original for the "after" column.
    void setOptimizedGraph(const std::optional<Graph> &graph);
    // Where Export writes (asked with a file dialog when empty).
    void setExportDirectory(const QString &dir) { m_exportDir = dir; }

    hw::ExportOptions exportOptions() const;
    // The fit checks (instant resource estimates) of the original and the optimised graph under
    // the panel's current board, bits and lanes; nullopt when there is no such graph or it cannot
    // be built. Computed off the GUI thread once whenever a graph or a setting changes;
    // estimatesChanged() says when one arrived, isEstimating() whether more are on their way.
    const std::optional<hw::FitCheck> &originalFit() const { return m_originalFit; }
    const std::optional<hw::FitCheck> &optimizedFit() const { return m_optimizedFit; }
    bool isEstimating() const { return m_estimating > 0; }
    bool isBusy() const { return m_busy; }
    QString log() const;

    // Actions (the buttons call these).
    void exportDesign();
    void synthesise();
    void verify();
    void flash();
    void stop();

Q_SIGNALS:
    // A synthesis finished: `optimized` tells which column. Feeds the optimisation panel's LUT and
    // BRAM columns with real figures.
    void synthesisFinished(bool optimized, const snn::hw::FlowReport &report);
    void verificationFinished(bool passed, const QString &summary);
    void busyChanged(bool busy);
    // originalFit() or optimizedFit() changed (a graph, the board, bits or lanes changed).
    void estimatesChanged();

private:
    void buildUi();
    void estimate(bool optimized); // starts the fit check of one graph
    void updateEstimates();        // after a change of board, bits or lanes
    void setBusy(bool busy);
    void appendLog(const QString &text);
    void setStep(int index);
    void runNextSynthesis();
    void showReport(int column, const hw::FlowReport &report);
    void showEstimate(); // the original graph's estimate, in the table and the status line

    Graph m_original;
    std::optional<Graph> m_optimized;
    std::optional<hw::FitCheck> m_originalFit;
    std::optional<hw::FitCheck> m_optimizedFit;
    QString m_originalError;
    quint64 m_originalGeneration = 0; // the newest fit check asked for, per graph
    quint64 m_optimizedGeneration = 0;
    int m_estimating = 0;
    QString m_exportDir;

    QComboBox *m_board = nullptr;
    QSpinBox *m_bits = nullptr;
    QComboBox *m_lanes = nullptr;
    QDoubleSpinBox *m_frequency = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_synth = nullptr;
    QPushButton *m_verify = nullptr;
    QPushButton *m_flash = nullptr;
    QPushButton *m_stop = nullptr;
    QList<QLabel *> m_steps;
    QLabel *m_status = nullptr;
    QTableWidget *m_table = nullptr;
    QPlainTextEdit *m_log = nullptr;

    hw::IceFlow *m_flow = nullptr;
    hw::ToolRunner *m_runner = nullptr;         // iceprog
    std::unique_ptr<QTemporaryDir> m_synthWork; // kept for Flash
    std::unique_ptr<QTemporaryDir> m_verifyWork;
    QList<bool> m_pending; // synthesis queue: false = original, true = optimised
    bool m_current = false;
    int m_built = 0;        // graphs synthesised in this run
    QStringList m_notBuilt; // why the others were not
    bool m_busy = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QString m_lastBuild; // folder of the last synthesised original design, for Flash
};

} // namespace snn::widgets
