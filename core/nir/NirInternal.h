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
// dimensions are 1), as n doubles, finite (or +Inf with `infinite`). A missing dataset takes
// `fallback` or is an error.
Eigen::VectorXd readParam(hid_t group, const QString &name, Eigen::Index n, const QString &where,
                          ValueBudget &budget, std::optional<double> fallback = std::nullopt,
                          bool infinite = false);
// The one value of a per-neuron parameter; an Error saying `why` when the neurons differ.
double uniformParam(const Eigen::VectorXd &v, const QString &name, const QString &where,
                    const QString &why);
// A dataset of numbers as a matrix (row-major in the file), checked to be 2-D, to take
// `inputs` values (`origin` gives them), to have rows and to fit the budget, before it is read;
// and to be finite.
RowMatrixXd readWeights(hid_t group, const QString &name, const QString &where, Eigen::Index inputs,
                        const QString &origin, ValueBudget &budget);
// The 'shape' of an Input or Output node, checked (at most 32 entries, each an integer >= 1, at
// most kMaxGraphValues values in all).
std::vector<Eigen::Index> nodeShape(hid_t group, const QString &where);
// The number of values of a shape.
Eigen::Index shapeSize(const std::vector<Eigen::Index> &shape);
// Whether every dimension of a shape but one is 1 (an empty shape, none, is flat).
bool isFlat(const std::vector<Eigen::Index> &shape);
// "[1 x 28 x 28]".
QString dimsText(const std::vector<Eigen::Index> &shape);
// What a Flatten node (start_dim, end_dim, and input_type when given, which must be `shape`)
// makes of an input of `shape` from node `origin`: the flattened shape, which must be flat.
std::vector<Eigen::Index> flattenShape(hid_t group, const std::vector<Eigen::Index> &shape,
                                       const QString &origin, const QString &where,
                                       ValueBudget &budget);
// The size of a flat Input or Output: every dimension of its 'shape' but one must be 1.
Eigen::Index flatSize(hid_t group, const QString &where);

// ---- Neuron nodes (NirNeurons.cpp): what LIF, IF and CubaLIF become under each producer's
// conventions (docs/nir.md).

// The parameters of one neuron node (LIF, IF or CubaLIF) of n neurons, read and checked; those
// its type does not have are empty.
struct NeuronNode {
    QString type;
    Eigen::Index n = 0;
    Eigen::VectorXd threshold, reset, r, tau, tauSyn, leak, wIn;
};
NeuronNode readNeuronNode(hid_t group, const QString &type, Eigen::Index n, const QString &where,
                          ValueBudget &budget);

// How the producer that wrote a node discretised NIR's continuous-time equations.
enum class Convention {
    Literal,  // NIR's equations, one forward-Euler step of dt
    Studio,   // SNN Studio's own file (its metadata): Literal, decays exported in float64
    SnnTorch, // r = tau / dt at dt = 1e-4 (and w_in = tau_syn / dt): v = beta v + I
    Norse,    // r = 1 (and w_in = 1), no dt; starts at v_leak; CubaLIF input unscaled
    Rockpool, // r = tau exp(-dt / tau) / dt at a round dt: imported as Literal at that dt
};
// The convention a node's parameters show (Literal for IF nodes and unrecognised ones; never
// Studio, which the file's metadata tells).
Convention recognise(const NeuronNode &node);
// The time step a node's convention implies for a file that does not give one (Literal: 1e-4 s;
// Rockpool: the dt its r shows).
double conventionDt(Convention convention, const NeuronNode &node);
// One line on a convention, for the import's assumptions.
QString conventionText(Convention convention);

// What a neuron node becomes: per-neuron beta, alpha (CubaLIF), threshold and initial membrane,
// the factor on each row of the weights and bias before it, and the constant current added to
// each bias (LIF's v_leak).
struct NeuronMapping {
    NeuronType type = NeuronType::LIF;
    Eigen::VectorXd beta, alpha, threshold, initial, factor, leakCurrent;
};
// Throws Error (prefixed with `where`) for parameters that do not map exactly.
NeuronMapping mapNeurons(const NeuronNode &node, Convention convention, double dt,
                         const QString &where);

// The float32 decay d in [0, 1] (beta or alpha) whose time constant, as exporters write it
// (dt / (1 - d) in float64 or float32; with `float64` only in float64, SNN Studio's export), is
// exactly `tau` (of several, the shortest in decimal), else the nearest float to 1 - dt / tau;
// 1 for tau = +Inf. Slightly negative values within float rounding (tau = dt written in float32)
// give 0.
float decayFor(double tau, double dt, bool float64 = false);

} // namespace snn::nir
