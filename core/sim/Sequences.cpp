#include "sim/Sequences.h"

#include "base/DeclaredSize.h"
#include "base/Error.h"
#include "base/Text.h"
#include "io/Hdf5.h"
#include "sim/Engine.h"

#include <QFileInfo>

#include <omp.h>

#include <array>
#include <atomic>
#include <cmath>
#include <set>

namespace snn {

// The dynamics live once, in the simulation engine (sim/Engine.cpp, sim/Dynamics.h).
std::vector<Eigen::MatrixXf> simulate(const Graph &graph, const Eigen::MatrixXf &input)
{
    std::vector<Eigen::MatrixXf> outputs;
    for (const Layer &l : graph.layers())
        outputs.emplace_back(input.rows(), l.neurons());
    sim::runSequence(graph, input, [&](int layer, int step, const Eigen::VectorXf &out) {
        outputs[std::size_t(layer)].row(step) = out.transpose();
    });
    return outputs;
}

namespace {

Error nothingToSimulate(const QString &name, const QString &shape)
{
    return Error(QStringLiteral("%1 has shape %2: nothing to simulate").arg(name, shape));
}

} // namespace

QString SequenceInput::shapeText() const
{
    return kind == ConstantCurrent ? snn::shapeText(samples, inputs)
                                   : snn::shapeText(std::array<quint64, 3>{
                                         quint64(samples), quint64(steps), quint64(inputs)});
}

void SequenceInput::validate(const QString &name) const
{
    if (samples <= 0 || inputs <= 0 || (kind != ConstantCurrent && steps <= 0))
        throw nothingToSimulate(name, shapeText());
    const bool spikes = kind == Spikes;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const float v = values[i];
        if (spikes ? (v != 0.0f && v != 1.0f) : !std::isfinite(v)) {
            const std::size_t perSample = values.size() / std::size_t(samples);
            const std::size_t j = i % perSample;
            throw Error(QStringLiteral("%1 holds %2 at sample %3, step %4, input %5; %6")
                            .arg(name)
                            .arg(double(v))
                            .arg(i / perSample)
                            .arg(kind == ConstantCurrent ? 0 : j / std::size_t(inputs))
                            .arg(j % std::size_t(inputs))
                            .arg(spikes ? QStringLiteral("spikes are 0 or 1")
                                        : QStringLiteral("currents are finite")));
        }
    }
}

void SequenceInput::checkFits(const Graph &graph, int runSteps) const
{
    graph.validate();
    if (inputs != graph.inputSize())
        throw Error(QStringLiteral("the input has %1 values per step, the network takes %2")
                        .arg(inputs)
                        .arg(graph.inputSize()));
    if (runSteps < 1 || (kind != ConstantCurrent && runSteps > steps))
        throw Error(QStringLiteral("%1 steps asked for; the input has %2")
                        .arg(runSteps)
                        .arg(kind == ConstantCurrent
                                 ? QStringLiteral("a constant current (any number >= 1)")
                                 : QString::number(steps)));
    quint64 recorded = 0;
    for (const Layer &l : graph.layers())
        recorded += quint64(l.neurons());
    const std::array<quint64, 3> shape{quint64(samples), quint64(runSteps), recorded};
    const quint64 count = valueCount(shape);
    if (count > kMaxRecordedValues)
        throw Error(QStringLiteral("%1 samples x %2 steps x %3 neurons make %4 values to record, "
                                   "more than the %5 SNN Studio records; simulate fewer samples "
                                   "or steps")
                        .arg(samples)
                        .arg(runSteps)
                        .arg(recorded)
                        .arg(count)
                        .arg(kMaxRecordedValues));
}

SequenceInput readSequenceInput(const QString &path)
{
    const QString file = QFileInfo(path).fileName();
    try {
        auto guard = h5::lock();
        const h5::Handle h = h5::openFile(path);
        const bool hasSpikes = h5::exists(h, QStringLiteral("spikes"));
        const bool hasCurrent = h5::exists(h, QStringLiteral("current"));
        if (hasSpikes == hasCurrent)
            throw Error(hasSpikes ? QStringLiteral("holds both 'spikes' and 'current'; give one")
                                  : QStringLiteral("holds neither 'spikes' nor 'current'"));
        const QString name = hasSpikes ? QStringLiteral("spikes") : QStringLiteral("current");
        // The declared shape first: its rank, then (readFloats) its size against the ceiling.
        const std::vector<hsize_t> shape = h5::datasetShape(h, name);
        const bool constant = !hasSpikes && shape.size() == 2;
        if (shape.size() < 3 && !constant)
            throw Error(QStringLiteral("'%1' has shape %2, not [samples x steps x inputs]%3")
                            .arg(name, snn::shapeText(shape),
                                 hasSpikes ? QString() : QStringLiteral(" or [samples x inputs]")));
        if (valueCount(shape) == 0) // before any dimension is taken as an int
            throw nothingToSimulate(QStringLiteral("'%1'").arg(name), snn::shapeText(shape));
        SequenceInput in;
        in.values = h5::readFloats(h, name, nullptr);
        // Every dimension is now at most kMaxReadValues: each fits an int.
        in.kind = hasSpikes ? SequenceInput::Spikes
                            : (constant ? SequenceInput::ConstantCurrent : SequenceInput::Current);
        in.samples = int(shape[0]);
        in.steps = constant ? 0 : int(shape[1]);
        // An input of several dimensions ([samples x steps x 1 x 28 x 28]) flattened in row-major
        // order, as NIR's Flatten and PyTorch's flatten order it.
        std::size_t inputs = 1;
        for (std::size_t d = constant ? 1 : 2; d < shape.size(); ++d)
            inputs *= shape[d];
        in.inputs = int(inputs);
        in.validate(QStringLiteral("'%1'").arg(name));
        return in;
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: %2").arg(file, e.message()));
    }
}

