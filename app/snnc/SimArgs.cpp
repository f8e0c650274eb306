#include "SimArgs.h"

#include "Cli.h"

#include "base/Error.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace snn::cli {

SimArgs::SimArgs(const QString &dataName, bool split_)
    : data(dataName,
           QStringLiteral("The data set: fashion-mnist, a directory of IDX files, IMAGES,LABELS "
                          "(two IDX files) or an HDF5 file (docs/datasets.md)."),
           QStringLiteral("DATA"))
    , steps(QStringLiteral("steps"), QStringLiteral("Time steps per sample (default 25)."),
            QStringLiteral("T"), QStringLiteral("25"))
    , encoding(QStringLiteral("encoding"),
               QStringLiteral("Input encoding: rate (Bernoulli spikes) or current (constant "
                              "current); default rate."),
               QStringLiteral("E"), QStringLiteral("rate"))
    , seed(QStringLiteral("seed"), QStringLiteral("Seed of the input spikes (default 1)."),
           QStringLiteral("S"), QStringLiteral("1"))
    , threads(threadsOption())
    , limit(QStringLiteral("limit"), QStringLiteral("Use only the first N samples (default: all)."),
            QStringLiteral("N"), QStringLiteral("0"))
    , split(QStringLiteral("split"),
            QStringLiteral("Which set to run: test (default; the only set of a one-set source), "
                           "validation (the last --val-split training samples) or train (the "
                           "training samples before them)."),
            QStringLiteral("SET"), sim::kTestSplit)
    , valSplit(validationSplitOption())
    , withSplit(split_)
{}

void SimArgs::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({data, steps, encoding, seed, threads, limit});
    if (withSplit)
        parser.addOptions({split, valSplit});
}

QCommandLineOption validationSplitOption()
{
    return {QStringLiteral("val-split"),
            QStringLiteral("Hold out the last N training samples for validation: never trained "
                           "on (default %1).")
                .arg(sim::kDefaultValidationSize),
            QStringLiteral("N"), QString::number(sim::kDefaultValidationSize)};
}

int validationSize(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    const long long n = integerOption(parser, option);
    if (n < 0 || n > (1 << 30))
        throw Error(QStringLiteral("--%1 takes a number of samples >= 0, not %2")
                        .arg(option.names().front())
                        .arg(n));
    return int(n);
}

QCommandLineOption quantizedOption()
{
    return {QStringLiteral("quantized"),
            QStringLiteral("Also measure the bit-accurate hardware model at these weight widths "
                           "(e.g. 8,4) beside the float model, both on the hardware's input "
                           "spikes."),
            QStringLiteral("BITS")};
}

std::vector<int> weightWidths(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    std::vector<int> bits;
    if (!parser.isSet(option))
        return bits;
    for (const QString &part : parser.value(option).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int b = part.trimmed().toInt(&ok);
        if (!ok || b < 2 || b > 8)
            throw Error(
                QStringLiteral("--quantized takes weight widths from 2 to 8, not '%1'").arg(part));
        bits.push_back(b);
    }
    if (bits.empty())
        throw Error(QStringLiteral("--quantized needs at least one weight width"));
    return bits;
}

long long integerOption(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    bool ok = false;
    const QString text = parser.value(option);
    const long long value = text.toLongLong(&ok);
    if (!ok)
        throw Error(
            QStringLiteral("--%1 takes an integer, not '%2'").arg(option.names().front(), text));
    return value;
}

sim::SimOptions SimArgs::options(const QCommandLineParser &parser) const
{
    sim::SimOptions o;
    o.steps = int(integerOption(parser, steps));
    o.encoding = sim::kEncodingNames.parse(parser.value(encoding), QStringLiteral("--encoding"));
    bool ok = false;
    o.seed = parser.value(seed).toULongLong(&ok);
    if (!ok)
        throw Error(QStringLiteral("--seed takes a non-negative integer, not '%1'")
                        .arg(parser.value(seed)));
    o.threads = threadCount(parser);
    o.validate();
    if (withSplit && splitName(parser) == sim::kValidationSplit &&
        validationSize(parser, valSplit) == 0)
        throw Error(QStringLiteral("--split validation needs --val-split N > 0"));
    return o;
}

int SimArgs::threadCount(const QCommandLineParser &parser) const
{
    return cli::threadCount(parser, threads);
}

QCommandLineOption threadsOption()
{
    return {QStringLiteral("threads"),
            QStringLiteral("Worker threads (default 0: all cores; results do not depend on it)."),
            QStringLiteral("N"), QStringLiteral("0")};
}

int threadCount(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    const long long count = integerOption(parser, option);
    const int hardware = std::max(1, int(std::thread::hardware_concurrency()));
    if (count < 0 || count > hardware)
        throw Error(QStringLiteral("--threads takes 0 (all cores) or 1 to %1 (this machine's "
                                   "hardware threads), not %2")
                        .arg(hardware)
                        .arg(count));
    return int(count);
}

int SimArgs::sampleLimit(const QCommandLineParser &parser) const
{
    const long long n = integerOption(parser, limit);
    if (n < 0)
        throw Error(QStringLiteral("--limit must be >= 0, not %1").arg(n));
    return int(std::min<long long>(n, 1 << 30));
}

QString SimArgs::splitName(const QCommandLineParser &parser) const
{
    const QString which = withSplit ? parser.value(split) : sim::kTestSplit;
    if (which != sim::kTestSplit && which != sim::kTrainSplit && which != sim::kValidationSplit)
        throw Error(QStringLiteral("--split takes test, validation or train, not '%1'").arg(which));
    return which;
}

sim::Dataset SimArgs::evaluationSet(const QCommandLineParser &parser) const
{
    requireOptions(parser, {&data});
    const QString which = splitName(parser);
    return sim::loadSamples(parser.value(data), which,
                            which == sim::kTestSplit ? 0 : validationSize(parser, valSplit),
                            sampleLimit(parser));
}

namespace {
bool g_progressShown = false;
}

RunControl stderrProgress()
{
    if (!isatty(2))
        return {}; // a log or a pipe gets no meter: only the commands' own lines
    struct State {
        std::mutex mutex;
        QElapsedTimer timer;
    };
    auto state = std::make_shared<State>();
    state->timer.start();
    RunControl control;
    control.progress = [state](double fraction, const QString &step) {
        std::lock_guard lock(state->mutex);
        if (state->timer.elapsed() < 500 && fraction < 1.0)
            return;
        state->timer.restart();
        std::fprintf(stderr, "\r%s %3d%%  ", qPrintable(step), int(100.0 * fraction));
        std::fflush(stderr);
        g_progressShown = true;
    };
    return control;
}

void clearProgress()
{
    if (g_progressShown)
        std::fputs("\r\033[K", stderr);
    g_progressShown = false;
}

} // namespace snn::cli
