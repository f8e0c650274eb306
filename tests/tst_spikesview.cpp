// The studio's Spikes tab: a sample of the attached data set through the graph and the optimised
// graph, rasters and a neuron's membrane as core's simulateSequences computes them.

#include "CanvasView.h"
#include "MainWindow.h"
#include "PlotExport.h"
#include "QCustomPlotInclude.h"
#include "SpikesView.h"
#include "TestUtils.h"
#include "base/Rng.h"
#include "io/Hdf5.h"
#include "opt/Optimizer.h"
#include "sim/Engine.h"
#include "sim/Sequences.h"

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace snn;
using namespace snn::widgets;

namespace {

// 12 inputs -> hidden (10, four of them copies of others: redundancy merges them) -> out (3).
Graph smallNet()
{
    Rng rng(4);
    Graph g(12);
    Layer h = test::makeLayer(QStringLiteral("hidden"), kNetworkInput, 10, 12);
    for (Eigen::Index i = 0; i < h.weights.size(); ++i)
        h.weights.data()[i] = float(rng.uniform() * 0.8 - 0.15);
    h.weights.bottomRows(4) = h.weights.topRows(4);
    const LayerId hid = g.addLayer(h);
    Layer out = test::makeLayer(QStringLiteral("out"), hid, 3, 10);
    for (Eigen::Index i = 0; i < out.weights.size(); ++i)
        out.weights.data()[i] = float(rng.uniform() * 0.6);
    g.addLayer(out);
    return g;
}

sim::Dataset smallData()
{
    Rng rng(9);
    sim::Dataset d;
    d.name = QStringLiteral("small");
    d.x.resize(8, 12);
    for (Eigen::Index i = 0; i < d.x.size(); ++i)
        d.x.data()[i] = float(rng.uniform());
    d.y = {0, 1, 2, 0, 1, 2, 0, 1};
    return d;
}

std::int64_t totalSpikes(const SequenceTraces &t)
{
    std::int64_t n = 0;
    for (const LayerTrace &l : t.layers)
        for (std::uint8_t s : l.spikes)
            n += s;
    return n;
}

} // namespace

class TestSpikesView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void attachedSampleMatchesCore();
    void beforeAndAfter();
    void sameNeuronAfterDeadNeuronElimination();
    void inputFile();

private:
    QTemporaryDir m_dir;
};

