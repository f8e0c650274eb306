#pragma once

// Accuracy on a data set of the float graph and of its quantised FPGA core, on the same input
// spikes: the hardware's generator (hw::inputSpikes), read out as the hardware does (most output
// spikes, a tie to the lowest index). docs/hardware.md states what is compared.

#include "base/Matrix.h"
#include "base/RunControl.h"
#include "graph/Graph.h"
#include "hw/Quantizer.h"
#include "hw/VerilogGenerator.h"

#include <vector>

namespace snn::eval {

// Predictions (the class of each row of `samples`, values in [0, 1]) of the quantised model, on all
// cores. Progress per sample; a cancel request throws Cancelled.
std::vector<int> quantizedPredictions(const hw::QuantizedNetwork &net, const RowMatrixXf &samples,
                                      const RunControl &control = {});

// One run of the bit-accurate model per row of `samples`, on all cores: the predictions and, for
// each of `layouts` (memoryLayout of `net`), the core's clock cycles summed over the samples
// (hw::coreCycles of each sample's spikes). Progress per sample; a cancel request throws
// Cancelled.
struct CoreRun {
    std::vector<int> predictions;
    std::vector<std::int64_t> cycles; // one per layout
};
CoreRun runCore(const hw::QuantizedNetwork &net, const std::vector<hw::MemoryLayout> &layouts,
                const RowMatrixXf &samples, const RunControl &control = {});
// Predictions of the float graph on the same generated input spikes (sim::runSequence), read out
// the same way, so that float and quantised figures compare like for like.
std::vector<int> floatPredictions(const Graph &graph, const hw::QuantConfig &config,
                                  const RowMatrixXf &samples, const RunControl &control = {});

struct BitsAccuracy {
    int weightBits = 0;
    double accuracy = 0.0; // quantised, bit-accurate
};

struct AccuracyComparison {
    double floatAccuracy = 0.0;          // float model on the same generated input spikes
    std::vector<BitsAccuracy> quantized; // one per requested weight width, in the given order
};

// Float accuracy beside the quantised accuracy at each weight width (`snnc eval --quantized`).
// Reports progress per sample and throws Cancelled when asked to stop.
AccuracyComparison compareAccuracy(const Graph &graph, const hw::QuantConfig &config,
                                   const RowMatrixXf &samples, const std::vector<int> &labels,
                                   const std::vector<int> &weightBits, const RunControl &control);

} // namespace snn::eval
