#pragma once

// Labelled data sets for simulation, rate measurement and training (docs/datasets.md).

#include "base/Matrix.h"

#include <QString>

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace snn::sim {

// n samples: x is [n x features] with values in [0, 1], y one class index per sample.
struct Dataset {
    QString name; // where it came from, for messages
    RowMatrixXf x;
    std::vector<int> y;

    int size() const { return int(x.rows()); }
    int features() const { return int(x.cols()); }
    bool isEmpty() const { return x.rows() == 0; }
    int classes() const; // max label + 1 (0 when empty)
    // The first n samples (all of them when n >= size()).
    Dataset head(int n) const;
    // The last n samples (all of them when n >= size()): the validation split
    // (holdOutValidation).
    Dataset tail(int n) const;
    // Throws Error when the set holds no sample, the feature count differs from `inputs`, or a
    // label is not a valid output index of a network with `outputs` outputs.
    void checkFits(int inputs, int outputs) const;
};

// The most classes a data set may have: its labels are integers in [0, kMaxClasses - 1]. A new
// network gets one output neuron per class (snnc train sizes its output layer from the largest
// label), so the cap bounds that layer too.
inline constexpr int kMaxClasses = 65536;

// A data set from arrays as a file or Python holds them: x [n x features] and y [n] labels stored
// as numbers. Throws Error "WHERE: ..." when x and y differ in samples, a value of x lies outside
// [0, 1] (NaN included) or a label is not a class index (an integer in [0, kMaxClasses - 1]). The
// one check of a data set's values, whichever door it comes through.
Dataset makeDataset(const QString &name, RowMatrixXf x, std::span<const double> y,
                    const QString &where);

// A training set, an optional validation set held out from the training samples
// (holdOutValidation) and an optional test set. `label` names the source ("fashion-mnist", a
// file or directory name) for rates_source strings.
struct DataSplit {
    Dataset train;
    std::optional<Dataset> test;
    std::optional<Dataset> validation;
    QString label;
};

// "fashion-mnist: training on 3000 samples, validation on 1000 (the last training samples, never
// trained on), test 10000 (reported only)".
QString splitSummary(const DataSplit &split);

// The split names of rates_source strings and of snnc --split.
inline const QString kTrainSplit = QStringLiteral("train");
inline const QString kValidationSplit = QStringLiteral("validation");
inline const QString kTestSplit = QStringLiteral("test");

// The default size of the validation split (snnc --val-split, the studio's Training panel).
inline constexpr int kDefaultValidationSize = 5000;

// Moves the last n training samples into split.validation (n = 0: no validation set), so that
// the training set and the validation set never share a sample. Throws Error when n is negative
// or leaves no training sample.
void holdOutValidation(DataSplit &split, int n);

// The directory of the Debian package dataset-fashion-mnist.
QString fashionMnistDirectory();

// The samples [first, first + count) of a set.
struct SampleRange {
    qint64 first = 0;
    qint64 count = 0;
};
// Which samples of a set of `size` samples a reader decodes (empty: all of them).
using SampleSelection = std::function<SampleRange(qint64 size)>;

// IDX files (the MNIST family format, unsigned bytes, gzipped or not; detected by content).
// Images of any shape [n x d1 x d2 ...] are flattened and scaled to [0, 1] by 1/255. Throws Error
// naming the file for a wrong magic number, a truncated or oversized file, or mismatched counts.
// Only the samples `select` picks are decoded, and the files are read (inflated) only as far as
// the last of them: a file is checked to end where its header says only when that is its last
// sample.
Dataset loadIdx(const QString &imagesPath, const QString &labelsPath,
                const SampleSelection &select = {});

// The HDF5 layout: datasets x (float, [n x features], values in [0, 1]) and y (integer, [n],
// values >= 0) in `group` ("/" for the root).
Dataset loadHdf5Dataset(const QString &path, const QString &group = QStringLiteral("/"));
void saveHdf5Dataset(const Dataset &data, const QString &path);

// What --data names: "fashion-mnist"; a directory holding train-/t10k- images and labels IDX
// files; "IMAGES,LABELS" (two IDX files, a test set only); or an HDF5 file with groups train and
// test (each x, y), or x and y at the root. A source of one set (a pair of IDX files, an HDF5
// file with x and y at the root) gives it as `train` with no test set. Throws Error otherwise.
DataSplit loadDataSplit(const QString &spec);
// The set to evaluate on: the test set, or the training set when there is none.
Dataset loadEvaluationSet(const QString &spec);
// The samples a command runs on (snnc --split, --val-split, --limit): `split` names the test set
// (the only set of a one-set source), the validation split (the last `validationSize` training
// samples, as holdOutValidation holds them out) or the training samples before it; then the first
// `limit` of those (0: all). Only those samples are decoded (loadIdx); the other set of a source
// is not read. Throws Error as loadDataSplit and holdOutValidation do.
Dataset loadSamples(const QString &spec, const QString &split, int validationSize, int limit);
// How rates_source names the data set of a --data spec: "fashion-mnist", else the file or
// directory name.
QString dataSetLabel(const QString &spec);

} // namespace snn::sim