void TestSpikesView::attachedSampleMatchesCore()
{
    const sim::Dataset data = smallData();
    const QString path = m_dir.filePath(QStringLiteral("small.h5"));
    sim::saveHdf5Dataset(data, path);
    const Graph g = smallNet();
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(g, QStringLiteral("small"));
    SpikesView *view = window.spikes();
    QVERIFY(view);
    QVERIFY(window.optimiseTabs()->indexOf(view) >= 0); // a tab of the Optimise workspace
    QSignalSpy attached(&window, &MainWindow::dataAttached);
    window.attachData(path);
    QVERIFY(attached.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(view->traces(SpikesView::Side::Before).has_value(), 10000);
    QCOMPARE(view->sampleCount(), 8); // a file without a test split: its samples
    // The line naming the samples, whole in its tooltip where a narrow window cuts it.
    const auto *source = view->findChild<QLabel *>(QStringLiteral("source"));
    QCOMPARE(source->text(), QStringLiteral("Data set small.h5: 8 samples, rate encoding"));
    QCOMPARE(source->toolTip(), source->text());

    QSignalSpy simulated(view, &SpikesView::simulated);
    view->setSample(5);
    QVERIFY(simulated.wait(10000));
    QCOMPARE(view->sample(), 5);
    // The rate spikes the engine draws for sample 5 through core's simulate.
    sim::SimOptions options;
    const SequenceInput input = encodeSample(data.x.row(5), 5, options);
    const SequenceTraces core = simulateSequences(g, input, 25, true);
    const std::int64_t spikes = totalSpikes(core);
    QVERIFY(spikes > 20);
    QCOMPARE(std::int64_t(view->rasterSpikes(SpikesView::Side::Before)), spikes);
    QCOMPARE(totalSpikes(*view->traces(SpikesView::Side::Before)), spikes);
    // The same sample as the engine's evaluation sees it: its output spike counts.
    const sim::SimResult run = sim::run(g, data.x, options);
    for (int n = 0; n < 3; ++n)
        QCOMPARE(double(core.counts[std::size_t(n)]), double(run.scores(5, n)));
    // No optimisation run: the after side says so and draws nothing.
    QVERIFY(!view->traces(SpikesView::Side::After));
    QCOMPARE(view->rasterSpikes(SpikesView::Side::After), 0);

    // Selecting a neuron shows its membrane, step by step.
    view->selectNeuron(QStringLiteral("hidden"), 2);
    const std::vector<double> shown = view->membraneShown(SpikesView::Side::Before);
    QCOMPARE(int(shown.size()), 25);
    const LayerTrace &hidden = core.layers.front();
    for (int t = 0; t < 25; ++t)
        QCOMPARE(shown[std::size_t(t)], double(hidden.membrane[std::size_t(t * 10 + 2)]));
    QCOMPARE(view->membraneTitle(SpikesView::Side::Before),
             QStringLiteral("Before optimisation: hidden, neuron 2"));
    // The selection is shared: a layer selected on the canvas (Graph) is the one shown here.
    window.canvas()->selectLayer(g.layers().back().id);
    QCOMPARE(view->selectedLayer(), QStringLiteral("out"));
    QCOMPARE(view->selectedNeuron(), 2);
}

void TestSpikesView::beforeAndAfter()
{
    const Graph g = smallNet();
    const OptimizeResult optimised = optimize(g, {passes::kRedundancyElimination});
    QCOMPARE(optimised.graph.layers().front().neurons(), 6);
    auto data = std::make_shared<const sim::Dataset>(smallData());
    SpikesView view;
    QSignalSpy simulated(&view, &SpikesView::simulated);
    view.setBefore(g);
    view.setAfter(std::make_shared<const OptimizeResult>(optimised));
    sim::SimOptions forty;
    forty.steps = 40;
    view.setData(data, forty);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isSimulating() && simulated.count() > 0, 10000);
    const SequenceInput input = encodeSample(data->x.row(0), 0, forty);
    const SequenceTraces before = simulateSequences(g, input, 40, true);
    const SequenceTraces after = simulateSequences(optimised.graph, input, 40, true);
    QCOMPARE(view.traces(SpikesView::Side::After)->layers.front().neurons, 6);
    QCOMPARE(std::int64_t(view.rasterSpikes(SpikesView::Side::Before)), totalSpikes(before));
    QCOMPARE(std::int64_t(view.rasterSpikes(SpikesView::Side::After)), totalSpikes(after));
    // Merging duplicates keeps the output spikes.
    QCOMPARE(before.counts, after.counts);
    // Neuron 7 (a copy of neuron 1) was merged: the after side shows its keeper, which carries
    // it, as the run's neuron map says, with the same membrane as neuron 7 before.
    const LayerId hidden = g.layers().front().id;
    const NeuronMap fates = optimised.report.neuronMap(hidden);
    QCOMPARE(fates[7].kind, NeuronFate::Merged);
    const int keeper = fates[7].index;
    QCOMPARE(keeper, 1);
    QCOMPARE(fates[std::size_t(keeper)].kind, NeuronFate::Kept);
    const int now = fates[std::size_t(keeper)].index;
    view.selectNeuron(QStringLiteral("hidden"), 7);
    const std::vector<double> before7 = view.membraneShown(SpikesView::Side::Before);
    QCOMPARE(before7.size(), std::size_t(40));
    const std::vector<double> after7 = view.membraneShown(SpikesView::Side::After);
    QCOMPARE(after7.size(), std::size_t(40));
    for (int t = 0; t < 40; ++t) {
        QCOMPARE(after7[std::size_t(t)],
                 double(after.layers[0].membrane[std::size_t(t * 6 + now)]));
        QCOMPARE(after7[std::size_t(t)], before7[std::size_t(t)]);
    }
    QCOMPARE(view.membraneTitle(SpikesView::Side::After),
             QStringLiteral("After optimisation: hidden, neuron 7 (merged into neuron 1, now %1)")
                 .arg(now));
    view.selectNeuron(QStringLiteral("out"), 1);
    const std::vector<double> shown = view.membraneShown(SpikesView::Side::After);
    QCOMPARE(shown.size(), std::size_t(40));
    for (int t = 0; t < 40; ++t)
        QCOMPARE(shown[std::size_t(t)], double(after.layers[1].membrane[std::size_t(t * 3 + 1)]));
    // Both plots export.
    for (QCustomPlot *plot : {view.rasterPlot(), view.membranePlot()}) {
        const QString png = m_dir.filePath(QStringLiteral("plot.png"));
        QFile::remove(png);
        savePlot(plot, png);
        QVERIFY(QFileInfo(png).size() > 1000);
    }
}

