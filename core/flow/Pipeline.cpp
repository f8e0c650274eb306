#include "flow/Pipeline.h"

#include "base/Error.h"
#include "base/JobRunner.h"
#include "hw/BoardLink.h"
#include "io/AtomicFile.h"
#include "io/GraphFile.h"

#include <QDir>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <algorithm>

namespace snn::flow {

hw::ExportOptions PipelineSettings::automaticHardware()
{
    hw::ExportOptions o;
    o.quant.weightBits = 0;
    o.lanes = 0;
    return o;
}

QString PipelineSettings::hardwareFolder() const
{
    if (!hardwareDirectory.isEmpty() || outputDirectory.isEmpty())
        return hardwareDirectory;
    return QDir(outputDirectory).filePath(QStringLiteral("hardware"));
}

Pipeline::Pipeline(QObject *parent)
    : QObject(parent)
    , m_optimizer(
          [](const Graph &graph, const QStringList &passes, const OptimizeOptions &options,
             const RunControl &control) { return optimize(graph, passes, options, control); })
    , m_job(new JobRunner(this))
{
    connect(m_job, &JobRunner::progress, this, &Pipeline::progress);
}

Pipeline::~Pipeline() = default; // m_job stops the running stage and waits for it

void Pipeline::setGraph(const Graph &graph)
{
    m_graph = graph;
}

void Pipeline::setData(std::shared_ptr<const sim::DataSplit> data)
{
    m_data = std::move(data);
    Q_EMIT dataChanged();
}

void Pipeline::setSettings(const PipelineSettings &settings)
{
    m_settings = settings;
}

QString Pipeline::stageName(Stage stage)
{
    switch (stage) {
    case Train:
        return QStringLiteral("Training");
    case Rates:
        return QStringLiteral("Firing rates");
    case Passes:
        return QStringLiteral("Passes");
    case FineTune:
        return QStringLiteral("Fine-tune (QAT)");
    case Build:
        return QStringLiteral("Build");
    case StageCount:
        break;
    }
    return {};
}

QString Pipeline::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return QStringLiteral("waiting");
    case State::Running:
        return QStringLiteral("running");
    case State::Done:
        return QStringLiteral("done");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Stopped:
        return QStringLiteral("stopped");
    case State::Skipped:
        return QStringLiteral("not run");
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
        parts << QStringLiteral("%1: %2 (%3, %4 s)")
                     .arg(stageName(Stage(s)),
                          st.result.isEmpty() ? stateName(st.state) : st.result,
                          stateName(st.state))
                     .arg(st.seconds, 0, 'f', 1);
    }
    return QStringLiteral("Pipeline: %1").arg(parts.join(QStringLiteral("; ")));
}

QString Pipeline::statusLine(Stage stage) const
{
    const StageStatus &st = m_status[std::size_t(stage)];
    QString line = QStringLiteral("%1: %2").arg(stageName(stage), stateName(st.state));
    if (st.state != State::Skipped && st.state != State::Pending)
        line += QStringLiteral(" in %1 s").arg(st.seconds, 0, 'f', 1);
    if (!st.result.isEmpty())
        line += QStringLiteral(": ") + st.result;
    return line;
}

QString Pipeline::failure() const
{
    for (int s = 0; s < StageCount; ++s)
        if (m_status[std::size_t(s)].state == State::Failed ||
            m_status[std::size_t(s)].state == State::Stopped)
            return statusLine(Stage(s));
    return m_writeError;
}

bool Pipeline::succeeded() const
{
    return !m_running && std::none_of(m_status.begin(), m_status.end(), [](const StageStatus &s) {
        return s.state == State::Failed || s.state == State::Stopped;
    });
}

std::shared_ptr<const OptimizeResult> Pipeline::optimized() const
{
    if (m_fineTuned)
        return std::shared_ptr<const OptimizeResult>(m_fineTuned, &m_fineTuned->result);
    return m_passes;
}

