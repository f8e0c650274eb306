#include "Cli.h"

#include "HwOptions.h"
#include "PassArgs.h"
#include "SimArgs.h"
#include "TrainArgs.h"
#include "base/Error.h"
#include "flow/Pipeline.h"
#include "io/AtomicFile.h"
#include "nir/AnyGraphFile.h"

#include <QDir>
#include <QFileInfo>

#include <cstdio>

namespace snn::cli {

namespace {

// The files the run left in `dir`: "DIR/optimized.h5, DIR/report.json and DIR/hardware".
QString written(const QString &dir)
{
    QStringList files;
    for (const char *name : {"optimized.h5", "report.json", "hardware"})
        if (QFileInfo::exists(QDir(dir).filePath(QLatin1String(name))))
            files << QDir(dir).filePath(QLatin1String(name));
    if (files.size() < 2)
        return files.isEmpty() ? QStringLiteral("nothing") : files.front();
    const QString last = files.takeLast();
    return QStringLiteral("%1 and %2").arg(files.join(QStringLiteral(", ")), last);
}

} // namespace

int runPipeline(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The whole chain on MODEL, headless (docs/pipeline.md): train it first when it is "
        "untrained (no measured firing rates; --train always, --no-train never), measure the "
        "firing rates on the validation split of DATA (its last 5,000 training samples), run the "
        "passes with accuracy on its test split (and the FPGA core's, at the weight bits chosen "
        "for the board), fine-tune their result through the core with --finetune-qat N, and "
        "build: export, synthesis (yosys, nextpnr-ice40, icepack, icetime) and a short RTL "
        "verify. DIR receives optimized.h5, report.json and the hardware folder (with top.bin). "
        "One line per stage on standard error."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("An SNN Studio graph (.h5) or a NIR file."));
    const SimArgs sim;
    const PassArgs passArgs;
    const HwOptionSet hwOptions;
    const TrainArgs trainArgs(QStringLiteral("train-"));
    const QCommandLineOption output =
        outputOption(QStringLiteral("The folder to write (created when missing; required)."),
                     QStringLiteral("DIR"));
    const QCommandLineOption train(QStringLiteral("train"),
                                   QStringLiteral("Train first even when MODEL has measured rates "
                                                  "(with the --train-* settings)."));
    const QCommandLineOption noTrain(QStringLiteral("no-train"),
                                     QStringLiteral("Never train, even an untrained MODEL."));
    const QCommandLineOption fineTune(
        QStringLiteral("finetune-qat"),
        QStringLiteral("After the passes, train their result for N epochs through the FPGA core's "
                       "arithmetic at the chosen weight bits (default 0: no fine-tune)."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption noBuild(QStringLiteral("no-build"),
                                     QStringLiteral("End after the passes (and the fine-tune): no "
                                                    "hardware folder."));
    parser.addOptions({sim.data, output, train, noTrain, fineTune, noBuild, sim.threads});
    passArgs.addTo(parser);
    hwOptions.addTo(parser, false); // no target: the build settles on the graph alone
    trainArgs.addTo(parser);
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;

    requireOptions(parser, {&sim.data, &output});
    const QString dir = parser.value(output);
    if (QFileInfo(dir).exists() && !QFileInfo(dir).isDir())
        throw Error(QStringLiteral("-o %1: it is a file, not a folder").arg(dir));
    if (parser.isSet(train) && parser.isSet(noTrain))
        throw Error(QStringLiteral("--train and --no-train exclude each other"));
    flow::PipelineSettings settings;
    settings.training = parser.isSet(train)     ? flow::Training::Always
                        : parser.isSet(noTrain) ? flow::Training::Never
                                                : flow::Training::IfUntrained;
    settings.train = trainArgs.read(parser);
    settings.train.options.threads = sim.threadCount(parser);
    settings.passes = passArgs.passList(parser);
    settings.optimize = passArgs.read(parser);
    settings.optimize.threads = settings.train.options.threads;
    settings.fineTuneEpochs = int(integerOption(parser, fineTune));
    settings.build = !parser.isSet(noBuild);
    settings.hardware = hwOptions.readAutomatic(parser);
    settings.outputDirectory = dir;

    flow::Pipeline pipeline;
    pipeline.setSettings(settings);
    pipeline.setGraph(loadAnyGraph(parser.positionalArguments().front()));
    pipeline.setData(
        std::make_shared<const sim::DataSplit>(sim::loadDataSplit(parser.value(sim.data))));
    pipeline.check(); // bad input: before any work
    makeFolder(dir);
    RunControl lines; // one line per stage as it ends
    lines.progress = [](double, const QString &line) {
        std::fprintf(stderr, "%s\n", qPrintable(line));
    };
    QString summary;
    const bool ok = flow::runToEnd(pipeline, lines, &summary);
    printOut(QStringLiteral("%1\nwrote %2\n").arg(summary, written(dir)));
    if (ok)
        return Success;
    printError(pipeline.failure()); // a tool's failure, a file that cannot be written
    return Failure;
}

} // namespace snn::cli