// Dead-neuron elimination removes hidden neurons 2 and 5 of 8: every kept neuron, below, between
// and above them, is shown after at the index Report::neuronMap gives (its membrane the same as
// before: the layer's inputs are unchanged), a removed one says "removed" and draws nothing, and
// a click on the optimised raster selects the neuron by its index before.
void TestSpikesView::sameNeuronAfterDeadNeuronElimination()
{
    Rng rng(6);
    Graph g(12);
    Layer h = test::makeLayer(QStringLiteral("hidden"), kNetworkInput, 8, 12);
    for (Eigen::Index i = 0; i < h.weights.size(); ++i)
        h.weights.data()[i] = float(rng.uniform() * 0.8 - 0.1);
    h.rates = test::vec({0.3f, 0.2f, 0.0f, 0.25f, 0.1f, 0.0f, 0.4f, 0.15f});
    const LayerId hid = g.addLayer(h);
    Layer out = test::makeLayer(QStringLiteral("out"), hid, 3, 8);
    for (Eigen::Index i = 0; i < out.weights.size(); ++i)
        out.weights.data()[i] = float(rng.uniform() * 0.6);
    out.rates = test::vec({0.2f, 0.2f, 0.2f});
    g.addLayer(out);
    auto result =
        std::make_shared<const OptimizeResult>(optimize(g, {passes::kDeadNeuronElimination}));
    QCOMPARE(result->graph.layers().front().neurons(), 6);
    const NeuronMap fates = result->report.neuronMap(hid);
    QCOMPARE(int(fates.size()), 8);

    auto data = std::make_shared<const sim::Dataset>(smallData());
    SpikesView view;
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy simulated(&view, &SpikesView::simulated);
    view.setBefore(g);
    view.setAfter(result);
    view.setData(data, sim::SimOptions{});
    QTRY_VERIFY_WITH_TIMEOUT(!view.isSimulating() && simulated.count() > 0, 10000);
    const SequenceTraces after =
        simulateSequences(result->graph, encodeSample(data->x.row(0), 0, {}), 25, true);
    // Below (0, 1), between (3, 4) and above (6, 7) the removed neurons 2 and 5.
    const std::vector<std::pair<int, int>> kept{{0, 0}, {1, 1}, {3, 2}, {4, 3}, {6, 4}, {7, 5}};
    for (const auto &[neuron, index] : kept) {
        QCOMPARE(fates[std::size_t(neuron)], (NeuronFate{NeuronFate::Kept, index}));
        view.selectNeuron(QStringLiteral("hidden"), neuron);
        const std::vector<double> shown = view.membraneShown(SpikesView::Side::After);
        QCOMPARE(shown.size(), std::size_t(25));
        for (int t = 0; t < 25; ++t)
            QCOMPARE(shown[std::size_t(t)],
                     double(after.layers[0].membrane[std::size_t(t * 6 + index)]));
        QCOMPARE(shown, view.membraneShown(SpikesView::Side::Before));
        QCOMPARE(view.membraneTitle(SpikesView::Side::After),
                 neuron == index
                     ? QStringLiteral("After optimisation: hidden, neuron %1").arg(neuron)
                     : QStringLiteral("After optimisation: hidden, neuron %1 (now %2)")
                           .arg(neuron)
                           .arg(index));
    }
    for (const int removed : {2, 5}) {
        QCOMPARE(fates[std::size_t(removed)].kind, NeuronFate::Removed);
        view.selectNeuron(QStringLiteral("hidden"), removed);
        QCOMPARE(view.membraneShown(SpikesView::Side::Before).size(), std::size_t(25));
        QVERIFY(view.membraneShown(SpikesView::Side::After).empty());
        QCOMPARE(view.membraneTitle(SpikesView::Side::After),
                 QStringLiteral("After optimisation: hidden, neuron %1: removed").arg(removed));
    }

    // A click on the optimised raster's row of neuron 2 there (neuron 3 before) selects neuron 3;
    // on the raster before, row 2 is neuron 2.
    QCustomPlot *raster = view.rasterPlot();
    raster->replot();
    const auto click = [raster](int side, int row) {
        QCPAxisRect *rect = raster->axisRects().at(side);
        const QPoint at(rect->center().x(),
                        int(std::lround(rect->axis(QCPAxis::atLeft)->coordToPixel(row))));
        QTest::mouseClick(raster, Qt::LeftButton, Qt::NoModifier, at);
    };
    view.selectNeuron(QStringLiteral("out"), 0);
    click(1, 2);
    QCOMPARE(view.selectedLayer(), QStringLiteral("hidden"));
    QCOMPARE(view.selectedNeuron(), 3);
    click(0, 2);
    QCOMPARE(view.selectedNeuron(), 2);
    click(1, 5); // neuron 5 after: neuron 7 before
    QCOMPARE(view.selectedNeuron(), 7);
}

