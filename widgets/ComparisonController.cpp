#include "ComparisonController.h"

#include "CompareView.h"
#include "ComparisonModel.h"
#include "Document.h"
#include "FpgaPanel.h"
#include "OptimizationPanel.h"

namespace snn::widgets {

ComparisonController::ComparisonController(Document *document, OptimizationPanel *optimization,
                                           FpgaPanel *fpga, CompareView *compare, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_optimization(optimization)
    , m_fpga(fpga)
    , m_compare(compare)
{
    connect(m_optimization, &OptimizationPanel::previewChanged, this,
            &ComparisonController::showResult);
    // The FPGA tab's settings also choose the core whose accuracy a run measures.
    connect(m_fpga, &FpgaPanel::estimatesChanged, this, [this] {
        updateHardwareRows();
        m_optimization->setHardware(m_fpga->exportOptions().quant);
    });
    m_optimization->setHardware(m_fpga->exportOptions().quant);
    connect(m_fpga, &FpgaPanel::synthesisFinished, this,
            [this](bool optimised, const hw::FlowReport &report) {
                (optimised ? m_synthAfter : m_synthBefore) = report;
                updateHardwareRows();
            });
    connect(m_document, &Document::edited, this, [this](Document::Changes what) {
        // Names and positions change nothing that is estimated or synthesised.
        if (!(what & Document::Change::Function))
            return;
        m_synthBefore.reset();
        m_synthAfter.reset();
        updateHardwareRows();
        m_fpga->setOriginalGraph(m_document->graph()); // its estimate follows
    });
}

ComparisonModel *ComparisonController::table() const
{
    return m_optimization->model();
}

void ComparisonController::showResult(std::shared_ptr<const Graph> optimised)
{
    m_compare->setResult(m_document->graph(), optimised ? m_optimization->result() : nullptr,
                         m_optimization->options(), m_fpga->exportOptions());
    m_synthAfter.reset();
    updateHardwareRows();
    // Its estimatesChanged() refreshes the estimate rows when the check arrives.
    m_fpga->setOptimizedGraph(optimised ? std::optional<Graph>(*optimised) : std::nullopt);
    Q_EMIT previewChanged(std::move(optimised));
}

void ComparisonController::updateHardwareRows()
{
    using Metric = ComparisonModel::Metric;
    // A figure of the estimate or of the synthesis of each graph (unknown without one).
    auto set = [rows = table()](Metric metric, const auto &before, const auto &after, auto figure) {
        auto of = [&](const auto &source) {
            return source ? std::optional<double>(figure(*source)) : std::nullopt;
        };
        rows->setMetric(metric, of(before), of(after));
    };
    const std::optional<hw::FitCheck> &before = m_fpga->originalFit();
    const std::optional<hw::FitCheck> &after = m_fpga->optimizedFit();
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
