#pragma once

// The whole chain on the document's graph with the attached data set, one stage after the other:
// training with the Training tab's settings (when asked; by default only for an untrained graph:
// no layer has measured rates), firing rates measured on the validation split, the Optimisation
// panel's checked passes with accuracy, optionally a fine-tune of their result for the FPGA core
// (quantisation-aware training at the FPGA tab's weight bits; it becomes the comparison's "after"
// graph), and Build of that graph in the FPGA tab (a kept bitstream). Each stage records its
// state, time and result; stop() ends the chain at the stage it is in. The graph's changes
// (trained, measured) are undo steps; while the chain runs it holds the document's edit lock, so
// nothing it works on changes under it. Training runs in its own job; the other stages are the
// panels' work, which it sequences.

#include "sim/Dataset.h"
#include "train/TrainRun.h"

#include <QElapsedTimer>
#include <QObject>

#include <array>
#include <functional>
#include <memory>
#include <vector>

namespace snn {
class JobRunner;
}

namespace snn::widgets {

class Document;
class FpgaPanel;
class OptimizationPanel;
class TrainingMonitor;

class Pipeline : public QObject {
    Q_OBJECT
public:
    enum Stage { Train, Rates, Passes, FineTune, Build, StageCount };
    enum class Training { IfUntrained, Always, Never };
    enum class State { Pending, Running, Done, Failed, Stopped, Skipped };
    struct StageStatus {
        State state = State::Pending;
        double seconds = 0.0;
        QString result; // one line: what the stage measured or built, or why it failed
    };

    // `training`: its settings form is what the chain trains and fine-tunes with.
    Pipeline(Document *document, OptimizationPanel *optimization, TrainingMonitor *training,
             FpgaPanel *fpga, QObject *parent = nullptr);
    ~Pipeline() override;

    // The data set the chain trains on and measures the rates on: its validation split (held out
    // by the training settings), else its last kDefaultValidationSize training samples. nullptr:
    // none attached.
    void setData(std::shared_ptr<const sim::DataSplit> data) { m_data = std::move(data); }
    // Whether the chain trains first; IfUntrained: when no layer of the graph has measured rates
    // (a new network, the synthetic example).
    void setTraining(Training training) { m_training = training; }
    Training training() const { return m_training; }
    static bool isUntrained(const Graph &graph);
    // Epochs of quantisation-aware fine-tuning for the FPGA core after the passes (0: none).
    void setFineTuneEpochs(int epochs) { m_fineTuneEpochs = epochs; }
    int fineTuneEpochs() const { return m_fineTuneEpochs; }

    bool isRunning() const { return m_stage >= 0; }
    double runningSeconds() const { return m_clock.elapsed() / 1000.0; } // the running stage
    const StageStatus &status(Stage stage) const { return m_status[std::size_t(stage)]; }
    static QString stageName(Stage stage);
    static QString stateName(State state);
    // "Pipeline: Firing rates: <result> (done, 4.1 s); Passes: ...", the stages that ran
    QString summary() const;

public Q_SLOTS:
    // Starts the chain; refused (finished(false, reason) at once) without a graph or data set,
    // while editing is locked, or while a stage's panel is busy.
    void start();
    // Ends the chain in its stage. A training keeps the epochs it completed (one undo step), as
    // the Training tab's Stop does, and ends the chain once it has returned them.
    void stop();

Q_SIGNALS:
    void stageChanged(int stage); // began or ended
    void progressed(int stage);   // the running stage's result says how far it is
    void finished(bool ok, const QString &summary);

private:
    void begin(Stage stage);
    void end(State state, const QString &result);
    // Runs the first stage from `stage` on that is asked for (the others: skipped, saying why).
    void runFrom(int stage);
    void runTrain();
    void runRates();
    void runPasses();
    void runFineTune();
    void runBuild();
    // Trains `graph` with `settings` on the data in the chain's job, the progress in the running
    // stage's result; `done` gets the run's state and whether it was stopped.
    void train(const Graph &graph, const sim::TrainSettings &settings,
               std::function<void(sim::TrainState state, bool stopped)> done);
    // The Training tab's form, or the stage fails naming the bad field.
    std::optional<sim::TrainSettings> trainSettings();
    void disconnectWaits();

    Document *m_document;
    OptimizationPanel *m_optimization;
    TrainingMonitor *m_trainer;
    FpgaPanel *m_fpga;
    JobRunner *m_job;
    std::shared_ptr<const sim::DataSplit> m_data;
    std::array<StageStatus, StageCount> m_status;
    int m_stage = -1;
    bool m_stopping = false; // stop() asked a training to stop; it still returns its epochs
    QElapsedTimer m_clock;
    Training m_training = Training::IfUntrained;
    int m_fineTuneEpochs = 0;
    std::vector<QMetaObject::Connection> m_waits; // the panel signals the running stage waits for
};

} // namespace snn::widgets