SequenceInput SequenceInput::sample(int index) const
{
    const std::size_t size = values.size() / std::size_t(std::max(samples, 1));
    SequenceInput one = *this;
    one.samples = 1;
    one.values.assign(values.begin() + std::ptrdiff_t(size * std::size_t(index)),
                      values.begin() + std::ptrdiff_t(size * std::size_t(index + 1)));
    return one;
}

SequenceInput encodeSample(const Eigen::Ref<const Eigen::RowVectorXf> &x, std::int64_t index,
                           const sim::SimOptions &options)
{
    SequenceInput in;
    in.samples = 1;
    in.inputs = int(x.size());
    if (options.encoding == sim::Encoding::Current) {
        in.kind = SequenceInput::ConstantCurrent;
        in.values.assign(x.data(), x.data() + x.size());
        return in;
    }
    in.kind = SequenceInput::Spikes;
    in.steps = options.steps;
    // [steps x inputs] column-major: transposed, it is row-major [steps][inputs].
    const Eigen::MatrixXf spikes = sim::rateSpikes(x, index, options).transpose();
    in.values.assign(spikes.data(), spikes.data() + spikes.size());
    return in;
}

namespace {

using Recorder = std::function<void(int, int, const Eigen::VectorXf &)>;

// Copies v into `trace` from element `at` on.
void copyTo(std::vector<float> &trace, std::size_t at, const Eigen::VectorXf &v)
{
    std::copy(v.data(), v.data() + v.size(), trace.begin() + std::ptrdiff_t(at));
}

} // namespace

SequenceTraces simulateSequences(const Graph &graph, const SequenceInput &input, int steps,
                                 bool recordMembrane, const RunControl &control)
{
    input.checkFits(graph, steps);
    const auto &layers = graph.layers();
    SequenceTraces traces;
    traces.samples = input.samples;
    traces.steps = steps;
    for (const Layer &l : layers) {
        LayerTrace t;
        t.name = l.name;
        t.spiking = l.neuron.spiking;
        t.neurons = l.neurons();
        const std::size_t size = std::size_t(input.samples) * std::size_t(steps) * t.neurons;
        if (t.spiking)
            t.spikes.assign(size, 0);
        else
            t.output.assign(size, 0.0f);
        if (recordMembrane && t.spiking)
            t.membrane.assign(size, 0.0f);
        if (recordMembrane && t.spiking && l.neuron.type == NeuronType::CubaLIF)
            t.synaptic.assign(size, 0.0f);
        traces.layers.push_back(std::move(t));
    }

    std::atomic<bool> stop{false};
    std::atomic<int> done{0};
#pragma omp parallel for schedule(dynamic, 1)
    for (int s = 0; s < input.samples; ++s) {
        if (stop.load(std::memory_order_relaxed))
            continue;
        Eigen::MatrixXf x(steps, input.inputs);
        for (int t = 0; t < steps; ++t) {
            const std::size_t row = input.kind == SequenceInput::ConstantCurrent
                                        ? std::size_t(s)
                                        : std::size_t(s) * std::size_t(input.steps) + t;
            x.row(t) = Eigen::Map<const Eigen::RowVectorXf>(
                input.values.data() + row * std::size_t(input.inputs), input.inputs);
        }
        auto at = [&](int k, int t) {
            return (std::size_t(s) * std::size_t(steps) + std::size_t(t)) *
                   std::size_t(layers[std::size_t(k)].neurons());
        };
        sim::runSequence(
            graph, x,
            [&](int k, int t, const Eigen::VectorXf &out) {
                LayerTrace &trace = traces.layers[std::size_t(k)];
                for (Eigen::Index n = 0; n < out.size(); ++n) {
                    if (trace.spiking)
                        trace.spikes[at(k, t) + std::size_t(n)] = out(n) != 0.0f;
                    else
                        trace.output[at(k, t) + std::size_t(n)] = out(n);
                }
            },
            recordMembrane ? Recorder([&](int k, int t, const Eigen::VectorXf &v) {
                copyTo(traces.layers[std::size_t(k)].membrane, at(k, t), v);
            })
                           : Recorder(),
            recordMembrane ? Recorder([&](int k, int t, const Eigen::VectorXf &i) {
                copyTo(traces.layers[std::size_t(k)].synaptic, at(k, t), i);
            })
                           : Recorder());
        const int finished = done.fetch_add(1) + 1;
        if (omp_get_thread_num() == 0) {
            if (control.cancelRequested && control.cancelRequested())
                stop = true;
            control.report(double(finished) / double(input.samples), QStringLiteral("simulating"));
        }
    }
    if (stop)
        throw Cancelled();
    control.checkCancelled();

    const std::vector<LayerId> outputs = graph.outputs();
    if (outputs.size() == 1 && graph.layer(outputs.front()).neuron.spiking) {
        traces.countLayer = graph.indexOf(outputs.front());
        const LayerTrace &out = traces.layers[std::size_t(traces.countLayer)];
        traces.counts.assign(std::size_t(input.samples) * std::size_t(out.neurons), 0);
        for (int s = 0; s < input.samples; ++s)
            for (int t = 0; t < steps; ++t)
                for (int n = 0; n < out.neurons; ++n)
                    traces.counts[std::size_t(s) * std::size_t(out.neurons) + std::size_t(n)] +=
                        out.spikes[(std::size_t(s) * std::size_t(steps) + std::size_t(t)) *
                                       std::size_t(out.neurons) +
                                   std::size_t(n)];
    }
    return traces;
}

