#pragma once

// A view of a flow::Pipeline: its stages as a table (stage, state, time, result) with Run (the
// chain) and Stop, whether it trains first and how many epochs it fine-tunes for the FPGA core
// (put into the pipeline's settings as they change), and, once a run has an optimised network,
// Apply and save as... (the window applies it and asks where to save it).

#include <QWidget>

class QComboBox;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QLabel;

namespace snn::flow {
class Pipeline;
}

namespace snn::widgets {

class PipelinePanel : public QWidget {
    Q_OBJECT
public:
    explicit PipelinePanel(flow::Pipeline *pipeline, QWidget *parent = nullptr);

    // A cell's text: row = flow::Pipeline::Stage, column 0 stage, 1 state, 2 time, 3 result.
    QString text(int row, int column) const;
    // Whether there is an optimised network to apply (Apply and save as... enabled).
    void setApplicable(bool applicable);
    QPushButton *applyButton() const { return m_apply; }

Q_SIGNALS:
    void applyAndSaveRequested();

private:
    void showStage(int stage);
    void settingsChanged(); // training mode or fine-tune epochs

    flow::Pipeline *m_pipeline;
    QTableWidget *m_table;
    QPushButton *m_run;
    QPushButton *m_stop;
    QPushButton *m_apply;
    QLabel *m_summary;
    QComboBox *m_training;
    QSpinBox *m_fineTune;
};

} // namespace snn::widgets
