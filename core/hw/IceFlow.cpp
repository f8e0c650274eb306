#include "hw/IceFlow.h"

#include "base/Error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace snn::hw {

QJsonObject FlowReport::toJson() const
{
    QJsonObject cellsJson;
    for (const auto &[name, count] : cells)
        cellsJson.insert(name, count);
    auto pair = [](int used, int available) {
        return QJsonObject{{QStringLiteral("used"), used},
                           {QStringLiteral("available"), available}};
    };
    return QJsonObject{
        {QStringLiteral("logic_cells"), pair(logicCells, logicCellsAvailable)},
        {QStringLiteral("ebr"), pair(ebr, ebrAvailable)},
        {QStringLiteral("spram"), pair(spram, spramAvailable)},
        {QStringLiteral("dsp"), pair(dsp, dspAvailable)},
        {QStringLiteral("io"), pair(io, ioAvailable)},
        {QStringLiteral("fmax_mhz"), fmaxMHz},
        {QStringLiteral("target_mhz"), targetMHz},
        {QStringLiteral("timing_met"), timingMet()},
        {QStringLiteral("bitstream"), bitstream},
        {QStringLiteral("bitstream_bytes"), bitstreamBytes},
        {QStringLiteral("icetime_mhz"), icetimeMHz},
        {QStringLiteral("icetime"), timingReport},
        {QStringLiteral("clock"), clock},
        {QStringLiteral("yosys_cells"), cellsJson},
    };
}

QString FlowReport::toText() const
{
    QString text;
    if (!clock.isEmpty())
        text += QStringLiteral("clock        %1\n").arg(clock);
    text += QStringLiteral("logic cells  %1 / %2\n").arg(logicCells).arg(logicCellsAvailable);
    text += QStringLiteral("EBR blocks   %1 / %2\n").arg(ebr).arg(ebrAvailable);
    text += QStringLiteral("SPRAM blocks %1 / %2\n").arg(spram).arg(spramAvailable);
    text += QStringLiteral("DSP blocks   %1 / %2\n").arg(dsp).arg(dspAvailable);
    text += QStringLiteral("IO           %1 / %2\n").arg(io).arg(ioAvailable);
    text += QStringLiteral("fmax         %1 MHz (target %2 MHz: %3)\n")
                .arg(fmaxMHz, 0, 'f', 2)
                .arg(targetMHz, 0, 'f', 2)
                .arg(timingMet() ? QStringLiteral("met") : QStringLiteral("NOT met"));
    if (!bitstream.isEmpty())
        text += QStringLiteral("bitstream    %1 (%2 bytes)\n").arg(bitstream).arg(bitstreamBytes);
    if (!timingReport.isEmpty())
        text += QStringLiteral("icetime      %1\n").arg(timingReport);
    return text;
}

QString slowClockProblem(const FlowReport &report)
{
    // An fmax of 0 means the report timed no clock: nothing to compare.
    if (report.fmaxMHz <= 0 || report.timingMet())
        return QString();
    return QStringLiteral("nextpnr reaches %1 MHz, below the %2 MHz core clock: choose a lower "
                          "clock (or allow a slow clock to build anyway)")
        .arg(report.fmaxMHz, 0, 'f', 2)
        .arg(report.targetMHz, 0, 'f', 2);
}

void parseNextpnrReport(const QByteArray &json, FlowReport *report, const QString &what)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        throw Error(QStringLiteral("%1 is not JSON: %2").arg(what, error.errorString()));
    const QJsonObject root = doc.object();
    const QJsonObject util = root.value(QStringLiteral("utilization")).toObject();
    if (util.isEmpty())
        throw Error(QStringLiteral("%1 has no \"utilization\" (not a nextpnr report)").arg(what));
    auto read = [&util](const char *key, int *used, int *available) {
        const QJsonObject o = util.value(QLatin1String(key)).toObject();
        *used = o.value(QStringLiteral("used")).toInt();
        *available = o.value(QStringLiteral("available")).toInt();
    };
    read("ICESTORM_LC", &report->logicCells, &report->logicCellsAvailable);
    read("ICESTORM_RAM", &report->ebr, &report->ebrAvailable);
    read("ICESTORM_SPRAM", &report->spram, &report->spramAvailable);
    read("ICESTORM_DSP", &report->dsp, &report->dspAvailable);
    read("SB_IO", &report->io, &report->ioAvailable);
    const QJsonObject fmax = root.value(QStringLiteral("fmax")).toObject();
    bool first = true;
    for (auto it = fmax.begin(); it != fmax.end(); ++it) {
        const QJsonObject clock = it.value().toObject();
        const double achieved = clock.value(QStringLiteral("achieved")).toDouble();
        if (first || achieved < report->fmaxMHz) {
            report->fmaxMHz = achieved;
            report->targetMHz = clock.value(QStringLiteral("constraint")).toDouble();
        }
        first = false;
    }
}

