#include "Optimizer.h"

#include "Error.h"
#include "passes/Passes.h"

#include <cmath>

namespace snn {

QStringList availablePasses()
{
    return {passes::kDeadNeuronElimination, passes::kRedundancyElimination, passes::kLayerFusion};
}

void OptimizeOptions::validate() const
{
    auto check = [](bool ok, const QString &what, float value, const QString &range) {
        if (!ok || !std::isfinite(value))
            throw Error(
                QStringLiteral("%1 must be %2, not %3").arg(what, range).arg(double(value)));
    };
    check(deadThreshold >= 0.0f && deadThreshold <= 1.0f, QStringLiteral("the dead threshold"),
          deadThreshold, QStringLiteral("in [0, 1]"));
    check(similarity > 0.0f && similarity <= 1.0f, QStringLiteral("the similarity"), similarity,
          QStringLiteral("in (0, 1]"));
    check(normTolerance >= 0.0f && normTolerance < 1.0f, QStringLiteral("the norm tolerance"),
          normTolerance, QStringLiteral("in [0, 1)"));
    check(fusionActivity >= 0.0f && fusionActivity <= 1.0f, QStringLiteral("the fusion activity"),
          fusionActivity, QStringLiteral("in [0, 1]"));
}

OptimizeResult optimize(const Graph &graph, const QStringList &passNames,
                        const OptimizeOptions &options, const RunControl &control)
{
    for (const QString &name : passNames)
        if (!availablePasses().contains(name))
            throw Error(QStringLiteral("unknown pass '%1' (valid passes: %2)")
                            .arg(name, availablePasses().join(QStringLiteral(", "))));
    options.validate();
    graph.validate();

    // Accuracy on the validation set, when there is one.
    const ValidationSet *validation = options.validation.get();
    const auto predictions = [&](const Graph &g) {
        return sim::run(g, validation->data.x, validation->simulation, control).predictions;
    };
    const auto change = [&](const std::vector<int> &before, const std::vector<int> &after) {
        return AccuracyChange{sim::accuracy(before, validation->data.y),
                              sim::accuracy(after, validation->data.y),
                              sim::agreement(before, after), validation->data.size(),
                              QStringLiteral("%1 encoding, %2 steps, seed %3")
                                  .arg(sim::toString(validation->simulation.encoding))
                                  .arg(validation->simulation.steps)
                                  .arg(validation->simulation.seed)};
    };
    std::vector<int> first, current;
    if (validation) {
        validation->simulation.validate();
        validation->data.checkFits(graph.inputSize(),
                                   graph.layer(sim::classifierLayer(graph)).neurons());
        first = current = predictions(graph);
    }

    OptimizeResult result{graph, {}};
    result.report.passes = passNames;
    result.report.before = GraphSize::of(graph);
    for (int i = 0; i < passNames.size(); ++i) {
        const QString &name = passNames[i];
        control.checkCancelled();
        const double share = 1.0 / double(passNames.size());
        control.report(i * share, name);
        PassReport pass;
        pass.pass = name;
        pass.before = GraphSize::of(result.graph);
        if (name == passes::kDeadNeuronElimination) {
            passes::deadNeuronElimination(result.graph, options, pass);
        } else if (name == passes::kRedundancyElimination) {
            const RunControl inner{[&](double f, const QString &step) {
                                       control.report((i + f) * share,
                                                      name + QLatin1String(": ") + step);
                                   },
                                   control.cancelRequested};
            passes::redundancyElimination(result.graph, options, inner, pass);
        } else {
            passes::layerFusion(result.graph, options, pass);
        }
        pass.after = GraphSize::of(result.graph);
        if (validation) {
            // A pass that changed nothing leaves every prediction as it was: no need to simulate.
            const bool changed = pass.neuronsRemoved + pass.neuronsMerged + pass.layersFused > 0;
            std::vector<int> after = changed ? predictions(result.graph) : current;
            pass.accuracy = change(current, after);
            current = std::move(after);
        }
        result.report.passReports.push_back(std::move(pass));
    }
    result.report.after = GraphSize::of(result.graph);
    if (validation)
        result.report.accuracy = change(first, current);
    control.report(1.0, QStringLiteral("done"));
    return result;
}

} // namespace snn
