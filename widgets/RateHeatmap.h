#pragma once

#include "graph/Graph.h"
#include "opt/Optimizer.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCustomPlot;
class QCPAxisRect;
class QCPColorMap;
class QCPColorScale;
class QCPItemLine;
class QCPItemText;
class QCPTextElement;
class QLabel;

namespace snn::widgets {

// Per-neuron firing rates, one row per layer (first layer on top, neuron index across), before
// and after optimisation side by side on one colour scale (spikes per step). Dead neurons (rate
// exactly 0) are drawn in a distinct colour; layers without rates are labelled, not drawn as
// zeros. Both sides share one neuron axis, the graph before's: each neuron of the optimised graph
// is drawn at its index before (the report's neuron map), a removed or fused-away neuron stays
// in its place in grey, a merged one in pink, and hovering it draws an arrow to its keeper. One
// QCPColorMap image per side, so 100k neurons stay cheap. Hover shows layer, neuron and rate; a
// click selects the layer.
class RateHeatmap : public QWidget {
    Q_OBJECT
public:
    enum class Side { Before = 0, After = 1 };
    static const QColor kDeadColour;
    static const QColor kGoneColour;   // removed by a pass, or its layer fused away
    static const QColor kMergedColour; // merged into a keeper
    static constexpr int kMaxColumns = 512;

    explicit RateHeatmap(QWidget *parent = nullptr);
    ~RateHeatmap() override;

    void setBefore(const Graph &graph);
    // The optimisation run of the graph before (nullptr: nothing to compare yet); its graph is
    // drawn on the rows and neuron axis of the graph before, by its report's neuron maps.
    void setAfter(std::shared_ptr<const OptimizeResult> result);

    // What is drawn, for tooltips and tests.
    struct Cell {
        LayerId layer = -1;
        QString layerName;
        int neuron = -1;
        bool measured = false; // the layer has firing rates
        float rate = 0.0f;
        bool dead = false;
        // The After side: what the run did to the neuron (Kept: its index in the optimised
        // graph; Merged: its keeper's index, which this side shows it at).
        NeuronFate fate;
        QString fusedInto; // the fused layer, when fate is Fused
    };
    int rowCount(Side side) const; // layers shown
    std::optional<Cell> cell(Side side, int row, int neuron) const;
    // The colour-map data value of a cell (NaN when not drawn in colour) and the dead mark.
    double mapValue(Side side, int row, int neuron) const;
    bool deadMark(Side side, int row, int neuron) const;
    // The grey / pink mark of a neuron the run removed, fused away (0) or merged (1); NaN: none.
    double goneMark(int row, int neuron) const;
    // The arrow from a hovered merged neuron to its keeper (hidden otherwise).
    QCPItemLine *keeperArrow() const { return m_arrow; }
    // Widget pixel at a cell's centre, the cell under a pixel, and its tooltip text.
    QPoint pixelOf(Side side, int row, int neuron) const;
    std::optional<Cell> cellAtPixel(const QPoint &pixel) const;
    QString toolTipAt(const QPoint &pixel) const;
    QCustomPlot *plot() const { return m_plot; }
    QString title(Side side) const; // "Before optimisation", with "(synthetic rates...)" if so
    QWidget *plotWidget() const;    // the plot, as a widget (for tests without QCustomPlot)
    void replotNow();

Q_SIGNALS:
    void layerClicked(snn::LayerId id);

private:
    void hover(const QPoint &pixel);
    struct Pane {
        QCPAxisRect *rect = nullptr;
        QCPTextElement *title = nullptr; // says when the rates are synthetic
        QCPColorMap *rates = nullptr;
        QCPColorMap *dead = nullptr;
        QCPColorMap *gone = nullptr; // the After side's removed, fused and merged neurons
        std::vector<QCPItemText *> labels;
        std::shared_ptr<const Graph> graph; // the rows shown
        std::vector<NeuronMap> fates;       // per row (After side; empty: kept at its index)
        std::vector<QString> fusedInto;     // per row (After side), for fused-away layers
        int width = 1;                      // image columns
        std::vector<int> rowStart;          // first image row of each layer, then the row count
    };
    // The colour-map cell of a layer's neuron ({-1, -1} when there is none).
    static QPoint imageCell(const Pane &pane, int row, int neuron);
    void rebuild();
    // Lays the result's graph out on the rows and neuron axis of the graph before.
    void layOutAfter();
    void fill(Pane &pane);
    Pane &pane(Side side) { return m_panes[int(side)]; }
    const Pane &pane(Side side) const { return m_panes[int(side)]; }

    QCustomPlot *m_plot;
    QCPColorScale *m_scale;
    Pane m_panes[2];
    std::shared_ptr<const OptimizeResult> m_result;
    QCPItemLine *m_arrow;
    QLabel *m_legend;
};

} // namespace snn::widgets
