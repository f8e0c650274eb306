#include "Cli.h"

#include "AnyGraphFile.h"

#include "Error.h"
#include "GraphFile.h"
#include "SimArgs.h"
#include "sim/SpikeMonitor.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

namespace snn::cli {

int runEval(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measure a network's accuracy on a labelled data set (prediction: the output neuron with "
        "the most spikes, the lowest index on ties)."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("An SNN Studio graph (.h5)."));
    const SimArgs sim;
    sim.addTo(parser);
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print the result as JSON."));
    parser.addOption(json);
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;

    if (!parser.isSet(sim.data))
        throw Error(QStringLiteral("--data is required"));
    const sim::SimOptions options = sim.options(parser);
    const Graph graph = loadAnyGraph(parser.positionalArguments().front());
    const sim::Dataset data = sim.evaluationSet(parser);
    QElapsedTimer timer;
    timer.start();
    const sim::Activity a = sim::SpikeMonitor(options).record(graph, data, stderrProgress());
    clearProgress();
    const double seconds = double(timer.nsecsElapsed()) * 1e-9;
    const int correct = int(std::lround(a.accuracy * a.samples));
    if (parser.isSet(json)) {
        const QJsonObject o{{QStringLiteral("model"), parser.positionalArguments().front()},
                            {QStringLiteral("data"), data.name},
                            {QStringLiteral("samples"), a.samples},
                            {QStringLiteral("correct"), correct},
                            {QStringLiteral("accuracy"), a.accuracy},
                            {QStringLiteral("encoding"), sim::toString(options.encoding)},
                            {QStringLiteral("steps"), options.steps},
                            {QStringLiteral("seed"), qint64(options.seed)},
                            {QStringLiteral("seconds"), seconds}};
        printOut(QString::fromUtf8(QJsonDocument(o).toJson()));
        return Success;
    }
    printOut(QStringLiteral("accuracy %1% (%2 of %3 samples of %4; %5 encoding, %6 steps, seed "
                            "%7; %8 samples/s)\n")
                 .arg(100.0 * a.accuracy, 0, 'f', 2)
                 .arg(correct)
                 .arg(a.samples)
                 .arg(data.name, sim::toString(options.encoding))
                 .arg(options.steps)
                 .arg(options.seed)
                 .arg(seconds > 0 ? a.samples / seconds : 0.0, 0, 'f', 0));
    return Success;
}

} // namespace snn::cli
