#include "Cli.h"

#include "io/AtomicFile.h"

#include "SimArgs.h"
#include "base/Error.h"
#include "io/GraphFile.h"
#include "sim/Sequences.h"

#include <QElapsedTimer>

namespace snn::cli {

int runRates(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measure every neuron's firing rate (spikes per step) on a data set (the SpikeMonitor), "
        "print a summary per layer, and store the rates in the graph with where they come from "
        "(rates_source)."));
    const ModelArgument model{true};
    model.addTo(parser);
    const SimArgs sim;
    sim.addTo(parser);
    const QCommandLineOption output = outputOption(
        QStringLiteral("Write the graph with the measured rates here."), QStringLiteral("OUT"));
    const QCommandLineOption counts(QStringLiteral("counts"),
                                    QStringLiteral("Write per-sample output spike counts, "
                                                   "predictions and labels (HDF5) here."),
                                    QStringLiteral("FILE"));
    parser.addOptions({output, counts});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;

    requireOptions(parser, {&sim.data});
    checkOutputs(parser, {&output, &counts});
    const sim::SimOptions options = sim.options(parser);
    Graph graph = model.load(parser);
    const sim::Dataset data = sim.evaluationSet(parser);
    QElapsedTimer timer;
    timer.start();
    const QString label = sim::dataSetLabel(parser.value(sim.data));
    const QString split = sim.splitName(parser);
    const sim::Activity a =
        sim::SpikeMonitor(options).measure(graph, data, label, split, stderrProgress());
    clearProgress();
    const double seconds = double(timer.nsecsElapsed()) * 1e-9;

    QString text = QStringLiteral("%1 samples of %2, %3 steps, %4 encoding, seed %5: accuracy %6%, "
                                  "%7 samples/s\n")
                       .arg(a.samples)
                       .arg(data.name)
                       .arg(options.steps)
                       .arg(sim::toString(options.encoding))
                       .arg(options.seed)
                       .arg(100.0 * a.accuracy, 0, 'f', 2)
                       .arg(seconds > 0 ? a.samples / seconds : 0.0, 0, 'f', 0);
    const std::vector<int> silent = a.silentNeurons();
    for (std::size_t k = 0; k < a.rates.size(); ++k) {
        const Layer &l = graph.layers()[k];
        const Eigen::VectorXf &r = a.rates[k];
        if (r.size() == 0) {
            text += QStringLiteral("  %1: non-spiking\n").arg(l.name);
            continue;
        }
        text += QStringLiteral("  %1: mean rate %2, max %3, %4 of %5 never fired\n")
                    .arg(l.name)
                    .arg(double(r.mean()), 0, 'f', 4)
                    .arg(double(r.maxCoeff()), 0, 'f', 4)
                    .arg(silent[k])
                    .arg(l.neurons());
    }
    text += QStringLiteral("rates_source: %1\n")
                .arg(sim::measuredRatesSource(label, split, a.samples, options));
    // The graph and the counts all or none: a failed write (a full disk) leaves both as they were.
    std::vector<FileContents> files;
    if (parser.isSet(output))
        files.push_back({parser.value(output), graphFileBytes(graph)});
    if (parser.isSet(counts))
        files.push_back({parser.value(counts), activityCountsFileBytes(a, data.y)});
    writeAtomically(files);
    for (const FileContents &file : files)
        text += QStringLiteral("wrote %1\n").arg(file.path);
    printOut(text);
    return Success;
}

} // namespace snn::cli
