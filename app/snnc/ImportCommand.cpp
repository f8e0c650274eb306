#include "Cli.h"

#include "base/Error.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"

namespace snn::cli {

int runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Import a NIR graph (Input, Flatten, Affine/Linear, Scale, LIF/CubaLIF/IF, "
                       "Output chains) into an SNN Studio graph file. The producer's conventions "
                       "(snnTorch's, Norse's) are recognised and every assumption is printed; "
                       "anything that does not map exactly (convolutions, recurrence, "
                       "delays...) is refused; see docs/nir.md."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A NIR file (.nir)."));
    const QCommandLineOption output = outputOption(
        QStringLiteral("The SNN Studio graph file to write (.h5)."), QStringLiteral("OUT"));
    const QCommandLineOption reset(
        QStringLiteral("reset"),
        QStringLiteral("How every spiking neuron resets: zero (to v_reset), subtract, "
                       "subtract-next (snnTorch's default, reset_delay=True), subtract-nodelay "
                       "(snnTorch's reset_delay=False) or zero-next (snnTorch's Synaptic with "
                       "reset_mechanism=\"zero\"). Default: as the file's SNN Studio metadata "
                       "says, else subtract-next for a file snnTorch wrote, else zero (NIR's "
                       "semantics)."),
        QStringLiteral("MODE"));
    const QCommandLineOption firing(
        QStringLiteral("firing"),
        QStringLiteral("When every spiking neuron fires: above (v > v_threshold, NIR's, "
                       "snnTorch's, Norse's) or at-or-above (v >= v_threshold, Sinabs's). "
                       "Default: as the file's SNN Studio metadata says, else above."),
        QStringLiteral("WHEN"));
    parser.addOptions({output, nirDtOption(), reset, firing});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    requireOptions(parser, {&output});
    checkOutputs(parser, {&output});
    nir::NirOptions options;
    options.dt = nirDt(parser);
    options.dtFromFile = !parser.isSet(nirDtOption());
    if (parser.isSet(reset))
        options.reset = kResetModeNames.parse(parser.value(reset), QStringLiteral("--reset"));
    if (parser.isSet(firing))
        options.firing = kFiringNames.parse(parser.value(firing), QStringLiteral("--firing"));
    const QString path = parser.positionalArguments().front();
    QStringList assumptions;
    const Graph graph = nir::importNir(path, options, &assumptions);
    saveGraph(graph, parser.value(output));
    printOut(QStringLiteral("imported %1: %2, %3 inputs, %4 parameters\n%5\nwrote %6\n")
                 .arg(path, layersText(graph.layerCount()))
                 .arg(graph.inputSize())
                 .arg(graph.totalParams())
                 .arg(assumptions.join(QLatin1Char('\n')), parser.value(output)));
    return Success;
}

} // namespace snn::cli
