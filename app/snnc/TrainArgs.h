#pragma once

// The options of a training run, parsed once into sim::TrainSettings: snnc train and snnc
// finetune take them as they are, snnc pipeline with the prefix "train-" (--train-epochs, ...),
// since its --steps and --seed are the hardware's.

#include "train/TrainRun.h"

#include <QCommandLineParser>

#include <vector>

namespace snn::cli {

struct TrainArgs {
    // `prefix` goes before every option's name; `newNetwork` adds --hidden and --beta, the shape
    // of a new network (snnc train).
    explicit TrainArgs(const QString &prefix = {}, bool newNetwork = false);

    QCommandLineOption epochs;
    QCommandLineOption steps;
    QCommandLineOption seed;
    QCommandLineOption batch;
    QCommandLineOption lr;
    QCommandLineOption slope;
    QCommandLineOption encoding;
    QCommandLineOption loss;
    QCommandLineOption qat;
    QCommandLineOption qatClip;
    QCommandLineOption limit;
    QCommandLineOption valSplit;
    QCommandLineOption testLimit;
    QCommandLineOption hidden;
    QCommandLineOption beta;
    bool newNetwork;

    void addTo(QCommandLineParser &parser) const;
    // The settings the options give (the defaults where none is given; threads are not a setting
    // of the run). Throws Error naming a bad option; the settings are not validate()d.
    sim::TrainSettings read(const QCommandLineParser &parser) const;
    // The options that fix a run's settings: all but the epochs (what --resume refuses).
    std::vector<const QCommandLineOption *> fixed() const;
};

} // namespace snn::cli
