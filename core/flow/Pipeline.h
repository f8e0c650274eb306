#pragma once

// The whole chain from a graph and a data set to a bitstream (docs/pipeline.md), one stage after
// the other off the calling thread: training (by default only for an untrained graph: no layer
// has measured rates), firing rates measured on the validation split, the passes with accuracy
// on the test split (and the FPGA core's, at the weight bits settled for the board), optionally
// a quantisation-aware fine-tune of their result for that core, and Build (export, synthesis and
// a short RTL verify into the hardware folder). Each stage records its state, time and one-line
// result and keeps what it made as a value; stop() ends the chain in the stage it is in. The
// stages' work is the plain functions of flow/Stages.h and flow/Hardware.h, run through one
// JobRunner. The studio's Pipeline, Optimisation and FPGA panels are views of one Pipeline (they
// start the chain or one stage and show its work); snnc pipeline and snnstudio.pipeline run it
// to the end (runToEnd).

#include "flow/Hardware.h"
#include "flow/Stages.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

#include <array>
#include <functional>
#include <memory>
#include <optional>

namespace snn {
class JobRunner;
}

namespace snn::flow {

enum class Training { IfUntrained, Always, Never };

// Every setting of a run.
struct PipelineSettings {
    Training training = Training::IfUntrained;
    // The training's settings, and the fine-tune's (with its epochs and the core's weight bits).
    sim::TrainSettings train;
    QStringList passes = availablePasses();
    // The thresholds, budgets and threads of the passes; their validation set (accuracySet of the
    // data), the FPGA core they keep exact and measure beside the float model (hardware's, at the
    // settled weight bits) and its hardware figures (on hardware's board) are the Pipeline's.
    OptimizeOptions optimize;
    int fineTuneEpochs = 0; // QAT epochs after the passes (0: no fine-tune)
    bool build = true;      // false: the chain ends after the fine-tune
    // Board, weight bits and lanes (0: chosen for the board on the graph built), memory, clock.
    hw::ExportOptions hardware = automaticHardware();
    int verifySamples = 4; // Build's RTL verify: a short one
    // Where Build keeps its design and bitstream; empty: outputDirectory/hardware.
    QString hardwareDirectory;
    // When set, the end of a run writes optimized.h5 (the optimised graph, when the passes ran)
    // and report.json (reportJson()) here.
    QString outputDirectory;

    static hw::ExportOptions automaticHardware();
    // The folder Build writes: hardwareDirectory, else outputDirectory/hardware (empty: none).
    QString hardwareFolder() const;
};

class Pipeline : public QObject {
    Q_OBJECT
public:
    enum Stage { Train, Rates, Passes, FineTune, Build, StageCount };
    enum class State { Pending, Running, Done, Failed, Stopped, Skipped };
    struct StageStatus {
        State state = State::Pending;
        double seconds = 0.0;
        QString result; // one line: what the stage measured or built, or why it failed
    };

    explicit Pipeline(QObject *parent = nullptr);
    ~Pipeline() override; // stops the running stage and waits for it

    // The graph a run starts from (not while a run goes: its stages work on graph()); graph() is
    // then what the next stage works on: the trained, measured, optimised and fine-tuned graph
    // in turn.
    void setGraph(const Graph &graph);
    const Graph &graph() const { return m_graph; }
    // The data set the chain trains on, measures the rates on (validationSet) and accuracy on
    // (accuracySet); a running run keeps the one it started with. nullptr: none (the passes then
    // run without accuracy). Build measures a hardware target's latency on the accuracySet's
    // samples (targetSamples) and needs a data set for one. dataChanged() tells the views.
    void setData(std::shared_ptr<const sim::DataSplit> data);
    const std::shared_ptr<const sim::DataSplit> &data() const { return m_data; }
    // The settings the next run takes (a running one keeps those it started with).
    void setSettings(const PipelineSettings &settings);
    const PipelineSettings &settings() const { return m_settings; }

    // What start() (the chain) calls first: brings the inputs up to date (the studio: the
    // document's graph, the Training tab's settings) and returns why the chain must not start
    // (empty: start).
    void setPreparation(std::function<QString()> prepare) { m_prepare = std::move(prepare); }
    // Called on this thread when Train or Rates made a new graph, before the stage ends (the
    // studio makes it an undo step); false fails the stage.
    void setGraphHandler(std::function<bool(Stage, const Graph &)> handler)
    {
        m_graphHandler = std::move(handler);
    }
    // What the Passes stage calls off this thread: snn::optimize unless replaced (a test gives one
    // that fails the way the core can).
    using Optimizer = std::function<OptimizeResult(const Graph &, const QStringList &,
                                                   const OptimizeOptions &, const RunControl &)>;
    void setOptimizer(Optimizer optimizer) { m_optimizer = std::move(optimizer); }

    // Throws Error naming why stages first..last cannot run on graph() and data() with
    // settings(): no layers, no data where it is needed, data that do not fit the graph, a bad
    // setting.
    void check(Stage first = Train, Stage last = Build) const;