void Pipeline::check(Stage first, Stage last) const
{
    const auto runs = [&](Stage s) { return first <= s && s <= last; };
    if (first > last)
        throw Error(QStringLiteral("no stage to run"));
    if (m_graph.isEmpty())
        throw Error(QStringLiteral("the graph has no layers"));
    const bool trains = runs(Train) && m_settings.training != Training::Never;
    const bool tunes = runs(FineTune) && m_settings.fineTuneEpochs > 0;
    if (!m_data && (trains || runs(Rates) || tunes))
        throw Error(QStringLiteral("no data set: the rates and accuracy are measured on it"));
    if (m_data && (trains || runs(Rates) || runs(Passes) || tunes)) {
        if (m_data->train.features() != m_graph.inputSize())
            throw Error(QStringLiteral("the data set's samples have %1 features, the network "
                                       "takes %2 inputs")
                            .arg(m_data->train.features())
                            .arg(m_graph.inputSize()));
        sim::classifierLayer(m_graph); // one output layer that predicts
    }
    if (runs(Passes)) {
        checkPassNames(m_settings.passes);
        m_settings.optimize.validate();
    }
    if (m_settings.fineTuneEpochs < 0)
        throw Error(QStringLiteral("the fine-tune takes 0 or more epochs, not %1")
                        .arg(m_settings.fineTuneEpochs));
    if (trains || tunes)
        m_settings.train.validate();
    if (runs(Build) && m_settings.build) {
        hw::board(m_settings.hardware.board); // throws for an unknown board
        withDefaults(m_settings.hardware).quant.validate();
        hw::checkBaud(m_settings.hardware.baud);
        if (m_settings.hardwareFolder().isEmpty())
            throw Error(QStringLiteral("Build needs a folder for the hardware design"));
        if (m_settings.hardware.target.isSet() && !m_data)
            throw Error(QStringLiteral("the target %1 needs a data set: the latency is measured "
                                       "on its test samples")
                            .arg(m_settings.hardware.target.text()));
    }
}

void Pipeline::start()
{
    launch(Train, Build, true);
}

void Pipeline::startStages(Stage first, Stage last)
{
    launch(first, last, false);
}

void Pipeline::refuse(const QString &reason)
{
    Q_EMIT finished(false, QStringLiteral("Pipeline not started: %1").arg(reason));
}

void Pipeline::launch(Stage first, Stage last, bool chain)
{
    if (m_running) {
        refuse(QStringLiteral("a run is under way (stop it first)"));
        return;
    }
    m_chain = chain;
    if (chain && m_prepare)
        if (const QString why = m_prepare(); !why.isEmpty()) {
            refuse(why);
            return;
        }
    try {
        check(first, last);
    } catch (const Error &e) {
        refuse(e.message());
        return;
    }
    m_run = m_settings;
    m_runData = m_data;
    m_first = first;
    m_last = last;
    m_stopping = false;
    m_status = {};
    for (int s = 0; s < StageCount; ++s)
        if (s < first || s > last)
            m_status[std::size_t(s)] = {State::Skipped, 0.0, QStringLiteral("not in this run")};
    clearResults(first);
    m_running = true;
    m_stage = first;
    Q_EMIT runningChanged(true);
    runFrom(first);
}

void Pipeline::clearResults(Stage first)
{
    if (first <= Train)
        m_trained.reset();
    if (first <= Rates)
        m_measured.reset();
    if (first <= Passes) {
        m_passesInput.reset();
        m_passes.reset();
        m_passesOptions = {};
    }
    if (first <= FineTune)
        m_fineTuned.reset();
    m_built.reset();
}

QString Pipeline::skipReason(int stage) const
{
    switch (stage) {
    case Train:
        if (m_run.training == Training::Never)
            return QStringLiteral("not asked");
        if (m_run.training == Training::IfUntrained && !isUntrained(m_graph))
            return QStringLiteral("a trained graph (measured rates)");
        break;
    case FineTune:
        if (m_run.fineTuneEpochs <= 0)
            return QStringLiteral("not asked");
        break;
    case Build:
        if (!m_run.build)
            return QStringLiteral("not asked");
        break;
    default:
        break;
    }
    return {};
}