void saveSequenceTraces(const SequenceTraces &traces, const QString &path, bool spikes)
{
    std::set<QString> keys;
    for (const LayerTrace &t : traces.layers) {
        const QString key = QString(t.name).replace(QLatin1Char('/'), QLatin1Char('_'));
        if (!keys.insert(key).second)
            throw Error(QStringLiteral("%1: two layers are stored as 'layers/%2'; rename one")
                            .arg(QFileInfo(path).fileName(), key));
    }
    h5::saveFile(path, [&](hid_t file) {
        h5::writeIntAttribute(file, QStringLiteral("samples"), traces.samples);
        h5::writeIntAttribute(file, QStringLiteral("steps"), traces.steps);
        const h5::Handle layers = h5::createGroup(file, QStringLiteral("layers"));
        const h5::WriteOptions gzip{.gzip = true};
        for (const LayerTrace &t : traces.layers) {
            const h5::Handle g = h5::createGroup(
                layers, QString(t.name).replace(QLatin1Char('/'), QLatin1Char('_')));
            h5::writeStringAttribute(g, QStringLiteral("name"), t.name);
            const std::vector<hsize_t> shape{hsize_t(traces.samples), hsize_t(traces.steps),
                                             hsize_t(t.neurons)};
            if (spikes && t.spiking)
                h5::writeBytes(g, QStringLiteral("spikes"), t.spikes, shape, gzip);
            if (!t.membrane.empty())
                h5::writeFloats(g, QStringLiteral("membrane"), t.membrane, shape, gzip);
            if (!t.synaptic.empty())
                h5::writeFloats(g, QStringLiteral("synaptic_current"), t.synaptic, shape, gzip);
            if (!t.spiking)
                h5::writeFloats(g, QStringLiteral("output"), t.output, shape, gzip);
        }
        if (!traces.counts.empty()) {
            const int n = traces.layers[std::size_t(traces.countLayer)].neurons;
            const std::vector<long long> counts(traces.counts.begin(), traces.counts.end());
            h5::writeInts(file, QStringLiteral("counts"), counts,
                          {hsize_t(traces.samples), hsize_t(n)});
            h5::writeStringAttribute(file, QStringLiteral("counts_layer"),
                                     traces.layers[std::size_t(traces.countLayer)].name);
        }
    });
}

QByteArray activityCountsFileBytes(const sim::Activity &activity, const std::vector<int> &labels)
{
    return h5::buildFile([&](hid_t file) {
        h5::writeMatrix(file, QStringLiteral("output_counts"), activity.outputCounts,
                        {.gzip = true});
        const std::vector<double> p(activity.predictions.begin(), activity.predictions.end());
        const std::vector<double> y(labels.begin(), labels.end());
        h5::writeDoubles(file, QStringLiteral("predictions"), p, {hsize_t(p.size())});
        h5::writeDoubles(file, QStringLiteral("labels"), y, {hsize_t(y.size())});
    });
}

} // namespace snn
