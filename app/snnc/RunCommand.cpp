#include "Cli.h"
#include "HwOptions.h"
#include "hw/BoardLink.h"
#include "io/GraphFile.h"

#include <cstdio>

namespace snn::cli {

int runRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run samples on a board flashed with 'snnc flash': probe the board (STATUS: protocol "
        "version, sizes, the design hash, the weight image in flash), send each sample over "
        "the serial port, print the spike counts and class the board answers, and check "
        "them against the bit-accurate model (exit 1 on any difference)."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("The graph (.h5) the board was built from."));
    const HwOptionSet hwOptions;
    hwOptions.addTo(parser);
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("The board's serial port (iCEBreaker: usually "
                                                 "/dev/ttyUSB1)."),
                                  QStringLiteral("TTY"));
    const QCommandLineOption data(
        QStringLiteral("data"),
        QStringLiteral("Samples: one per line, values in [0, 1] separated "
                       "by commas or spaces."),
        QStringLiteral("FILE"));
    parser.addOptions({port, data});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    if (!parser.isSet(port) || !parser.isSet(data))
        throw Error(QStringLiteral("--port and --data are required"));
    const Graph graph = loadGraph(parser.positionalArguments().front());
    QString configuration;
    const hw::ExportOptions options = hwOptions.read(parser, graph, &configuration);
    std::fprintf(stderr, "%s\n", qPrintable(configuration));
    const hw::QuantizedNetwork net = hw::quantize(graph, options.quant);
    const auto samples = hw::readSampleText(parser.value(data), net.inputSize);
    hw::BoardLink link;
    link.open(parser.value(port), options.baud);
    hw::BoardExpectation expected;
    expected.inputs = net.inputSize;
    expected.outputs = net.outputSize();
    expected.hash = hw::designHash(net, options.lanes);
    try {
        link.probe(expected);
    } catch (const Error &e) {
        printError(e.message());
        return Failure;
    }
    int differences = 0;
    for (std::size_t s = 0; s < samples.size(); ++s) {
        hw::ModelResult board;
        try {
            board = link.runSample(samples[s], net.outputSize());
        } catch (const Error &e) {
            printError(e.message());
            return Failure;
        }
        const hw::ModelResult model = hw::runModel(net, samples[s]);
        QStringList counts;
        for (int c : board.counts)
            counts << QString::number(c);
        const bool same = board.counts == model.counts && board.predicted == model.predicted;
        if (!same)
            ++differences;
        printOut(
            QStringLiteral("sample %1: class %2, counts %3%4\n")
                .arg(s)
                .arg(board.predicted)
                .arg(counts.join(QLatin1Char(' ')),
                     same ? QString() : QStringLiteral(" (model: class %1)").arg(model.predicted)));
    }
    std::fprintf(stderr, "%zu samples, %d differ from the bit-accurate model\n", samples.size(),
                 differences);
    return differences == 0 ? Success : Failure;
}

} // namespace snn::cli
