#include "BuildSteps.h"

#include "flow/Hardware.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>

namespace snn::widgets {

BuildSteps::BuildSteps(QWidget *parent)
    : QWidget(parent)
    , m_tick(new QTimer(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < flow::StepCount; ++i) {
        auto *label = new QLabel(this);
        label->setFrameShape(QFrame::StyledPanel);
        label->setAlignment(Qt::AlignCenter);
        label->setTextFormat(Qt::RichText);
        label->setToolTip(tr("Click a step that ran to see its log"));
        connect(label, &QLabel::linkActivated, this, [this, i] { Q_EMIT logRequested(i); });
        m_labels << label;
        m_state << State::Pending;
        m_seconds << 0.0;
        layout->addWidget(label);
    }
    m_tick->setInterval(500);
    connect(m_tick, &QTimer::timeout, this, [this] {
        if (m_step >= 0)
            show(m_step);
    });
    reset(0, flow::StepCount - 1);
}

void BuildSteps::reset(int first, int last)
{
    m_step = -1;
    m_tick->stop();
    for (int i = 0; i < flow::StepCount; ++i) {
        m_state[i] = State::Pending;
        m_seconds[i] = 0.0;
        show(i);
        m_labels[i]->setVisible(i >= first && i <= last);
    }
}

void BuildSteps::begin(int step)
{
    if (m_step >= 0)
        end(State::Done);
    m_step = step;
    m_state[step] = State::Running;
    m_clock.start();
    m_tick->start();
    show(step);
}

void BuildSteps::end(State state)
{
    if (m_step < 0)
        return;
    m_state[m_step] = state;
    m_seconds[m_step] = m_clock.elapsed() / 1000.0;
    show(m_step);
    m_step = -1;
    m_tick->stop();
}

QString BuildSteps::text(int step) const
{
    const QString name = step == flow::StepExport   ? tr("Export")
                         : step == flow::StepVerify ? tr("Verify")
                                                    : flow::buildStepName(step);
    const double seconds =
        m_state[step] == State::Running ? m_clock.elapsed() / 1000.0 : m_seconds[step];
    const QString timed = QStringLiteral("%1 %2 s").arg(name).arg(seconds, 0, 'f', 1);
    switch (m_state[step]) {
    case State::Pending:
        return name;
    case State::Running:
    case State::Done:
        return timed;
    case State::Failed:
        return tr("failed: %1").arg(timed);
    case State::Stopped:
        return tr("stopped: %1").arg(timed);
    }
    return name;
}

void BuildSteps::show(int step)
{
    QLabel *label = m_labels[step];
    const QString text = this->text(step).toHtmlEscaped();
    switch (m_state[step]) {
    case State::Pending:
        label->setText(text);
        break;
    case State::Running:
        label->setText(QStringLiteral("<b>%1</b>").arg(text));
        break;
    case State::Done:
    case State::Stopped:
        label->setText(QStringLiteral("<a href=\"log\">%1</a>").arg(text));
        break;
    case State::Failed:
        label->setText(
            QStringLiteral("<a href=\"log\"><span style=\"color:#c00000\">&#x2717; %1</span></a>")
                .arg(text));
        break;
    }
    label->setEnabled(m_state[step] != State::Pending || m_step < 0);
}

} // namespace snn::widgets
