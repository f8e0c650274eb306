#pragma once

// The comparison's bookkeeping between the panels, out of the main window: an optimisation run's
// before / after graphs and report (OptimizationPanel) go to the Compare view and to the FPGA tab
// (which estimates both); the FPGA tab's estimates and the synthesis figures of each graph fill
// the table's hardware rows (ComparisonModel::Metric). It reacts to the document by kind of
// change (Document::edited): a change of what the network computes drops the synthesis figures
// and re-estimates; a rename or a move keeps them.

#include "graph/Graph.h"
#include "hw/IceFlow.h"

#include <QObject>

#include <memory>
#include <optional>

namespace snn::widgets {

class CompareView;
class ComparisonModel;
class Document;
class FpgaPanel;
class OptimizationPanel;

class ComparisonController : public QObject {
    Q_OBJECT
public:
    ComparisonController(Document *document, OptimizationPanel *optimization, FpgaPanel *fpga,
                         CompareView *compare, QObject *parent = nullptr);

    ComparisonModel *table() const;
    // The last synthesis of the graph (optimised: of the optimised graph) since it last changed.
    const std::optional<hw::FlowReport> &synthesis(bool optimised) const
    {
        return optimised ? m_synthAfter : m_synthBefore;
    }

Q_SIGNALS:
    // The optimised graph the comparison now shows (nullptr: none), for the views that preview
    // it (canvas, heatmap, spikes).
    void previewChanged(std::shared_ptr<const snn::Graph> optimised);

private:
    void showResult(std::shared_ptr<const Graph> optimised);
    // Fills the hardware rows: the FPGA tab's instant estimate of each graph and the figures of
    // the last synthesis of each.
    void updateHardwareRows();

    Document *m_document;
    OptimizationPanel *m_optimization;
    FpgaPanel *m_fpga;
    CompareView *m_compare;
    std::optional<hw::FlowReport> m_synthBefore;
    std::optional<hw::FlowReport> m_synthAfter;
};

} // namespace snn::widgets
