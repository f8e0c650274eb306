#include "Pipeline.h"

#include "Document.h"
#include "FpgaPanel.h"
#include "JobRunner.h"
#include "OptimizationPanel.h"
#include "sim/SpikeMonitor.h"

namespace snn::widgets {

Pipeline::Pipeline(Document *document, OptimizationPanel *optimization, FpgaPanel *fpga,
                   QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_optimization(optimization)
    , m_fpga(fpga)
    , m_job(new JobRunner(this))
{}

Pipeline::~Pipeline() = default;

QString Pipeline::stageName(Stage stage)
{
    switch (stage) {
    case Rates:
        return tr("Firing rates");
    case Passes:
        return tr("Passes");
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
    else if (m_optimization->isRunning() || m_fpga->isBusy())
        refusal = tr("wait for the running optimisation or FPGA job to end");
    if (!refusal.isEmpty()) {
        Q_EMIT finished(false, tr("Pipeline not started: %1").arg(refusal));
        return;
    }
    runRates();
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
    disconnect(m_wait);
    const int stage = m_stage;
    StageStatus &st = m_status[std::size_t(stage)];
    st.state = state;
    st.seconds = m_clock.elapsed() / 1000.0;
    st.result = result;
    Q_EMIT stageChanged(stage);
    if (state == State::Done && stage + 1 < StageCount) {
        switch (stage + 1) {
        case Passes:
            runPasses();
            return;
        case Build:
            runBuild();
            return;
        }
    }
    for (int s = stage + 1; s < StageCount; ++s) {
        m_status[std::size_t(s)].state = State::Skipped;
        Q_EMIT stageChanged(s);
    }
    m_stage = -1;
    Q_EMIT finished(state == State::Done, summary());
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
            m_document->applyGraph(measured.first, tr("Measure firing rates"));
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
    m_wait = connect(m_optimization, &OptimizationPanel::runFinished, this,
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
                     });
    m_optimization->run();
}

void Pipeline::runBuild()
{
    begin(Build);
    if (m_fpga->isBusy()) {
        end(State::Failed, tr("the FPGA tab is busy"));
        return;
    }
    m_wait = connect(m_fpga, &FpgaPanel::buildFinished, this,
                     [this](bool built, const QString &summary) {
                         end(built ? State::Done : State::Failed, summary);
                     });
    m_fpga->build(true);
}

void Pipeline::stop()
{
    if (!isRunning())
        return;
    disconnect(m_wait);
    switch (m_stage) {
    case Rates:
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
