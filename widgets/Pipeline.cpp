#include "Pipeline.h"

#include "Document.h"
#include "FpgaPanel.h"
#include "OptimizationPanel.h"
#include "TrainingMonitor.h"
#include "base/Error.h"
#include "base/JobRunner.h"
#include "sim/SpikeMonitor.h"
#include "train/Trainer.h"

#include <algorithm>
#include <optional>

namespace snn::widgets {

Pipeline::Pipeline(Document *document, OptimizationPanel *optimization, TrainingMonitor *training,
                   FpgaPanel *fpga, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_optimization(optimization)
    , m_trainer(training)
    , m_fpga(fpga)
    , m_job(new JobRunner(this))
{}

Pipeline::~Pipeline() = default;

QString Pipeline::stageName(Stage stage)
{
    switch (stage) {
    case Train:
        return tr("Training");
    case Rates:
        return tr("Firing rates");
    case Passes:
        return tr("Passes");
    case FineTune:
        return tr("Fine-tune (QAT)");
    case Build:
        return tr("Build");
    case StageCount:
        break;
    }
    return {};
}

QString Pipeline::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return tr("waiting");
    case State::Running:
        return tr("running");
    case State::Done:
        return tr("done");
    case State::Failed:
        return tr("failed");
    case State::Stopped:
        return tr("stopped");
    case State::Skipped:
        return tr("not run");
    }
    return {};
}

QString Pipeline::summary() const
{
    QStringList parts;
    for (int s = 0; s < StageCount; ++s) {
        const StageStatus &st = m_status[std::size_t(s)];
        if (st.state == State::Pending || st.state == State::Skipped)
            continue;
        parts << tr("%1: %2 (%3, %4 s)")
                     .arg(stageName(Stage(s)),
                          st.result.isEmpty() ? stateName(st.state) : st.result,
                          stateName(st.state))
                     .arg(st.seconds, 0, 'f', 1);
    }
    return tr("Pipeline: %1").arg(parts.join(QStringLiteral("; ")));
}

bool Pipeline::isUntrained(const Graph &graph)
{
    return std::none_of(graph.layers().begin(), graph.layers().end(),
                        [](const Layer &l) { return l.hasRates() && !l.hasSyntheticRates(); });
}

void Pipeline::start()
{
    if (isRunning())
        return;
    m_status = {};
    QString refusal;
    if (m_document->graph().isEmpty())
        refusal = tr("the graph has no layers");
    else if (!m_data)
        refusal = tr("attach a data set first (Data menu): the rates and accuracy are measured "
                     "on it");
    else if (m_document->isEditLocked())
        refusal = m_document->editLock();
    else if (m_optimization->isRunning() || m_fpga->isBusy() || m_trainer->isRunning())
        refusal = tr("wait for the running optimisation, training or FPGA job to end");
    if (!refusal.isEmpty()) {
        Q_EMIT finished(false, tr("Pipeline not started: %1").arg(refusal));
        return;
    }
    m_stopping = false;
    m_stage = Train; // running from here on
    m_document->setEditLock(tr("the Pipeline works on the graph; edit it when the chain ends "
                               "(Stop in the Pipeline dock ends it)"),
                            this);
    runFrom(Train);
}

void Pipeline::runFrom(int first)
{
    for (int s = first; s < StageCount; ++s) {
        QString skipped;
        if (s == Train && m_training == Training::Never)
            skipped = tr("not asked");
        else if (s == Train && m_training == Training::IfUntrained &&
                 !isUntrained(m_document->graph()))
            skipped = tr("a trained graph (measured rates)");
        else if (s == FineTune && m_fineTuneEpochs <= 0)
            skipped = tr("not asked");
        if (skipped.isEmpty()) {
            switch (s) {
            case Train:
                runTrain();
                return;
            case Rates:
                runRates();
                return;
            case Passes:
                runPasses();
                return;
            case FineTune:
                runFineTune();
                return;
            case Build:
                runBuild();
                return;
            }
        }
        m_status[std::size_t(s)] = {State::Skipped, 0.0, skipped};
        Q_EMIT stageChanged(s);
    }
    m_stage = -1;
    m_document->setEditLock({});
    Q_EMIT finished(true, summary());
}

void Pipeline::begin(Stage stage)
{
    m_stage = stage;
    m_status[std::size_t(stage)].state = State::Running;
    m_clock.start();
    Q_EMIT stageChanged(stage);
}

void Pipeline::disconnectWaits()
{
    for (const QMetaObject::Connection &c : m_waits)
        disconnect(c);
    m_waits.clear();
}

