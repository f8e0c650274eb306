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
    using Figure = std::optional<double>;
    using Metric = ComparisonModel::Metric;
    auto estimate = [](const std::optional<hw::FitCheck> &fit, bool ebr) -> Figure {
        if (!fit)
            return std::nullopt;
        return double(ebr ? fit->estimate.ebrBlocks : fit->estimate.logicCells);
    };
    auto synthesised = [](const std::optional<hw::FlowReport> &r, bool ebr) -> Figure {
        if (!r)
            return std::nullopt;
        return double(ebr ? r->ebr : r->logicCells);
    };
    ComparisonModel *rows = table();
    const std::optional<hw::FitCheck> &before = m_fpga->originalFit();
    const std::optional<hw::FitCheck> &after = m_fpga->optimizedFit();
    rows->setMetric(Metric::EstimatedLogicCells, estimate(before, false), estimate(after, false));
    rows->setMetric(Metric::EstimatedEbr, estimate(before, true), estimate(after, true));
    rows->setMetric(Metric::SynthesisedLogicCells, synthesised(m_synthBefore, false),
                    synthesised(m_synthAfter, false));
    rows->setMetric(Metric::SynthesisedEbr, synthesised(m_synthBefore, true),
                    synthesised(m_synthAfter, true));
}

} // namespace snn::widgets
