#include "PipelinePanel.h"

#include "flow/Pipeline.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace snn::widgets {

PipelinePanel::PipelinePanel(flow::Pipeline *pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline)
    , m_table(new QTableWidget(flow::Pipeline::StageCount, 4, this))
    , m_run(new QPushButton(tr("Run pipeline"), this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_apply(new QPushButton(tr("Apply and save as..."), this))
    , m_summary(new QLabel(this))
    , m_training(new QComboBox(this))
    , m_fineTune(new QSpinBox(this))
{
    m_run->setToolTip(tr("Train (when asked), measure firing rates on the validation split, run "
                         "the checked passes with accuracy, fine-tune for the FPGA core (when "
                         "asked) and build the bitstream"));
    m_training->setObjectName(QStringLiteral("pipelineTraining"));
    m_training->addItem(tr("Train if untrained"), int(flow::Training::IfUntrained));
    m_training->addItem(tr("Always train"), int(flow::Training::Always));
    m_training->addItem(tr("Never train"), int(flow::Training::Never));
    m_training->setToolTip(tr("Train first with Train's settings; untrained: no layer "
                              "has measured firing rates (a new network, the synthetic example)"));
    m_fineTune->setObjectName(QStringLiteral("pipelineFineTune"));
    m_fineTune->setRange(0, 1000);
    m_fineTune->setPrefix(tr("Fine-tune for the FPGA: "));
    m_fineTune->setSuffix(tr(" epochs"));
    m_fineTune->setSpecialValueText(tr("No fine-tuning for the FPGA"));
    m_fineTune->setToolTip(tr("After the passes: train their result through the FPGA core's "
                              "arithmetic at Deploy's weight bits (QAT) for this many "
                              "epochs; the comparison and Build then take the fine-tuned graph "
                              "(Apply puts it in the document)"));
    m_training->setCurrentIndex(m_training->findData(int(m_pipeline->settings().training)));
    m_fineTune->setValue(m_pipeline->settings().fineTuneEpochs);
    connect(m_training, &QComboBox::currentIndexChanged, this, &PipelinePanel::settingsChanged);
    connect(m_fineTune, &QSpinBox::valueChanged, this, &PipelinePanel::settingsChanged);
    m_table->setHorizontalHeaderLabels({tr("Stage"), tr("State"), tr("Time"), tr("Result")});
    m_table->verticalHeader()->hide();
    // Compact rows: every stage in view in a dock a third of a 700 px screen high.
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (int s = 0; s < flow::Pipeline::StageCount; ++s) {
        for (int c = 0; c < 4; ++c)
            m_table->setItem(s, c, new QTableWidgetItem);
        showStage(s);
    }
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_apply->setObjectName(QStringLiteral("applyAndSave"));
    m_apply->setToolTip(tr("Put the optimised network the comparison shows into the document "
                           "(one undo step) and save it under a name of your choice"));
    m_apply->setEnabled(false);
    // Two short rows, so that the panel fits a narrow dock: Run, Stop and Apply and save as...
    // (in view however long the summary under the stages grows), then the choices.
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);
    buttons->addWidget(m_apply);
    auto *choices = new QHBoxLayout;
    choices->addWidget(m_training);
    choices->addWidget(m_fineTune);
    choices->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addLayout(choices);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);

    connect(m_run, &QPushButton::clicked, m_pipeline, &flow::Pipeline::start);
    connect(m_stop, &QPushButton::clicked, m_pipeline, &flow::Pipeline::stop);
    connect(m_apply, &QPushButton::clicked, this, &PipelinePanel::applyAndSaveRequested);
    connect(m_pipeline, &flow::Pipeline::stageChanged, this, &PipelinePanel::showStage);
    connect(m_pipeline, &flow::Pipeline::progressed, this, &PipelinePanel::showStage);
    connect(m_pipeline, &flow::Pipeline::runningChanged, this, [this](bool running) {
        for (int s = 0; s < flow::Pipeline::StageCount; ++s)
            showStage(s); // a new run resets every stage
        if (running)
            m_summary->clear();
        m_run->setEnabled(!running);
        m_stop->setEnabled(running);
    });
    connect(m_pipeline, &flow::Pipeline::finished, this,
            [this](bool, const QString &summary) { m_summary->setText(summary); });
    // The running stage's time, every half second.
    auto *tick = new QTimer(this);
    tick->setInterval(500);
    connect(tick, &QTimer::timeout, this, [this] {
        if (m_pipeline->runningStage() >= 0)
            showStage(m_pipeline->runningStage());
    });
    tick->start();
    m_stop->setEnabled(false);
}

void PipelinePanel::settingsChanged()
{
    flow::PipelineSettings s = m_pipeline->settings();
    s.training = flow::Training(m_training->currentData().toInt());
    s.fineTuneEpochs = m_fineTune->value();
    m_pipeline->setSettings(s);
}

void PipelinePanel::setApplicable(bool applicable)
{
    m_apply->setEnabled(applicable);
}

QString PipelinePanel::text(int row, int column) const
{
    return m_table->item(row, column)->text();
}

void PipelinePanel::showStage(int stage)
{
    using Pipeline = flow::Pipeline;
    const Pipeline::StageStatus &st = m_pipeline->status(Pipeline::Stage(stage));
    m_table->item(stage, 0)->setText(Pipeline::stageName(Pipeline::Stage(stage)));
    m_table->item(stage, 1)->setText(Pipeline::stateName(st.state));
    m_table->item(stage, 2)->setText(
        st.state == Pipeline::State::Pending || st.state == Pipeline::State::Skipped
            ? QString()
            : QStringLiteral("%1 s").arg(
                  st.state == Pipeline::State::Running ? m_pipeline->runningSeconds() : st.seconds,
                  0, 'f', 1));
    m_table->item(stage, 3)->setText(st.result);
    m_table->item(stage, 3)->setToolTip(st.result);
}

} // namespace snn::widgets
