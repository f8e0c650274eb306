#pragma once

// The FPGA tab as a standalone widget: board, weight bits, lanes (each "Auto": the most accurate,
// then fastest, configuration that fits the board, hw::chooseConfiguration), weight memory and
// target frequency; Build (export, synthesis, a short RTL verify into a kept project folder),
// Export, Synthesise, Verify, Flash (the bitstream, then the weight image when the weights are
// in SPRAM) and Open folder; a live log, one indicator per step with its
// elapsed time (a finished or failed step links to its part of the log) and Stop; and a before /
// after table (LC, EBR, SPRAM, fmax, bitstream, fit) for the original and the optimised graph.
// The tools run as subprocesses (hw::IceFlow, hw::ToolRunner); export, fit checks and the RTL
// simulation run through JobRunner, so the GUI thread never waits. The settings are remembered
// (QSettings), the project folder per model.

#include "graph/Graph.h"
#include "hw/Exporter.h"
#include "hw/IceFlow.h"

#include <QElapsedTimer>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTableWidgetItem;
class QTemporaryDir;
class QTimer;

namespace snn::hw {
class ToolRunner;
}

namespace snn {
class JobRunner;
}

namespace snn::widgets {

class FpgaPanel : public QWidget {
    Q_OBJECT
public:
    // The steps the indicator shows: Build runs all of them, Synthesise Export to icetime.
    enum Step {
        StepExport,
        StepYosys,
        StepNextpnr,
        StepIcepack,
        StepIcetime,
        StepVerify,
        StepCount
    };

    explicit FpgaPanel(QWidget *parent = nullptr);
    ~FpgaPanel() override;

    void setOriginalGraph(const Graph &graph);
    // The optimised graph, synthesised after the original for the "after" column.
    void setOptimizedGraph(const std::optional<Graph> &graph);
    // Where Export writes (asked with a file dialog when empty).
    void setExportDirectory(const QString &dir) { m_exportDir = dir; }
    // The model the graph came from: its file (empty when it has none) and display name. They
    // choose the project folder (projectDirectory()).
    void setModel(const QString &filePath, const QString &name);
    // Where Build keeps its design and bitstream: the folder chosen for this model (remembered),
    // else `<model folder>/<model name>-<board>/` (a model without a file: in the documents
    // folder, under "SNN Studio").
    QString projectDirectory() const;
    // Chooses the project folder for the current model and remembers it; empty: the default.
    void setProjectDirectory(const QString &dir);

    // The settings as used: an automatic weight width or lane count is the one chosen for the
    // original graph (choice() says why), or 8 bits / 4 lanes until that choice has arrived.
    hw::ExportOptions exportOptions() const;
    bool automaticBits() const;
    bool automaticLanes() const;
    // The chooser's one-line explanation (empty when bits and lanes are fixed).
    QString choice() const { return m_choice; }
    // The fit checks (instant resource estimates) of the original and the optimised graph under
    // the panel's current settings; nullopt when there is no such graph or it cannot be built.
    // Computed off the GUI thread once whenever a graph or a setting changes; estimatesChanged()
    // says when one arrived, isEstimating() whether more are on their way.
    const std::optional<hw::FitCheck> &originalFit() const { return m_originalFit; }
    const std::optional<hw::FitCheck> &optimizedFit() const { return m_optimizedFit; }
    bool isEstimating() const;
    bool isBusy() const { return m_busy; }
    QString log() const;
    QString status() const;
    // A step's indicator text: its name, and its time once it ran ("yosys 4.2 s"), prefixed by
    // "failed: " when it failed.
    QString stepText(int step) const;

