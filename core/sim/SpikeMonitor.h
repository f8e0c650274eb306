#pragma once

// Measured activity: runs a data set through a graph and records each neuron's firing rate
// (spikes per step) in every layer, and each sample's output spike counts.

#include "sim/Engine.h"

namespace snn::sim {

struct Activity {
    int samples = 0;
    int steps = 0;
    // Per layer, graph order: spikes per step of each neuron; empty for a non-spiking layer.
    std::vector<Eigen::VectorXf> rates;
    Eigen::MatrixXf outputCounts; // [samples x outputs]
    std::vector<int> predictions;
    double accuracy = 0.0; // against the data set's labels

    // Neurons that never fired, per layer (0 for non-spiking layers).
    std::vector<int> silentNeurons() const;
};

// "measured: <dataSet>, <split>, <samples> samples, <encoding>, T=<steps>" (docs/file-format.md).
QString measuredRatesSource(const QString &dataSet, const QString &split, int samples,
                            const SimOptions &options);

class SpikeMonitor {
public:
    explicit SpikeMonitor(SimOptions options = {})
        : m_options(options)
    {}
    const SimOptions &options() const { return m_options; }

    // Throws Error when the data does not fit the graph (features, labels), Cancelled on request.
    Activity record(const Graph &graph, const Dataset &data, const RunControl &control = {}) const;

    // Records `data`, the `split` (kTrainSplit, kValidationSplit, kTestSplit) of the data set
    // named `dataSet`, and stores the rates in the graph with their source
    // (measuredRatesSource). What snnc rates, the trainer and the studio measure with.
    Activity measure(Graph &graph, const Dataset &data, const QString &dataSet,
                     const QString &split, const RunControl &control = {}) const;

    // Stores the measured rates in the graph's layers (firing_rates) with their source (the
    // rates_source attribute); a non-spiking layer's rates and source are cleared. The graph
    // must be the one that was recorded.
    static void storeRates(Graph &graph, const Activity &activity, const QString &source);

private:
    SimOptions m_options;
};

} // namespace snn::sim
