#include "RunMenu.h"

#include "FpgaPanel.h"
#include "MainWindow.h"
#include "OptimizationPanel.h"
#include "TrainingMonitor.h"
#include "flow/Pipeline.h"

namespace snn::widgets {

RunMenu::RunMenu(MainWindow *window)
    : QMenu(tr("&Run"), window)
    , m_window(window)
{
    using Mode = MainWindow::Mode;
    const auto add = [this](const QString &name, const QString &text, const QKeySequence &keys,
                            const QString &toolTip, Mode mode, auto start) {
        QAction *action = addAction(text, keys, this, [this, mode, start] {
            m_window->activateMode(mode);
            start();
        });
        action->setObjectName(name);
        action->setToolTip(toolTip);
        return action;
    };
    m_passes = add(QStringLiteral("runPasses"), tr("Run &passes"), QKeySequence(Qt::Key_F5),
                   tr("Run the checked passes on the graph and compare (Optimise)"), Mode::Optimise,
                   [window] { window->optimization()->run(); });
    m_pipeline = add(
        QStringLiteral("runPipeline"), tr("&Pipeline"), QKeySequence(Qt::CTRL | Qt::Key_R),
        tr("With the attached data: train an untrained graph, measure firing rates on the "
           "validation split, run the checked passes with accuracy, fine-tune for the FPGA when "
           "asked, and build the bitstream (Deploy)"),
        Mode::Deploy, [window] { window->pipeline()->start(); });
    m_build = add(QStringLiteral("runBuild"), tr("&Build"), QKeySequence(Qt::CTRL | Qt::Key_B),
                  tr("Export, synthesise and verify the graph into the project folder: a kept "
                     "bitstream (Deploy)"),
                  Mode::Deploy, [window] { window->fpga()->build(); });
    m_train = add(QStringLiteral("runTrain"), tr("&Train"), QKeySequence(Qt::CTRL | Qt::Key_T),
                  tr("Train the graph on the attached data (Train)"), Mode::Train,
                  [window] { window->training()->start(); });
    addSeparator();
    m_stop = addAction(tr("&Stop"), QKeySequence(Qt::Key_Escape), this, &RunMenu::stop);
    m_stop->setObjectName(QStringLiteral("runStop"));
    m_stop->setToolTip(tr("Stop the pipeline, the passes, a build or a training"));
    m_stop->setEnabled(false);
    const auto update = [this] {
        if (isRunning() == m_running)
            return;
        m_running = !m_running;
        m_stop->setEnabled(m_running);
        Q_EMIT runningChanged(m_running);
    };
    connect(window->pipeline(), &flow::Pipeline::runningChanged, this, update);
    connect(window->training(), &TrainingMonitor::runningChanged, this, update);
    connect(window->fpga(), &FpgaPanel::busyChanged, this, update);
}

bool RunMenu::isRunning() const
{
    return m_window->pipeline()->isRunning() || m_window->training()->isRunning() ||
           m_window->fpga()->isBusy();
}

void RunMenu::stop()
{
    if (m_window->pipeline()->isRunning())
        m_window->pipeline()->stop();
    if (m_window->training()->isRunning())
        m_window->training()->stop();
    if (m_window->fpga()->isBusy())
        m_window->fpga()->stop();
}

} // namespace snn::widgets