    bool isRunning() const { return m_running; }
    // The running run, else the last one started or refused, is the whole chain (start()), not
    // startStages().
    bool isChain() const { return m_chain; }
    int runningStage() const { return m_stage; }                         // -1 when none runs
    double runningSeconds() const { return m_clock.elapsed() / 1000.0; } // the running stage
    const StageStatus &status(Stage stage) const { return m_status[std::size_t(stage)]; }
    static QString stageName(Stage stage);
    static QString stateName(State state);
    // "Pipeline: Firing rates: <result> (done, 4.1 s); Passes: ...", the stages that ran
    QString summary() const;
    // A stage in one line: "Firing rates: done in 4.1 s: 5000 validation samples, ...",
    // "Training: not run: a trained graph (measured rates)".
    QString statusLine(Stage stage) const;
    // Why the last run did not succeed in one line: the stage that failed or was stopped
    // (statusLine), else why the outputs could not be written; empty when it succeeded.
    QString failure() const;
    // No stage of the last run failed or was stopped (and none runs).
    bool succeeded() const;

    // What the stages made (empty until a run made it; a run clears what its stages make).
    const std::optional<Trained> &trained() const { return m_trained; }
    const std::optional<Measured> &measured() const { return m_measured; }
    std::shared_ptr<const Graph> passesInput() const { return m_passesInput; }
    std::shared_ptr<const OptimizeResult> passes() const { return m_passes; }
    // The options the passes ran with (validation set, the core's config at the settled bits).
    const OptimizeOptions &passesOptions() const { return m_passesOptions; }
    std::shared_ptr<const FineTuned> fineTuned() const { return m_fineTuned; }
    // The comparison's "after": the fine-tuned result when the fine-tune ran, else the passes'.
    std::shared_ptr<const OptimizeResult> optimized() const;
    const std::optional<Built> &built() const { return m_built; }
    // The run as JSON: every stage (state, time, result), the summary, what training and the
    // rates measured, the optimisation report (Report::toJson) and the hardware (settings, flow
    // report, RTL verify). What report.json holds.
    QJsonObject reportJson() const;
    // Writes optimized.h5 (when there is an optimised graph) and report.json into `dir` (created
    // when missing), both or neither. Throws SaveError when they cannot be written.
    void writeOutputs(const QString &dir) const;

public Q_SLOTS:
    // Starts the chain from Train to Build (setPreparation's hook first). Refused, with
    // finished(false, "Pipeline not started: <why>") at once, while a run goes or when check()
    // fails.
    void start();
    // Starts stages first..last only (a panel's Run or Build), refused the same way.
    void startStages(snn::flow::Pipeline::Stage first, snn::flow::Pipeline::Stage last);
    // Ends the run in its stage (Stopped): a training keeps the epochs it completed and ends the
    // run once it has returned them; any other stage ends at once, whatever its job still
    // returns is dropped.
    void stop();
    // Drops the running run without a word: no stageChanged() or finished() for it any more
    // (runningChanged(false) only). For a run whose input is gone (the studio: the document
    // changed under a passes run).
    void cancel();

Q_SIGNALS:
    void dataChanged();
    void runningChanged(bool running);
    void stageChanged(int stage); // began or ended
    void progressed(int stage);   // the running stage's result says how far it is
    void progress(double fraction, const QString &step); // the running job's progress
    // Build (also what a view of the FPGA flow shows): a step began (BuildStep), the tools' log,
    // the synthesis figures (before the RTL verify).
    void buildStepStarted(int step);
    void buildLog(const QString &text);
    void synthesised(const snn::hw::FlowReport &report);
    void finished(bool ok, const QString &summary);

private:
    void launch(Stage first, Stage last, bool chain);
    void refuse(const QString &reason);
    void clearResults(Stage first);
    QString skipReason(int stage) const;
    void runFrom(int stage);
    void begin(Stage stage);
    void end(State state, const QString &result);
    void finish();
    bool accept(Stage stage, const Graph &graph);
    void showTraining(const sim::TrainProgress &progress);
    void runTrain();
    void runRates();
    void runPasses();
    void runFineTune();
    void runBuild();

    Graph m_graph;
    std::shared_ptr<const sim::DataSplit> m_data;
    PipelineSettings m_settings;
    PipelineSettings m_run;                          // the settings of the running (or last) run
    std::shared_ptr<const sim::DataSplit> m_runData; // and its data
    std::function<QString()> m_prepare;
    std::function<bool(Stage, const Graph &)> m_graphHandler;
    Optimizer m_optimizer;
    JobRunner *m_job;
    std::array<StageStatus, StageCount> m_status;
    int m_stage = -1;
    Stage m_first = Train;
    Stage m_last = Build;
    bool m_running = false;
    bool m_chain = false;
    bool m_stopping = false; // stop() asked a training to stop; it still returns its epochs
    QElapsedTimer m_clock;

    std::optional<Trained> m_trained;
    std::optional<Measured> m_measured;
    std::shared_ptr<const Graph> m_passesInput;
    std::shared_ptr<const OptimizeResult> m_passes;
    OptimizeOptions m_passesOptions;
    std::shared_ptr<const FineTuned> m_fineTuned;
    std::optional<Built> m_built;
    QString m_writeError; // why the last run's outputs could not be written
};

// Runs `pipeline`'s chain to the end in a local event loop (snnc, Python; a QCoreApplication
// must exist): `control`'s cancel check is polled (a request stops the chain in its stage), its
// progress gets, as each stage ends or is skipped, the fraction of stages ended and the stage's
// statusLine(). Returns finished()'s ok; `summary` (when given) gets its summary.
bool runToEnd(Pipeline &pipeline, const RunControl &control, QString *summary = nullptr);

} // namespace snn::flow
