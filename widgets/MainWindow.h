#pragma once

#include "graph/Graph.h"

#include <QMainWindow>
#include <QMessageBox>

#include <functional>

class QDockWidget;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QUndoView;

namespace snn {
class JobRunner;
}

namespace snn::flow {
class Pipeline;
}

namespace snn::widgets {

class CanvasView;
class CompareView;
class ComparisonController;
class FpgaPanel;
class Document;
class GetStartedPage;
class OptimizationPanel;
class PipelinePanel;
class PropertiesPanel;
class RateHeatmap;
class RecentFilesMenu;
class RunMenu;
class SweepPanel;
class SpikesView;
class TrainingMonitor;
class Workspace;
class WorkspaceTabs;

// The studio window: the menus, the toolbar and the status bar around one page at a time, chosen
// on the mode bar across the top (Qt Creator's modes): Get started, then one workspace per task,
// each with the whole window and its own dock layout: Graph (the canvas, properties, history),
// Optimise (the passes; Compare, firing rates, spikes and sweep as tabs), Train (the training
// panel) and Deploy (the FPGA panel, the pipeline's stages, the log). The selection (the
// canvas') is the same in every workspace. Other parts add their panels with addPanel(); call
// restoreLayout() once every panel is in.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // The mode bar's pages, in its order; Ctrl+1..Ctrl+4 are Graph..Deploy.
    enum class Mode { GetStarted, Graph, Optimise, Train, Deploy };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Adds a dock panel to a workspace (tabbed with the panels already in that area, in a scroll
    // area so it never sets the window's minimum size) with a View menu entry, which also shows
    // the workspace. The window takes ownership of the widget; `id` (untranslated) names the
    // dock "panel_<id>" and its slot in the workspace's saved layout.
    QDockWidget *addPanel(QWidget *panel, const QString &id, const QString &title,
                          Qt::DockWidgetArea area = Qt::RightDockWidgetArea,
                          Mode mode = Mode::Graph);
    // The workspace of a mode (nullptr for GetStarted, a page without docks).
    Workspace *workspace(Mode mode) const;
    Mode currentMode() const;
    static QString modeName(Mode mode); // "Get started", "Graph", "Optimise", "Train", "Deploy"

    // Opens a graph file; on failure shows the one-line error (status bar, log, non-modal
    // dialog) and keeps the current document. Does not ask about unsaved changes.
    bool openFile(const QString &path);
    bool saveTo(const QString &path);
    // Starts on a graph without a file (the built-in example, or a new empty graph).
    void setGraph(const Graph &graph, const QString &name);
    // Opens a trained Fashion-MNIST model compiled into the studio (resources/, measured rates)
    // as a document without a file; shows the error and returns false if it cannot. By default
    // the shipped float model; kQatModelResource is the one trained for the 4-bit core.
    bool openShippedModel(const QString &resource = kShippedModelResource,
                          const QString &name = kShippedModelName);
    static const QString kShippedModelResource;
    static inline const QString kShippedModelName = QStringLiteral("Fashion-MNIST SNN (shipped)");
    static inline const QString kSyntheticName = QStringLiteral("Synthetic example");
    static const QString kQatModelResource;
    static inline const QString kQatModelName =
        QStringLiteral("Fashion-MNIST SNN (4-bit QAT, shipped)");
    // The size the window has when not maximised (it opens maximised on the first start):
    // 1400x900, at most 90 % of the screen's available area.
    QSize initialSize() const;
    const Graph &graph() const;

    // Before losing unsaved changes: asks (Save / Discard / Cancel) and returns whether to go on.
    // Refused (false, with the reason in the status bar) while training runs on the graph.
    bool maybeSave();
    // Replaces the question dialog (tests answer without a modal dialog).
    void setUnsavedChangesPrompt(std::function<QMessageBox::StandardButton()> prompt);
    // Replaces the save dialog (tests): gets the file filter, returns the chosen path (empty:
    // cancelled).
    void setSavePathPrompt(std::function<QString(const QString &filter)> prompt);
    // Every menu action with a shortcut as ("Edit > Add layer", "Ctrl+L"), in menu order: what
    // Help > Keyboard shortcuts lists (generated, so it follows the actions).
    QList<QPair<QString, QString>> shortcutList() const;
    // Error dialogs are non-modal; tests can turn them off (status bar and log still show it).
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }

    // Loads a data set off the GUI thread (what `snnc --data` takes: "fashion-mnist", a folder of
    // IDX files, an HDF5 file) and attaches it: the training monitor trains on it and the
    // optimisation panel measures accuracy on its test set. dataAttached() follows, or a one-line
    // error in the status bar and log. A newer call supersedes a load still under way.
    void attachData(const QString &spec);
    QString dataSpec() const { return m_dataSpec; }
    // The data set attached last (QSettings), empty when none was.
    static QString rememberedDataSpec();
    // Writes the document's graph as NIR; shows the error and returns false on failure.
    bool exportNirTo(const QString &path);

