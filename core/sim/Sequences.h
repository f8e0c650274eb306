#pragma once

#include "base/RunControl.h"
#include "graph/Graph.h"
#include "sim/Engine.h"
#include "sim/SpikeMonitor.h"

#include <cstdint>

#include <vector>

namespace snn {

// Reference discrete-time simulation of one input sequence, straight from the graph's declared
// dynamics (Layer.h): per step and layer in topological order, I = W x + b, then for a spiking
// layer v = beta v + I, s = (v > threshold), then the layer's reset (core/sim/Dynamics.h); a
// non-spiking layer outputs I. `input` is [steps x inputSize], one row per time step.
// Returns each layer's output per step, [steps x neurons], in graph layer order.
std::vector<Eigen::MatrixXf> simulate(const Graph &graph, const Eigen::MatrixXf &input);

// Given input sequences for many samples (`snnc simulate`, docs/simulation.md): spikes (0/1) or
// currents per sample, step and input, or one constant current per sample and input.
struct SequenceInput {
    enum Kind { Spikes, Current, ConstantCurrent } kind = Spikes;
    int samples = 0;
    int steps = 0; // 0 for a constant current
    int inputs = 0;
    std::vector<float> values; // row-major [samples][steps][inputs] ([samples][inputs] if constant)

    // Sample `index` (0 <= index < samples) as an input of one sample.
    SequenceInput sample(int index) const;
    // "[samples x steps x inputs]", or "[samples x inputs]" for a constant current.
    QString shapeText() const;
    // Throws Error when there is nothing to simulate (no sample, step or input) or a value is not
    // one its kind takes: "NAME holds nan at sample 0, step 3, input 2; currents are finite"
    // (spikes are 0 or 1). `name` names the values: "'spikes'" in a file, "the input" in Python.
    void validate(const QString &name) const;
    // Throws Error when the input does not fit the valid `graph` (its width), `runSteps` is not a
    // number of steps it can run (1 to its steps; any number >= 1 for a constant current), or
    // recording every layer for samples x runSteps would pass kMaxRecordedValues
    // (base/DeclaredSize.h).
    void checkFits(const Graph &graph, int runSteps) const;
};

// The sample at row `index` of a data set (`x`, values in [0, 1]) as sim::run feeds it with
// `options`: rate encoding gives the spikes run() draws for it ([1, steps, inputs]), current
// encoding a constant current ([1, inputs]).
SequenceInput encodeSample(const Eigen::Ref<const Eigen::RowVectorXf> &x, std::int64_t index,
                           const sim::SimOptions &options);

// Reads IN.h5: a dataset 'spikes' ([samples, steps, inputs], values 0 or 1) or 'current'
// ([samples, steps, inputs] or [samples, inputs]), of at most kMaxReadValues values (checked from
// the declared shape before anything is read), validated; the inputs of a step may have several
// dimensions ([samples, steps, 1, 28, 28]), taken in row-major order (a Flatten's). Throws Error
// with one line naming the file and what is wrong.
SequenceInput readSequenceInput(const QString &path);

// What simulateSequences records, per layer in graph order.
struct LayerTrace {
    QString name;
    bool spiking = true;
    int neurons = 0;
    std::vector<std::uint8_t> spikes; // spiking layers: [samples][steps][neurons], 0/1
    std::vector<float> membrane;      // with membranes recorded: [samples][steps][neurons]
    std::vector<float> synaptic;      // with membranes recorded, CubaLIF layers: the same
                                      // shape, the synaptic current after the step
    std::vector<float> output;        // non-spiking layers: W x + b, [samples][steps][neurons]
};

struct SequenceTraces {
    int samples = 0;
    int steps = 0;
    std::vector<LayerTrace> layers;
    // The output layer's spikes per sample and neuron ([samples][neurons]); empty unless the
    // graph has exactly one output layer and it spikes.
    std::vector<std::int64_t> counts;
    int countLayer = -1; // the layer index `counts` belongs to
};

// Runs every sample of `input` for `steps` steps (at most the input's steps; any number for a
// constant current) through the valid graph, on all cores; `recordMembrane` records the
// membranes, and the synaptic currents of CubaLIF layers. Throws Error when the input does not
// fit (SequenceInput::checkFits), Cancelled when asked to stop.
SequenceTraces simulateSequences(const Graph &graph, const SequenceInput &input, int steps,
                                 bool recordMembrane, const RunControl &control = {});

// Writes OUT.h5: per layer a group /layers/<name> ('/' in a name becomes '_') with the attribute
// 'name' and the datasets 'spikes' (uint8), 'membrane', 'synaptic_current' (CubaLIF) and, for
// non-spiking layers, 'output' (float32), each [samples, steps, neurons]; /counts (int64, [samples,
// neurons]). `spikes` false leaves the spikes out (`--record membrane`). Atomic.
void saveSequenceTraces(const SequenceTraces &traces, const QString &path, bool spikes = true);

// The bytes of COUNTS.h5 (snnc rates --counts), for writeAtomically with other files:
// 'output_counts' (float32 [samples, outputs], gzip), 'predictions' and 'labels' (float64
// [samples]; `labels` are the data set's).
QByteArray activityCountsFileBytes(const sim::Activity &activity, const std::vector<int> &labels);

} // namespace snn
