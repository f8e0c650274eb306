#pragma once

#include "opt/Optimizer.h"

#include <QWidget>

#include <functional>
#include <map>
#include <memory>
#include <optional>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace snn {
class JobRunner;
}

namespace snn::widgets {

class ComparisonModel;
class Document;

// Pass toggles with their thresholds, Run (off the GUI thread, with progress and Cancel), the
// before / after comparison model (shown by CompareView), copy / CSV export and Apply (the
// optimised graph replaces the document's as one undo step). Toggling a pass or a threshold after a
// run runs again; results of a superseded run are dropped.
class OptimizationPanel : public QWidget {
    Q_OBJECT
public:
    explicit OptimizationPanel(QWidget *parent = nullptr);
    ~OptimizationPanel() override;

    void setDocument(Document *document);

    QStringList selectedPasses() const;
    void setPassEnabled(const QString &pass, bool enabled);
    OptimizeOptions options() const;
    void setOptions(const OptimizeOptions &options);
    // The data accuracy is measured on before and after each pass (nullptr: not measured).
    // Attaching or detaching it after a run runs again.
    void setValidation(std::shared_ptr<const ValidationSet> validation);
    // The FPGA core whose accuracy is measured on the validation data beside the float model
    // (the FPGA tab's weight bits, steps and membrane). A change after a run with data runs again.
    void setHardware(const hw::QuantConfig &config);

    // What Run calls off the GUI thread: snn::optimize unless replaced (a test gives one that
    // fails the way the core can, with std::bad_alloc or any other exception).
    using Optimizer = std::function<OptimizeResult(const Graph &, const QStringList &,
                                                   const OptimizeOptions &, const RunControl &)>;
    void setOptimizer(Optimizer optimizer) { m_optimizer = std::move(optimizer); }

    bool isRunning() const;
    // The last finished run's result (nullptr when none, or when the document changed since).
    std::shared_ptr<const OptimizeResult> result() const { return m_result; }
    ComparisonModel *model() const { return m_model; }
    QString reportText() const; // the last result's report, empty without one
    // Replaces the last result by `result`, computed from the same input graph (retrained(): the
    // Pipeline's fine-tune); the comparison shows it and Apply applies it. False without a result.
    bool replaceResult(std::shared_ptr<const OptimizeResult> result);

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
    // A new optimised graph to preview (nullptr: the preview is gone).
    void previewChanged(std::shared_ptr<const snn::Graph> optimised);
    // A run ended: with a result, cancelled, or failed (message says which).
    void runFinished(const QString &message);
    void message(const QString &text);

private:
    void optionsChanged();
    void documentChanged();
    void setResult(std::shared_ptr<const OptimizeResult> result);
    void updateButtons();

    Document *m_document = nullptr;
    std::map<QString, QCheckBox *> m_passes;
    QDoubleSpinBox *m_deadThreshold;
    QDoubleSpinBox *m_similarity;
    QDoubleSpinBox *m_normTolerance;
    QDoubleSpinBox *m_fusionActivity;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QPushButton *m_apply;
    QPushButton *m_copy;
    QPushButton *m_export;
    QProgressBar *m_progress;
    QLabel *m_status;
    ComparisonModel *m_model;
    JobRunner *m_job; // the run: newest first, a superseded one's result is dropped

    Optimizer m_optimizer = [](const Graph &graph, const QStringList &passes,
                               const OptimizeOptions &options, const RunControl &control) {
        return optimize(graph, passes, options, control);
    };
    std::shared_ptr<const ValidationSet> m_validation;
    hw::QuantConfig m_hardware;
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
};

} // namespace snn::widgets
