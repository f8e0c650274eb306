#pragma once

// The Sweep view (a central tab beside the canvas): the checked passes at several values of one
// threshold or of neuron_pruning's cycles budget (core snn::sweep, off the GUI thread through
// JobRunner, with progress and Cancel), plotted as accuracy (or, without a data set, the swept
// value) against parameters and against a hardware figure of the deployed core chosen on its
// axis (estimated logic cells, cycles per inference, weight memory, latency; against cycles the
// Pareto front is drawn), with the points in a table. Clicking a point (in a plot or the table)
// picks its value: pointPicked() tells the optimisation panel to take it.

#include "opt/Sweep.h"

#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace snn {
class JobRunner;
}

namespace snn::widgets {

class Document;

class SweepPanel : public QWidget {
    Q_OBJECT
public:
    explicit SweepPanel(QWidget *parent = nullptr);
    ~SweepPanel() override;

    // The graph swept; an edit of what it computes or of its rates drops the result.
    void setDocument(Document *document);
    // What a run sweeps besides the parameter and values: the passes, the other thresholds and
    // the validation set (the optimisation panel's), the board, bits, lanes and memory of the
    // estimate (the FPGA tab's). Called when Run is pressed.
    void setOptionsSource(std::function<SweepOptions()> source) { m_source = std::move(source); }

    SweepParameter parameter() const;
    void setParameter(SweepParameter parameter);
    // The values as typed ("0, 0.01, 0.05").
    QString valuesText() const;
    void setValuesText(const QString &text);

    bool isRunning() const;
    const std::optional<SweepResult> &result() const { return m_result; }
    QString status() const;
    // The plots: accuracy (or the value) against parameters, and against the hardware figure
    // chosen (HardwareAxis).
    QCustomPlot *parametersPlot() const { return m_byParams; }
    QCustomPlot *hardwarePlot() const { return m_byHardware; }
    enum class HardwareAxis { LogicCells, Cycles, WeightMemory, Latency };
    HardwareAxis hardwareAxis() const;
    void setHardwareAxis(HardwareAxis axis);

public Q_SLOTS:
    void run();
    void cancel();
    // Picks the result's point `index` (in the order of the values): selects it and emits
    // pointPicked.
    void pickPoint(int index);

Q_SIGNALS:
    void pointPicked(snn::SweepParameter parameter, double value);
    void message(const QString &text);

private:
    void showResult();
    void drawPlots();
    void clearResult();
    QCustomPlot *makePlot(const QString &xLabel);

    Document *m_document = nullptr;
    std::function<SweepOptions()> m_source;
    std::optional<SweepResult> m_result;
    QComboBox *m_parameter;
    QLineEdit *m_values;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_status;
    QCustomPlot *m_byParams;
    QCustomPlot *m_byHardware;
    QComboBox *m_axis;
    QTableWidget *m_table;
    JobRunner *m_job;
};

} // namespace snn::widgets
