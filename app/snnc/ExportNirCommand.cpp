#include "Cli.h"

#include "base/Error.h"
#include "nir/AnyGraphFile.h"
#include "nir/NirFile.h"

namespace snn::cli {

int runExportNir(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Export a graph as NIR: Input (and Flatten), Affine (Linear without bias), "
                       "LIF, CubaLIF or IF per layer, Output; firing rates and canvas positions "
                       "under node/metadata. dt: --dt, else the one the graph was imported "
                       "with, else 1e-4."));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("An SNN Studio graph (.h5) or a NIR file."));
    const QCommandLineOption output =
        outputOption(QStringLiteral("The NIR file to write (.nir)."), QStringLiteral("OUT"));
    const QCommandLineOption noGzip(QStringLiteral("no-gzip"),
                                    QStringLiteral("Do not compress the datasets."));
    parser.addOptions({output, nirDtOption(), noGzip});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    requireOptions(parser, {&output});
    checkOutputs(parser, {&output});
    nir::NirOptions options;
    options.dt = nirDt(parser);
    options.dtFromFile = !parser.isSet(nirDtOption());
    options.gzip = !parser.isSet(noGzip);
    const QString path = parser.positionalArguments().front();
    const Graph graph = loadAnyGraph(path, options);
    nir::exportNir(graph, parser.value(output), options);
    printOut(QStringLiteral("wrote %1: %2, %3 parameters (dt = %4 s)\n")
                 .arg(parser.value(output), layersText(graph.layerCount()))
                 .arg(graph.totalParams())
                 .arg(nir::exportDt(graph, options)));
    if (const QString warning = nir::exportWarning(graph); !warning.isEmpty())
        printOut(QStringLiteral("warning: %1\n").arg(warning));
    return Success;
}

} // namespace snn::cli
