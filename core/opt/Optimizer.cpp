#include "opt/Optimizer.h"

#include "base/Error.h"
#include "eval/Accuracy.h"
#include "opt/Passes.h"

#include <cmath>

namespace snn {

QStringList availablePasses()
{
    return {passes::kDeadNeuronElimination, passes::kRedundancyElimination, passes::kLayerFusion};
}

void OptimizeOptions::validate() const
{
    PassOptions::validate();
    for (int bits : hardwareBits) {
        hw::QuantConfig c = hardware;
        c.weightBits = bits;
        c.validate();
    }
}

namespace {

AccuracyChange accuracyChange(const std::vector<int> &before, const std::vector<int> &after,
                              const std::vector<int> &labels, const QString &how)
{
    return {sim::accuracy(before, labels), sim::accuracy(after, labels),
            sim::agreement(before, after), int(labels.size()), how};
}

// How optimize() simulates the validation set.
QString simulationText(const ValidationSet &validation)
{
    return QStringLiteral("%1 encoding, %2 steps, seed %3")
        .arg(sim::toString(validation.simulation.encoding))
        .arg(validation.simulation.steps)
        .arg(validation.simulation.seed);
}

// The FPGA core's accuracy on the validation set before and after (both graphs are quantised
// first, so that a graph the core cannot run fails before any simulation). When the passes
// changed nothing, `after` is `before` and its predictions are not computed again.
HardwareAccuracy hardwareAccuracy(const Graph &before, const Graph &after, bool changed,
                                  const OptimizeOptions &options, const RunControl &control)
{
    const sim::Dataset &data = options.validation->data;
    std::vector<std::pair<hw::QuantizedNetwork, hw::QuantizedNetwork>> nets;
    for (int bits : options.hardwareBits) {
        hw::QuantConfig c = options.hardware;
        c.weightBits = bits;
        nets.emplace_back(hw::quantize(before, c), hw::quantize(after, c));
    }
    const QString how = QStringLiteral("the core's input generator (seed 0x%1), %2 steps, %3-bit "
                                       "membrane")
                            .arg(options.hardware.seed, 0, 16)
                            .arg(options.hardware.steps)
                            .arg(options.hardware.membraneBits);
    const double parts = (changed ? 2.0 : 1.0) * double(nets.size() + 1);
    int part = 0;
    const auto next = [&] {
        ++part;
        return control.part(double(part - 1) / parts, double(part) / parts);
    };
    const auto change = [&](const auto &predict) {
        const std::vector<int> predictionsBefore = predict(true);
        return accuracyChange(predictionsBefore, changed ? predict(false) : predictionsBefore,
                              data.y, how);
    };
    HardwareAccuracy result;
    result.floatModel = change([&](bool first) {
        return eval::floatPredictions(first ? before : after, options.hardware, data.x, next());
    });
    for (std::size_t i = 0; i < nets.size(); ++i)
        result.quantized.push_back({options.hardwareBits[i], change([&](bool first) {
                                        return eval::quantizedPredictions(
                                            first ? nets[i].first : nets[i].second, data.x, next());
                                    })});
    return result;
}

// With weight widths asked for: the FPGA core's accuracy before and after into the report, or why
// it was not measured.
void measureHardware(Report &report, const Graph &before, const Graph &after, bool changed,
                     const OptimizeOptions &options, const RunControl &control)
{
    if (options.hardwareBits.empty())
        return;
    if (!options.validation) {
        report.hardwareNotMeasured = QStringLiteral("no validation set given");
        return;
    }
    try {
        report.hardware = hardwareAccuracy(before, after, changed, options, control);
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) {
        report.hardwareNotMeasured = e.message();
    }
}

} // namespace

std::vector<int> validationPredictions(const Graph &graph, const ValidationSet &validation,
                                       const RunControl &control)
{
    return sim::run(graph, validation.data.x, validation.simulation, control).predictions;
}

void checkPassNames(const QStringList &passNames)
{
    for (const QString &name : passNames)
        if (!availablePasses().contains(name))
            throw Error(QStringLiteral("unknown pass '%1' (valid passes: %2)")
                            .arg(name, availablePasses().join(QStringLiteral(", "))));
}

OptimizeResult optimize(Graph graph, const QStringList &passNames, const OptimizeOptions &options,
                        const RunControl &control)
{
    checkPassNames(passNames);
    options.validate();
    graph.validate();

    // Accuracy on the validation set, when there is one.
    const ValidationSet *validation = options.validation.get();
    const auto predictions = [&](const Graph &g) {
        return validationPredictions(g, *validation, control);
    };
    const auto change = [&](const std::vector<int> &before, const std::vector<int> &after) {
        return accuracyChange(before, after, validation->data.y, simulationText(*validation));
    };
    std::vector<int> first, current;
    if (validation) {
        validation->simulation.validate();
        validation->data.checkFits(graph.inputSize(),
                                   graph.layer(sim::classifierLayer(graph)).neurons());
        if (options.predictionsBefore.empty())
            first = predictions(graph);
        else if (options.predictionsBefore.size() == std::size_t(validation->data.size()))
            first = options.predictionsBefore;
        else
            throw Error(QStringLiteral("%1 predictions given for %2 validation samples")
                            .arg(options.predictionsBefore.size())
                            .arg(validation->data.size()));
        current = first;
    }

    // Progress: the passes, then the hardware model when it is measured.
    const double passSpan = !options.hardwareBits.empty() && validation ? 0.5 : 1.0;
    // The input is kept beside the result only for the hardware model, which compares them.
    const bool keepInput = !options.hardwareBits.empty() && validation;
    const GraphSize sizeBefore = GraphSize::of(graph);
    OptimizeResult result{keepInput ? graph : std::move(graph), {}};
    bool graphChanged = false;
    result.report.passes = passNames;
    result.report.before = sizeBefore;
    for (int i = 0; i < passNames.size(); ++i) {
        const QString &name = passNames[i];
        control.checkCancelled();
        const double share = passSpan / double(passNames.size());
        control.report(i * share, name);
        PassReport pass;
        pass.pass = name;
        pass.before = GraphSize::of(result.graph);
        if (name == passes::kDeadNeuronElimination) {
            passes::deadNeuronElimination(result.graph, options, pass);
        } else if (name == passes::kRedundancyElimination) {
            passes::redundancyElimination(
                result.graph, options,
                control.part(i * share, (i + 1) * share, name + QLatin1String(": ")), pass);
        } else {
            passes::layerFusion(result.graph, options, pass);
        }
        pass.after = GraphSize::of(result.graph);
        const bool changed = pass.neuronsRemoved + pass.neuronsMerged + pass.layersFused > 0;
        graphChanged = graphChanged || changed;
        if (validation) {
            // A pass that changed nothing leaves every prediction as it was: no need to simulate.
            std::vector<int> after = changed ? predictions(result.graph) : current;
            pass.accuracy = change(current, after);
            current = std::move(after);
        }
        result.report.passReports.push_back(std::move(pass));
    }
    result.report.after = GraphSize::of(result.graph);
    if (validation)
        result.report.accuracy = change(first, current);
    // `graph` was moved into the result unless kept: measureHardware reads it only then.
    measureHardware(result.report, graph, result.graph, graphChanged, options,
                    control.part(passSpan, 1.0));
    control.report(1.0, QStringLiteral("done"));
    return result;
}

OptimizeResult retrained(const Graph &input, OptimizeResult result, Graph tuned, const QString &how,
                         const OptimizeOptions &options, const RunControl &control)
{
    const std::vector<Layer> &was = result.graph.layers();
    const std::vector<Layer> &now = tuned.layers();
    bool same = was.size() == now.size();
    for (std::size_t i = 0; same && i < was.size(); ++i)
        same = was[i].id == now[i].id && was[i].source == now[i].source &&
               was[i].neurons() == now[i].neurons() && was[i].inputs() == now[i].inputs();
    if (!same)
        throw Error(QStringLiteral("the retrained graph does not have the optimised graph's layers "
                                   "and sizes"));
    tuned.validate();
    Report &report = result.report;
    report.retraining = how;
    report.after = GraphSize::of(tuned);
    report.accuracy.reset();
    report.hardware.reset();
    report.hardwareNotMeasured.clear();
    const ValidationSet *validation = options.validation.get();
    const double floatSpan = options.hardwareBits.empty() ? 1.0 : 0.5;
    if (validation) {
        const std::vector<int> before =
            validationPredictions(input, *validation, control.part(0.0, floatSpan / 2));
        const std::vector<int> after =
            validationPredictions(tuned, *validation, control.part(floatSpan / 2, floatSpan));
        report.accuracy =
            accuracyChange(before, after, validation->data.y, simulationText(*validation));
    }
    measureHardware(report, input, tuned, true, options, control.part(floatSpan, 1.0));
    result.graph = std::move(tuned);
    control.report(1.0, QStringLiteral("done"));
    return result;
}

} // namespace snn
