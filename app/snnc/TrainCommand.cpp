#include "Cli.h"

#include "nir/AnyGraphFile.h"

#include "SimArgs.h"
#include "base/Error.h"
#include "io/GraphFile.h"
#include "train/TrainRun.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <cstdio>

namespace snn::cli {

namespace {

std::vector<int> parseSizes(const QString &text)
{
    std::vector<int> sizes;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n < 1)
            throw Error(QStringLiteral("--hidden takes positive layer sizes like 256,64, not '%1'")
                            .arg(text));
        sizes.push_back(n);
    }
    return sizes;
}

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

} // namespace

namespace {

// snnc train, or with `finetune` snnc finetune MODEL (the same run started from MODEL).
int runTraining(const QStringList &arguments, bool finetune)
{
    const sim::TrainSettings defaults;
    QCommandLineParser parser;
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
    parser.setApplicationDescription(
        finetune ? QStringLiteral("Fine-tune MODEL (e.g. after the passes): train its weights "
                                  "and biases further, keeping its shape and neurons. ") +
                       common
                 : QStringLiteral("Train a spiking network with surrogate-gradient "
                                  "back-propagation through time (fast sigmoid), cross-entropy "
                                  "on output spike counts, Adam. ") +
                       common);
    if (finetune)
        parser.addPositionalArgument(QStringLiteral("MODEL"),
                                     QStringLiteral("The graph to fine-tune."));
    const QCommandLineOption data(QStringLiteral("data"),
                                  QStringLiteral("The data set: fashion-mnist, a directory of IDX "
                                                 "files, IMAGES,LABELS or an HDF5 file."),
                                  QStringLiteral("DATA"));
    const QCommandLineOption output =
        outputOption(QStringLiteral("The trained graph (required)."), QStringLiteral("OUT"));
    const QCommandLineOption epochs(
        QStringLiteral("epochs"),
        QStringLiteral("Epochs in all (default %1).").arg(defaults.options.epochs),
        QStringLiteral("N"), QString::number(defaults.options.epochs));
    const QCommandLineOption steps(
        QStringLiteral("steps"),
        QStringLiteral("Time steps per sample (default %1).").arg(defaults.options.steps),
        QStringLiteral("T"), QString::number(defaults.options.steps));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of the weights, batches and input spikes "
                                                 "(default 1)."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption batch(
        QStringLiteral("batch"),
        QStringLiteral("Mini-batch size (default %1).").arg(defaults.options.batchSize),
        QStringLiteral("B"), QString::number(defaults.options.batchSize));
    const QCommandLineOption lr(QStringLiteral("lr"),
                                QStringLiteral("Adam's learning rate (default %1).")
                                    .arg(double(defaults.options.learningRate)),
                                QStringLiteral("X"),
                                QString::number(double(defaults.options.learningRate)));
    const QCommandLineOption slope(QStringLiteral("slope"),
                                   QStringLiteral("Slope k of the fast-sigmoid surrogate (default "
                                                  "%1).")
                                       .arg(double(defaults.options.surrogateSlope)),
                                   QStringLiteral("K"),
                                   QString::number(double(defaults.options.surrogateSlope)));
    const QCommandLineOption encoding(
        QStringLiteral("encoding"), QStringLiteral("Input encoding: current (default) or rate."),
        QStringLiteral("E"), sim::toString(defaults.options.encoding));
    const QCommandLineOption loss(QStringLiteral("loss"),
                                  QStringLiteral("count (cross-entropy on output spike counts, "
                                                 "default) or membrane."),
                                  QStringLiteral("L"), sim::toString(defaults.options.loss));
    const QCommandLineOption hidden(QStringLiteral("hidden"),
                                    QStringLiteral("Hidden layer sizes of a new network (default "
                                                   "256,64)."),
                                    QStringLiteral("SIZES"), QStringLiteral("256,64"));
    const QCommandLineOption beta(QStringLiteral("beta"),
                                  QStringLiteral("Membrane decay of a new network's LIF neurons "
                                                 "(default 0.9)."),
                                  QStringLiteral("X"), QStringLiteral("0.9"));
    const QCommandLineOption init(QStringLiteral("init"),
                                  QStringLiteral("Start from this graph instead of a new network."),
                                  QStringLiteral("MODEL"));
    const QCommandLineOption resume(
        QStringLiteral("resume"),
        QStringLiteral("Continue the run saved in OUT and OUT.state with its own settings (only "
                       "--epochs may change)."));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("Train on the first N training samples only."),
                                   QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption valSplit = validationSplitOption();
    const QCommandLineOption testLimit(
        QStringLiteral("test-limit"),
        QStringLiteral("Report the test accuracy on the first N test samples only."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption qat(QStringLiteral("qat"),
                                 QStringLiteral("Quantisation-aware training at this weight width "
                                                "(2 to 8 bits; the hardware's input spikes, so "
                                                "not with --encoding)."),
                                 QStringLiteral("BITS"), QStringLiteral("0"));
    const QCommandLineOption qatClip(QStringLiteral("qat-clip"),
                                     QStringLiteral("With --qat: the percentile of |W| that maps "
                                                    "to the largest weight, per layer (50 to 100, "
                                                    "default 100: the largest weight)."),
                                     QStringLiteral("P"), QStringLiteral("100"));
    const QCommandLineOption threads = threadsOption();
    parser.addOptions({data, output, epochs, steps, seed, batch, lr, slope, encoding, loss, qat,
                       qatClip, limit, valSplit, testLimit, threads});
    if (!finetune)
        parser.addOptions({hidden, beta, init, resume});
    if (const int code = parse(parser, arguments, finetune ? 1 : 0); code >= 0)
        return code;
    if (!parser.isSet(data))
        throw Error(QStringLiteral("--data is required"));
    if (!parser.isSet(output))
        throw Error(QStringLiteral("-o OUT is required"));
    checkOutputs(parser, {&output});
    const QString out = parser.value(output);
    const QString statePath = sim::checkpointPath(out);
    const bool resuming = !finetune && parser.isSet(resume);

    sim::TrainSettings settings;
    sim::TrainState state;
    QString runId = QDateTime::currentDateTime().toString(Qt::ISODate);
    if (resuming) {
        for (const QCommandLineOption *fixed :
             {&steps, &seed, &batch, &lr, &slope, &encoding, &loss, &qat, &qatClip, &hidden, &beta,
              &init, &limit, &valSplit, &testLimit})
            if (parser.isSet(*fixed))
                throw Error(QStringLiteral("--resume continues with the run's own settings; "
                                           "--%1 cannot change (only --epochs can)")
                                .arg(fixed->names().front()));
        sim::Checkpoint c = sim::loadCheckpoint(loadGraph(out), statePath);
        settings = c.settings;
        state = std::move(c.state);
        runId = c.runId;
    } else {
        sim::TrainOptions &o = settings.options;
        o.steps = int(integerOption(parser, steps));
        o.batchSize = int(integerOption(parser, batch));
        o.learningRate = float(numberOption(parser, lr.names().front()));
        o.surrogateSlope = float(numberOption(parser, slope.names().front()));
        o.testLimit = int(integerOption(parser, testLimit));
        bool ok = false;
        o.seed = parser.value(seed).toULongLong(&ok);
        if (!ok)
            throw Error(QStringLiteral("--seed takes a non-negative integer, not '%1'")
                            .arg(parser.value(seed)));
        o.encoding =
            sim::kEncodingNames.parse(parser.value(encoding), QStringLiteral("--encoding"));
        o.qatBits = int(integerOption(parser, qat));
        o.qatClip = numberOption(parser, qatClip.names().front());
        if (o.qatBits != 0 && parser.isSet(encoding))
            throw Error(QStringLiteral("--qat trains on the hardware's input spikes; --encoding "
                                       "does not apply"));
        if (parser.isSet(qatClip) && o.qatBits == 0)
            throw Error(QStringLiteral("--qat-clip needs --qat BITS"));
        o.loss = sim::kLossNames.parse(parser.value(loss), QStringLiteral("--loss"));
        settings.validationSize = validationSize(parser, valSplit);
        const long long n = integerOption(parser, limit);
        if (n < 0)
            throw Error(QStringLiteral("--limit must be >= 0, not %1").arg(n));
        settings.trainLimit = int(std::min<long long>(n, 1 << 30));
        if (!finetune) {
            settings.hidden = parseSizes(parser.value(hidden));
            settings.beta = float(numberOption(parser, beta.names().front()));
        }
    }
    settings.options.epochs = int(integerOption(parser, epochs));
    settings.options.threads = threadCount(parser, threads);
    settings.validate();

    const sim::DataSplit split = settings.apply(sim::loadDataSplit(parser.value(data)));
    std::fprintf(stderr, "%s\n", qPrintable(sim::splitSummary(split)));
    if (resuming) {
        std::fprintf(stderr, "resuming %s after epoch %d (best so far: epoch %d)\n",
                     qPrintable(out), state.epoch, state.bestEpoch);
    } else if (finetune || parser.isSet(init)) {
        state = sim::TrainState::start(
            loadAnyGraph(finetune ? parser.positionalArguments().front() : parser.value(init)));
    } else {
        state = sim::TrainState::start(settings.newNetwork(
            split.train.features(),
            std::max(split.train.classes(), split.test ? split.test->classes() : 0)));
    }

    QElapsedTimer timer;
    timer.start();
    const double startFraction =
        settings.options.epochs > 0 ? double(state.epoch) / settings.options.epochs : 1.0;
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
                     state.bestEpoch == p.epoch && split.validation ? " best" : "",
                     qPrintable(rates(p)));
    };
    // After every epoch: the best graph, the checkpoint and the run's record, so that a stopped
    // run keeps its best epoch and can resume; all three or none (a failed write changes none).
    const auto keep = [&] {
        sim::saveTraining(out, state, settings,
                          sim::TrainRun::of(runId, parser.value(data), settings, state));
    };
    sim::train(
        state, split, settings.options,
        [&](const sim::TrainProgress &p) {
            if (p.epochEnd)
                keep();
            report(p);
        },
        control);
    if (state.testAccuracy)
        keep(); // with the test accuracy in the run's record
    printOut(
        QStringLiteral("trained %1 epochs in %2 s: best epoch %3 (validation accuracy %4), "
                       "test accuracy %5 (reported only)\nwrote %6, %7 and %8\n")
            .arg(state.epoch)
            .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1)
            .arg(state.bestEpoch)
            .arg(percent(state.bestEpoch > 0
                             ? state.history[std::size_t(state.bestEpoch) - 1].validationAccuracy
                             : std::nullopt),
                 percent(state.testAccuracy), out, statePath, sim::runsPath(out)));
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