void Pipeline::end(State state, const QString &result)
{
    disconnectWaits();
    const int stage = m_stage;
    StageStatus &st = m_status[std::size_t(stage)];
    st.state = state;
    st.seconds = m_clock.elapsed() / 1000.0;
    st.result = result;
    Q_EMIT stageChanged(stage);
    if (state == State::Done) {
        runFrom(stage + 1);
        return;
    }
    for (int s = stage + 1; s < StageCount; ++s) {
        m_status[std::size_t(s)].state = State::Skipped;
        Q_EMIT stageChanged(s);
    }
    m_stage = -1;
    m_document->setEditLock({});
    Q_EMIT finished(false, summary());
}

std::optional<sim::TrainSettings> Pipeline::trainSettings()
{
    try {
        sim::TrainSettings settings = m_trainer->settingsFromForm();
        settings.validate();
        return settings;
    } catch (const Error &e) {
        end(State::Failed, e.message());
        return std::nullopt;
    }
}

void Pipeline::train(const Graph &graph, const sim::TrainSettings &settings,
                     std::function<void(sim::TrainState state, bool stopped)> done)
{
    struct Outcome {
        sim::TrainState state;
        bool stopped = false;
    };
    m_job->runReporting<Outcome, sim::TrainProgress>(
        [state = sim::TrainState::start(graph), data = m_data,
         settings](const RunControl &control,
                   const std::function<void(sim::TrainProgress)> &send) mutable {
            Outcome outcome{std::move(state)}; // called once
            outcome.stopped = sim::trainUntilStopped(outcome.state, *data, settings, send, control);
            return outcome;
        },
        [this](const sim::TrainProgress &p) {
            if (m_stopping)
                return;
            m_status[std::size_t(m_stage)].result = tr("epoch %1/%2, batch %3/%4: loss %5")
                                                        .arg(p.epoch)
                                                        .arg(p.epochs)
                                                        .arg(p.batch)
                                                        .arg(p.batches)
                                                        .arg(p.loss, 0, 'f', 3);
            Q_EMIT progressed(m_stage);
        },
        [done = std::move(done)](Outcome outcome) {
            done(std::move(outcome.state), outcome.stopped);
        },
        [this](const QString &error) { end(State::Failed, error); });
}

namespace {

QString epochsText(int epochs)
{
    return epochs == 1 ? Pipeline::tr("1 epoch") : Pipeline::tr("%1 epochs").arg(epochs);
}

// "3 epochs, kept epoch 2, validation accuracy 81.20%"
QString trainedText(const sim::TrainState &state)
{
    QString text = epochsText(state.epoch) + Pipeline::tr(", kept epoch %1").arg(state.bestEpoch);
    if (state.bestEpoch > 0 && state.bestEpoch <= int(state.history.size()))
        if (const auto &accuracy =
                state.history[std::size_t(state.bestEpoch - 1)].validationAccuracy)
            text += Pipeline::tr(", validation accuracy %1%").arg(100.0 * *accuracy, 0, 'f', 2);
    return text;
}

} // namespace

void Pipeline::runTrain()
{
    begin(Train);
    const std::optional<sim::TrainSettings> settings = trainSettings();
    if (!settings)
        return;
    // The best epoch's graph (with its measured rates) becomes the document's: one undo step.
    train(m_document->graph(), *settings, [this](const sim::TrainState &state, bool stopped) {
        if (state.epoch == 0) {
            end(State::Stopped, tr("stopped before the first epoch completed; the graph is "
                                   "unchanged"));
            return;
        }
        if (!m_document->applyGraph(state.best, TrainingMonitor::undoText(state.epoch), this)) {
            end(State::Failed, tr("the trained graph was refused"));
            return;
        }
        end(stopped || m_stopping ? State::Stopped : State::Done, trainedText(state));
    });
}

void Pipeline::runRates()
{
    begin(Rates);
    m_job->run<std::pair<Graph, sim::Activity>>(
        [graph = m_document->graph(), data = m_data](const RunControl &control) {
            const sim::Dataset validation = data->validation
                                                ? *data->validation
                                                : data->train.tail(sim::kDefaultValidationSize);
            Graph measured = graph;
            sim::Activity activity = sim::SpikeMonitor().measure(measured, validation, data->label,
                                                                 sim::kValidationSplit, control);
            return std::pair(std::move(measured), std::move(activity));
        },
        [this](std::pair<Graph, sim::Activity> measured) {
            const sim::Activity &a = measured.second;
            int silent = 0;
            for (int n : a.silentNeurons())
                silent += n;
            m_document->applyGraph(measured.first, tr("Measure firing rates"), this);
            end(State::Done, tr("%1 validation samples, %2 neurons never fired, accuracy %3%")
                                 .arg(a.samples)
                                 .arg(silent)
                                 .arg(100.0 * a.accuracy, 0, 'f', 2));
        },
        [this](const QString &error) { end(State::Failed, error); });
}

