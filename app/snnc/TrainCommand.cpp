#include "Cli.h"

#include "nir/AnyGraphFile.h"

#include "SimArgs.h"
#include "TrainArgs.h"
#include "base/Error.h"
#include "train/TrainRun.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <cstdio>

namespace snn::cli {

namespace {

QString rates(const sim::TrainProgress &p)
{
    QStringList parts;
    for (std::size_t k = 0; k < p.meanRate.size(); ++k) {
        QString part = QStringLiteral("%1 %2").arg(p.layerNames[k]).arg(p.meanRate[k], 0, 'f', 3);
        if (k < p.deadNeurons.size())
            part += QStringLiteral(" (%1 dead)").arg(p.deadNeurons[k]);
        parts << part;
    }
    return parts.join(QStringLiteral(", "));
}

QString percent(const std::optional<double> &fraction)
{
    return fraction ? QStringLiteral("%1%").arg(100.0 * *fraction, 0, 'f', 2)
                    : QStringLiteral("n/a");
}

QString description(bool finetune)
{
    const QString common = QStringLiteral(
        "The last --val-split training samples are held out: after every epoch the network's "
        "accuracy and firing rates are measured on them, and the best epoch is kept in OUT (with "
        "those rates). The test set is only reported, for the selected epoch at the end. With "
        "--qat BITS the forward pass is the hardware's bit-accurate model at that weight width "
        "(its input spike generator, per-layer weight scale, integer threshold and bias, shift "
        "leak) with straight-through gradients; the accuracy that chooses the epoch is the "
        "hardware model's, and OUT holds the weights on the hardware's grid. OUT.state holds the "
        "last epoch and the optimiser, so that snnc train --resume continues a stopped run "
        "exactly; OUT.runs.json keeps each run's settings and curves.");
    return finetune ? QStringLiteral("Fine-tune MODEL (e.g. after the passes): train its weights "
                                     "and biases further, keeping its shape and neurons. ") +
                          common
                    : QStringLiteral("Train a spiking network with surrogate-gradient "
                                     "back-propagation through time (fast sigmoid), cross-entropy "
                                     "on output spike counts, Adam. ") +
                          common;
}

// A run to train: its settings, where it starts, and the id of its record.
struct Run {
    sim::TrainSettings settings;
    sim::TrainState state;
    QString id = QDateTime::currentDateTime().toString(Qt::ISODate);
};

// The run saved in `out` and its checkpoint, with only the epochs changed; throws Error when an
// option that fixes the run's settings is given.
Run resumedRun(const QCommandLineParser &parser, const TrainArgs &args, const QString &out)
{
    for (const QCommandLineOption *fixed : args.fixed())
        if (parser.isSet(*fixed))
            throw Error(QStringLiteral("--resume continues with the run's own settings; --%1 "
                                       "cannot change (only --epochs can)")
                            .arg(fixed->names().front()));
    sim::Checkpoint c = sim::loadCheckpoint(sim::checkpointPath(out));
    Run run{c.settings, std::move(c.state), c.runId};
    run.settings.options.epochs = int(integerOption(parser, args.epochs));
    return run;
}

// Trains `run` on `split`, one progress line per batch and one line per epoch on stderr; after
// every epoch (and before the first of a resumed run) the best graph, the checkpoint and the
// run's record go to `out` (all three or none), so that a stopped run keeps its best epoch and
// can resume.
void trainKeeping(Run &run, const sim::DataSplit &split, const QString &out, const QString &data)
{
    QElapsedTimer timer;
    timer.start();
    const double startFraction = run.settings.options.epochs > 0
                                     ? double(run.state.epoch) / run.settings.options.epochs
                                     : 1.0;
    RunControl control = stderrProgress();
    const auto report = [&](const sim::TrainProgress &p) {
        if (!p.epochEnd) {
            const double done = p.fraction - startFraction;
            const double elapsed = double(timer.elapsed()) / 1000.0;
            const QString eta = done > 0.0
                                    ? sim::formatDuration(elapsed * (1.0 - p.fraction) / done)
                                    : QStringLiteral("?");
            control.report(p.fraction,
                           QStringLiteral("epoch %1/%2 batch %3/%4 loss %5 train %6%, %7 "
                                          "samples/s, %8 left")
                               .arg(p.epoch)
                               .arg(p.epochs)
                               .arg(p.batch)
                               .arg(p.batches)
                               .arg(p.loss, 0, 'f', 3)
                               .arg(100.0 * p.trainAccuracy, 0, 'f', 1)
                               .arg(p.samplesPerSecond, 0, 'f', 0)
                               .arg(eta));
            return;
        }
        clearProgress();
        std::fprintf(stderr,
                     "epoch %d/%d: loss %.4f, train %.2f%%, validation %s, %.1f s (%.0f "
                     "samples/s)%s; rates: %s\n",
                     p.epoch, p.epochs, p.loss, 100.0 * p.trainAccuracy,
                     qPrintable(percent(p.validationAccuracy)), p.seconds, p.samplesPerSecond,
                     run.state.bestEpoch == p.epoch && split.validation ? " best" : "",
                     qPrintable(rates(p)));
    };
    const auto keep = [&] {
        sim::saveTraining(out, run.state, run.settings,
                          sim::TrainRun::of(run.id, data, run.settings, run.state));
    };
    // A resumed run's files as its checkpoint has them: a run killed between the renames of
    // saveTraining may have left an older model or runs file beside a newer checkpoint.
    if (run.state.epoch > 0)
        keep();
    sim::train(
        run.state, split, run.settings.options,
        [&](const sim::TrainProgress &p) {
            if (p.epochEnd)
                keep();
            report(p);
        },
        control);
    if (run.state.testAccuracy)
        keep(); // with the test accuracy in the run's record
    printOut(QStringLiteral("trained %1 epochs in %2 s: best epoch %3 (validation accuracy %4), "
                            "test accuracy %5 (reported only)\nwrote %6, %7 and %8\n")
                 .arg(run.state.epoch)
                 .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1)
                 .arg(run.state.bestEpoch)
                 .arg(percent(run.state.bestEpoch > 0
                                  ? run.state.history[std::size_t(run.state.bestEpoch) - 1]
                                        .validationAccuracy
                                  : std::nullopt),
                      percent(run.state.testAccuracy), out, sim::checkpointPath(out),
                      sim::runsPath(out)));
}

// snnc train, or with `finetune` snnc finetune MODEL (the same run started from MODEL).
int runTraining(const QStringList &arguments, bool finetune)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description(finetune));
    if (finetune)
        parser.addPositionalArgument(QStringLiteral("MODEL"),
                                     QStringLiteral("The graph to fine-tune."));
    const QCommandLineOption data(QStringLiteral("data"),
                                  QStringLiteral("The data set: fashion-mnist, a directory of IDX "
                                                 "files, IMAGES,LABELS or an HDF5 file."),
                                  QStringLiteral("DATA"));
    const QCommandLineOption output =
        outputOption(QStringLiteral("The trained graph (required)."), QStringLiteral("OUT"));
    const TrainArgs args({}, !finetune);
    const QCommandLineOption init(QStringLiteral("init"),
                                  QStringLiteral("Start from this graph instead of a new network."),
                                  QStringLiteral("MODEL"));
    const QCommandLineOption resume(
        QStringLiteral("resume"),
        QStringLiteral("Continue the run saved in OUT and OUT.state with its own settings (only "
                       "--epochs may change)."));
    const QCommandLineOption threads = threadsOption();
    parser.addOptions({data, output});
    args.addTo(parser);
    parser.addOption(threads);
    if (!finetune)
        parser.addOptions({init, resume});
    if (const int code = parse(parser, arguments, finetune ? 1 : 0); code >= 0)
        return code;
    requireOptions(parser, {&data, &output});
    const QString out = parser.value(output);
    sim::checkTrainingTargets(out);
    const bool resuming = !finetune && parser.isSet(resume);
    if (resuming && parser.isSet(init))
        throw Error(QStringLiteral("--resume continues with the run's own settings; --init "
                                   "cannot change (only --epochs can)"));
    Run run = resuming ? resumedRun(parser, args, out) : Run{args.read(parser), {}};
    run.settings.options.threads = threadCount(parser, threads);
    run.settings.validate();

    const sim::DataSplit split = run.settings.apply(sim::loadDataSplit(parser.value(data)));
    std::fprintf(stderr, "%s\n", qPrintable(sim::splitSummary(split)));
    if (resuming)
        std::fprintf(stderr, "resuming %s after epoch %d (best so far: epoch %d)\n",
                     qPrintable(out), run.state.epoch, run.state.bestEpoch);
    else if (finetune || parser.isSet(init))
        run.state = sim::TrainState::start(
            loadAnyGraph(finetune ? parser.positionalArguments().front() : parser.value(init)));
    else
        run.state = sim::TrainState::start(run.settings.newNetwork(
            split.train.features(),
            std::max(split.train.classes(), split.test ? split.test->classes() : 0)));
    trainKeeping(run, split, out, parser.value(data));
    return Success;
}

} // namespace

int runTrain(const QStringList &arguments)
{
    return runTraining(arguments, false);
}

int runFinetune(const QStringList &arguments)
{
    return runTraining(arguments, true);
}

} // namespace snn::cli