    // The window's geometry, the current mode and each workspace's dock layout, from the last
    // saveLayout() (QSettings). The first start (none saved) opens maximised on Get started.
    void restoreLayout();
    void saveLayout() const;
    QStringList recentFiles() const;

    Document *document() const { return m_document; }
    CanvasView *canvas() const { return m_canvas; }
    CompareView *compare() const { return m_compare; }
    // The "Spikes" tab: one sample of the attached data set through the graph and the optimised
    // one.
    SpikesView *spikes() const { return m_spikes; }
    // The Optimise workspace's tabs: the comparison ("Compare", raised by a run), the firing
    // rates ("Firing rates"), one sample's spikes ("Spikes") and the sensitivity sweep ("Sweep").
    QTabWidget *optimiseTabs() const { return m_optimiseTabs; }
    WorkspaceTabs *modeBar() const { return m_modes; }
    RunMenu *runMenu() const { return m_runMenu; }
    GetStartedPage *getStarted() const { return m_getStarted; }
    PropertiesPanel *properties() const { return m_properties; }
    RateHeatmap *heatmap() const { return m_heatmap; }
    OptimizationPanel *optimization() const { return m_optimization; }
    TrainingMonitor *training() const { return m_training; }
    FpgaPanel *fpga() const { return m_fpga; }
    SweepPanel *sweep() const { return m_sweep; }
    // The one pipeline the Pipeline, Optimisation and FPGA panels start and show.
    flow::Pipeline *pipeline() const { return m_pipeline; }
    PipelinePanel *pipelinePanel() const { return m_pipelinePanel; }

    // The comparison's bookkeeping: before / after graphs, report, hardware figures.
    ComparisonController *comparison() const { return m_comparison; }
    QString logText() const;

public Q_SLOTS:
    void log(const QString &message);
    // Shows `text` in the status bar for `milliseconds` and appends it to the log: what every
    // finished action and every panel's message does.
    void showStatus(const QString &text, int milliseconds = 8000);
    void newDocument();
    void open();
    bool save();
    bool saveAs();
    void activateMode(snn::widgets::MainWindow::Mode mode);
    // File > Examples and Get started (after asking about unsaved changes): the synthetic
    // example, or a shipped trained model (openShippedModel()).
    void openSyntheticExample();
    void openShippedExample(const QString &resource = kShippedModelResource,
                            const QString &name = kShippedModelName);

Q_SIGNALS:
    void dataAttached(const QString &spec);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // The window is built in these steps, in this order (the constructor); the menus and the
    // toolbar are MainMenus.
    void createWorkspaces();     // the mode bar, Get started and the workspaces with their panels
    void createStatusBar();      // the data set and edit-lock labels
    void connectPipeline();      // the chain's progress, its end, Apply and save as...
    void connectViews();         // the views follow the document, the selection and the comparison
    void connectSweep();         // the sweep's options and picked points
    void connectMessages();      // the panels' messages through showStatus
    void connectTraining();      // the edit lock, trained weights, the model's key
    void connectBuildFailures(); // a build's failure beyond the FPGA tab
    void raisePanel(const QString &id);
    // The dock's toggle in the View menu, under its workspace's section.
    void listInViewMenu(QDockWidget *dock, Mode mode);
    // Adds each action's shortcut to its tooltip ("Add layer (Ctrl+L)").
    void addShortcutsToToolTips();
    void updateTitle();
    void showError(const QString &title, const QString &message);

    Document *m_document;
    flow::Pipeline *m_pipeline; // before the panels that view it
    CanvasView *m_canvas;
    PropertiesPanel *m_properties;
    RateHeatmap *m_heatmap;
    OptimizationPanel *m_optimization;
    TrainingMonitor *m_training;
    FpgaPanel *m_fpga;
    SweepPanel *m_sweep;
    PipelinePanel *m_pipelinePanel = nullptr;
    QPlainTextEdit *m_log;
    WorkspaceTabs *m_modes = nullptr;
    GetStartedPage *m_getStarted = nullptr;
    QTabWidget *m_optimiseTabs = nullptr;
    CompareView *m_compare = nullptr;
    ComparisonController *m_comparison = nullptr;
    SpikesView *m_spikes = nullptr;
    QUndoView *m_history;
    QMenu *m_viewMenu = nullptr;
    int m_lastPanelMode = -1; // the workspace whose section of the View menu was added last
    RecentFilesMenu *m_recentMenu = nullptr;
    RunMenu *m_runMenu = nullptr;
    std::function<QMessageBox::StandardButton()> m_prompt;
    std::function<QString(const QString &filter)> m_savePathPrompt;
    bool m_errorDialogs = true;
    QString m_dataSpec;
    QLabel *m_dataLabel = nullptr; // the attached data set, in the status bar
    QLabel *m_lockLabel = nullptr; // why editing is locked (training runs), in the status bar
    JobRunner *m_dataJob;
};

} // namespace snn::widgets
