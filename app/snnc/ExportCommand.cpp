#include "Cli.h"
#include "HwOptions.h"

namespace snn::cli {

int runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Export a graph as an iCE40 hardware folder: Verilog, memory images, pin "
                       "constraints, a testbench checked against the bit-accurate model, build.sh, "
                       "simulate.sh, flash.sh and a README. Refuses a design that does not fit."));
    const ModelArgument model{false};
    model.addTo(parser);
    const HwOptionSet hwOptions;
    hwOptions.addTo(parser);
    const QCommandLineOption output = outputOption(
        QStringLiteral("The folder to write (created when missing)."), QStringLiteral("DIR"));
    const QCommandLineOption samples(
        QStringLiteral("samples"),
        QStringLiteral("Random test samples in the testbench (default 8)."), QStringLiteral("N"),
        QStringLiteral("8"));
    parser.addOptions({output, samples});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    requireOptions(parser, {&output});
    const Graph graph = model.load(parser);
    QString configuration;
    hw::ExportOptions options = hwOptions.read(parser, graph, &configuration);
    options.testSamples = HwOptionSet::integer(parser, samples);
    if (options.testSamples < 1)
        throw Error(QStringLiteral("--samples must be at least 1"));
    const hw::ExportResult result = hw::exportDesign(graph, options, parser.value(output));
    printOut(QStringLiteral("%1\n%2\nwrote %3 files to %4: %5\n")
                 .arg(configuration, result.fit.message)
                 .arg(result.files.size())
                 .arg(parser.value(output), result.files.join(QStringLiteral(", "))));
    return Success;
}

} // namespace snn::cli
