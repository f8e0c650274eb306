#include "Cli.h"

#include "Error.h"
#include "GraphFile.h"
#include "nir/NirFile.h"

namespace snn::cli {

int runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Import a NIR graph (Input, Affine/Linear, Scale, LIF/IF, Output chains) "
                       "into an SNN Studio graph file. Anything that does not map exactly "
                       "(convolutions, recurrence, CubaLIF, delays...) is refused; see "
                       "docs/nir.md."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A NIR file (.nir)."));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("The SNN Studio graph file to write (.h5)."),
                                    QStringLiteral("OUT"));
    const QCommandLineOption reset(
        QStringLiteral("reset"),
        QStringLiteral("How spiking neurons reset when the file does not "
                       "say: subtract or zero (default subtract)."),
        QStringLiteral("MODE"), QStringLiteral("subtract"));
    parser.addOptions({output, nirDtOption(), reset});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    if (!parser.isSet(output)) {
        printError(QStringLiteral("import needs -o OUT"));
        return BadInput;
    }
    checkOutputs(parser, {&output});
    nir::NirOptions options;
    options.dt = nirDt(parser);
    if (!parseResetMode(parser.value(reset), &options.reset)) {
        printError(
            QStringLiteral("--reset takes subtract or zero, not '%1'").arg(parser.value(reset)));
        return BadInput;
    }
    const QString path = parser.positionalArguments().front();
    const Graph graph = nir::importNir(path, options);
    saveGraph(graph, parser.value(output));
    printOut(QStringLiteral("imported %1: %2 layers, %3 inputs, %4 parameters\nwrote %5\n")
                 .arg(path)
                 .arg(graph.layerCount())
                 .arg(graph.inputSize())
                 .arg(graph.totalParams())
                 .arg(parser.value(output)));
    return Success;
}

} // namespace snn::cli
