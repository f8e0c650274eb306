#pragma once

// The iCE40 flow as a chain of subprocesses over an exported design folder: yosys synth_ice40,
// nextpnr-ice40 (--report JSON, --freq, timing failure allowed and reported as a result), icepack
// (the flow fails when it leaves no bitstream), icetime (its timing estimate is in the report).
// Each step runs through a ToolRunner; the flow reports steps, log lines and a parsed report. Also
// the parsers for nextpnr's report JSON and yosys' stat output.

#include "hw/Boards.h"
#include "hw/ToolRunner.h"

#include <QJsonObject>
#include <QObject>

#include <map>

namespace snn::hw {

struct FlowReport {
    int logicCells = 0, logicCellsAvailable = 0;
    int ebr = 0, ebrAvailable = 0;
    int spram = 0, spramAvailable = 0;
    int dsp = 0, dspAvailable = 0;
    int io = 0, ioAvailable = 0;
    double fmaxMHz = 0.0;         // the slowest clock's achieved frequency
    double targetMHz = 0.0;       // the --freq constraint
    std::map<QString, int> cells; // yosys stat: cell type -> count
    QString bitstream;            // path of the .bin
    qint64 bitstreamBytes = 0;
    double icetimeMHz = 0.0; // icetime's estimate from its slowest path (0: not run)
    double icetimeDelayNs = 0.0;
    int icetimeLevels = 0; // logic levels on that path
    QString timingReport;  // icetime's summary, or why it is not available
    QString clock;         // the core clock and why (CoreClock::reason); empty: not known

    bool timingMet() const { return fmaxMHz >= targetMHz; }
    QJsonObject toJson() const;
    QString toText() const;
};

// Empty when nextpnr's fmax reaches the report's core clock (or timed no clock); else why the
// flow fails: "nextpnr reaches 21.82 MHz, below the 100.50 MHz core clock: choose a lower clock
// (or allow a slow clock to build anyway)".
QString slowClockProblem(const FlowReport &report);

// Parses nextpnr-ice40's --report JSON into the utilisation and fmax fields. Throws Error naming
// `what` when it is not such a report.
void parseNextpnrReport(const QByteArray &json, FlowReport *report, const QString &what);
// Parses the cell list of yosys' `stat` text ("     SB_LUT4     910").
std::map<QString, int> parseYosysStat(const QString &text);
// Parses icetime's timing report (-mtr FILE): "Total path delay: 48.10 ns (20.79 MHz)" and
// "Total number of logic levels: 42" into the icetime fields and timingReport. Throws Error
// naming `what` when the report has no path delay.
void parseIcetimeReport(const QString &text, FlowReport *report, const QString &what);

struct FlowOptions {
    QString directory; // an exported design (snn_uart_top.v, snn_core.v, top.pcf, memories)
    QString device;    // hx1k, up5k, hx8k...
    QString package;
    double targetMHz = 12.0; // the core clock: nextpnr's --freq
    QString clock;           // the core clock and why (estimate.json's "clock"): the report's
    // The flow fails when nextpnr's fmax is below targetMHz (the clock the board will run),
    // unless this allows it.
    bool allowSlowClock = false;
    bool runIcetime = true;
};

// The flow for an exported folder: its core clock (estimate.json's clock_mhz, and "clock" why) as
// the target, else the board's oscillator.
FlowOptions flowOptions(const QString &directory, const Board &board);

// The flow's commands for `options`' device, package and target clock (the directory is not
// used): yosys, nextpnr, icepack, icetime. IceFlow runs them; the exported build.sh writes them.
std::vector<ToolStep> flowSteps(const FlowOptions &options);

class IceFlow : public QObject {
    Q_OBJECT
public:
    explicit IceFlow(QObject *parent = nullptr);
    ~IceFlow() override;

    static QStringList stepNames(); // flowSteps' names: yosys, nextpnr, icepack, icetime

    void start(const FlowOptions &options);
    void stop();
    bool isRunning() const { return m_step >= 0; }
    const FlowReport &report() const { return m_report; }

Q_SIGNALS:
    void stepStarted(int index, const QString &name);
    void output(const QString &text);
    void finished(const snn::hw::FlowReport &report);
    void failed(const QString &message);
    void stopped();

private:
    void runStep(int index);
    void stepFinished();

    ToolRunner *m_runner = nullptr;
    FlowOptions m_options;
    std::vector<ToolStep> m_steps;
    FlowReport m_report;
    int m_step = -1;
};

// Runs the flow to the end (runToEnd: for the command line, or a job off the GUI thread). `log`
// receives the tools' output; `cancelRequested` is polled; `stepStarted` (when given) gets the
// index of each step (stepNames()) as it begins. Throws Error on failure, Cancelled when stopped.
FlowReport runFlow(const FlowOptions &options, const std::function<void(const QString &)> &log,
                   const std::function<bool()> &cancelRequested = {},
                   const std::function<void(int step)> &stepStarted = {});

} // namespace snn::hw