void Pipeline::runPasses()
{
    begin(Passes);
    m_waits.push_back(connect(m_optimization, &OptimizationPanel::runFinished, this,
                              [this](const QString &message) {
                                  const auto result = m_optimization->result();
                                  if (!result) {
                                      end(State::Failed, message);
                                      return;
                                  }
                                  const Report &r = result->report;
                                  QString text = tr("%1 -> %2 parameters (%3x)")
                                                     .arg(r.before.params)
                                                     .arg(r.after.params)
                                                     .arg(r.compressionRatio(), 0, 'f', 3);
                                  if (r.accuracy)
                                      text += tr(", accuracy %1% -> %2%")
                                                  .arg(100.0 * r.accuracy->before, 0, 'f', 2)
                                                  .arg(100.0 * r.accuracy->after, 0, 'f', 2);
                                  end(State::Done, text);
                              }));
    m_optimization->run();
}

void Pipeline::runFineTune()
{
    begin(FineTune);
    const std::shared_ptr<const OptimizeResult> passes = m_optimization->result();
    if (!passes) {
        end(State::Failed, tr("the passes left no result to fine-tune"));
        return;
    }
    std::optional<sim::TrainSettings> settings = trainSettings();
    if (!settings)
        return;
    // The passes' graph trained through the FPGA core's arithmetic at the FPGA tab's weight bits;
    // the result replaces theirs (the comparison: the document's graph against it), measured
    // again on the Optimisation panel's data. The document is not changed: Apply applies it.
    const int bits = m_fpga->exportOptions().quant.weightBits;
    settings->options.qatBits = bits;
    settings->options.epochs = m_fineTuneEpochs;
    train(
        passes->graph, *settings,
        [this, passes, bits, options = m_optimization->options(),
         input = m_document->graph()](const sim::TrainState &state, bool) {
            if (state.epoch == 0) {
                end(State::Stopped, tr("stopped before the first epoch completed"));
                return;
            }
            const QString how =
                tr("fine-tuned %1 through the %2-bit core").arg(epochsText(state.epoch)).arg(bits);
            m_job->run<std::shared_ptr<const OptimizeResult>>(
                [=, tuned = state.best](const RunControl &control) {
                    return std::make_shared<const OptimizeResult>(
                        retrained(input, *passes, tuned, how, options, control));
                },
                [this, state, passes, bits](std::shared_ptr<const OptimizeResult> result) {
                    // The core's accuracy after the passes alone and after the fine-tune.
                    const auto core = [](const Report &r) -> std::optional<double> {
                        if (!r.hardware || r.hardware->quantized.empty())
                            return std::nullopt;
                        return r.hardware->quantized.front().accuracy.after;
                    };
                    QString text = trainedText(state);
                    if (const auto before = core(passes->report), after = core(result->report);
                        before && after)
                        text += tr("; %1-bit core accuracy %2% -> %3%")
                                    .arg(bits)
                                    .arg(100.0 * *before, 0, 'f', 2)
                                    .arg(100.0 * *after, 0, 'f', 2);
                    m_optimization->replaceResult(result);
                    end(State::Done, text);
                },
                [this](const QString &error) { end(State::Failed, error); });
        });
}

void Pipeline::runBuild()
{
    begin(Build);
    if (m_fpga->isBusy()) {
        end(State::Failed, tr("the FPGA tab is busy"));
        return;
    }
    m_waits.push_back(connect(m_fpga, &FpgaPanel::buildFinished, this,
                              [this](bool built, const QString &summary) {
                                  end(built ? State::Done : State::Failed, summary);
                              }));
    m_fpga->build(true); // the optimised (or fine-tuned) graph the comparison shows
}

void Pipeline::stop()
{
    if (!isRunning() || m_stopping)
        return;
    disconnectWaits();
    switch (m_stage) {
    case Train:
        // The epochs completed so far still arrive; the chain ends then.
        m_stopping = true;
        m_job->stop();
        m_status[Train].result = tr("stopping after the running batch...");
        Q_EMIT progressed(Train);
        return;
    case Rates:
    case FineTune:
        m_job->cancel();
        break;
    case Passes:
        m_optimization->cancel();
        break;
    case Build:
        m_fpga->stop();
        break;
    }
    end(State::Stopped, {});
}

} // namespace snn::widgets
