#pragma once

// Internal to core/nir: what the NIR reader (NirImport.cpp, with the checked dataset reads of
// NirDatasets.cpp) and writer (NirExport.cpp) share. Not part of the API (nir/NirFile.h is).

#include "base/DeclaredSize.h"
#include "base/Matrix.h"
#include "base/Text.h"
#include "graph/Graph.h"
#include "nir/NirFile.h"

#include <Eigen/Core>
#include <QString>
#include <hdf5.h>

#include <optional>
#include <vector>

namespace snn::nir {

// Metadata datasets SNN Studio writes under node/metadata, flat so that any reader of NIR
// metadata (a dict of arrays) takes them: snn_studio.dt, snn_studio.<key>.name|reset|
// firing_rates|rates_source|position, where <key> is the layer's Affine/Linear node.
inline const QString kMetaPrefix = QStringLiteral("snn_studio");
QString metaName(const QString &key, const QString &field);

// Reads the NIR graph of an open file (importNir without the file name in its errors).
Graph readNir(hid_t file, const NirOptions &options, QStringList *assumptions);
// Writes `graph` (valid) as NIR into an open, empty file.
void writeNir(const Graph &graph, hid_t file, const NirOptions &options);

// ---- Checked reads of the importer (NirDatasets.cpp): errors are prefixed by `where`, the node.

// "[2, 3]".
// A dataset holding exactly one string.
QString readScalarString(hid_t loc, const QString &name);

// The values an import reads and builds (weights, biases, per-neuron parameters, one-to-one
// layers), counted from declared shapes before anything is allocated: at most kMaxGraphValues,
// the ceiling of SNN Studio's own files (base/DeclaredSize.h).
class ValueBudget : public SizeBudget {
public:
    ValueBudget()
        : SizeBudget(kMaxGraphValues, QStringLiteral("the graph"))
    {}
    // Takes `count` values for `what` (a dataset, with its shape) of `where` (the node).
    void take(hsize_t count, const QString &where, const QString &what)
    {
        SizeBudget::take(count, where + QStringLiteral(": ") + what);
    }
};

// A dataset of numbers (its shape into `shape` when given).
std::vector<double> readNumbers(hid_t group, const QString &name, const QString &where,
                                std::vector<hsize_t> *shape);
// A dataset's declared shape.
std::vector<hsize_t> datasetShape(hid_t group, const QString &name, const QString &where);
// A per-neuron parameter: a 0-d scalar, a single value, or n values (in an array whose other
// dimensions are 1), as n doubles. A missing dataset takes `fallback` or is an error.
Eigen::VectorXd readParam(hid_t group, const QString &name, Eigen::Index n, const QString &where,
                          ValueBudget &budget, std::optional<double> fallback = std::nullopt);
// The one value of a per-neuron parameter; an Error saying `why` when the neurons differ.
double uniformParam(const Eigen::VectorXd &v, const QString &name, const QString &where,
                    const QString &why);
// A dataset of numbers as a matrix (row-major in the file), checked to be 2-D, to take
// `inputs` values (`origin` gives them), to have rows and to fit the budget, before it is read;
// and to be finite.
RowMatrixXd readWeights(hid_t group, const QString &name, const QString &where, Eigen::Index inputs,
                        const QString &origin, ValueBudget &budget);
// The size of a flat Input or Output: every dimension of its 'shape' but one must be 1.
Eigen::Index flatSize(hid_t group, const QString &where);

} // namespace snn::nir
