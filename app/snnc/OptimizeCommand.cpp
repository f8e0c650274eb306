#include "Cli.h"

#include "HwOptions.h"
#include "PassArgs.h"
#include "SimArgs.h"
#include "base/Error.h"
#include "hw/Boards.h"
#include "io/AtomicFile.h"
#include "io/GraphFile.h"
#include "nir/AnyGraphFile.h"
#include "opt/Optimizer.h"

#include <QJsonDocument>

namespace snn::cli {

int runOptimize(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Run optimisation passes on a graph and print the report. Passes: %1.")
            .arg(availablePasses().join(QStringLiteral(", "))));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("An SNN Studio graph (.h5) or a NIR file (.nir, "
                                                "imported as snnc import would without "
                                                "options)."));
    const QCommandLineOption output =
        outputOption(QStringLiteral("Write the optimised graph here."), QStringLiteral("OUT"));
    const PassArgs passArgs;
    passArgs.addTo(parser);
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Write the report as JSON to REPORT ('-' for "
                                                 "standard output, instead of the text report)."),
                                  QStringLiteral("REPORT"));
    parser.addOptions({output, json});
    // --validate DATA: measure accuracy and agreement before and after each pass.
    const SimArgs validate(QStringLiteral("validate"), false);
    validate.addTo(parser);
    // --quantized BITS (with --validate): the FPGA core's accuracy before and after, at --steps,
    // the passes kept exact on it and its hardware figures on --board.
    const QCommandLineOption quantized = quantizedOption();
    const QCommandLineOption board(
        QStringLiteral("board"),
        QStringLiteral("With --quantized: the board of the hardware figures (cycles per "
                       "inference, latency, memory, blocks, logic cells), lanes chosen for each "
                       "graph: %1 (default icebreaker).")
            .arg(hw::boardIds().join(QStringLiteral(", "))),
        QStringLiteral("B"), QStringLiteral("icebreaker"));
    parser.addOptions({quantized, board});
    // --target-latency MS / --target-lc N (with --quantized): each graph's lanes and weight
    // memory chosen for the target on the validation samples.
    const TargetOptionSet target;
    target.addTo(parser);
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;

    checkOutputs(parser, {&output, &json});
    OptimizeOptions options = passArgs.read(parser);
    const QStringList passes = passArgs.passList(parser);
    options.hardwareBits = weightWidths(parser, quantized);
    options.exactBits = options.hardwareBits; // the deployed widths: the passes keep them exact
    options.deployment.board = parser.value(board);
    options.threads = validate.threadCount(parser);
    if (!options.hardwareBits.empty() && !parser.isSet(validate.data))
        throw Error(QStringLiteral("--quantized needs --validate DATA"));
    options.deployment.target = target.read(parser);
    std::shared_ptr<ValidationSet> set;
    if (parser.isSet(validate.data)) {
        set = std::make_shared<ValidationSet>();
        set->simulation = validate.options(parser);
        options.hardware.steps = set->simulation.steps;
    }
    // Check the options before reading possibly large files.
    options.validate();
    if (set) {
        set->data = validate.evaluationSet(parser);
        options.validation = std::move(set);
    }
    Graph graph = loadAnyGraph(parser.positionalArguments().front());
    const OptimizeResult result = optimize(std::move(graph), passes, options,
                                           options.validation ? stderrProgress() : RunControl{});
    clearProgress();

    if (parser.isSet(output))
        saveGraph(result.graph, parser.value(output));
    const QByteArray reportJson = QJsonDocument(result.report.toJson()).toJson();
    if (parser.value(json) == QLatin1String("-")) {
        printOut(QString::fromUtf8(reportJson));
        return Success;
    }
    if (parser.isSet(json))
        writeAtomically(parser.value(json), reportJson);
    printOut(result.report.summary());
    if (parser.isSet(output))
        printOut(QStringLiteral("wrote %1\n").arg(parser.value(output)));
    return Success;
}

} // namespace snn::cli