void TestSpikesView::inputFile()
{
    // Two samples of given spike trains (snnc simulate --input's format): sample 1 is shown.
    const Graph g = smallNet();
    SequenceInput in;
    in.kind = SequenceInput::Spikes;
    in.samples = 2;
    in.steps = 7;
    in.inputs = 12;
    Rng rng(2);
    for (int i = 0; i < 2 * 7 * 12; ++i)
        in.values.push_back(rng.uniform() < 0.6 ? 1.0f : 0.0f);
    const QString path = m_dir.filePath(QStringLiteral("in.h5"));
    h5::saveFile(path, [&](hid_t file) {
        h5::writeBytes(file, QStringLiteral("spikes"),
                       std::vector<std::uint8_t>(in.values.begin(), in.values.end()), {2, 7, 12});
    });
    SpikesView view;
    QSignalSpy messages(&view, &SpikesView::message);
    view.setBefore(g);
    QVERIFY(!view.openInput(m_dir.filePath(QStringLiteral("missing.h5"))));
    QCOMPARE(messages.count(), 1);
    QVERIFY(messages.front().front().toString().contains(QStringLiteral("missing.h5")));
    QVERIFY(view.openInput(path));
    QCOMPARE(view.sampleCount(), 2);
    view.setSample(1);
    QTRY_VERIFY_WITH_TIMEOUT(
        !view.isSimulating() && view.traces(SpikesView::Side::Before) && view.sample() == 1, 10000);
    const SequenceTraces core = simulateSequences(g, in, 7, false);
    std::int64_t second = 0;
    for (const LayerTrace &l : core.layers)
        for (std::size_t k = l.spikes.size() / 2; k < l.spikes.size(); ++k)
            second += l.spikes[k];
    QCOMPARE(view.traces(SpikesView::Side::Before)->steps, 7);
    QCOMPARE(std::int64_t(view.rasterSpikes(SpikesView::Side::Before)), second);
}

SNN_WIDGET_TEST_MAIN(TestSpikesView)
#include "tst_spikesview.moc"