    // Actions (the buttons call these). Build exports, synthesises and verifies the graph (with
    // `optimized`, the optimised graph) into projectDirectory(); buildFinished() tells how it
    // ended. The automatic settings are settled on the graph built.
    void build(bool optimized = false);
    void exportDesign();
    void synthesise();
    void verify();
    void flash();
    void openFolder();
    void stop();
    // Scrolls the log to where `step` began (the step indicators link here).
    void showStepLog(int step);

Q_SIGNALS:
    // A synthesis finished: `optimized` tells which column. Feeds the optimisation panel's LUT and
    // BRAM columns with real figures.
    void synthesisFinished(bool optimized, const snn::hw::FlowReport &report);
    void verificationFinished(bool passed, const QString &summary);
    // Build ended: `built` only when the bitstream is in the project folder and the RTL verify
    // passed; `summary` is the status line.
    void buildFinished(bool built, const QString &summary);
    void busyChanged(bool busy);
    // originalFit() or optimizedFit() changed (a graph, the board, bits or lanes changed).
    void estimatesChanged();

private:
    // The table's item of figure `row` (Row) from source `column` (0 the estimate, 1 the
    // original's synthesis, 2 the optimised graph's).
    QTableWidgetItem *cell(int row, int column) const;
    // Shows an estimate's result in the status line unless something else was shown there since
    // the estimate was asked for.
    void showEstimateStatus(const QString &text, const QString &toolTip);
    enum class StepState { Pending, Running, Done, Failed, Stopped };
    enum class Action { None, Synthesise, Verify, Build };

    void buildUi();
    void restoreSettings();
    void saveSettings() const;
    hw::ExportOptions settings() const; // as set: weight bits / lanes 0 when automatic
    void estimate(bool optimized);      // starts the fit check of one graph
    void updateEstimates();             // after a change of board, bits, lanes or memory
    void setBusy(bool busy);
    void appendLog(const QString &text);
    void flashNext(); // starts the next iceprog run of m_flashQueue
    void resetSteps(int first, int last);
    void beginStep(int step);
    void endStep(StepState state); // ends the running step
    void showStep(int step);
    void runNextSynthesis();
    void flowFinished(const hw::FlowReport &report);
    void runVerify(const QString &dir, bool exportFirst);
    void finish(const QString &status, bool ok); // ends the current action
    void showReport(int column, const hw::FlowReport &report);
    void showEstimate(); // the original graph's estimate, in the table and the status line
    void updateFolderLabel();

    Graph m_original;
    std::optional<Graph> m_optimized;
    std::optional<hw::FitCheck> m_originalFit;
    std::optional<hw::FitCheck> m_optimizedFit;
    std::optional<hw::ExportOptions> m_chosen; // the settled settings of the last original check
    QString m_choice;
    QString m_originalError;
    QString m_exportDir;
    QString m_modelPath;
    QString m_modelName;

    QComboBox *m_board = nullptr;
    QSpinBox *m_bits = nullptr;
    QComboBox *m_lanes = nullptr;
    QComboBox *m_memory = nullptr;
    QDoubleSpinBox *m_frequency = nullptr;
    QLabel *m_folder = nullptr;
    QPushButton *m_chooseFolder = nullptr;
    QPushButton *m_openFolder = nullptr;
    QPushButton *m_build = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_synth = nullptr;
    QPushButton *m_verify = nullptr;
    QPushButton *m_flash = nullptr;
    QPushButton *m_stop = nullptr;
    QList<QLabel *> m_steps;
    QList<StepState> m_stepState;
    QList<double> m_stepSeconds;
    int m_step = -1; // the running step
    QElapsedTimer m_stepClock;
    QTimer *m_tick = nullptr; // refreshes the running step's time
    QLabel *m_status = nullptr;
    QString m_estimateStatus; // what the last estimate showed in m_status
    QTableWidget *m_table = nullptr;
    QPlainTextEdit *m_log = nullptr;

    hw::IceFlow *m_flow = nullptr;
    hw::ToolRunner *m_runner = nullptr; // iceprog
    JobRunner *m_originalEstimate = nullptr;
    JobRunner *m_optimizedEstimate = nullptr;
    JobRunner *m_job = nullptr; // export and verification; deleted first, before the folders
    std::unique_ptr<QTemporaryDir> m_synthWork;
    std::unique_ptr<QTemporaryDir> m_verifyWork;
    Action m_action = Action::None;
    QList<bool> m_pending;           // synthesis queue: false = original, true = optimised
    QList<QStringList> m_flashQueue; // iceprog runs still to do (hw::flashCommands)
    bool m_current = false;
    int m_built = 0;        // graphs synthesised in this run
    QStringList m_notBuilt; // why the others were not
    QString m_buildSummary; // Build: what was chosen and what the flow reported
    bool m_busy = false;
    QString m_lastBuild; // folder of the last synthesised original design, for Flash
};

} // namespace snn::widgets
