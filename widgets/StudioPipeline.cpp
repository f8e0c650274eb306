#include "StudioPipeline.h"

#include "Document.h"
#include "FpgaPanel.h"
#include "TrainingMonitor.h"
#include "base/Error.h"
#include "flow/Pipeline.h"

namespace snn::widgets {

StudioPipeline::StudioPipeline(flow::Pipeline *pipeline, Document *document,
                               TrainingMonitor *training, FpgaPanel *fpga, QObject *parent)
    : QObject(parent)
    , m_pipeline(pipeline)
    , m_document(document)
    , m_training(training)
    , m_fpga(fpga)
{
    m_pipeline->setPreparation([this] { return prepare(); });
    m_pipeline->setGraphHandler([this](flow::Pipeline::Stage stage, const Graph &graph) {
        const QString text = stage == flow::Pipeline::Train
                                 ? TrainingMonitor::undoText(m_pipeline->trained()->state.epoch)
                                 : tr("Measure firing rates");
        return m_document->applyGraph(graph, text, this);
    });
    connect(m_pipeline, &flow::Pipeline::runningChanged, this, [this](bool running) {
        if (running && m_pipeline->isChain()) {
            m_document->setEditLock(tr("the Pipeline works on the graph; edit it when the chain "
                                       "ends (Stop in the Pipeline dock ends it)"),
                                    this);
            m_locked = true;
        } else if (!running && std::exchange(m_locked, false)) {
            m_document->setEditLock({});
        }
    });
}

QString StudioPipeline::prepare()
{
    if (m_document->graph().isEmpty())
        return tr("the graph has no layers");
    if (!m_pipeline->data())
        return tr("attach a data set first (Data menu): the rates and accuracy are measured on "
                  "it");
    if (m_document->isEditLocked())
        return m_document->editLock();
    if (m_fpga->isBusy() || m_training->isRunning())
        return tr("wait for the running optimisation, training or FPGA job to end");
    flow::PipelineSettings settings = m_pipeline->settings();
    try {
        settings.train = m_training->settingsFromForm();
    } catch (const Error &e) {
        return tr("Train's settings: %1").arg(e.message());
    }
    m_pipeline->setSettings(settings);
    m_pipeline->setGraph(m_document->graph());
    return {};
}

} // namespace snn::widgets