void parseIcetimeReport(const QString &text, FlowReport *report, const QString &what)
{
    static const QRegularExpression delay(
        QStringLiteral("Total path delay: ([0-9.]+) ns \\(([0-9.]+) MHz\\)"));
    static const QRegularExpression levels(QStringLiteral("Total number of logic levels: (\\d+)"));
    const QRegularExpressionMatch d = delay.match(text);
    if (!d.hasMatch())
        throw Error(
            QStringLiteral("%1 has no \"Total path delay\" (not an icetime report)").arg(what));
    report->icetimeDelayNs = d.captured(1).toDouble();
    report->icetimeMHz = d.captured(2).toDouble();
    report->icetimeLevels = levels.match(text).captured(1).toInt();
    report->timingReport = QStringLiteral("%1 MHz (critical path %2 ns, %3 logic levels)")
                               .arg(report->icetimeMHz, 0, 'f', 2)
                               .arg(report->icetimeDelayNs, 0, 'f', 2)
                               .arg(report->icetimeLevels);
}

std::map<QString, int> parseYosysStat(const QString &text)
{
    std::map<QString, int> cells;
    static const QRegularExpression line(
        QStringLiteral("^\\s+(\\$?[A-Za-z_][\\w$]*)\\s+(\\d+)\\s*$"));
    bool inCells = false;
    for (const QString &l : text.split(QLatin1Char('\n'))) {
        if (l.contains(QLatin1String("Number of cells"))) {
            inCells = true;
            cells.clear(); // the last module listed (the top, or the design total) wins
            continue;
        }
        if (!inCells)
            continue;
        const QRegularExpressionMatch m = line.match(l);
        if (m.hasMatch())
            cells[m.captured(1)] = m.captured(2).toInt();
        else if (!l.trimmed().isEmpty())
            inCells = false;
    }
    return cells;
}

FlowOptions flowOptions(const QString &directory, const Board &board)
{
    FlowOptions o;
    o.directory = directory;
    o.device = board.device;
    o.package = board.package;
    o.targetMHz = board.clockHz / 1e6;
    QFile estimate(QDir(directory).filePath(QStringLiteral("estimate.json")));
    if (estimate.open(QIODevice::ReadOnly)) {
        const QJsonDocument json = QJsonDocument::fromJson(estimate.readAll());
        const double clock = json[QStringLiteral("clock_mhz")].toDouble();
        if (clock > 0.0)
            o.targetMHz = clock;
        o.clock = json[QStringLiteral("clock")].toString();
    }
    return o;
}

std::vector<ToolStep> flowSteps(const FlowOptions &options)
{
    // SPRAM is instantiated as SB_SPRAM256KA, so synth_ice40 needs no -spram; the core uses no
    // multipliers, so no -dsp.
    return {
        {QStringLiteral("yosys"),
         QStringLiteral("yosys"),
         {QStringLiteral("-q"), QStringLiteral("-l"), QStringLiteral("yosys.log"),
          QStringLiteral("-p"),
          QStringLiteral("synth_ice40 -top snn_uart_top -json top.json; tee -q -o stat.txt stat"),
          QStringLiteral("snn_uart_top.v"), QStringLiteral("snn_core.v")},
         QStringLiteral("yosys")},
        {QStringLiteral("nextpnr"),
         QStringLiteral("nextpnr-ice40"),
         {QStringLiteral("--") + options.device, QStringLiteral("--package"), options.package,
          QStringLiteral("--json"), QStringLiteral("top.json"), QStringLiteral("--pcf"),
          QStringLiteral("top.pcf"), QStringLiteral("--asc"), QStringLiteral("top.asc"),
          QStringLiteral("--report"), QStringLiteral("report.json"), QStringLiteral("--freq"),
          QString::number(options.targetMHz), QStringLiteral("--timing-allow-fail")},
         QStringLiteral("nextpnr-ice40")},
        {QStringLiteral("icepack"),
         QStringLiteral("icepack"),
         {QStringLiteral("top.asc"), QStringLiteral("top.bin")},
         QStringLiteral("fpga-icestorm")},
        {QStringLiteral("icetime"),
         QStringLiteral("icetime"),
         {QStringLiteral("-d"), options.device, QStringLiteral("-P"), options.package,
          QStringLiteral("-mtr"), QStringLiteral("timing.rpt"), QStringLiteral("top.asc")},
         QStringLiteral("fpga-icestorm")},
    };
}

