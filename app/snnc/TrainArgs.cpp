#include "TrainArgs.h"

#include "Cli.h"
#include "SimArgs.h"
#include "base/Error.h"

namespace snn::cli {

namespace {

const sim::TrainSettings kDefaults;

QString option(const QCommandLineOption &o)
{
    return QStringLiteral("--") + o.names().front();
}

std::vector<int> parseSizes(const QCommandLineOption &hidden, const QString &text)
{
    std::vector<int> sizes;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n < 1)
            throw Error(QStringLiteral("%1 takes positive layer sizes like 256,64, not '%2'")
                            .arg(option(hidden), text));
        sizes.push_back(n);
    }
    return sizes;
}

} // namespace

TrainArgs::TrainArgs(const QString &p, bool newNetwork_)
    : epochs(p + QStringLiteral("epochs"),
             QStringLiteral("Epochs in all (default %1).").arg(kDefaults.options.epochs),
             QStringLiteral("N"), QString::number(kDefaults.options.epochs))
    , steps(p + QStringLiteral("steps"),
            QStringLiteral("Time steps per sample (default %1).").arg(kDefaults.options.steps),
            QStringLiteral("T"), QString::number(kDefaults.options.steps))
    , seed(p + QStringLiteral("seed"),
           QStringLiteral("Seed of the weights, batches and input spikes (default 1)."),
           QStringLiteral("S"), QStringLiteral("1"))
    , batch(p + QStringLiteral("batch"),
            QStringLiteral("Mini-batch size (default %1).").arg(kDefaults.options.batchSize),
            QStringLiteral("B"), QString::number(kDefaults.options.batchSize))
    , lr(p + QStringLiteral("lr"),
         QStringLiteral("Adam's learning rate (default %1).")
             .arg(double(kDefaults.options.learningRate)),
         QStringLiteral("X"), QString::number(double(kDefaults.options.learningRate)))
    , slope(p + QStringLiteral("slope"),
            QStringLiteral("Slope k of the fast-sigmoid surrogate (default %1).")
                .arg(double(kDefaults.options.surrogateSlope)),
            QStringLiteral("K"), QString::number(double(kDefaults.options.surrogateSlope)))
    , encoding(p + QStringLiteral("encoding"),
               QStringLiteral("Input encoding: current (default) or rate."), QStringLiteral("E"),
               sim::toString(kDefaults.options.encoding))
    , loss(p + QStringLiteral("loss"),
           QStringLiteral("count (cross-entropy on output spike counts, default) or membrane."),
           QStringLiteral("L"), sim::toString(kDefaults.options.loss))
    , qat(p + QStringLiteral("qat"),
          QStringLiteral("Quantisation-aware training at this weight width (2 to 8 bits; the "
                         "hardware's input spikes, so not with --%1encoding).")
              .arg(p),
          QStringLiteral("BITS"), QStringLiteral("0"))
    , qatClip(p + QStringLiteral("qat-clip"),
              QStringLiteral("With --%1qat: the percentile of |W| that maps to the largest "
                             "weight, per layer (50 to 100, default 100: the largest weight).")
                  .arg(p),
              QStringLiteral("P"), QStringLiteral("100"))
    , limit(p + QStringLiteral("limit"),
            QStringLiteral("Train on the first N training samples only."), QStringLiteral("N"),
            QStringLiteral("0"))
    , valSplit(p + validationSplitOption().names().front(), validationSplitOption().description(),
               QStringLiteral("N"), QString::number(sim::kDefaultValidationSize))
    , testLimit(p + QStringLiteral("test-limit"),
                QStringLiteral("Report the test accuracy on the first N test samples only."),
                QStringLiteral("N"), QStringLiteral("0"))
    , hidden(p + QStringLiteral("hidden"),
             QStringLiteral("Hidden layer sizes of a new network (default 256,64)."),
             QStringLiteral("SIZES"), QStringLiteral("256,64"))
    , beta(p + QStringLiteral("beta"),
           QStringLiteral("Membrane decay of a new network's LIF neurons (default 0.9)."),
           QStringLiteral("X"), QStringLiteral("0.9"))
    , newNetwork(newNetwork_)
{}

void TrainArgs::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({epochs, steps, seed, batch, lr, slope, encoding, loss, qat, qatClip, limit,
                       valSplit, testLimit});
    if (newNetwork)
        parser.addOptions({hidden, beta});
}

std::vector<const QCommandLineOption *> TrainArgs::fixed() const
{
    std::vector<const QCommandLineOption *> list{&steps,   &seed,     &batch,    &lr,
                                                 &slope,   &encoding, &loss,     &qat,
                                                 &qatClip, &limit,    &valSplit, &testLimit};
    if (newNetwork)
        list.insert(list.end(), {&hidden, &beta});
    return list;
}

sim::TrainSettings TrainArgs::read(const QCommandLineParser &parser) const
{
    sim::TrainSettings settings;
    sim::TrainOptions &o = settings.options;
    o.epochs = int(integerOption(parser, epochs));
    o.steps = int(integerOption(parser, steps));
    o.batchSize = int(integerOption(parser, batch));
    o.learningRate = float(numberOption(parser, lr.names().front()));
    o.surrogateSlope = float(numberOption(parser, slope.names().front()));
    o.testLimit = int(integerOption(parser, testLimit));
    bool ok = false;
    o.seed = parser.value(seed).toULongLong(&ok);
    if (!ok)
        throw Error(QStringLiteral("%1 takes a non-negative integer, not '%2'")
                        .arg(option(seed), parser.value(seed)));
    o.encoding = sim::kEncodingNames.parse(parser.value(encoding), option(encoding));
    o.qatBits = int(integerOption(parser, qat));
    o.qatClip = numberOption(parser, qatClip.names().front());
    if (o.qatBits != 0 && parser.isSet(encoding))
        throw Error(QStringLiteral("%1 trains on the hardware's input spikes; %2 does not apply")
                        .arg(option(qat), option(encoding)));
    if (parser.isSet(qatClip) && o.qatBits == 0)
        throw Error(QStringLiteral("%1 needs %2 BITS").arg(option(qatClip), option(qat)));
    o.loss = sim::kLossNames.parse(parser.value(loss), option(loss));
    settings.validationSize = validationSize(parser, valSplit);
    const long long n = integerOption(parser, limit);
    if (n < 0)
        throw Error(QStringLiteral("%1 must be >= 0, not %2").arg(option(limit)).arg(n));
    settings.trainLimit = int(std::min<long long>(n, 1 << 30));
    if (newNetwork) {
        settings.hidden = parseSizes(hidden, parser.value(hidden));
        settings.beta = float(numberOption(parser, beta.names().front()));
    }
    return settings;
}

} // namespace snn::cli
