#pragma once

// The training monitor panel: trains a graph off the GUI thread and shows live curves of loss and
// accuracy (training and validation), each layer's activity, and a progress bar with the time
// left and the training speed. Usable alone: it takes a graph, a data set and settings, and hands
// back the best epoch's graph (on validation) as a value (trained()). A stopped run resumes
// exactly where it stopped (Resume).

#include "graph/Graph.h"
#include "train/TrainRun.h"

#include <QElapsedTimer>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QCustomPlot;
class QCPBars;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;
class QProgressBar;
class QPushButton;

namespace snn {
class JobRunner;
}

namespace snn::widgets {

class TrainingMonitor : public QWidget {
    Q_OBJECT
public:
    explicit TrainingMonitor(QWidget *parent = nullptr);
    ~TrainingMonitor() override; // stops a running training and waits for it

    // What Start trains: the graph, the data (the validation split is held out of its training
    // samples by the settings) and the settings (epochs, steps, seed...). A new graph or new
    // settings end what Resume could continue.
    void setGraph(const Graph &graph);
    void setData(std::shared_ptr<const sim::DataSplit> split);
    // The settings form shows them; Start trains with what the form says (settingsFromForm()).
    void setSettings(const sim::TrainSettings &settings);
    const sim::TrainSettings &settings() const { return m_settings; }
    // What the form says; throws Error naming a bad field (the hidden sizes).
    sim::TrainSettings settingsFromForm() const;
    // Settings are remembered per model (QSettings, by file path): a key loads the settings last
    // used with it (the defaults when none), and Start stores them. Empty: not remembered.
    void setModelKey(const QString &key);

    // The undo step a training's result becomes: "Train 1 epoch", "Train 3 epochs".
    static QString undoText(int epochs);

    bool isRunning() const;
    bool canResume() const { return m_resumable.has_value(); }
    int completedEpochs() const { return m_completedEpochs; }
    // The last run's state (the last completed epoch, the best one, the curves).
    const sim::TrainState *lastState() const;

    // Runs side by side: the model's earlier runs (its runs file beside it, read when the model
    // key is a file path) and the runs made here. Two chosen runs' accuracy curves (validation,
    // or train without a validation split) are overlaid with their settings in the legend.
    const std::vector<sim::TrainRun> &runs() const { return m_runs; }
    // Shows two runs overlaid (the "Runs compared" tab); indices into runs(), -1: none.
    void compareRuns(int first, int second);
    // Writes the compared runs' curves: .csv (sim::runsCsv), .png, .svg or .pdf (savePlot),
    // atomically. Throws Error naming the file.
    void exportCurves(const QString &path) const;

    // For tests and the studio's wiring.
    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *resumeButton() const { return m_resume; }
    QPushButton *newNetworkButton() const { return m_newNetwork; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *statusLabel() const { return m_status; }
    QCustomPlot *runsPlot() const { return m_runsPlot; }
    QTabWidget *curvesTabs() const { return m_curves; } // "This run", "Runs compared"
    QComboBox *firstRunBox() const { return m_firstRun; }
    QComboBox *secondRunBox() const { return m_secondRun; }
    int lossPoints() const;     // batch losses plotted
    int accuracyPoints() const; // epochs plotted (train accuracy)

public Q_SLOTS:
    void start();
    void stop();
    void resume(); // continues the stopped run with its settings

Q_SIGNALS:
    void progressed(const snn::sim::TrainProgress &progress);
    // The best epoch's graph (on validation; with its measured rates), when training ends (also
    // after Stop, if at least one epoch completed). The studio makes it an undoable change of the
    // document.
    void trained(const snn::Graph &graph);
    void failed(const QString &message);
    void runningChanged(bool running);
    // New network: a fresh graph of the form's hidden sizes and beta for the attached data (its
    // features and classes), for the studio to show on the canvas before training.
    void newNetworkRequested(const snn::Graph &graph);

private:
    struct Outcome {
        sim::TrainState state;
        bool stopped = false; // by stop(): the epochs completed so far
    };
    void launch(sim::TrainState state);
    void buildForm();
    void showSettings(const sim::TrainSettings &settings);
    void requestNewNetwork();
    void onProgress(const sim::TrainProgress &p);
    void onFinished(const Outcome &outcome);
    void setRunning(bool running);
    void resetPlots();
    void keepRun(const sim::TrainState &state); // the run made here, in runs()
    void showRuns();                            // fills the run choices
    void selectRuns(int first, int second);     // sets the run choices and plots them
    void plotRuns();                            // overlays the chosen runs
    void exportCurvesDialog();

    Graph m_graph;
    std::shared_ptr<const sim::DataSplit> m_data;
    sim::TrainSettings m_settings;
    std::optional<sim::TrainState> m_last;      // the last run's state
    std::optional<sim::TrainState> m_resumable; // a stopped run, while graph and settings stand
    double m_startFraction = 0.0;               // of the run, when this part of it started

    JobRunner *m_job = nullptr; // the training; its destructor stops it and waits
    int m_completedEpochs = 0;
    QElapsedTimer m_clock;

    QCustomPlot *m_lossPlot = nullptr;
    QCustomPlot *m_accuracyPlot = nullptr;
    QCustomPlot *m_activityPlot = nullptr;
    QCPBars *m_activityBars = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_newNetwork = nullptr;
    QString m_modelKey;
    std::vector<sim::TrainRun> m_runs;
    QString m_runId; // of the run that Start began (Resume continues it)
    QCustomPlot *m_runsPlot = nullptr;
    QTabWidget *m_curves = nullptr;
    QComboBox *m_firstRun = nullptr, *m_secondRun = nullptr;
    QPushButton *m_exportCurves = nullptr;
    // The settings form.
    QWidget *m_form = nullptr;
    QSpinBox *m_epochs = nullptr, *m_batch = nullptr, *m_steps = nullptr, *m_seed = nullptr;
    QSpinBox *m_valSplit = nullptr, *m_limit = nullptr;
    QDoubleSpinBox *m_lr = nullptr, *m_slope = nullptr, *m_beta = nullptr;
    QComboBox *m_encoding = nullptr, *m_loss = nullptr, *m_qat = nullptr;
    QLineEdit *m_hidden = nullptr;
};

} // namespace snn::widgets
