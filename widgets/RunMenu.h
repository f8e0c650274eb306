#pragma once

#include <QMenu>

namespace snn::widgets {

class MainWindow;

// Run: Run passes (F5), Pipeline (Ctrl+R), Build (Ctrl+B), Train (Ctrl+T) and Stop (Esc). Each
// shows the workspace where its work is seen (Optimise, Deploy, Deploy, Train), then starts it
// through the panel that owns it; Stop stops what runs (the pipeline's run: passes, chain or
// Build; a training; the FPGA tab's synthesis, verify or flash) and is enabled only while
// something runs, so that Esc means nothing else then and is the widgets' otherwise.
class RunMenu : public QMenu {
    Q_OBJECT
public:
    explicit RunMenu(MainWindow *window);

    QAction *passesAction() const { return m_passes; }
    QAction *pipelineAction() const { return m_pipeline; }
    QAction *buildAction() const { return m_build; }
    QAction *trainAction() const { return m_train; }
    QAction *stopAction() const { return m_stop; }
    bool isRunning() const; // what Stop stops runs

Q_SIGNALS:
    void runningChanged(bool running);

private:
    void stop();

    MainWindow *m_window;
    QAction *m_passes;
    QAction *m_pipeline;
    QAction *m_build;
    QAction *m_train;
    QAction *m_stop;
    bool m_running = false; // isRunning() as runningChanged() last said
};

} // namespace snn::widgets
