#pragma once

// The whole chain on the document's graph with the attached data set, one stage after the other:
// firing rates measured on the validation split (one undo step), the Optimisation panel's
// checked passes with accuracy, and Build of the optimised graph in the FPGA tab (a kept
// bitstream). Each stage records its state, time and result; stop() ends the chain at the stage
// it is in. A controller: the panels do the work, it only sequences them.

#include "sim/Dataset.h"

#include <QElapsedTimer>
#include <QObject>

#include <array>
#include <memory>

namespace snn::widgets {

class Document;
class FpgaPanel;
class JobRunner;
class OptimizationPanel;

class Pipeline : public QObject {
    Q_OBJECT
public:
    enum Stage { Rates, Passes, Build, StageCount };
    enum class State { Pending, Running, Done, Failed, Stopped, Skipped };
    struct StageStatus {
        State state = State::Pending;
        double seconds = 0.0;
        QString result; // one line: what the stage measured or built, or why it failed
    };

    Pipeline(Document *document, OptimizationPanel *optimization, FpgaPanel *fpga,
             QObject *parent = nullptr);
    ~Pipeline() override;

    // The data set the rates are measured on: its validation split (held out by the training
    // panel), else its last kDefaultValidationSize training samples. nullptr: none attached.
    void setData(std::shared_ptr<const sim::DataSplit> data) { m_data = std::move(data); }

    bool isRunning() const { return m_stage >= 0; }
    double runningSeconds() const { return m_clock.elapsed() / 1000.0; } // the running stage
    const StageStatus &status(Stage stage) const { return m_status[std::size_t(stage)]; }
    static QString stageName(Stage stage);
    static QString stateName(State state);
    // "rates: <result> (4.1 s); passes: ...; build: ..."
    QString summary() const;

public Q_SLOTS:
    // Starts the chain; refused (finished(false, reason) at once) without a graph or data set,
    // or while a stage's panel is busy.
    void start();
    void stop();

Q_SIGNALS:
    void stageChanged(int stage);
    void finished(bool ok, const QString &summary);

private:
    void begin(Stage stage);
    void end(State state, const QString &result);
    void runRates();
    void runPasses();
    void runBuild();

    Document *m_document;
    OptimizationPanel *m_optimization;
    FpgaPanel *m_fpga;
    JobRunner *m_job;
    std::shared_ptr<const sim::DataSplit> m_data;
    std::array<StageStatus, StageCount> m_status;
    int m_stage = -1;
    QElapsedTimer m_clock;
    QMetaObject::Connection m_wait; // the panel signal the running stage waits for
};

} // namespace snn::widgets
