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
    m_result = result;
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
    auto set = [rows = m_table](Metric metric, const auto &before, const auto &after, auto figure,
                                const QString &toolTip = {}) {
        auto of = [&](const auto &source) {
            return source ? std::optional<double>(figure(*source)) : std::nullopt;
        };
        rows->setMetric(metric, of(before), of(after), toolTip);
    };
    // The estimates: the run's hardware figures' when it has them (each graph at its own
    // configuration, as the figures' other rows), else the FPGA tab's (its settings, settled on
    // the document's graph).
    const auto estimated = [&](const std::optional<hw::FitCheck> &before,
                               const std::optional<hw::FitCheck> &after, const QString &toolTip) {
        set(
            Metric::EstimatedLogicCells, before, after,
            [](const hw::FitCheck &c) { return c.estimate.logicCells; }, toolTip);
        set(
            Metric::EstimatedEbr, before, after,
            [](const hw::FitCheck &c) { return c.estimate.ebrBlocks; }, toolTip);
        set(
            Metric::EstimatedSpram, before, after,
            [](const hw::FitCheck &c) { return c.estimate.spramBlocks; }, toolTip);
    };
    if (m_result && m_result->report.figures) {
        const eval::HardwareComparison &c = *m_result->report.figures;
        const hw::ResourceEstimate &same = c.afterSameConfiguration.fit.estimate;
        estimated(c.before.fit, c.after.fit,
                  tr("The run's hardware figures: each graph at the configuration Auto picks for "
                     "it (%1 -> %2); the after graph at the before's: %3 logic cells, %4 EBR, %5 "
                     "SPRAM")
                      .arg(c.before.configText(), c.after.configText())
                      .arg(same.logicCells)
                      .arg(same.ebrBlocks)
                      .arg(same.spramBlocks));
    } else {
        estimated(m_estimates->originalFit(), m_estimates->optimizedFit(), QString());
    }
    set(Metric::SynthesisedLogicCells, m_synthBefore, m_synthAfter,
        [](const hw::FlowReport &r) { return r.logicCells; });
    set(Metric::SynthesisedEbr, m_synthBefore, m_synthAfter,
        [](const hw::FlowReport &r) { return r.ebr; });
    set(Metric::SynthesisedSpram, m_synthBefore, m_synthAfter,
        [](const hw::FlowReport &r) { return r.spram; });
}

} // namespace snn::widgets
