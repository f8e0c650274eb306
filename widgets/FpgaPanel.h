#pragma once

// The FPGA tab: board, weight bits, lanes (each "Auto": the most accurate, then fastest,
// configuration that fits the board, flow::settle), weight memory, target frequency and, with
// Auto, a latency or logic-cell target (TargetControl; measured on the pipeline's data set, the
// smallest design that meets a latency or the fastest under a logic-cell count); Build,
// Export, Synthesise, Verify, Flash (the bitstream, then the weight image when the weights are
// in SPRAM) and Open folder; a live log, one indicator per step with its elapsed time (a finished
// or failed step links to its part of the log) and Stop; and a before / after table (LC, EBR,
// SPRAM, fmax, bitstream, fit) for the original and the optimised graph.
// A view: Build is the Build stage of a flow::Pipeline (the studio's, shared with the Pipeline
// and Optimisation panels; its own when none is given), which the tab also shows when the chain
// runs it; the fit estimates are a flow::HardwareEstimates; Synthesise and Verify run core's
// flow::synthesise and hw::runRtlSimulation through a JobRunner, so the GUI thread never waits.
// The settings are remembered (QSettings), the project folder per model, and put into the
// pipeline's settings as they change.

#include "flow/Hardware.h"
#include "graph/Graph.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTemporaryDir;

namespace snn {
class JobRunner;
}

namespace snn::hw {
class ToolRunner;
}

namespace snn::flow {
class HardwareEstimates;
class Pipeline;
} // namespace snn::flow

namespace snn::widgets {

class BuildSteps;
class HardwareTable;
class TargetControl;

class FpgaPanel : public QWidget {
    Q_OBJECT
public:
    // The steps the indicator shows (StepExport ... StepVerify, StepCount): Build runs all of
    // them, Synthesise Export to icetime.
    using enum flow::BuildStep;

    // `pipeline`: whose Build stage this tab starts and shows; nullptr: a pipeline of its own.
    explicit FpgaPanel(flow::Pipeline *pipeline = nullptr, QWidget *parent = nullptr);
    ~FpgaPanel() override;

    flow::HardwareEstimates *estimates() const { return m_estimates; }
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
    QString choice() const;
    // The fit checks of the original and the optimised graph under the panel's current settings
    // (estimates()); estimatesChanged() says when one arrived.
    const std::optional<hw::FitCheck> &originalFit() const;
    const std::optional<hw::FitCheck> &optimizedFit() const;
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
    // A synthesis finished: `optimized` tells which column. Feeds the comparison's LUT and BRAM
    // rows with real figures.
    void synthesisFinished(bool optimized, const snn::hw::FlowReport &report);
    void verificationFinished(bool passed, const QString &summary);
    // Build ended: `built` only when the bitstream is in the project folder and the RTL verify
    // passed; `summary` is the status line.
    void buildFinished(bool built, const QString &summary);
    void busyChanged(bool busy);
    // originalFit() or optimizedFit() changed (a graph, the board, bits or lanes changed).
    void estimatesChanged();
    // For the status bar: with a target, why the original graph has no estimate (the core's
    // one line: no design meets it, or there is no data set to measure the latency on).
    void message(const QString &text);

private:
    enum class Action { None, Synthesise, Verify, Build };

    void buildUi();
    QLayout *buildForm();
    QLayout *buildButtons();
    void connectPipeline();
    void samplesChanged(); // the pipeline's data set: a target's samples
    void restoreSettings();
    void saveSettings() const;
    hw::ExportOptions settings() const; // as set: weight bits / lanes 0 when automatic
    void settingsChanged();             // board, bits, lanes, memory, frequency or target
    void projectChanged();              // the folder label and the pipeline's settings
    // Shows an estimate's result in the status line unless something else was shown there since
    // the estimate was asked for.
    void showEstimateStatus(const QString &text, const QString &toolTip);
    void showEstimate(); // the original graph's estimate, in the table and the status line
    void setBusy(bool busy);
    void updateButtons(); // and the target, enabled with Auto
    void appendLog(const QString &text);
    void showBuildEvent(const flow::BuildEvent &event); // a step began, or log text
    void flashNext(); // starts the next iceprog run of m_flashQueue
    void buildStageChanged();
    void runNextSynthesis();
    void synthesisFailed(const QString &which, const QString &error);
    void finish(const QString &status, bool ok); // ends the current action

    flow::Pipeline *m_pipeline;
    flow::HardwareEstimates *m_estimates = nullptr;
    QString m_exportDir;
    QString m_modelPath;
    QString m_modelName;

    QComboBox *m_board = nullptr;
    QSpinBox *m_bits = nullptr;
    QComboBox *m_lanes = nullptr;
    QComboBox *m_memory = nullptr;
    QDoubleSpinBox *m_frequency = nullptr;
    TargetControl *m_target = nullptr;
    QLabel *m_folder = nullptr;
    QPushButton *m_chooseFolder = nullptr;
    QPushButton *m_openFolder = nullptr;
    QPushButton *m_build = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_synth = nullptr;
    QPushButton *m_verify = nullptr;
    QPushButton *m_flash = nullptr;
    QPushButton *m_stop = nullptr;
    BuildSteps *m_steps = nullptr;
    QLabel *m_status = nullptr;
    QString m_estimateStatus; // what the last estimate showed in m_status
    HardwareTable *m_table = nullptr;
    QPlainTextEdit *m_log = nullptr;

    hw::ToolRunner *m_runner = nullptr; // iceprog
    JobRunner *m_job = nullptr; // synthesis and verification; deleted first, before the folders
    std::unique_ptr<QTemporaryDir> m_synthWork;
    std::unique_ptr<QTemporaryDir> m_verifyWork;
    Action m_action = Action::None;
    bool m_buildOptimized = true;           // which graph the pipeline's Build builds (its column)
    QList<bool> m_pending;                  // synthesis queue: false = original, true = optimised
    std::vector<hw::ToolStep> m_flashQueue; // iceprog runs still to do (hw::flashSteps)
    bool m_current = false;
    int m_built = 0;        // graphs synthesised in this run
    QStringList m_notBuilt; // why the others were not
    bool m_busy = false;
    QString m_lastBuild; // folder of the last built design, for Flash
};

} // namespace snn::widgets
