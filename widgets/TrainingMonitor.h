#pragma once

// The training monitor panel: trains a graph off the GUI thread and shows live curves of loss and
// accuracy, each layer's activity, and a progress bar with the time left. Usable alone: it takes
// a graph, a data set and options, and hands back the trained graph as a value (trained()).

#include "Graph.h"
#include "sim/Trainer.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>

class QCustomPlot;
class QCPBars;
class QLabel;
class QProgressBar;
class QPushButton;

namespace snn::widgets {

class TrainingMonitor : public QWidget {
    Q_OBJECT
public:
    explicit TrainingMonitor(QWidget *parent = nullptr);
    ~TrainingMonitor() override; // stops a running training and waits for it

    // What Start trains: the graph, the data and the options (epochs, steps, seed...).
    void setGraph(const Graph &graph);
    void setData(std::shared_ptr<const sim::DataSplit> split);
    void setOptions(const sim::TrainOptions &options);
    const sim::TrainOptions &options() const { return m_options; }

    bool isRunning() const { return m_running; }
    int completedEpochs() const { return m_completedEpochs; }

    // For tests and the studio's wiring.
    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *statusLabel() const { return m_status; }
    int lossPoints() const;     // batch losses plotted
    int accuracyPoints() const; // epochs plotted (train accuracy)

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    void progressed(const snn::sim::TrainProgress &progress);
    // The graph after the last completed epoch, when training ends (also after Stop, if at least
    // one epoch completed). The studio makes it an undoable change of the document.
    void trained(const snn::Graph &graph);
    void failed(const QString &message);
    void runningChanged(bool running);

private:
    struct Outcome {
        sim::TrainState state;
        QString error;
        bool cancelled = false;
    };
    void onProgress(const sim::TrainProgress &p);
    void onFinished();
    void setRunning(bool running);
    void resetPlots();

    Graph m_graph;
    std::shared_ptr<const sim::DataSplit> m_data;
    sim::TrainOptions m_options;

    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    int m_generation = 0;
    bool m_running = false;
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
};

} // namespace snn::widgets
