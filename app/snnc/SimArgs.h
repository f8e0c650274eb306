#pragma once

// Options shared by the snnc commands that run data through a network (train, rates, eval,
// optimize --validate).

#include "base/RunControl.h"
#include "sim/Dataset.h"
#include "sim/Engine.h"

#include <QCommandLineParser>

namespace snn::cli {

struct SimArgs {
    // `dataName` is the option naming the data set ("data" or "validate").
    explicit SimArgs(const QString &dataName = QStringLiteral("data"), bool withSplit = true);

    QCommandLineOption data;
    QCommandLineOption steps;
    QCommandLineOption encoding;
    QCommandLineOption seed;
    QCommandLineOption threads;
    QCommandLineOption limit;
    QCommandLineOption split;
    QCommandLineOption valSplit;
    bool withSplit;

    void addTo(QCommandLineParser &parser) const;
    // Throw Error naming a bad option (the split's too).
    sim::SimOptions options(const QCommandLineParser &parser) const;
    int threadCount(const QCommandLineParser &parser) const; // --threads, checked; 0: all cores
    int sampleLimit(const QCommandLineParser &parser) const; // 0: all
    // --split: test, train or validation (the last --val-split training samples; train is the
    // training samples before them). Throws Error for anything else.
    QString splitName(const QCommandLineParser &parser) const;
    // The set --split names, cut to --limit.
    sim::Dataset evaluationSet(const QCommandLineParser &parser) const;
};

// --quantized 8,4 (eval, optimize): weight widths at which the bit-accurate hardware model is
// measured beside the float model, both on the hardware's own input spikes.
QCommandLineOption quantizedOption();
// The widths of --quantized, or throws Error naming a bad one.
std::vector<int> weightWidths(const QCommandLineParser &parser, const QCommandLineOption &option);

// --val-split N: the last N training samples held out for validation (default 5000).
QCommandLineOption validationSplitOption();
// Reads --val-split, or throws Error naming a bad value.
int validationSize(const QCommandLineParser &parser, const QCommandLineOption &option);

// --threads N (0: all cores), and its value checked against this machine's hardware threads.
QCommandLineOption threadsOption();
int threadCount(const QCommandLineParser &parser, const QCommandLineOption &option);

// Reads an integer option, or throws Error naming it.
long long integerOption(const QCommandLineParser &parser, const QCommandLineOption &option);

// Progress on stderr ("step 42%"), at most every half second, and cleared at the end; only when
// stderr is a terminal (no control when it is not), so that a log or a pipe holds clean lines.
RunControl stderrProgress();
void clearProgress();

} // namespace snn::cli
