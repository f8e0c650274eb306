#pragma once

#include "flow/Pipeline.h"
#include "opt/Optimizer.h"

#include <QWidget>

#include <functional>
#include <map>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace snn::widgets {

class ComparisonModel;
class Document;

// Pass toggles with their thresholds, Run (the Passes stage of a flow::Pipeline, off the GUI
// thread, with progress and Cancel), the before / after comparison model (shown by CompareView),
// copy / CSV export and Apply (the optimised graph replaces the document's as one undo step).
// Toggling a pass or a threshold after a run runs again; a superseded run is dropped. A view of
// the pipeline (the studio's, shared with the Pipeline and FPGA panels; its own when none is
// given): it shows the Passes and fine-tune results of every run of it, and puts its passes and
// thresholds into the pipeline's settings as they change.
class OptimizationPanel : public QWidget {
    Q_OBJECT
public:
    explicit OptimizationPanel(flow::Pipeline *pipeline = nullptr, QWidget *parent = nullptr);
    ~OptimizationPanel() override;

    void setDocument(Document *document);

    QStringList selectedPasses() const;
    void setPassEnabled(const QString &pass, bool enabled);
    OptimizeOptions options() const;
    void setOptions(const OptimizeOptions &options);
    // The data accuracy is measured on before and after each pass, as options() carry it (the
    // sweep's); nullptr: none. A run measures on the pipeline's data (flow::accuracySet of it,
    // which the studio attaches here too). Attaching or detaching it after a run runs again.
    void setValidation(std::shared_ptr<const ValidationSet> validation);
    // The FPGA core the passes keep exact, measured beside the float model with its hardware
    // figures, as options() carry it: the FPGA tab's board, lanes (0: chosen for each graph),
    // memory, clock and baud, with its settled weight bits, steps and membrane in `options.quant`
    // (a run settles the same bits on the graph it runs). A change after a run runs again.
    void setHardware(const hw::ExportOptions &options);

    // What Run calls off the GUI thread (the pipeline's Passes stage): snn::optimize unless
    // replaced (a test gives one that fails the way the core can).
    void setOptimizer(flow::Pipeline::Optimizer optimizer);

    // The pipeline's Passes stage runs.
    bool isRunning() const;
    // The last finished run's result (nullptr when none, or when the document changed since).
    std::shared_ptr<const OptimizeResult> result() const { return m_result; }
    ComparisonModel *model() const { return m_model; }
    QString reportText() const; // the last result's report, empty without one

public Q_SLOTS:
    void run();
    // Stops the run under way: runFinished("Cancelled") at once, whatever it still returns is
    // dropped.
    void cancel();
    bool apply();
    void copyAsText();
    // Writes the table as CSV; throws Error when the file cannot be written.
    void exportCsv(const QString &path);

Q_SIGNALS:
    // A new result to compare and preview (nullptr: the preview is gone).
    void resultChanged(std::shared_ptr<const snn::OptimizeResult> result);
    // A run ended: with a result, cancelled, or failed (message says which).
    void runFinished(const QString &message);
    void message(const QString &text);

private:
    // neuron_pruning's budget (which figure, how much of the original's) on `row` of `grid`.
    void addBudget(QGridLayout *grid, int row);
    void optionsChanged();
    void documentChanged();
    void passesChanged(int stage); // the pipeline's Passes or FineTune stage began or ended
    void setResult(std::shared_ptr<const OptimizeResult> result);
    void finish(const QString &text, bool ok);
    void updateButtons();

    flow::Pipeline *m_pipeline;
    Document *m_document = nullptr;
    std::map<QString, QCheckBox *> m_passes;
    QDoubleSpinBox *m_deadThreshold;
    QDoubleSpinBox *m_similarity;
    QDoubleSpinBox *m_normTolerance;
    QDoubleSpinBox *m_fusionActivity;
    QComboBox *m_budgetKind;  // neuron_pruning's budget: cycles, weight memory or logic cells
    QDoubleSpinBox *m_budget; // in percent of the input graph's
    QPushButton *m_run;
    QPushButton *m_cancel;
    QPushButton *m_apply;
    QPushButton *m_copy;
    QPushButton *m_export;
    QProgressBar *m_progress;
    QLabel *m_status;
    ComparisonModel *m_model;

    std::shared_ptr<const ValidationSet> m_validation;
    hw::ExportOptions m_hardware;
    std::shared_ptr<const OptimizeResult> m_result;
    std::shared_ptr<const Graph> m_resultInput; // the graph the result was computed from
    // The last applied result, restored when its Apply is undone (the stack is back at undoIndex).
    struct Applied {
        std::shared_ptr<const OptimizeResult> result;
        std::shared_ptr<const Graph> input;
        int undoIndex = 0;
    };
    std::optional<Applied> m_applied;
    bool m_hasRun = false;
    bool m_ownRun = false; // the pipeline runs this panel's Run
    bool m_rerun = false;  // a run waits for the pipeline's other run to end
};

} // namespace snn::widgets
