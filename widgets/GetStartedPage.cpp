#include "GetStartedPage.h"

#include "Document.h"
#include "HelpMenu.h"
#include "MainWindow.h"
#include "RunMenu.h"
#include "flow/Pipeline.h"

#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace snn::widgets {

namespace {

QLabel *wrapped(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

GetStartedPage::GetStartedPage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("getStarted"));
    struct Entry {
        QString button;
        QString sentence;
    };
    const Entry entries[StepCount] = {
        {tr("Open the example"),
         tr("A synthetic 784-256-64-10 spiking network with random weights and firing rates: a "
            "network to try the editor on (nothing in it is measured).")},
        {tr("Open the trained model"),
         tr("The Fashion-MNIST network shipped with the studio, trained, its firing rates "
            "measured: what the passes, the comparison and the FPGA build are meant for.")},
        {tr("Attach Fashion-MNIST"),
         tr("The 70,000 clothing images of the Debian package dataset-fashion-mnist: training "
            "learns on them, firing rates and accuracy are measured on them.")},
        {tr("Run the pipeline"),
         tr("With the model and the data: firing rates, the optimisation passes with accuracy "
            "before and after, and the FPGA bitstream, stage by stage in Deploy (Ctrl+R).")}};

    auto *content = new QWidget(this);
    content->setMaximumWidth(760);
    auto *heading = new QLabel(tr("Get started"), content);
    QFont big = heading->font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    big.setBold(true);
    heading->setFont(big);
    auto *intro = wrapped(tr("SNN Studio takes a trained spiking neural network, shows it, "
                             "removes what it does not need and puts it on an iCE40 FPGA. Four "
                             "steps from nothing to a bitstream:"),
                          content);
    auto *steps = new QGridLayout;
    steps->setHorizontalSpacing(16);
    steps->setVerticalSpacing(4);
    for (int s = 0; s < StepCount; ++s) {
        m_buttons[s] =
            new QPushButton(QStringLiteral("%1. %2").arg(s + 1).arg(entries[s].button), content);
        m_buttons[s]->setObjectName(QStringLiteral("step%1").arg(s + 1));
        m_buttons[s]->setMinimumHeight(m_buttons[s]->sizeHint().height() * 3 / 2);
        m_buttons[s]->setStyleSheet(QStringLiteral("text-align: left; padding: 0 12px;"));
        m_states[s] = wrapped(QString(), content);
        m_states[s]->setStyleSheet(QStringLiteral("color: #2f6a2f;"));
        m_states[s]->hide();
        steps->addWidget(m_buttons[s], 2 * s, 0, Qt::AlignTop);
        steps->addWidget(wrapped(entries[s].sentence, content), 2 * s, 1);
        steps->addWidget(m_states[s], 2 * s + 1, 1);
        steps->setRowMinimumHeight(2 * s + 1, 8);
        connect(m_buttons[s], &QPushButton::clicked, this,
                [this, s] { Q_EMIT stepRequested(Step(s)); });
    }
    steps->setColumnStretch(1, 1);
    auto *workspaces =
        new QLabel(tr("Then one workspace per task, on the bar at the top:"), content);
    auto *list = wrapped(tr("Graph (Ctrl+1): the layers on a canvas, their properties, undo.\n"
                            "Optimise (Ctrl+2): the passes, before against after, firing rates, "
                            "spikes, sweeps; F5 runs the passes.\n"
                            "Train (Ctrl+3): training with live curves, runs compared; Ctrl+T.\n"
                            "Deploy (Ctrl+4): the FPGA settings, the pipeline's stages, Build "
                            "(Ctrl+B), the log."),
                         content);
    auto *guide = new QPushButton(tr("Open the user guide"), content);
    guide->setObjectName(QStringLiteral("userGuide"));
    connect(guide, &QPushButton::clicked, this, &GetStartedPage::userGuideRequested);

    auto *column = new QVBoxLayout(content);
    column->setContentsMargins(32, 24, 32, 24);
    column->setSpacing(12);
    column->addWidget(heading);
    column->addWidget(intro);
    column->addLayout(steps);
    column->addSpacing(8);
    column->addWidget(workspaces);
    column->addWidget(list);
    column->addWidget(guide, 0, Qt::AlignLeft);
    column->addStretch(1);

    // Scrolls rather than cuts on a small screen or at a large scale.
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
}

void GetStartedPage::follow(MainWindow *window)
{
    connect(this, &GetStartedPage::stepRequested, window, [window](Step step) {
        switch (step) {
        case OpenExample:
            window->openSyntheticExample();
            break;
        case OpenTrainedModel:
            window->openShippedExample();
            break;
        case AttachFashionMnist:
            window->attachData(QStringLiteral("fashion-mnist"));
            break;
        case RunPipeline:
            window->runMenu()->pipelineAction()->trigger();
            break;
        case StepCount:
            break;
        }
    });
    connect(this, &GetStartedPage::userGuideRequested, window, [window] {
        if (auto *help = window->findChild<HelpMenu *>())
            help->showUserGuide();
    });
    // Where each step stands.
    Document *document = window->document();
    connect(document, &Document::filePathChanged, this, [this, document] {
        const QString name = document->displayName();
        setStepState(OpenExample, name == MainWindow::kSyntheticName ? tr("Open now.") : QString());
        setStepState(OpenTrainedModel,
                     name == MainWindow::kShippedModelName ? tr("Open now.") : QString());
    });
    connect(window, &MainWindow::dataAttached, this, [this](const QString &spec) {
        setStepState(AttachFashionMnist, tr("Attached now: %1.").arg(spec));
    });
    flow::Pipeline *pipeline = window->pipeline();
    connect(pipeline, &flow::Pipeline::finished, this,
            [this, pipeline](bool ok, const QString &summary) {
                if (!pipeline->isChain())
                    return;
                const QString failure = pipeline->failure(); // empty for a refusal
                setStepState(RunPipeline,
                             ok ? tr("Done: see Deploy; Apply and save as... there keeps the "
                                     "optimised network.")
                             : failure.isEmpty() ? summary
                                                 : failure);
            });
}

void GetStartedPage::setStepState(Step step, const QString &text)
{
    m_states[step]->setText(text);
    m_states[step]->setVisible(!text.isEmpty());
}

QString GetStartedPage::stepState(Step step) const
{
    return m_states[step]->text();
}

} // namespace snn::widgets
