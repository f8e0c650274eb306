#include "Cli.h"

#include "SimArgs.h"
#include "base/Error.h"
#include "eval/Accuracy.h"
#include "sim/SpikeMonitor.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace snn::cli {

namespace {

int evalQuantized(const QCommandLineParser &parser, const Graph &graph, const sim::Dataset &data,
                  const std::vector<int> &bits, int steps, bool asJson)
{
    hw::QuantConfig config;
    config.steps = steps;
    const eval::AccuracyComparison c =
        eval::compareAccuracy(graph, config, data.x, data.y, bits, stderrProgress());
    clearProgress();
    if (asJson) {
        QJsonArray widths;
        for (const eval::BitsAccuracy &q : c.quantized)
            widths.append(QJsonObject{{QStringLiteral("weight_bits"), q.weightBits},
                                      {QStringLiteral("accuracy"), q.accuracy}});
        printOut(QString::fromUtf8(
            QJsonDocument(
                QJsonObject{{QStringLiteral("model"), parser.positionalArguments().front()},
                            {QStringLiteral("data"), data.name},
                            {QStringLiteral("samples"), data.size()},
                            {QStringLiteral("steps"), steps},
                            {QStringLiteral("float_accuracy"), c.floatAccuracy},
                            {QStringLiteral("quantized"), widths}})
                .toJson()));
        return Success;
    }
    QString text = QStringLiteral("%1 samples of %2, hardware input spikes, %3 steps\n")
                       .arg(data.size())
                       .arg(data.name)
                       .arg(steps);
    text += QStringLiteral("float model:            %1%\n").arg(100.0 * c.floatAccuracy, 0, 'f', 2);
    for (const eval::BitsAccuracy &q : c.quantized)
        text += QStringLiteral("%1-bit weights (model): %2% (%3 pp)\n")
                    .arg(q.weightBits)
                    .arg(100.0 * q.accuracy, 0, 'f', 2)
                    .arg(100.0 * (q.accuracy - c.floatAccuracy), 0, 'f', 2);
    printOut(text);
    return Success;
}

} // namespace

int runEval(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measure a network's accuracy on a labelled data set (prediction: the output neuron with "
        "the most spikes, the lowest index on ties)."));
    const ModelArgument model{true};
    model.addTo(parser);
    const SimArgs sim;
    sim.addTo(parser);
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print the result as JSON."));
    parser.addOption(json);
    const QCommandLineOption quantized = quantizedOption();
    parser.addOption(quantized);
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;

    requireOptions(parser, {&sim.data});
    const sim::SimOptions options = sim.options(parser);
    const std::vector<int> widths = weightWidths(parser, quantized);
    const Graph graph = model.load(parser);
    const sim::Dataset data = sim.evaluationSet(parser);
    if (!widths.empty())
        return evalQuantized(parser, graph, data, widths, options.steps, parser.isSet(json));
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
