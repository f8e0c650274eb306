#include "flow/HardwareEstimates.h"

#include "base/JobRunner.h"

namespace snn::flow {

HardwareEstimates::HardwareEstimates(const hw::ExportOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_originalJob(new JobRunner(this))
    , m_optimizedJob(new JobRunner(this))
{}

HardwareEstimates::~HardwareEstimates() = default; // the jobs stop and wait

void HardwareEstimates::setOriginal(const Graph &graph)
{
    m_original = graph;
    estimate(false);
    if (m_optimized)
        estimate(true); // its settings are settled on the original
}

void HardwareEstimates::setOptimized(const std::optional<Graph> &graph)
{
    m_optimized = graph;
    estimate(true);
}

void HardwareEstimates::setOptions(const hw::ExportOptions &options)
{
    m_options = options;
    estimate(false);
    estimate(true);
}

void HardwareEstimates::setSamples(std::shared_ptr<const RowMatrixXf> samples)
{
    m_samples = std::move(samples);
    if (!m_options.target.isSet())
        return; // without a target the samples change no choice
    estimate(false);
    estimate(true);
}

hw::ExportOptions HardwareEstimates::exportOptions() const
{
    hw::ExportOptions o = m_options;
    if (m_chosen) {
        o.quant.weightBits = m_chosen->quant.weightBits;
        o.lanes = m_chosen->lanes;
        o.weightMemory = m_chosen->weightMemory; // a target's choice; else as set
    }
    return withDefaults(o);
}

bool HardwareEstimates::isEstimating() const
{
    return m_originalJob->isRunning() || m_optimizedJob->isRunning();
}

void HardwareEstimates::estimate(bool optimized)
{
    // With a target the optimised graph is checked at the original's choice, which measures the
    // original's cycles: it waits for that choice rather than measuring them a second time.
    const bool target = m_options.target.isSet() && m_samples;
    if (optimized && target && m_originalJob->isRunning())
        return; // started when the original's choice arrives
    hw::ExportOptions options = m_options;
    if (optimized && target && m_chosen) {
        options = *m_chosen;
        options.target = {};
    }
    // The fit check quantises the whole graph: off the GUI thread, newest request wins.
    Q_EMIT started(optimized);
    (optimized ? m_optimizedJob : m_originalJob)
        ->run<FitEstimate>(
            [original = m_original, graph = optimized ? m_optimized : std::nullopt, options,
             samples = m_samples, optimized](const RunControl &control) {
                if (optimized && !graph)
                    return FitEstimate{};
                return fitEstimate(original, graph ? &*graph : nullptr, options, samples.get(),
                                   control);
            },
            [this, optimized](FitEstimate e) {
                if (optimized) {
                    m_optimizedFit = e.fit;
                } else {
                    m_originalFit = e.fit;
                    m_originalError = e.error;
                    m_chosen = e.settled;
                    m_choice = e.reason;
                    m_latencyMs = e.latencyMs;
                    if (m_options.target.isSet() && m_samples && m_optimized)
                        estimate(true); // at the choice just made
                }
                Q_EMIT changed(optimized);
            },
            {});
}

} // namespace snn::flow
