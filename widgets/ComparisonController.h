#pragma once

// The comparison's bookkeeping, out of the main window: a result to compare (an optimisation
// run's before / after graphs and report) goes to the Compare view and to the hardware estimates
// (which check both graphs); the estimates and the synthesis figures of each graph fill the
// table's hardware rows (ComparisonModel::Metric). It reads core's results: the result given,
// the pipeline's settings (the passes' thresholds the Compare view replays), the fit checks of
// flow::HardwareEstimates (or the result's own hardware figures, when its run measured them) and
// the synthesis reports given; it knows no panel. It reacts to the
// document by kind of change (Document::edited): a change of what the network computes drops
// the synthesis figures and re-estimates; a rename or a move keeps them.

#include "graph/Graph.h"
#include "hw/IceFlow.h"
#include "opt/Optimizer.h"

#include <QObject>

#include <memory>
#include <optional>

namespace snn::flow {
class HardwareEstimates;
class Pipeline;
} // namespace snn::flow

namespace snn::widgets {

class CompareView;
class ComparisonModel;
class Document;

class ComparisonController : public QObject {
    Q_OBJECT
public:
    ComparisonController(Document *document, ComparisonModel *table, CompareView *compare,
                         flow::Pipeline *pipeline, flow::HardwareEstimates *estimates,
                         QObject *parent = nullptr);

    ComparisonModel *table() const { return m_table; }
    // The last synthesis of the graph (optimised: of the optimised graph) since it last changed.
    const std::optional<hw::FlowReport> &synthesis(bool optimised) const
    {
        return optimised ? m_synthAfter : m_synthBefore;
    }

public Q_SLOTS:
    // The result the comparison shows from now on (nullptr: none), computed from the document's
    // graph.
    void showResult(std::shared_ptr<const snn::OptimizeResult> result);
    // A synthesis of the graph (optimised: of the optimised graph) finished.
    void setSynthesis(bool optimised, const snn::hw::FlowReport &report);

Q_SIGNALS:
    // The optimised graph the comparison now shows (nullptr: none), for the views that preview
    // it (canvas, heatmap, spikes).
    void previewChanged(std::shared_ptr<const snn::Graph> optimised);

private:
    // Fills the hardware rows: the instant estimate of each graph and the figures of the last
    // synthesis of each.
    void updateHardwareRows();

    Document *m_document;
    ComparisonModel *m_table;
    CompareView *m_compare;
    flow::Pipeline *m_pipeline;
    flow::HardwareEstimates *m_estimates;
    std::shared_ptr<const OptimizeResult> m_result; // the one shown
    std::optional<hw::FlowReport> m_synthBefore;
    std::optional<hw::FlowReport> m_synthAfter;
};

} // namespace snn::widgets