IceFlow::IceFlow(QObject *parent)
    : QObject(parent)
    , m_runner(new ToolRunner(this))
{
    connect(m_runner, &ToolRunner::output, this, &IceFlow::output);
    connect(m_runner, &ToolRunner::finished, this, &IceFlow::stepFinished);
    connect(m_runner, &ToolRunner::failed, this, [this](const QString &message) {
        if (m_step == 3) {
            // icetime is a second opinion on timing (nextpnr's fmax is the figure): its failure
            // (e.g. no chip databases: Debian's fpga-icestorm-chipdb) is only noted.
            m_report.timingReport = QStringLiteral("not available (%1)").arg(message);
            m_step = -1;
            Q_EMIT finished(m_report);
            return;
        }
        m_step = -1;
        Q_EMIT failed(message);
    });
    connect(m_runner, &ToolRunner::stopped, this, [this] {
        m_step = -1;
        Q_EMIT stopped();
    });
}

IceFlow::~IceFlow() = default;

QStringList IceFlow::stepNames()
{
    QStringList names;
    for (const ToolStep &step : flowSteps(FlowOptions()))
        names << step.name;
    return names;
}

void IceFlow::start(const FlowOptions &options)
{
    if (isRunning())
        return;
    m_options = options;
    m_steps = flowSteps(options);
    m_report = FlowReport();
    m_report.clock = options.clock;
    runStep(0);
}

void IceFlow::stop()
{
    m_runner->stop();
}

void IceFlow::runStep(int index)
{
    m_step = index;
    const ToolStep &step = m_steps[std::size_t(index)];
    Q_EMIT stepStarted(index, step.name);
    m_runner->start(step, m_options.directory);
}

void IceFlow::stepFinished()
{
    const QDir dir(m_options.directory);
    try {
        if (m_step == 0) {
            QFile stat(dir.filePath(QStringLiteral("stat.txt")));
            if (stat.open(QIODevice::ReadOnly))
                m_report.cells = parseYosysStat(QString::fromUtf8(stat.readAll()));
        } else if (m_step == 1) {
            QFile json(dir.filePath(QStringLiteral("report.json")));
            if (!json.open(QIODevice::ReadOnly))
                throw Error(QStringLiteral("nextpnr wrote no report.json in %1").arg(dir.path()));
            parseNextpnrReport(json.readAll(), &m_report, json.fileName());
            const QString slow = slowClockProblem(m_report);
            if (!slow.isEmpty() && !m_options.allowSlowClock)
                throw Error(slow);
        } else if (m_step == 2) {
            m_report.bitstream = dir.filePath(QStringLiteral("top.bin"));
            m_report.bitstreamBytes = QFileInfo(m_report.bitstream).size();
            if (m_report.bitstreamBytes <= 0)
                throw Error(
                    QStringLiteral("icepack wrote no bitstream (%1)").arg(m_report.bitstream));
        } else if (m_step == 3) {
            QFile rpt(dir.filePath(QStringLiteral("timing.rpt")));
            try {
                if (!rpt.open(QIODevice::ReadOnly))
                    throw Error(QStringLiteral("icetime wrote no %1").arg(rpt.fileName()));
                parseIcetimeReport(QString::fromUtf8(rpt.readAll()), &m_report, rpt.fileName());
            } catch (const Error &e) { // a second opinion: noted, not a failure of the flow
                m_report.timingReport = QStringLiteral("not available (%1)").arg(e.message());
            }
        }
    } catch (const Error &e) {
        m_step = -1;
        Q_EMIT failed(e.message());
        return;
    }
    const int last = m_options.runIcetime ? 3 : 2;
    if (m_step < last) {
        runStep(m_step + 1);
    } else {
        m_step = -1;
        Q_EMIT finished(m_report);
    }
}

FlowReport runFlow(const FlowOptions &options, const std::function<void(const QString &)> &log,
                   const std::function<bool()> &cancelRequested,
                   const std::function<void(int step)> &stepStarted)
{
    IceFlow flow;
    QObject::connect(&flow, &IceFlow::stepStarted, &flow, [&](int step, const QString &name) {
        if (stepStarted)
            stepStarted(step);
        if (log)
            log(QStringLiteral("== %1\n").arg(name));
    });
    QObject::connect(&flow, &IceFlow::output, &flow, [&log](const QString &text) {
        if (log)
            log(text);
    });
    runToEnd(
        flow, [&] { flow.start(options); }, cancelRequested);
    return flow.report();
}

} // namespace snn::hw
