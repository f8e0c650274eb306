#pragma once

// Sensitivity sweep (NNI's sensitivity analysis, for the SNN passes): the passes run at several
// values of one threshold (or neuron_pruning's cycles budget), and each point records the
// optimised graph's size, the iCE40 core's hardware figures on a board (eval::hardwareFigures:
// resources, and with a validation set the cycles per inference measured on it) and, with a
// validation set, its accuracy. Work that does not depend on the value is done once: the input
// graph's predictions and figures (the firing rates are the graph's own and never measured
// again).

#include "opt/Optimizer.h"

#include <QJsonObject>

#include <optional>
#include <vector>

namespace snn {

// BudgetCycles: neuron_pruning's cycles budget, in percent of the input graph's cycles.
enum class SweepParameter {
    DeadThreshold,
    Similarity,
    NormTolerance,
    FusionActivity,
    BudgetCycles
};
// The names of snnc sweep --param.
inline constexpr EnumNames<SweepParameter, 5>
    kSweepParameterNames({{SweepParameter::DeadThreshold, "dead-threshold"},
                          {SweepParameter::Similarity, "similarity"},
                          {SweepParameter::NormTolerance, "norm-tolerance"},
                          {SweepParameter::FusionActivity, "fusion-activity"},
                          {SweepParameter::BudgetCycles, "budget-cycles"}});
QString toString(SweepParameter parameter);

// Comma-separated numbers ("0, 0.01,0.05"). Throws Error "<what> takes comma-separated numbers,
// not '<item>'" for an item that is not one.
std::vector<double> parseSweepValues(const QString &text, const QString &what);

// Sets the parameter's threshold in `options` (what the studio does when a point is picked).
void setSweepParameter(OptimizeOptions &options, SweepParameter parameter, double value);

struct SweepOptions {
    SweepParameter parameter = SweepParameter::DeadThreshold;
    std::vector<double> values; // in the order the points are reported
    QStringList passes = availablePasses();
    // The other thresholds, and the validation set on which accuracy is measured (optional).
    OptimizeOptions optimize;
    // The hardware figures: this board at these settings (weight bits or lanes 0: chosen for
    // each graph).
    QString board = QStringLiteral("icebreaker");
    hw::QuantConfig quant;
    int lanes = 4;
    hw::WeightMemory memory = hw::WeightMemory::Auto;

    // Throws Error for no values, a value out of the parameter's range, an unknown board, a
    // cycles budget swept without neuron_pruning among the passes.
    void validate() const;
    // The settings of the figures (eval::hardwareFigures).
    hw::ExportOptions figureOptions() const;
};

// The figures of one graph: the input graph or the result at one value.
struct SweepFigures {
    GraphSize size;
    // The figures (the cycles with a validation set), unless the core cannot run the graph.
    std::optional<eval::HardwareFigures> hardware;
    QString notEstimated;           // why, then (the quantiser's error)
    std::optional<double> accuracy; // with a validation set
};

struct SweepPoint {
    double value = 0.0;
    SweepFigures figures;
    Report report; // what the passes did at this value
};

struct SweepResult {
    SweepParameter parameter = SweepParameter::DeadThreshold;
    QString board; // the estimates' board (its name), weight bits and lanes
    int weightBits = 0;
    int lanes = 0;
    SweepFigures before; // the input graph
    std::vector<SweepPoint> points;

    // {"parameter", "board", "weight_bits", "lanes", "before": {...}, "points": [{"value",
    // "params", "neurons", "layers", "logic_cells", "ebr", "spram", "fits", "accuracy",
    // "cycles_per_inference", "latency_ms", "weight_kbit", "neurons_removed", "neurons_merged",
    // "layers_fused"}, ...]}; figures not measured are the string "not measured" (with the
    // reason for the estimate); weight bits and lanes 0: chosen for each graph.
    QJsonObject toJson() const;
    // One header line and one line per point (the input graph first, value "before").
    QString toCsv() const;
    QString toText() const;
    // The points (indices) on the Pareto front of accuracy against cycles per inference: no
    // other point has at least the accuracy with at most the cycles, one of them strictly.
    // Points without both figures are not on it. Ascending cycles.
    std::vector<int> paretoFront() const;
};

// Runs the passes on a copy of `graph` once per value. A cancel request throws Cancelled.
SweepResult sweep(const Graph &graph, const SweepOptions &options, const RunControl &control = {});

} // namespace snn
