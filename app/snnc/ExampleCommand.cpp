#include "Cli.h"

#include "graph/Example.h"
#include "io/GraphFile.h"

namespace snn::cli {

int runExample(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Write the built-in example network (the seed "
                                                    "tutorial's 784-256-64-10 LIF network with "
                                                    "30 dead hidden1 neurons) to an HDF5 file."));
    const QCommandLineOption output =
        outputOption(QStringLiteral("The file to write."), QStringLiteral("FILE"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Random seed (default %1).").arg(kExampleSeed),
                                  QStringLiteral("N"), QString::number(kExampleSeed));
    parser.addOptions({output, seed});
    if (const int code = parse(parser, arguments, 0); code >= 0)
        return code;
    requireOptions(parser, {&output});
    checkOutputs(parser, {&output});
    bool ok = false;
    const qulonglong seedValue = parser.value(seed).toULongLong(&ok);
    if (!ok) {
        printError(QStringLiteral("--seed takes a non-negative whole number, not '%1'")
                       .arg(parser.value(seed)));
        return BadInput;
    }
    const Graph graph = exampleGraph(seedValue);
    saveGraph(graph, parser.value(output));
    printOut(QStringLiteral("wrote %1: %2, %3 parameters\n")
                 .arg(parser.value(output), layersText(graph.layerCount()))
                 .arg(graph.totalParams()));
    return Success;
}

} // namespace snn::cli
