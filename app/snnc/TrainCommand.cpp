#include "Cli.h"

#include "AnyGraphFile.h"

#include "Error.h"
#include "GraphFile.h"
#include "SimArgs.h"
#include "sim/Trainer.h"

#include <QElapsedTimer>
#include <QFileInfo>

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

} // namespace

int runTrain(const QStringList &arguments)
{
    const sim::TrainOptions defaults;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Train a spiking network with surrogate-gradient back-propagation through time (fast "
        "sigmoid), cross-entropy on output spike counts, Adam. Writes the graph (with firing rates "
        "measured on the test set) after every epoch, and the optimiser state to OUT.state so that "
        "--resume continues where a stopped run left off."));
    const QCommandLineOption data(QStringLiteral("data"),
                                  QStringLiteral("The data set: fashion-mnist, a directory of IDX "
                                                 "files, IMAGES,LABELS or an HDF5 file."),
                                  QStringLiteral("DATA"));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("The trained graph (required)."),
                                    QStringLiteral("OUT"));
    const QCommandLineOption epochs(
        QStringLiteral("epochs"),
        QStringLiteral("Epochs in all (default %1).").arg(defaults.epochs), QStringLiteral("N"),
        QString::number(defaults.epochs));
    const QCommandLineOption steps(
        QStringLiteral("steps"),
        QStringLiteral("Time steps per sample (default %1).").arg(defaults.steps),
        QStringLiteral("T"), QString::number(defaults.steps));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of the weights, batches and input spikes "
                                                 "(default 1)."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption batch(
        QStringLiteral("batch"),
        QStringLiteral("Mini-batch size (default %1).").arg(defaults.batchSize),
        QStringLiteral("B"), QString::number(defaults.batchSize));
    const QCommandLineOption lr(
        QStringLiteral("lr"),
        QStringLiteral("Adam's learning rate (default %1).").arg(double(defaults.learningRate)),
        QStringLiteral("X"), QString::number(double(defaults.learningRate)));
    const QCommandLineOption slope(
        QStringLiteral("slope"),
        QStringLiteral("Slope k of the fast-sigmoid surrogate (default %1).")
            .arg(double(defaults.surrogateSlope)),
        QStringLiteral("K"), QString::number(double(defaults.surrogateSlope)));
    const QCommandLineOption encoding(QStringLiteral("encoding"),
                                      QStringLiteral("Input encoding: current (default) or rate."),
                                      QStringLiteral("E"), sim::toString(defaults.encoding));
    const QCommandLineOption loss(QStringLiteral("loss"),
                                  QStringLiteral("count (cross-entropy on output spike counts, "
                                                 "default) or membrane."),
                                  QStringLiteral("L"), sim::toString(defaults.loss));
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
    const QCommandLineOption resume(QStringLiteral("resume"),
                                    QStringLiteral("Continue the run saved in OUT and OUT.state."));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("Train on the first N samples only."),
                                   QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption testLimit(QStringLiteral("test-limit"),
                                       QStringLiteral("Evaluate on the first N test samples only."),
                                       QStringLiteral("N"), QStringLiteral("0"));
    parser.addOptions({data, output, epochs, steps, seed, batch, lr, slope, encoding, loss, hidden,
                       beta, init, resume, limit, testLimit});
    if (const int code = parse(parser, arguments, 0); code >= 0)
        return code;
    if (!parser.isSet(data))
        throw Error(QStringLiteral("--data is required"));
    if (!parser.isSet(output))
        throw Error(QStringLiteral("-o OUT is required"));
    checkOutputs(parser, {&output});

    sim::TrainOptions options;
    options.epochs = int(integerOption(parser, epochs));
    options.steps = int(integerOption(parser, steps));
    options.batchSize = int(integerOption(parser, batch));
    options.learningRate = float(numberOption(parser, lr.names().front()));
    options.surrogateSlope = float(numberOption(parser, slope.names().front()));
    options.testLimit = int(integerOption(parser, testLimit));
    bool ok = false;
    options.seed = parser.value(seed).toULongLong(&ok);
    if (!ok)
        throw Error(QStringLiteral("--seed takes a non-negative integer, not '%1'")
                        .arg(parser.value(seed)));
    if (!sim::parseEncoding(parser.value(encoding), &options.encoding))
        throw Error(QStringLiteral("--encoding takes rate or current, not '%1'")
                        .arg(parser.value(encoding)));
    if (!sim::parseLoss(parser.value(loss), &options.loss))
        throw Error(
            QStringLiteral("--loss takes count or membrane, not '%1'").arg(parser.value(loss)));
    options.validate();
    const QString out = parser.value(output);
    const QString statePath = out + QStringLiteral(".state");

    sim::DataSplit split = sim::loadDataSplit(parser.value(data));
    if (const long long n = integerOption(parser, limit); n > 0)
        split.train = split.train.head(int(std::min<long long>(n, 1 << 30)));

    sim::TrainState state;
    if (parser.isSet(resume)) {
        state = sim::TrainState::load(loadGraph(out), statePath);
        std::fprintf(stderr, "resuming %s after epoch %d\n", qPrintable(out), state.epoch);
    } else if (parser.isSet(init)) {
        state = sim::TrainState::start(loadAnyGraph(parser.value(init)));
    } else {
        std::vector<int> sizes = parseSizes(parser.value(hidden));
        sizes.push_back(std::max(split.train.classes(), split.test ? split.test->classes() : 0));
        NeuronParams p;
        p.beta = float(numberOption(parser, beta.names().front()));
        state = sim::TrainState::start(
            sim::initialGraph(split.train.features(), sizes, p, options.seed));
        state.graph.validate();
    }

    QElapsedTimer timer, epochTimer;
    timer.start();
    epochTimer.start();
    RunControl control = stderrProgress();
    const auto report = [&](const sim::TrainProgress &p) {
        if (!p.epochEnd) {
            control.report(p.fraction, QStringLiteral("epoch %1/%2 batch %3/%4 loss %5 train %6%")
                                           .arg(p.epoch)
                                           .arg(p.epochs)
                                           .arg(p.batch)
                                           .arg(p.batches)
                                           .arg(p.loss, 0, 'f', 3)
                                           .arg(100.0 * p.trainAccuracy, 0, 'f', 1));
            return;
        }
        clearProgress();
        std::fprintf(stderr, "epoch %d/%d: loss %.4f, train %.2f%%, test %s, %.1f s; rates: %s\n",
                     p.epoch, p.epochs, p.loss, 100.0 * p.trainAccuracy,
                     p.testAccuracy
                         ? qPrintable(QStringLiteral("%1%").arg(100.0 * *p.testAccuracy, 0, 'f', 2))
                         : "n/a",
                     double(epochTimer.restart()) / 1000.0, qPrintable(rates(p)));
    };
    // Save after every epoch (train() has already stored it in `state`), so that a stopped run
    // can resume.
    sim::train(
        state, split, options,
        [&](const sim::TrainProgress &p) {
            report(p);
            if (p.epochEnd) {
                state.save(out, statePath);
            }
        },
        control);
    const sim::TrainProgress *last = state.history.empty() ? nullptr : &state.history.back();
    printOut(QStringLiteral("trained %1 epochs in %2 s: loss %3, train accuracy %4%, test accuracy "
                            "%5\nwrote %6 and %7\n")
                 .arg(state.epoch)
                 .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1)
                 .arg(last ? last->loss : 0.0, 0, 'f', 4)
                 .arg(last ? 100.0 * last->trainAccuracy : 0.0, 0, 'f', 2)
                 .arg(last && last->testAccuracy
                          ? QStringLiteral("%1%").arg(100.0 * *last->testAccuracy, 0, 'f', 2)
                          : QStringLiteral("n/a"),
                      out, statePath));
    return Success;
}

} // namespace snn::cli
