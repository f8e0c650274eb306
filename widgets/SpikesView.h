#pragma once

#include "graph/Graph.h"
#include "opt/Optimizer.h"
#include "sim/Dataset.h"
#include "sim/Sequences.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QCustomPlot;
class QCPAxisRect;
class QCPTextElement;
class QLabel;
class QPushButton;
class QSpinBox;

namespace snn {
class JobRunner;
}

namespace snn::widgets {

// One sample through the graph and through the optimised graph, side by side: each spiking
// layer's spike raster (step across, the layers' neurons stacked, first layer on top) and the
// selected neuron's membrane per step (the value each step leaves, after its reset; the spikes
// marked, the threshold drawn). The sample comes from the attached data set, encoded as the
// engine encodes it (rate: the Bernoulli spikes sim::run draws for that sample with seed 1;
// current: a constant current), or from an input file in `snnc simulate --input`'s format. The
// simulation is core's (simulateSequences), off the GUI thread. Both plots export as PNG, SVG or
// PDF (context menu). A neuron is selected by its layer's name and its index in the graph before;
// the optimised side shows the same neuron where the run put it (Report::neuronMap: "neuron 20
// (now 15)"), its keeper's trace for a merged one, and says "removed" or "fused" for one that is
// gone. A click on either raster selects the neuron under it, as the same neuron before.
class SpikesView : public QWidget {
    Q_OBJECT
public:
    enum class Side { Before = 0, After = 1 };

    explicit SpikesView(QWidget *parent = nullptr);
    ~SpikesView() override;

    void setBefore(const Graph &graph);
    // The optimisation run of the graph before: its graph is the "after" side, its report maps
    // each neuron there (nullptr: no result; the "after" side says so).
    void setAfter(std::shared_ptr<const OptimizeResult> result);
    // The attached data set (its samples are what the sample box picks) and how the engine feeds
    // it (encoding, seed; its steps become the step box's value).
    void setData(std::shared_ptr<const sim::Dataset> dataset, const sim::SimOptions &options);
    // Reads an input file (docs/simulation.md: `spikes` or `current`) and picks its samples
    // instead of the data set's; a bad file gives the one-line error as message() and false.
    bool openInput(const QString &path);
    void setSample(int sample);
    void setSteps(int steps); // for the data set and constant currents (a file's trains: its own)
    // Selects neuron `neuron` (its index before) of the spiking layer called `layer` (its name
    // before): what a click on a raster does.
    void selectNeuron(const QString &layer, int neuron);
    QString selectedLayer() const;
    int selectedNeuron() const; // its index before

    int sampleCount() const;
    int sample() const;
    // The simulation shown (nullopt until it finishes; After: nullopt without an optimised graph).
    const std::optional<SequenceTraces> &traces(Side side) const { return m_traces[int(side)]; }
    bool isSimulating() const;
    // What is drawn: spikes on the raster, and the membrane trace's values (empty when the
    // selected neuron does not exist on that side).
    int rasterSpikes(Side side) const;
    std::vector<double> membraneShown(Side side) const;
    QString membraneTitle(Side side) const;
    QCustomPlot *rasterPlot() const { return m_raster; }
    QCustomPlot *membranePlot() const { return m_membrane; }
    QComboBox *layerBox() const { return m_layer; }
    QSpinBox *neuronBox() const { return m_neuron; }

Q_SIGNALS:
    void simulated();
    void message(const QString &text);

private:
    struct Result {
        std::optional<SequenceTraces> traces[2];
    };
    // Where a neuron of the graph before is on a side: the index of its layer in that side's
    // traces and its index there (-1 when it has none), and what became of it ("now 15",
    // "removed", ...; empty when nothing changed).
    struct Place {
        int layer = -1;
        int neuron = -1;
        QString fate;
    };
    Place place(Side side, int beforeLayer, int neuron) const;
    // The neuron before under a row of a side's raster: (its layer's index before, its index).
    std::optional<std::pair<int, int>> neuronAtRow(Side side, int row) const;
    void simulate();
    void showResult(Result result);
    void drawRasters();
    void drawMembranes();
    void updateLayerBox();
    void updateSampleBox();
    // The graph of a side (nullptr for After without an optimisation result).
    const Graph *graph(Side side) const;

    Graph m_before;
    std::shared_ptr<const OptimizeResult> m_after;
    std::shared_ptr<const sim::Dataset> m_data;
    sim::SimOptions m_options;
    std::optional<SequenceInput> m_file;
    QString m_fileName;
    std::optional<SequenceTraces> m_traces[2];

    QLabel *m_source;
    QPushButton *m_open;
    QSpinBox *m_sample;
    QSpinBox *m_steps;
    QComboBox *m_layer;
    QSpinBox *m_neuron;
    QLabel *m_status;
    QCustomPlot *m_raster;
    QCustomPlot *m_membrane;
    QCPAxisRect *m_rasterRects[2];
    QCPAxisRect *m_membraneRects[2];
    QCPTextElement *m_rasterTitles[2];
    QCPTextElement *m_membraneTitles[2];
    JobRunner *m_job;
};

} // namespace snn::widgets
