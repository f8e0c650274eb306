#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace snn::widgets {

class MainWindow;

// The studio's first page (Qt Creator's Welcome mode): "Get started" with the four first steps,
// each a button with one sentence saying what it does and a line saying where it stands (what
// is open, which data set is attached), then the workspaces and their shortcuts and the user's
// guide. The buttons ask (stepRequested); follow() has a window do the steps.
class GetStartedPage : public QWidget {
    Q_OBJECT
public:
    enum Step { OpenExample, OpenTrainedModel, AttachFashionMnist, RunPipeline, StepCount };

    explicit GetStartedPage(QWidget *parent = nullptr);

    // Does the steps in `window` (the examples, Fashion-MNIST, Run > Pipeline, Help > User guide)
    // and says where each stands: what is open, which data set is attached, how the last
    // pipeline ended.
    void follow(MainWindow *window);
    // The line under a step's sentence (empty: none).
    void setStepState(Step step, const QString &text);
    QString stepState(Step step) const;
    QPushButton *button(Step step) const { return m_buttons[step]; }

Q_SIGNALS:
    void stepRequested(snn::widgets::GetStartedPage::Step step);
    void userGuideRequested();

private:
    QPushButton *m_buttons[StepCount];
    QLabel *m_states[StepCount];
};

} // namespace snn::widgets
