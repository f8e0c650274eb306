#include "Cli.h"

#include "base/Error.h"

#include <QCoreApplication>

#include <csignal>
#include <exception>

#include <vector>

using namespace snn::cli;

namespace {

const std::vector<Command> &commands()
{
    static const std::vector<Command> list = {
        {QStringLiteral("example"), QStringLiteral("write the built-in example network"),
         runExample},
        {QStringLiteral("info"), QStringLiteral("describe a graph file"), runInfo},
        {QStringLiteral("optimize"), QStringLiteral("run optimisation passes on a graph"),
         runOptimize},
        {QStringLiteral("sweep"),
         QStringLiteral("run the passes at several values of one threshold"), runSweep},
        {QStringLiteral("import"), QStringLiteral("import a NIR graph into a graph file"),
         runImport},
        {QStringLiteral("export-nir"), QStringLiteral("export a graph as NIR"), runExportNir},
        {QStringLiteral("train"), QStringLiteral("train a network on a data set"), runTrain},
        {QStringLiteral("finetune"),
         QStringLiteral("train a model further (e.g. quantisation-aware, after the passes)"),
         runFinetune},
        {QStringLiteral("rates"), QStringLiteral("measure firing rates on a data set"), runRates},
        {QStringLiteral("eval"), QStringLiteral("measure accuracy on a data set"), runEval},
        {QStringLiteral("simulate"), QStringLiteral("record spikes for given input trains"),
         runSimulate},
        {QStringLiteral("export"), QStringLiteral("write an iCE40 hardware folder"), runExport},
        {QStringLiteral("synth"), QStringLiteral("synthesise for an iCE40 board"), runSynth},
        {QStringLiteral("verify"), QStringLiteral("check the hardware against the model"),
         runVerify},
        {QStringLiteral("flash"), QStringLiteral("write a bitstream to the board"), runFlash},
        {QStringLiteral("pipeline"),
         QStringLiteral("train, rates, passes, fine-tune and build in one go"), runPipeline},
        {QStringLiteral("run"), QStringLiteral("run samples on a flashed board"), runRun},
    };
    return list;
}

QString usage()
{
    QString text = QStringLiteral("Usage: snnc COMMAND [options] [files]\n\n"
                                  "SNN Studio's compiler: inspect, optimise and export spiking "
                                  "neural networks.\n\nCommands:\n");
    for (const Command &c : commands())
        text += QStringLiteral("  %1  %2\n").arg(c.name, -10).arg(c.summary);
    text += QStringLiteral("\nRun 'snnc COMMAND --help' for a command's options.\n");
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    // A file-size limit (ulimit -f) makes a write fail with EFBIG, which a save reports, instead
    // of killing the process.
    std::signal(SIGXFSZ, SIG_IGN);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("snnc"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SNN_VERSION));
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    if (arguments.isEmpty()) {
        printError(QStringLiteral("no command given"));
        std::fputs(qPrintable(usage()), stderr);
        return BadInput;
    }
    const QString name = arguments.front();
    if (name == QLatin1String("--help") || name == QLatin1String("-h") ||
        name == QLatin1String("help")) {
        printOut(usage());
        return Success;
    }
    if (name == QLatin1String("--version")) {
        printOut(QStringLiteral("snnc %1\n").arg(QCoreApplication::applicationVersion()));
        return Success;
    }
    for (const Command &c : commands()) {
        if (c.name != name)
            continue;
        try {
            return c.run(arguments);
        } catch (const snn::Cancelled &) {
            printError(QStringLiteral("interrupted"));
            return Interrupted;
        } catch (const snn::SaveError &e) {
            printError(e.message());
            return Failure;
        } catch (const snn::Error &e) {
            printError(e.message());
            return BadInput;
        } catch (const std::bad_alloc &) {
            // The readers name the dataset they were reading; this is anything else.
            printError(QStringLiteral("out of memory running 'snnc %1'")
                           .arg(snn::oneLine(arguments.join(QLatin1Char(' ')))));
            return Failure;
        } catch (const std::exception &e) {
            // A fault of snnc, not of its input (every refusal is an snn::Error): said, not
            // aborted on.
            printError(QStringLiteral("internal error running 'snnc %1': %2")
                           .arg(snn::oneLine(arguments.join(QLatin1Char(' '))),
                                snn::oneLine(QString::fromLocal8Bit(e.what()))));
            return Failure;
        }
    }
    printError(QStringLiteral("unknown command '%1' (run 'snnc --help' for the list)").arg(name));
    return BadInput;
}
