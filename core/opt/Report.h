#pragma once

#include "eval/HardwareFigures.h"

#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace snn {

class Graph;

// Size of a graph at one point of an optimisation.
struct GraphSize {
    std::int64_t params = 0;
    std::int64_t neurons = 0;
    int layers = 0;

    static GraphSize of(const Graph &graph);
    bool operator==(const GraphSize &) const = default;
};

// Accuracy measured on a validation set before and after a change, on the same input spikes.
struct AccuracyChange {
    double before = 0.0; // fraction of samples classified correctly
    double after = 0.0;
    double agreement = 0.0; // fraction of samples whose prediction is unchanged
    int samples = 0;
    QString how; // e.g. "rate encoding, 25 steps, seed 1"
};

// The FPGA core's accuracy before and after all passes (core/hw): the bit-accurate integer model
// at each weight width beside the float graph, all on the hardware's own input spikes.
struct HardwareAccuracy {
    struct Width {
        int weightBits = 0;
        AccuracyChange accuracy;
    };
    AccuracyChange floatModel;
    std::vector<Width> quantized;
};

// What became of one neuron of a layer (indices within the layer).
struct NeuronFate {
    enum Kind : std::uint8_t {
        Kept,    // index: its index in the layer after
        Removed, // dead-neuron elimination removed it; index -1
        Merged,  // redundancy elimination merged it; index: its keeper's index before
        Fused,   // its layer was fused into the next; index -1
    };
    Kind kind = Kept;
    int index = -1;

    bool operator==(const NeuronFate &) const = default;
};
// One fate per neuron of a layer before (empty: every neuron kept at its index).
using NeuronMap = std::vector<NeuronFate>;

// What one pass did to one layer (named as the layer was named before the pass).
struct LayerChange {
    QString layer;
    int layerId = 0; // the layer's id (snn::LayerId) in the graph before the pass
    int neuronsBefore = 0;
    int neuronsAfter = 0;
    int removed = 0;    // dead neurons removed
    int merged = 0;     // neurons merged into a near-identical keeper
    int groups = 0;     // keepers that absorbed at least one neuron
    int neverFired = 0; // neurons with rate <= threshold (for output layers: kept)
    int skipped = 0;    // removals or merges left out: not exact on the deployed core
    QString fusedInto;  // the fused layer's name, when this layer was fused
    NeuronMap neurons;  // each neuron's fate in this pass (neuronsBefore entries)
};

struct PassReport {
    QString pass;
    GraphSize before;
    GraphSize after;
    int neuronsRemoved = 0;
    int neuronsMerged = 0;
    int layersFused = 0;
    // Changes the float pass would make that are not exact on the deployed core (PassOptions::
    // exactBits), left out; the notes say why, one line each.
    int skipped = 0;
    std::vector<LayerChange> layers;
    QStringList notes;    // what was skipped and why
    QStringList warnings; // where the network's function may have changed, or looks broken
    std::optional<AccuracyChange> accuracy; // when a validation set was given
    // With the FPGA core measured (OptimizeOptions::hardwareBits): its accuracy before and after
    // this pass at each width (the bit-accurate model on its own input spikes), and the hardware
    // figures of the graph after it.
    std::vector<HardwareAccuracy::Width> core;
    std::optional<eval::HardwareFigures> figures;
};

struct Report {
    QStringList passes;
    GraphSize before;
    GraphSize after;
    std::vector<PassReport> passReports;
    std::optional<AccuracyChange> accuracy;   // over all passes, when a validation set was given
    std::optional<HardwareAccuracy> hardware; // when weight widths were given with the set
    // The deployed core before and after (eval::HardwareComparison, at the first width, the
    // cycles measured on the validation set), when weight widths were given with the set.
    std::optional<eval::HardwareComparison> figures;
    // Why, when the hardware accuracy and figures were asked for but not measured.
    QString hardwareNotMeasured;
    // How the passes' graph was retrained afterwards (the Pipeline's fine-tune for the FPGA core;
    // accuracy and hardware are then of the retrained graph), empty when it was not.
    QString retraining;

    // What became of each neuron of the input graph's layer `layerId` over all passes: Kept at
    // its index in the output graph, Removed, Fused, or Merged into the input graph's neuron
    // `index` (which a later pass may itself have removed or merged). Empty when no pass changed
    // the layer's neurons (every neuron kept at its index).
    NeuronMap neuronMap(int layerId) const;

    // before.params / after.params (1 when nothing changed).
    double compressionRatio() const;
    QString summary() const;
    QJsonObject toJson() const;
};

} // namespace snn
