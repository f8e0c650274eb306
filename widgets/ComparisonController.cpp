#include "ComparisonController.h"

#include "CompareView.h"
#include "ComparisonModel.h"
#include "Document.h"
#include "flow/HardwareEstimates.h"
#include "flow/Pipeline.h"

namespace snn::widgets {

ComparisonController::ComparisonController(Document *document, ComparisonModel *table,
                                           CompareView *compare, flow::Pipeline *pipeline,
                                           flow::HardwareEstimates *estimates, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_table(table)
    , m_compare(compare)
    , m_pipeline(pipeline)
    , m_estimates(estimates)
{
    connect(m_estimates, &flow::HardwareEstimates::changed, this,
            &ComparisonController::updateHardwareRows);
    connect(m_document, &Document::edited, this, [this](Document::Changes what) {
        // Names and positions change nothing that is estimated or synthesised.
        if (!(what & Document::Change::Function))
            return;
        m_synthBefore.reset();
        m_synthAfter.reset();
        updateHardwareRows();
        m_estimates->setOriginal(m_document->graph()); // its estimate follows
    });
}

void ComparisonController::showResult(std::shared_ptr<const OptimizeResult> result)
{
    m_compare->setResult(m_document->graph(), result, m_pipeline->settings().optimize,
                         m_estimates->exportOptions());
    m_synthAfter.reset();
    updateHardwareRows();
    // Its changed() refreshes the estimate rows when the check arrives.
    m_estimates->setOptimized(result ? std::optional<Graph>(result->graph) : std::nullopt);
    Q_EMIT previewChanged(result ? std::shared_ptr<const Graph>(result, &result->graph) : nullptr);
}

void ComparisonController::setSynthesis(bool optimised, const hw::FlowReport &report)
{
    (optimised ? m_synthAfter : m_synthBefore) = report;
    updateHardwareRows();
}

void ComparisonController::updateHardwareRows()
{
    using Metric = ComparisonModel::Metric;
    // A figure of the estimate or of the synthesis of each graph (unknown without one).
    auto set = [rows = m_table](Metric metric, const auto &before, const auto &after, auto figure) {
        auto of = [&](const auto &source) {
            return source ? std::optional<double>(figure(*source)) : std::nullopt;
        };
        rows->setMetric(metric, of(before), of(after));
    };
    const std::optional<hw::FitCheck> &before = m_estimates->originalFit();
    const std::optional<hw::FitCheck> &after = m_estimates->optimizedFit();
    set(Metric::EstimatedLogicCells, before, after,
        [](const hw::FitCheck &f) { return f.estimate.logicCells; });
    set(Metric::EstimatedEbr, before, after,
        [](const hw::FitCheck &f) { return f.estimate.ebrBlocks; });
    set(Metric::EstimatedSpram, before, after,
        [](const hw::FitCheck &f) { return f.estimate.spramBlocks; });
    set(Metric::SynthesisedLogicCells, m_synthBefore, m_synthAfter,
        [](const hw::FlowReport &r) { return r.logicCells; });
    set(Metric::SynthesisedEbr, m_synthBefore, m_synthAfter,
        [](const hw::FlowReport &r) { return r.ebr; });
    set(Metric::SynthesisedSpram, m_synthBefore, m_synthAfter,
        [](const hw::FlowReport &r) { return r.spram; });
}

} // namespace snn::widgets
