#include "Cli.h"

#include "HwOptions.h"
#include "PassArgs.h"
#include "SimArgs.h"
#include "base/Error.h"
#include "io/AtomicFile.h"
#include "opt/Sweep.h"

#include <QJsonDocument>

namespace snn::cli {

int runSweep(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sensitivity sweep: run the passes at each value of one threshold (or of neuron_pruning's "
        "cycles budget, in % of the input graph's) and measure the parameters, neurons, the "
        "deployed core's estimated logic cells / EBR / SPRAM / weight Kbit on the board and its "
        "cycles per inference, and accuracy, on the validation data. The input graph's "
        "simulation runs once; its firing rates are used as stored."));
    const ModelArgument model{true};
    model.addTo(parser);
    const QCommandLineOption param(
        QStringLiteral("param"),
        QStringLiteral("The threshold to vary: %1.")
            .arg(kSweepParameterNames.names().join(QStringLiteral(", "))),
        QStringLiteral("P"));
    const QCommandLineOption values(QStringLiteral("values"),
                                    QStringLiteral("Comma-separated values, reported in this "
                                                   "order."),
                                    QStringLiteral("a,b,c"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print {\"points\": [...]} as JSON instead of "
                                                 "the table."));
    const QCommandLineOption output =
        outputOption(QStringLiteral("Also write the table as CSV here."), QStringLiteral("CSV"));
    parser.addOptions({param, values, json, output});
    const PassArgs passArgs;
    passArgs.addTo(parser);
    // The estimate's settings stay fixed over the sweep (no per-point choice of bits or lanes).
    const SweepOptions defaults;
    const HwOptionSet hw;
    const QCommandLineOption bits(
        QStringLiteral("bits"),
        QStringLiteral("Weight bits, 2 to 8 (default %1).").arg(defaults.quant.weightBits),
        QStringLiteral("N"), QString::number(defaults.quant.weightBits));
    const QCommandLineOption lanes(
        QStringLiteral("lanes"),
        QStringLiteral("Neurons updated in parallel: 1, 2, 4, 8, 16 (default %1).")
            .arg(defaults.lanes),
        QStringLiteral("N"), QString::number(defaults.lanes));
    parser.addOptions({hw.board, bits, lanes, hw.memory});
    const SimArgs validate(QStringLiteral("validate"), false);
    validate.addTo(parser);
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;

    requireOptions(parser, {&param, &values, &validate.data});
    checkOutputs(parser, {&output});
    SweepOptions options;
    options.parameter = kSweepParameterNames.parse(parser.value(param), QStringLiteral("--param"));
    options.values = parseSweepValues(parser.value(values), QStringLiteral("--values"));
    options.passes = passArgs.passList(parser);
    options.optimize = passArgs.read(parser);
    options.optimize.threads = validate.threadCount(parser);
    if (parser.isSet(hw.board))
        options.board = parser.value(hw.board);
    options.quant.weightBits = HwOptionSet::integer(parser, bits);
    options.lanes = HwOptionSet::integer(parser, lanes);
    options.memory =
        hw::kWeightMemoryNames.parse(parser.value(hw.memory), QStringLiteral("--memory"));
    auto set = std::make_shared<ValidationSet>();
    set->simulation = validate.options(parser);
    options.quant.steps = set->simulation.steps; // the core runs as many steps for its cycles
    // Check the options before reading possibly large files.
    options.validate();
    set->data = validate.evaluationSet(parser);
    options.optimize.validation = std::move(set);

    const Graph graph = model.load(parser);
    const SweepResult result = sweep(graph, options, stderrProgress());
    clearProgress();
    if (parser.isSet(output))
        writeAtomically(parser.value(output), result.toCsv().toUtf8());
    if (parser.isSet(json))
        printOut(QString::fromUtf8(QJsonDocument(result.toJson()).toJson()));
    else
        printOut(result.toText() + (parser.isSet(output)
                                        ? QStringLiteral("wrote %1\n").arg(parser.value(output))
                                        : QString()));
    return Success;
}

} // namespace snn::cli