void Pipeline::runFrom(int first)
{
    for (int s = first; s <= m_last; ++s) {
        const QString skipped = skipReason(s);
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
    finish();
}

void Pipeline::begin(Stage stage)
{
    m_stage = stage;
    m_status[std::size_t(stage)].state = State::Running;
    m_clock.start();
    Q_EMIT stageChanged(stage);
}

void Pipeline::end(State state, const QString &result)
{
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
    for (int s = stage + 1; s <= m_last; ++s) {
        m_status[std::size_t(s)].state = State::Skipped;
        Q_EMIT stageChanged(s);
    }
    finish();
}

void Pipeline::finish()
{
    m_stage = -1;
    m_running = false;
    bool ok = succeeded();
    QString text = summary();
    m_writeError.clear();
    if (!m_run.outputDirectory.isEmpty()) {
        try {
            writeOutputs(m_run.outputDirectory);
        } catch (const Error &e) {
            ok = false;
            m_writeError = e.message();
            text += QStringLiteral("; %1").arg(m_writeError);
        }
    }
    Q_EMIT runningChanged(false);
    Q_EMIT finished(ok, text);
}

void Pipeline::stop()
{
    if (!m_running || m_stopping)
        return;
    if (m_stage == Train) {
        // The epochs completed so far still arrive; the run ends then.
        m_stopping = true;
        m_job->stop();
        m_status[Train].result = QStringLiteral("stopping after the running batch...");
        Q_EMIT progressed(Train);
        return;
    }
    m_job->cancel();
    end(State::Stopped, {});
}

void Pipeline::cancel()
{
    if (!m_running)
        return;
    m_job->cancel();
    m_status[std::size_t(m_stage)].state = State::Stopped;
    m_stage = -1;
    m_running = false;
    m_stopping = false;
    Q_EMIT runningChanged(false);
}

bool Pipeline::accept(Stage stage, const Graph &graph)
{
    if (m_graphHandler && !m_graphHandler(stage, graph))
        return false;
    m_graph = graph;
    return true;
}

void Pipeline::showTraining(const sim::TrainProgress &p)
{
    if (m_stopping)
        return;
    m_status[std::size_t(m_stage)].result = trainingText(p);
    Q_EMIT progressed(m_stage);
}

void Pipeline::runTrain()
{
    begin(Train);
    // The best epoch's graph (with its measured rates) goes on.
    m_job->runReporting<Trained, sim::TrainProgress>(
        [graph = m_graph, data = m_runData, settings = m_run.train](
            const RunControl &control, const JobRunner::Send<sim::TrainProgress> &send) {
            return trainGraph(graph, *data, settings, send, control);
        },
        [this](const sim::TrainProgress &p) { showTraining(p); },
        [this](Trained trained) {
            if (trained.state.epoch == 0) {
                end(State::Stopped, QStringLiteral("stopped before the first epoch completed; "
                                                   "the graph is unchanged"));
                return;
            }
            const bool stopped = trained.stopped || m_stopping;
            const QString text = trainedText(trained.state);
            m_trained = std::move(trained);
            if (!accept(Train, m_trained->state.best)) {
                end(State::Failed, QStringLiteral("the trained graph was refused"));
                return;
            }
            end(stopped ? State::Stopped : State::Done, text);
        },
        [this](const QString &error) { end(State::Failed, error); });
}

void Pipeline::runRates()
{
    begin(Rates);
    m_job->run<Measured>(
        [graph = m_graph, data = m_runData](const RunControl &control) {
            return measureRates(graph, *data, control);
        },
        [this](Measured measured) {
            const QString text = measuredText(measured.activity);
            m_measured = std::move(measured);
            if (!accept(Rates, m_measured->graph)) {
                end(State::Failed, QStringLiteral("the measured graph was refused"));
                return;
            }
            end(State::Done, text);
        },
        [this](const QString &error) { end(State::Failed, error); });
}

namespace {

// The passes' options for `graph`: the thresholds of `settings`, accuracy on the data's
// accuracySet, the passes kept exact on the FPGA core at the weight bits settled for the board,
// its accuracy and hardware figures measured there (lanes as set: automatic ones chosen for each
// graph).
OptimizeOptions passOptions(const Graph &graph, const sim::DataSplit *data,
                            const PipelineSettings &settings)
{
    OptimizeOptions o = settings.optimize;
    o.validation = data ? accuracySet(*data) : nullptr;
    // The weight bits are Auto's with or without a target (chooseForTarget keeps them).
    hw::ExportOptions bits = settings.hardware;
    bits.target = {};
    o.hardware = settledOrDefault(graph, bits).quant;
    o.deployment = settings.hardware;
    if (!o.validation)
        o.deployment.target = {}; // no figures measured: nothing to aim at
    o.exactBits = {o.hardware.weightBits};
    o.hardwareBits.clear();
    if (o.validation)
        o.hardwareBits = {o.hardware.weightBits};
    return o;
}

struct PassesRun {
    std::shared_ptr<const OptimizeResult> result;
    OptimizeOptions options;
};

} // namespace

void Pipeline::runPasses()
{
    begin(Passes);
    auto input = std::make_shared<const Graph>(m_graph);
    m_job->run<PassesRun>(
        [input, data = m_runData, settings = m_run,
         optimizer = m_optimizer](const RunControl &control) {
            const OptimizeOptions options = passOptions(*input, data.get(), settings);
            return PassesRun{std::make_shared<const OptimizeResult>(
                                 optimizer(*input, settings.passes, options, control)),
                             options};
        },
        [this, input](PassesRun run) {
            m_passesInput = input;
            m_passes = run.result;
            m_passesOptions = run.options;
            m_graph = run.result->graph;
            end(State::Done, passesText(run.result->report));
        },
        [this](const QString &error) { end(State::Failed, error); });
}

void Pipeline::runFineTune()
{
    begin(FineTune);
    if (!m_passes) {
        end(State::Failed, QStringLiteral("the passes left no result to fine-tune"));
        return;
    }
    // The passes' graph trained through the FPGA core's arithmetic at the weight bits the passes
    // measured the core at; the result replaces theirs as optimized(), measured again.
    m_job->runReporting<std::shared_ptr<const FineTuned>, sim::TrainProgress>(
        [input = m_passesInput, passes = m_passes, options = m_passesOptions, data = m_runData,
         settings = m_run.train, epochs = m_run.fineTuneEpochs](
            const RunControl &control, const JobRunner::Send<sim::TrainProgress> &send) {
            return std::make_shared<const FineTuned>(fineTune(*input, *passes, settings,
                                                              options.hardware.weightBits, epochs,
                                                              *data, options, send, control));
        },
        [this](const sim::TrainProgress &p) { showTraining(p); },
        [this](std::shared_ptr<const FineTuned> tuned) {
            m_fineTuned = tuned;
            m_graph = tuned->result.graph;
            end(State::Done, fineTunedText(*tuned, m_passes->report));
        },
        [this](const QString &error) { end(State::Failed, error); });
}

void Pipeline::runBuild()
{
    begin(Build);
    hw::ExportOptions options = m_run.hardware;
    options.testSamples = m_run.verifySamples;
    const QString dir = m_run.hardwareFolder();
    // A target's latency: measured on the run's data (check() asked for some).
    const std::shared_ptr<const RowMatrixXf> samples =
        options.target.isSet() && m_runData ? targetSamples(*m_runData) : nullptr;
    m_job->runReporting<Built, BuildEvent>(
        [graph = m_graph, options, dir, samples](const RunControl &control,
                                                 const JobRunner::Send<BuildEvent> &send) {
            return build(graph, options, dir, send, control, targetCycles(samples.get(), control));
        },
        [this](const BuildEvent &event) {
            if (event.step >= 0)
                Q_EMIT buildStepStarted(event.step);
            if (!event.log.isEmpty())
                Q_EMIT buildLog(event.log);
            if (event.synthesis)
                Q_EMIT synthesised(*event.synthesis);
        },
        [this](Built built) {
            const bool passed = built.passed();
            const QString summary = built.summary;
            m_built = std::move(built);
            end(passed ? State::Done : State::Failed, summary);
        },
        [this](const QString &error) { end(State::Failed, error); });
}

namespace {

const char *stageKey(int stage)
{
    static const char *keys[] = {"train", "rates", "passes", "finetune", "build"};
    return keys[stage];
}

const char *stateKey(Pipeline::State state)
{
    static const char *keys[] = {"pending", "running", "done", "failed", "stopped", "skipped"};
    return keys[int(state)];
}

QJsonObject hardwareJson(const Built &b)
{
    const Exported &e = b.synthesis.exported;
    return {
        {QStringLiteral("directory"), b.directory},
        {QStringLiteral("bitstream"), b.bitstream()},
        {QStringLiteral("board"), e.options.board},
        {QStringLiteral("weight_bits"), e.options.quant.weightBits},
        {QStringLiteral("lanes"), e.options.lanes},
        {QStringLiteral("weight_memory"),
         e.spram ? QStringLiteral("spram") : QStringLiteral("ebr")},
        {QStringLiteral("configuration"), e.reason.isEmpty() ? QStringLiteral("as set") : e.reason},
        {QStringLiteral("flow"), b.synthesis.report.toJson()},
        {QStringLiteral("rtl_verify"),
         QJsonObject{{QStringLiteral("passed"), b.passed()},
                     {QStringLiteral("samples"), b.verification.samples},
                     {QStringLiteral("mismatches"), b.verification.mismatches}}}};
}

} // namespace

QJsonObject Pipeline::reportJson() const
{
    QJsonArray stages;
    for (int s = 0; s < StageCount; ++s) {
        const StageStatus &st = m_status[std::size_t(s)];
        stages.append(QJsonObject{{QStringLiteral("stage"), QLatin1String(stageKey(s))},
                                  {QStringLiteral("name"), stageName(Stage(s))},
                                  {QStringLiteral("state"), QLatin1String(stateKey(st.state))},
                                  {QStringLiteral("seconds"), st.seconds},
                                  {QStringLiteral("result"), st.result}});
    }
    QJsonObject o{{QStringLiteral("ok"), succeeded()},
                  {QStringLiteral("summary"), summary()},
                  {QStringLiteral("stages"), stages}};
    if (m_trained)
        o.insert(QStringLiteral("training"),
                 QJsonObject{{QStringLiteral("epochs"), m_trained->state.epoch},
                             {QStringLiteral("best_epoch"), m_trained->state.bestEpoch},
                             {QStringLiteral("stopped"), m_trained->stopped}});
    if (m_measured)
        o.insert(QStringLiteral("rates"),
                 QJsonObject{{QStringLiteral("samples"), m_measured->activity.samples},
                             {QStringLiteral("accuracy"), m_measured->activity.accuracy}});
    if (const auto result = optimized())
        o.insert(QStringLiteral("optimization"), result->report.toJson());
    if (m_built)
        o.insert(QStringLiteral("hardware"), hardwareJson(*m_built));
    return o;
}

void Pipeline::writeOutputs(const QString &dir) const
{
    makeFolder(dir);
    std::vector<FileContents> files;
    if (const auto result = optimized())
        files.push_back(
            {QDir(dir).filePath(QStringLiteral("optimized.h5")), graphFileBytes(result->graph)});
    files.push_back(
        {QDir(dir).filePath(QStringLiteral("report.json")), QJsonDocument(reportJson()).toJson()});
    writeAtomically(files);
}

bool runToEnd(Pipeline &pipeline, const RunControl &control, QString *summary)
{
    QEventLoop loop;
    bool done = false;
    bool ok = false;
    int ended = 0;
    QObject guard; // the connections end with this call
    QObject::connect(&pipeline, &Pipeline::stageChanged, &guard, [&](int stage) {
        const Pipeline::State state = pipeline.status(Pipeline::Stage(stage)).state;
        if (state == Pipeline::State::Running || state == Pipeline::State::Pending)
            return;
        ++ended;
        control.report(double(ended) / double(int(Pipeline::StageCount)),
                       pipeline.statusLine(Pipeline::Stage(stage)));
        // A stop asked for by the report itself ends the stage that comes next.
        if (control.cancelRequested && control.cancelRequested())
            QMetaObject::invokeMethod(&pipeline, &Pipeline::stop, Qt::QueuedConnection);
    });
    QObject::connect(&pipeline, &Pipeline::finished, &guard,
                     [&](bool finishedOk, const QString &text) {
                         done = true;
                         ok = finishedOk;
                         if (summary)
                             *summary = text;
                         loop.quit();
                     });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &guard, [&] {
        if (control.cancelRequested && control.cancelRequested())
            pipeline.stop();
    });
    poll.start(100);
    pipeline.start();
    if (!done)
        loop.exec();
    return ok;
}

} // namespace snn::flow
