#pragma once

// Shared plumbing of the snnc commands: each command is a function from its arguments to an exit
// code; errors are one line on stderr.

#include "graph/Graph.h"

#include <QCommandLineParser>
#include <QStringList>

#include <functional>
#include <initializer_list>

namespace snn::cli {

enum ExitCode { Success = 0, Failure = 1, BadInput = 2, Interrupted = 130 };

struct Command {
    QString name;
    QString summary;
    std::function<int(const QStringList &arguments)> run;
};

// Parses `arguments` (the command name first). Prints help and returns Success for --help,
// prints a one-line error and returns BadInput for bad usage; returns -1 to go on.
// `positional` is the exact number of positional arguments the command takes.
int parse(QCommandLineParser &parser, const QStringList &arguments, int positional);

void printError(const QString &message);
void printOut(const QString &text);

// -o/--output, the file or folder a command writes (`valueName`: OUT, FILE, DIR...).
QCommandLineOption outputOption(const QString &description, const QString &valueName);

// Throws Error("--data is required", "-o OUT is required") for the first of `options` not given.
void requireOptions(const QCommandLineParser &parser,
                    std::initializer_list<const QCommandLineOption *> options);

// Throws Error for an option naming a file to write that no save could write (empty, a folder, a
// FIFO, a device, a missing folder: see checkSaveTarget), before the command does its work.
// An unset option and '-' (standard output) pass.
void checkOutputs(const QCommandLineParser &parser,
                  std::initializer_list<const QCommandLineOption *> options);

// The MODEL argument, declared and read alike: an SNN Studio graph (loadGraph), or with `nir` a
// NIR file too (loadAnyGraph), so that a command's help says what it reads.
struct ModelArgument {
    bool nir = false;
    void addTo(QCommandLineParser &parser) const;
    Graph load(const QCommandLineParser &parser) const;
};

// Reads a number option, or throws Error naming it.
double numberOption(const QCommandLineParser &parser, const QString &name);

// --dt for the NIR commands: seconds per simulation step, and its checked value.
const QCommandLineOption &nirDtOption();
double nirDt(const QCommandLineParser &parser);

// The commands, each in its own file.
int runExample(const QStringList &arguments);
int runInfo(const QStringList &arguments);
int runOptimize(const QStringList &arguments);
int runSweep(const QStringList &arguments);
int runPipeline(const QStringList &arguments);
int runImport(const QStringList &arguments);
int runExportNir(const QStringList &arguments);
int runTrain(const QStringList &arguments);
int runFinetune(const QStringList &arguments);
int runRates(const QStringList &arguments);
int runEval(const QStringList &arguments);
int runExport(const QStringList &arguments);
int runSynth(const QStringList &arguments);
int runVerify(const QStringList &arguments);
int runFlash(const QStringList &arguments);
int runRun(const QStringList &arguments);
int runSimulate(const QStringList &arguments);

} // namespace snn::cli
