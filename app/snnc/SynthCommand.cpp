#include "Cli.h"
#include "HwOptions.h"
#include "hw/IceFlow.h"
#include "hw/Synthesis.h"
#include "io/GraphFile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdio>
#include <optional>

namespace snn::cli {

int runSynth(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Synthesise for an iCE40 board: yosys synth_ice40, nextpnr-ice40, icepack, "
                       "icetime. Takes a graph (exported first) or a folder written by 'snnc "
                       "export' (built at its exported clock). Prints the core clock and why, "
                       "logic cells, EBR, SPRAM, DSP, IO, fmax and the bitstream size. With "
                       "--clock auto (the default) a graph is built twice: at the board's "
                       "oscillator to measure fmax, then at the highest standard PLL clock 10% "
                       "below it. Fails when nextpnr's fmax is below the core clock unless "
                       "--allow-slow-clock."));
    parser.addPositionalArgument(
        QStringLiteral("MODEL|DIR"),
        QStringLiteral("An SNN Studio graph (.h5) or an exported folder."));
    const HwOptionSet hwOptions;
    hwOptions.addTo(parser);
    const QCommandLineOption output =
        outputOption(QStringLiteral("For a graph: export and build in this folder "
                                    "(default: a temporary folder, removed after)."),
                     QStringLiteral("DIR"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print the report as JSON instead of text."));
    const QCommandLineOption verbose({QStringLiteral("v"), QStringLiteral("verbose")},
                                     QStringLiteral("Copy the tools' output to standard error."));
    const QCommandLineOption allowSlow(
        QStringLiteral("allow-slow-clock"),
        QStringLiteral("Build even when nextpnr's fmax is below the core clock (otherwise a "
                       "failure)."));
    parser.addOptions({output, json, verbose, allowSlow});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    const hw::Board &board = hw::board(hwOptions.read(parser).board);
    const QString input = parser.positionalArguments().front();
    QString dir = input;
    QTemporaryDir temp;
    QString configuration;
    std::optional<Graph> graph;
    hw::ExportOptions options;
    if (!QFileInfo(input).isDir()) {
        dir = parser.isSet(output) ? parser.value(output) : temp.path();
        graph = loadGraph(input);
        options = hwOptions.read(parser, *graph, &configuration);
        // (Bad input, e.g. a design that does not fit, fails here, before any tool runs.)
        const hw::ExportResult result = hw::exportDesign(*graph, options, dir);
        std::fprintf(stderr, "%s\n%s\n", qPrintable(configuration), qPrintable(result.fit.message));
    } else if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("snn_uart_top.v")))) {
        throw Error(QStringLiteral("%1 is not an exported design (no snn_uart_top.v)").arg(dir));
    }
    const bool copyLog = parser.isSet(verbose);
    const auto log = [copyLog](const QString &text) {
        if (copyLog || text.startsWith(QLatin1String("== ")))
            std::fputs(qPrintable(text), stderr);
    };
    hw::FlowReport report;
    try {
        if (graph) {
            report =
                hw::synthesiseDesign(*graph, options, dir, parser.isSet(allowSlow), log).report;
        } else {
            hw::FlowOptions flow = hw::flowOptions(dir, board);
            flow.allowSlowClock = parser.isSet(allowSlow);
            report = hw::runFlow(flow, log);
        }
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) { // a tool failed: not bad input
        printError(e.message());
        return Failure;
    }
    if (parser.isSet(json)) {
        QJsonObject object = report.toJson();
        if (!configuration.isEmpty())
            object.insert(QStringLiteral("configuration"), configuration);
        printOut(QString::fromUtf8(QJsonDocument(object).toJson()));
    } else {
        printOut(QStringLiteral("%1 (%2 %3)\n").arg(board.name, board.device, board.package) +
                 report.toText() +
                 (dir == temp.path() ? QStringLiteral("(built in a temporary folder, now removed: "
                                                      "use -o DIR to keep the bitstream)\n")
                                     : QString()));
    }
    return Success;
}

} // namespace snn::cli
