#pragma once

// What a training run is made of and what it leaves behind (docs/simulation.md): its settings
// (every snnc train option), the checkpoint that lets a stopped run resume exactly, and the run
// record (settings and per-epoch curves) kept beside the model so that runs can be compared.

#include "train/Trainer.h"

#include <QJsonObject>

#include <optional>
#include <vector>

namespace snn::sim {

// Every setting of a run: the trainer's options, how the data is split, and the shape of a new
// network (unused when training starts from an existing graph).
struct TrainSettings {
    TrainOptions options;
    int validationSize = kDefaultValidationSize; // the last N training samples, never trained on
    int trainLimit = 0;                          // train on the first N samples only (0: all)
    std::vector<int> hidden{256, 64};            // a new network's hidden layer sizes
    float beta = 0.9f;                           // a new network's LIF membrane decay

    // Throws Error naming a bad setting.
    void validate() const;
    // The data the run trains on: the validation set held out (holdOutValidation), then the
    // training samples cut to trainLimit. Throws Error when the split leaves nothing to train on.
    DataSplit apply(DataSplit data) const;
    // A new network for data of `inputs` features and `classes` classes, seeded by the options.
    Graph newNetwork(int inputs, int classes) const;

    // One line for legends: "lr 0.001, batch 128, T=25, current, count, k=5, seed 1, val 5000".
    QString summary() const;
    QJsonObject toJson() const;
    // Missing keys keep their defaults; a value of the wrong type or out of range throws Error.
    static TrainSettings fromJson(const QJsonObject &json);
    bool operator==(const TrainSettings &) const = default;
};

// Trains `state` on `data` as `settings` say (apply(), then train()). A stop request keeps the
// epochs completed so far in `state` and returns true (stopped) instead of throwing Cancelled.
bool trainUntilStopped(TrainState &state, const DataSplit &data, const TrainSettings &settings,
                       const std::function<void(const TrainProgress &)> &progress,
                       const RunControl &control);

// The record of one run: settings, curves (one TrainProgress per completed epoch), the best
// epoch on validation and the selected graph's test accuracy (when the run completed).
struct TrainRun {
    QString id; // unique within a model's runs: the start time, "2026-12-01T14:20:05"
    QString data;
    TrainSettings settings;
    std::vector<TrainProgress> epochs;
    int bestEpoch = 0;
    std::optional<double> testAccuracy;
    double seconds = 0.0; // training time so far

    // The record of a run so far: `data` names the data set (the --data spec).
    static TrainRun of(const QString &id, const QString &data, const TrainSettings &settings,
                       const TrainState &state);
    QJsonObject toJson() const;
    static TrainRun fromJson(const QJsonObject &json); // throws Error
};

// "42 s", "3 min 5 s", "1 h 20 min": for time left and time taken.
QString formatDuration(double seconds);

// The runs kept beside a model: "<model>.runs.json", a JSON array, oldest first.
QString runsPath(const QString &modelPath);
// Empty when there is no such file; throws Error naming the file when it is not a runs file.
std::vector<TrainRun> loadRuns(const QString &modelPath);
// Adds the run, or replaces the one with the same id, and writes the file atomically.
void saveRun(const QString &modelPath, const TrainRun &run);
// What saveRun writes: the runs file with `run` added or replaced.
QByteArray runsFileBytes(const QString &modelPath, const TrainRun &run);
// The runs' curves as CSV: run, epoch, loss, train_accuracy, validation_accuracy, seconds.
QString runsCsv(const std::vector<TrainRun> &runs);

// The checkpoint beside a model: "<model>.state" holds the last completed epoch's weights, the
// optimiser's state, the curves, the best epoch and its graph (what the model file holds), and
// the settings. Resuming from it alone continues the run exactly as if it had not stopped.
QString checkpointPath(const QString &modelPath);
void saveCheckpoint(const QString &path, const TrainState &state, const TrainSettings &settings,
                    const QString &runId);
QByteArray checkpointBytes(const TrainState &state, const TrainSettings &settings,
                           const QString &runId);
// The model (the best graph), its checkpoint and the run's record in its runs file, all or none
// (writeAtomically of the three): a failed write leaves every one of them as it was. The
// checkpoint is renamed into place first, so that a process killed between the renames leaves a
// checkpoint at least as new as the other two, and resuming from it restores them
// (saveTraining again).
void saveTraining(const QString &modelPath, const TrainState &state, const TrainSettings &settings,
                  const TrainRun &run);
// Before a run that will write the model at `modelPath`: each of the three files must be one a
// save may replace (checkSaveTarget, which also removes the temporary files of killed saves), and
// an existing runs file must be readable (loadRuns), so that no epoch is trained in vain. Throws
// Error naming the file.
void checkTrainingTargets(const QString &modelPath);
struct Checkpoint {
    TrainState state;
    TrainSettings settings;
    QString runId; // the TrainRun::id it continues
};
// Throws Error naming the file when it is not a checkpoint or its parts do not fit its best graph.
Checkpoint loadCheckpoint(const QString &path);

} // namespace snn::sim
