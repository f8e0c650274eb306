#pragma once

// The FPGA tab's row of step indicators (flow::BuildStep: Export, yosys, nextpnr, icepack,
// icetime, Verify): one label per step with its state and elapsed time, the running one in bold
// and refreshed every half second, a finished or failed one a link to its part of the log.

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QTimer;

namespace snn::widgets {

class BuildSteps : public QWidget {
    Q_OBJECT
public:
    enum class State { Pending, Running, Done, Failed, Stopped };

    explicit BuildSteps(QWidget *parent = nullptr);

    // All steps pending, only first..last shown.
    void reset(int first, int last);
    // `step` runs (the one running before it is done).
    void begin(int step);
    // The running step ends in `state`; nothing when none runs.
    void end(State state);
    int running() const { return m_step; } // -1 when none
    // A step's text: its name, and its time once it ran ("yosys 4.2 s"), prefixed by "failed: "
    // or "stopped: ".
    QString text(int step) const;

Q_SIGNALS:
    void logRequested(int step); // a step that ran was clicked

private:
    void show(int step);

    QList<QLabel *> m_labels;
    QList<State> m_state;
    QList<double> m_seconds;
    int m_step = -1;
    QElapsedTimer m_clock;
    QTimer *m_tick;
};

} // namespace snn::widgets
