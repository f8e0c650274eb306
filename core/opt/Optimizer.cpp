#include "opt/Optimizer.h"

#include "base/Error.h"
#include "eval/Accuracy.h"
#include "opt/Passes.h"

#include <algorithm>
#include <cmath>

namespace snn {

QStringList availablePasses()
{
    return {passes::kDeadNeuronElimination, passes::kRedundancyElimination, passes::kLayerFusion};
}

QStringList allPasses()
{
    return availablePasses() << passes::kNeuronPruning;
}

void OptimizeOptions::validate() const
{
    PassOptions::validate();
    for (int bits : hardwareBits) {
        hw::QuantConfig c = hardware;
        c.weightBits = bits;
        c.validate();
    }
    hw::board(deployment.board);
    deployment.target.validate();
    if (deployment.target.isSet() && hardwareBits.empty())
        throw Error(QStringLiteral("a target for the core (%1) needs its weight width measured "
                                   "(--quantized)")
                        .arg(deployment.target.text()));
}

int OptimizeOptions::deployedBits() const
{
    if (!hardwareBits.empty())
        return hardwareBits.front();
    return exactBits.empty() ? 0 : exactBits.front();
}

hw::ExportOptions OptimizeOptions::figureOptions() const
{
    hw::ExportOptions o = deployment;
    o.quant = hardware;
    o.quant.weightBits = deployedBits() > 0 ? deployedBits() : deployment.quant.weightBits;
    return o;
}

hw::ExportOptions OptimizeOptions::automaticDeployment()
{
    hw::ExportOptions o;
    o.quant.weightBits = 0;
    o.lanes = 0;
    return o;
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

// How the core is measured.
QString coreText(const OptimizeOptions &options)
{
    return QStringLiteral("the core's input generator (seed 0x%1), %2 steps, %3-bit membrane")
        .arg(options.hardware.seed, 0, 16)
        .arg(options.hardware.steps)
        .arg(options.hardware.membraneBits);
}

// Progress over a number of equal parts, taken one after the other.
class Parts {
public:
    Parts(const RunControl &control, int count)
        : m_control(control)
        , m_count(std::max(count, 1))
    {}
    RunControl next()
    {
        const int done = std::min(m_done++, m_count - 1);
        return m_control.part(double(done) / m_count, double(done + 1) / m_count);
    }

private:
    const RunControl &m_control;
    int m_count;
    int m_done = 0;
};

// The FPGA core on one graph: its predictions at each measured width and its hardware figures
// at the first (from the same run).
struct CoreState {
    std::vector<std::vector<int>> predictions;
    eval::HardwareFigures figures;
};

CoreState coreState(const Graph &graph, const OptimizeOptions &options, Parts &parts)
{
    const RowMatrixXf &x = options.validation->data.x;
    CoreState s;
    s.predictions.emplace_back();
    s.figures =
        eval::hardwareFigures(graph, options.figureOptions(), x, parts.next(), &s.predictions[0]);
    for (std::size_t i = 1; i < options.hardwareBits.size(); ++i) {
        hw::QuantConfig c = options.hardware;
        c.weightBits = options.hardwareBits[i];
        s.predictions.push_back(
            eval::quantizedPredictions(hw::quantize(graph, c), x, parts.next()));
    }
    return s;
}

// coreState(), or none with the reason in the report when the core cannot run the graph.
std::optional<CoreState> tryCoreState(const Graph &graph, const OptimizeOptions &options,
                                      Parts &parts, Report &report)
{
    try {
        return coreState(graph, options, parts);
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) {
        if (options.deployment.target.isSet())
            throw; // a target not met is the run's failure, not a figure left out
        report.hardwareNotMeasured = e.message();
        return std::nullopt;
    }
}

// The core's accuracy at each width from `before` to `after`.
std::vector<HardwareAccuracy::Width> coreChange(const CoreState &before, const CoreState &after,
                                                const OptimizeOptions &options)
{
    std::vector<HardwareAccuracy::Width> widths;
    for (std::size_t i = 0; i < options.hardwareBits.size(); ++i)
        widths.push_back({options.hardwareBits[i],
                          accuracyChange(before.predictions[i], after.predictions[i],
                                         options.validation->data.y, coreText(options))});
    return widths;
}

// Report::hardware and Report::figures from the core's states on the input and the result: the
// float graph on the core's input spikes beside the core, and the result's figures at the
// input's configuration too. When nothing changed the result's are the input's.
void finishCore(Report &report, const Graph &before, const Graph &after, bool changed,
                const CoreState &first, const CoreState &last, const OptimizeOptions &options,
                Parts &parts)
{
    const sim::Dataset &data = options.validation->data;
    const std::vector<int> floatBefore =
        eval::floatPredictions(before, options.hardware, data.x, parts.next());
    const std::vector<int> floatAfter =
        changed ? eval::floatPredictions(after, options.hardware, data.x, parts.next())
                : floatBefore;
    report.hardware =
        HardwareAccuracy{accuracyChange(floatBefore, floatAfter, data.y, coreText(options)),
                         coreChange(first, last, options)};
    report.figures = eval::HardwareComparison{
        first.figures, last.figures,
        changed ? eval::hardwareFigures(after, eval::sameConfiguration(first.figures), data.x,
                                        parts.next())
                : first.figures};
}

// Runs one pass on `graph`.
void runPass(const QString &name, Graph &graph, const OptimizeOptions &options,
             const RunControl &control, PassReport &pass)
{
    if (name == passes::kDeadNeuronElimination) {
        passes::deadNeuronElimination(graph, options, pass);
    } else if (name == passes::kRedundancyElimination) {
        passes::redundancyElimination(graph, options, control, pass);
    } else if (name == passes::kNeuronPruning) {
        const RowMatrixXf none;
        const RowMatrixXf &samples = options.validation ? options.validation->data.x : none;
        passes::neuronPruning(
            graph, options,
            [&](const Graph &g, const RunControl &c) {
                return eval::hardwareFigures(g, options.figureOptions(), samples, c);
            },
            control, pass);
    } else {
        passes::layerFusion(graph, options, pass);
    }
}

// Throws Error for what optimize() cannot do with these passes and options.
void checkRun(const QStringList &passNames, const OptimizeOptions &options)
{
    checkPassNames(passNames);
    options.validate();
    if (!passNames.contains(passes::kNeuronPruning))
        return;
    if (!options.budgetCycles.isSet() && !options.budgetKbit.isSet() &&
        !options.budgetLogicCells.isSet())
        throw Error(QStringLiteral("neuron_pruning needs a budget: cycles per inference, weight "
                                   "memory or logic cells"));
    if (options.budgetCycles.isSet() && !options.validation)
        throw Error(QStringLiteral("neuron_pruning's cycles budget needs a validation set: the "
                                   "cycles are measured on it"));
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
        if (!allPasses().contains(name))
            throw Error(QStringLiteral("unknown pass '%1' (valid passes: %2)")
                            .arg(name, allPasses().join(QStringLiteral(", "))));
}

OptimizeResult optimize(Graph graph, const QStringList &passNames, const OptimizeOptions &options,
                        const RunControl &control)
{
    checkRun(passNames, options);
    graph.validate();

    // Accuracy on the validation set, when there is one; the core's beside it when asked for.
    const ValidationSet *validation = options.validation.get();
    const bool measureCore = validation && !options.hardwareBits.empty();
    const int widths = int(options.hardwareBits.size());
    const int perPass = 1 + (validation ? 1 : 0) + (measureCore ? widths : 0);
    Parts parts(control, int(passNames.size()) * perPass + (validation ? 1 : 0) +
                             (measureCore ? widths + 3 : 0));
    const auto change = [&](const std::vector<int> &before, const std::vector<int> &after) {
        return accuracyChange(before, after, validation->data.y, simulationText(*validation));
    };
    // The input is kept beside the result only for the core's figures, which compare them;
    // otherwise the result is built in it.
    OptimizeResult result{measureCore ? graph : std::move(graph), {}};
    const Graph &input = measureCore ? graph : result.graph; // until the passes change it
    Report &report = result.report;
    report.passes = passNames;
    report.before = GraphSize::of(input);
    std::vector<int> first, current;
    if (validation) {
        validation->simulation.validate();
        validation->data.checkFits(input.inputSize(),
                                   input.layer(sim::classifierLayer(input)).neurons());
        if (options.predictionsBefore.empty())
            first = validationPredictions(input, *validation, parts.next());
        else if (options.predictionsBefore.size() == std::size_t(validation->data.size()))
            first = options.predictionsBefore;
        else
            throw Error(QStringLiteral("%1 predictions given for %2 validation samples")
                            .arg(options.predictionsBefore.size())
                            .arg(validation->data.size()));
        current = first;
    }
    if (!options.hardwareBits.empty() && !validation)
        report.hardwareNotMeasured = QStringLiteral("no validation set given");
    const std::optional<CoreState> coreFirst =
        measureCore ? tryCoreState(input, options, parts, report) : std::nullopt;
    std::optional<CoreState> core = coreFirst;

    bool graphChanged = false;
    for (const QString &name : passNames) {
        control.checkCancelled();
        PassReport pass;
        pass.pass = name;
        pass.before = GraphSize::of(result.graph);
        const RunControl passControl = parts.next();
        passControl.report(0.0, name);
        runPass(name, result.graph, options, passControl.part(0.0, 1.0, name + QLatin1String(": ")),
                pass);
        pass.after = GraphSize::of(result.graph);
        const bool changed = pass.neuronsRemoved + pass.neuronsMerged + pass.layersFused > 0;
        graphChanged = graphChanged || changed;
        // A pass that changed nothing leaves every prediction as it was: no need to simulate.
        if (validation) {
            std::vector<int> after =
                changed ? validationPredictions(result.graph, *validation, parts.next()) : current;
            pass.accuracy = change(current, after);
            current = std::move(after);
        }
        if (core) {
            const std::optional<CoreState> after =
                changed ? tryCoreState(result.graph, options, parts, report) : core;
            if (after) {
                pass.core = coreChange(*core, *after, options);
                pass.figures = after->figures;
            }
            core = after;
        }
        report.passReports.push_back(std::move(pass));
    }
    report.after = GraphSize::of(result.graph);
    if (validation)
        report.accuracy = change(first, current);
    if (coreFirst && core)
        finishCore(report, input, result.graph, graphChanged, *coreFirst, *core, options, parts);
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
    report.figures.reset();
    report.hardwareNotMeasured.clear();
    const ValidationSet *validation = options.validation.get();
    const bool measureCore = validation && !options.hardwareBits.empty();
    Parts parts(control, (validation ? 2 : 0) +
                             (measureCore ? 2 * int(options.hardwareBits.size()) + 3 : 0));
    if (validation) {
        const std::vector<int> before = validationPredictions(input, *validation, parts.next());
        const std::vector<int> after = validationPredictions(tuned, *validation, parts.next());
        report.accuracy =
            accuracyChange(before, after, validation->data.y, simulationText(*validation));
    }
    if (!options.hardwareBits.empty() && !validation)
        report.hardwareNotMeasured = QStringLiteral("no validation set given");
    if (measureCore) {
        const std::optional<CoreState> first = tryCoreState(input, options, parts, report);
        const std::optional<CoreState> last =
            first ? tryCoreState(tuned, options, parts, report) : std::nullopt;
        if (last)
            finishCore(report, input, tuned, true, *first, *last, options, parts);
    }
    result.graph = std::move(tuned);
    control.report(1.0, QStringLiteral("done"));
    return result;
}

} // namespace snn
