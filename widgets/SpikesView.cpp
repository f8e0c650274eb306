#include "SpikesView.h"

#include "PlotExport.h"
#include "QCustomPlotInclude.h"
#include "base/Error.h"
#include "base/JobRunner.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace snn::widgets {

namespace {

const char *const kTitles[2] = {QT_TRANSLATE_NOOP("SpikesView", "Before optimisation"),
                                QT_TRANSLATE_NOOP("SpikesView", "After optimisation")};

// Spiking layers only: they are the raster's rows and what a neuron can be picked from.
std::vector<int> spikingLayers(const SequenceTraces &traces)
{
    std::vector<int> result;
    for (int k = 0; k < int(traces.layers.size()); ++k)
        if (traces.layers[std::size_t(k)].spiking)
            result.push_back(k);
    return result;
}

// Two axis rects side by side under their titles, in a plot without its default rect.
void splitPlot(QCustomPlot *plot, QCPAxisRect *rects[2], QCPTextElement *titles[2])
{
    plot->plotLayout()->clear();
    auto *margins = new QCPMarginGroup(plot);
    QFont bold = plot->font();
    bold.setBold(true);
    for (int side = 0; side < 2; ++side) {
        titles[side] = new QCPTextElement(plot, QString(), bold);
        rects[side] = new QCPAxisRect(plot);
        plot->plotLayout()->addElement(0, side, titles[side]);
        plot->plotLayout()->addElement(1, side, rects[side]);
        rects[side]->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
        rects[side]->axis(QCPAxis::atBottom)->setLabel(QObject::tr("step"));
    }
    plot->plotLayout()->setRowStretchFactor(0, 0.01);
}

} // namespace

SpikesView::SpikesView(QWidget *parent)
    : QWidget(parent)
    , m_source(new QLabel(this))
    , m_open(new QPushButton(tr("Open input file..."), this))
    , m_sample(new QSpinBox(this))
    , m_steps(new QSpinBox(this))
    , m_layer(new QComboBox(this))
    , m_neuron(new QSpinBox(this))
    , m_status(new QLabel(this))
    , m_raster(new QCustomPlot(this))
    , m_membrane(new QCustomPlot(this))
    , m_job(new JobRunner(this))
{
    m_sample->setKeyboardTracking(false);
    m_steps->setRange(1, 10000);
    m_steps->setValue(25);
    m_steps->setKeyboardTracking(false);
    m_neuron->setKeyboardTracking(false);
    m_open->setToolTip(tr("An HDF5 file with 'spikes' [samples, steps, inputs] or 'current', as "
                          "snnc simulate --input takes"));
    // Long texts never set the window's minimum width (docs/studio.md: it shrinks to 800x600).
    m_source->setObjectName(QStringLiteral("source"));
    m_source->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_source, 1);
    controls->addWidget(m_open);
    controls->addWidget(new QLabel(tr("Sample"), this));
    controls->addWidget(m_sample);
    controls->addWidget(new QLabel(tr("Steps"), this));
    controls->addWidget(m_steps);
    controls->addWidget(new QLabel(tr("Neuron"), this));
    controls->addWidget(m_layer);
    controls->addWidget(m_neuron);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_raster, 3);
    layout->addWidget(m_membrane, 2);

    splitPlot(m_raster, m_rasterRects, m_rasterTitles);
    splitPlot(m_membrane, m_membraneRects, m_membraneTitles);
    for (int side = 0; side < 2; ++side) {
        QCPAxis *y = m_rasterRects[side]->axis(QCPAxis::atLeft);
        y->setRangeReversed(true); // the first layer on top
        y->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
        m_membraneRects[side]->axis(QCPAxis::atLeft)->setLabel(tr("membrane"));
    }
    m_raster->setMinimumHeight(120);
    m_membrane->setMinimumHeight(90);
    const auto report = [this](const QString &text) { Q_EMIT message(text); };
    addExportMenu(m_raster, report);
    addExportMenu(m_membrane, report);

    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open input file"), QString(),
                                                          tr("HDF5 files (*.h5 *.hdf5)"));
        if (!path.isEmpty())
            openInput(path);
    });
    connect(m_sample, &QSpinBox::valueChanged, this, &SpikesView::simulate);
    connect(m_steps, &QSpinBox::valueChanged, this, &SpikesView::simulate);
    connect(m_layer, &QComboBox::currentIndexChanged, this, [this] {
        const auto &t = m_traces[int(Side::Before)];
        const int k = m_layer->currentData().toInt();
        m_neuron->setRange(0, t && k >= 0 && k < int(t->layers.size())
                                  ? std::max(0, t->layers[std::size_t(k)].neurons - 1)
                                  : 0);
        drawMembranes();
    });
    connect(m_neuron, &QSpinBox::valueChanged, this, &SpikesView::drawMembranes);
    // A click on a raster selects the neuron under it (the same neuron before, on either side).
    connect(m_raster, &QCustomPlot::mousePress, this, [this](QMouseEvent *event) {
        for (int side = 0; side < 2; ++side) {
            QCPAxisRect *rect = m_rasterRects[side];
            const QPointF at = event->position();
            if (!rect->rect().contains(at.toPoint()))
                continue;
            const int row = int(std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(at.y())));
            const auto picked = neuronAtRow(Side(side), row);
            if (picked && picked->first < m_before.layerCount())
                selectNeuron(m_before.layers()[std::size_t(picked->first)].name, picked->second);
            return;
        }
    });
    updateSampleBox();
    drawRasters();
    drawMembranes();
}

SpikesView::~SpikesView() = default;

void SpikesView::setBefore(const Graph &graph)
{
    m_before = graph;
    simulate();
}

void SpikesView::setAfter(std::shared_ptr<const OptimizeResult> result)
{
    m_after = std::move(result);
    simulate();
}

void SpikesView::setData(std::shared_ptr<const sim::Dataset> dataset,
                         const sim::SimOptions &options)
{
    m_data = std::move(dataset);
    m_options = options;
    {
        const QSignalBlocker block(m_steps);
        m_steps->setValue(options.steps);
    }
    if (!m_file)
        updateSampleBox();
    simulate();
}

bool SpikesView::openInput(const QString &path)
{
    try {
        m_file = readSequenceInput(path);
    } catch (const Error &e) {
        Q_EMIT message(e.message());
        return false;
    }
    m_fileName = QFileInfo(path).fileName();
    updateSampleBox();
    simulate();
    return true;
}

void SpikesView::setSample(int sample)
{
    m_sample->setValue(sample);
}

void SpikesView::setSteps(int steps)
{
    m_steps->setValue(steps);
}

void SpikesView::selectNeuron(const QString &layer, int neuron)
{
    const int index = m_layer->findText(layer);
    if (index < 0)
        return;
    m_layer->setCurrentIndex(index);
    m_neuron->setValue(neuron);
    drawMembranes();
}

int SpikesView::sampleCount() const
{
    if (m_file)
        return m_file->samples;
    return m_data ? m_data->size() : 0;
}

int SpikesView::sample() const
{
    return m_sample->value();
}

bool SpikesView::isSimulating() const
{
    return m_job->isRunning();
}

const Graph *SpikesView::graph(Side side) const
{
    if (side == Side::Before)
        return &m_before;
    return m_after ? &m_after->graph : nullptr;
}

QString SpikesView::selectedLayer() const
{
    return m_layer->currentText();
}

int SpikesView::selectedNeuron() const
{
    return m_neuron->value();
}

SpikesView::Place SpikesView::place(Side side, int beforeLayer, int neuron) const
{
    if (side == Side::Before)
        return {beforeLayer, neuron, {}};
    if (!m_after || beforeLayer < 0 || beforeLayer >= m_before.layerCount())
        return {};
    const LayerId id = m_before.layers()[std::size_t(beforeLayer)].id;
    const std::vector<Layer> &after = m_after->graph.layers();
    int layer = -1;
    for (int a = 0; a < int(after.size()); ++a)
        if (after[std::size_t(a)].id == id)
            layer = a;
    if (layer < 0) { // fused away: the report names the layer it went into
        QString into;
        for (const PassReport &pass : m_after->report.passReports)
            for (const LayerChange &c : pass.layers)
                if (c.layerId == id && !c.fusedInto.isEmpty())
                    into = c.fusedInto;
        return {-1, -1, tr("fused into %1").arg(into)};
    }
    const NeuronMap fates = m_after->report.neuronMap(id);
    if (fates.empty())
        return {layer, neuron, {}};
    if (neuron < 0 || neuron >= int(fates.size()))
        return {};
    NeuronFate fate = fates[std::size_t(neuron)];
    switch (fate.kind) {
    case NeuronFate::Kept:
        return {layer, fate.index, fate.index == neuron ? QString() : tr("now %1").arg(fate.index)};
    case NeuronFate::Removed:
        return {-1, -1, tr("removed")};
    case NeuronFate::Fused:
        return {-1, -1, tr("fused")};
    case NeuronFate::Merged:
        break;
    }
    // Merged: its keeper carries it (a keeper a later pass merged or removed in turn: followed).
    int keeper = fate.index;
    for (std::size_t hops = 0;
         hops < fates.size() && fates[std::size_t(keeper)].kind == NeuronFate::Merged; ++hops)
        keeper = fates[std::size_t(keeper)].index;
    fate = fates[std::size_t(keeper)];
    if (fate.kind != NeuronFate::Kept)
        return {-1, -1,
                tr("merged into neuron %1, which was %2")
                    .arg(keeper)
                    .arg(fate.kind == NeuronFate::Removed ? tr("removed") : tr("fused"))};
    return {layer, fate.index, tr("merged into neuron %1, now %2").arg(keeper).arg(fate.index)};
}

std::optional<std::pair<int, int>> SpikesView::neuronAtRow(Side side, int row) const
{
    const auto &t = m_traces[int(side)];
    if (!t)
        return std::nullopt;
    int offset = 0;
    for (int k : spikingLayers(*t)) {
        const LayerTrace &l = t->layers[std::size_t(k)];
        if (row < offset || row >= offset + l.neurons) {
            offset += l.neurons;
            continue;
        }
        const int index = row - offset;
        if (side == Side::Before)
            return std::make_pair(k, index);
        // The optimised layer's neuron `index`: the neuron before that the run kept there.
        if (!m_after || k >= m_after->graph.layerCount())
            return std::nullopt; // traces of an earlier result
        const LayerId id = m_after->graph.layers()[std::size_t(k)].id;
        for (int b = 0; b < m_before.layerCount(); ++b) {
            if (m_before.layers()[std::size_t(b)].id != id)
                continue;
            const NeuronMap fates = m_after->report.neuronMap(id);
            if (fates.empty())
                return std::make_pair(b, index);
            for (int n = 0; n < int(fates.size()); ++n)
                if (fates[std::size_t(n)] == NeuronFate{NeuronFate::Kept, index})
                    return std::make_pair(b, n);
        }
        return std::nullopt;
    }
    return std::nullopt;
}

void SpikesView::updateSampleBox()
{
    const QSignalBlocker block(m_sample);
    m_sample->setRange(0, std::max(0, sampleCount() - 1));
    // A file's spike trains or currents have their own length; a constant current does not.
    m_steps->setEnabled(!m_file || m_file->kind == SequenceInput::ConstantCurrent);
    if (m_file)
        m_source->setText(tr("Input file %1: %2 samples").arg(m_fileName).arg(m_file->samples));
    else if (m_data)
        m_source->setText(tr("Data set %1: %2 samples, %3 encoding")
                              .arg(m_data->name)
                              .arg(m_data->size())
                              .arg(sim::toString(m_options.encoding)));
    else
        m_source->setText(tr("No data set: Data > Use Fashion-MNIST, or Open input file..."));
    m_source->setToolTip(m_source->text()); // whole, where a narrow window cuts the line
}

void SpikesView::simulate()
{
    if (sampleCount() == 0 || m_before.isEmpty()) {
        m_job->cancel();
        m_traces[0].reset();
        m_traces[1].reset();
        m_status->setText(QString());
        drawRasters();
        drawMembranes();
        return;
    }
    const int index = std::min(m_sample->value(), sampleCount() - 1);
    SequenceInput input;
    int steps = m_steps->value();
    if (m_file) {
        input = m_file->sample(index);
        if (input.kind != SequenceInput::ConstantCurrent)
            steps = input.steps;
    } else {
        sim::SimOptions options = m_options;
        options.steps = steps;
        input = encodeSample(m_data->x.row(index), index, options);
    }
    m_status->setText(tr("Simulating sample %1...").arg(index));
    Graph before = m_before;
    std::shared_ptr<const Graph> after =
        m_after ? std::shared_ptr<const Graph>(m_after, &m_after->graph) : nullptr;
    m_job->run<Result>(
        [before = std::move(before), after, input = std::move(input),
         steps](const RunControl &control) {
            Result r;
            r.traces[0] = simulateSequences(before, input, steps, true, control);
            if (after)
                r.traces[1] = simulateSequences(*after, input, steps, true, control);
            return r;
        },
        [this](Result result) { showResult(std::move(result)); },
        [this](const QString &error) {
            m_traces[0].reset();
            m_traces[1].reset();
            m_status->setText(error);
            drawRasters();
            drawMembranes();
            Q_EMIT message(error);
        });
}

void SpikesView::showResult(Result result)
{
    for (int side = 0; side < 2; ++side)
        m_traces[side] = std::move(result.traces[side]);
    updateLayerBox();
    drawRasters();
    drawMembranes();
    QStringList counts; // of what the rasters now show
    for (int side = 0; side < 2; ++side)
        if (m_traces[side])
            counts << tr("%1: %2 spikes").arg(tr(kTitles[side])).arg(rasterSpikes(Side(side)));
    m_status->setText(tr("Sample %1, %2 steps. %3")
                          .arg(m_sample->value())
                          .arg(m_traces[0]->steps)
                          .arg(counts.join(QStringLiteral("; "))));
    Q_EMIT simulated();
}

void SpikesView::updateLayerBox()
{
    const QString current = m_layer->currentText();
    const int neuron = m_neuron->value();
    {
        const QSignalBlocker block(m_layer);
        m_layer->clear();
        if (const auto &t = m_traces[int(Side::Before)])
            for (int k : spikingLayers(*t))
                m_layer->addItem(t->layers[std::size_t(k)].name, k);
        const int keep = m_layer->findText(current);
        m_layer->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    const auto &t = m_traces[int(Side::Before)];
    const int k = m_layer->currentData().toInt();
    const QSignalBlocker block(m_neuron);
    m_neuron->setRange(
        0, t && m_layer->count() > 0 ? std::max(0, t->layers[std::size_t(k)].neurons - 1) : 0);
    m_neuron->setValue(neuron);
}

int SpikesView::rasterSpikes(Side side) const
{
    int count = 0;
    QCPAxisRect *rect = m_rasterRects[int(side)];
    for (QCPGraph *g : rect->graphs())
        count += g->dataCount();
    return count;
}

void SpikesView::drawRasters()
{
    for (int side = 0; side < 2; ++side) {
        QCPAxisRect *rect = m_rasterRects[side];
        for (QCPGraph *g : rect->graphs())
            m_raster->removeGraph(g);
        const auto &t = m_traces[side];
        QString title = tr(kTitles[side]);
        if (side == int(Side::After) && !m_after)
            title += tr(": no optimisation result yet");
        m_rasterTitles[side]->setText(title);
        QCPAxis *x = rect->axis(QCPAxis::atBottom);
        QCPAxis *y = rect->axis(QCPAxis::atLeft);
        auto ticker = qSharedPointerCast<QCPAxisTickerText>(y->ticker());
        ticker->clear();
        if (!t) {
            x->setRange(0, 1);
            y->setRange(0, 1);
            continue;
        }
        int offset = 0;
        int colour = 0;
        for (int k : spikingLayers(*t)) {
            const LayerTrace &l = t->layers[std::size_t(k)];
            QVector<double> keys, values;
            for (int step = 0; step < t->steps; ++step)
                for (int n = 0; n < l.neurons; ++n)
                    if (l.spikes[std::size_t(step * l.neurons + n)]) {
                        keys << step;
                        values << offset + n;
                    }
            QCPGraph *g = m_raster->addGraph(x, y);
            g->setLineStyle(QCPGraph::lsNone);
            const QColor c = QColor::fromHsv((colour++ * 97) % 360, 200, 170);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, c, c, 3));
            g->setData(keys, values, true);
            ticker->addTick(offset + l.neurons / 2.0, l.name);
            offset += l.neurons;
        }
        x->setRange(-0.5, t->steps - 0.5);
        y->setRange(-0.5, std::max(offset, 1) - 0.5);
    }
    m_raster->replot(QCustomPlot::rpQueuedReplot);
}

QString SpikesView::membraneTitle(Side side) const
{
    return m_membraneTitles[int(side)]->text();
}

std::vector<double> SpikesView::membraneShown(Side side) const
{
    std::vector<double> values;
    const QList<QCPGraph *> graphs = m_membraneRects[int(side)]->graphs();
    if (graphs.isEmpty())
        return values;
    for (auto it = graphs.front()->data()->constBegin(); it != graphs.front()->data()->constEnd();
         ++it)
        values.push_back(it->value);
    return values;
}

void SpikesView::drawMembranes()
{
    const QString layer = m_layer->currentText();
    const int beforeLayer = m_layer->count() > 0 ? m_layer->currentData().toInt() : -1;
    const int neuron = m_neuron->value();
    for (int side = 0; side < 2; ++side) {
        QCPAxisRect *rect = m_membraneRects[side];
        for (QCPGraph *g : rect->graphs())
            m_membrane->removeGraph(g);
        for (QCPAbstractItem *item : rect->items())
            m_membrane->removeItem(item);
        const auto &t = m_traces[side];
        const Graph *g = graph(Side(side));
        // The selected neuron on this side: where the run put it, or what became of it.
        const Place at =
            t && g && beforeLayer >= 0 ? place(Side(side), beforeLayer, neuron) : Place{};
        const LayerTrace *trace = at.layer >= 0 && at.layer < int(t->layers.size()) &&
                                          at.layer < g->layerCount() &&
                                          t->layers[std::size_t(at.layer)].spiking
                                      ? &t->layers[std::size_t(at.layer)]
                                      : nullptr;
        const bool drawn = trace && at.neuron >= 0 && at.neuron < trace->neurons;
        QString title = tr(kTitles[side]);
        if (!t)
            title += side == int(Side::After) && !m_after ? tr(": no optimisation result yet")
                                                          : QString();
        else if (layer.isEmpty())
            title += tr(": no spiking layer");
        else if (!drawn && at.fate.isEmpty())
            title += tr(": %1 has no neuron %2").arg(layer).arg(neuron);
        else if (!drawn)
            title += tr(": %1, neuron %2: %3").arg(layer).arg(neuron).arg(at.fate);
        else if (at.fate.isEmpty())
            title += tr(": %1, neuron %2").arg(layer).arg(neuron);
        else
            title += tr(": %1, neuron %2 (%3)").arg(layer).arg(neuron).arg(at.fate);
        m_membraneTitles[side]->setText(title);
        QCPAxis *x = rect->axis(QCPAxis::atBottom);
        QCPAxis *y = rect->axis(QCPAxis::atLeft);
        if (!drawn) {
            x->setRange(0, 1);
            y->setRange(0, 1);
            continue;
        }
        const Layer &params = g->layers()[std::size_t(at.layer)];
        QVector<double> keys, values, spikeKeys, spikeValues;
        for (int step = 0; step < t->steps; ++step) {
            const std::size_t index = std::size_t(step * trace->neurons + at.neuron);
            keys << step;
            values << trace->membrane[index];
            if (trace->spikes[index]) {
                spikeKeys << step;
                spikeValues << trace->membrane[index];
            }
        }
        QCPGraph *line = m_membrane->addGraph(x, y);
        line->setData(keys, values, true);
        line->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 1.5));
        QCPGraph *spikes = m_membrane->addGraph(x, y);
        spikes->setLineStyle(QCPGraph::lsNone);
        spikes->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, Qt::red, 6));
        spikes->setData(spikeKeys, spikeValues, true);
        auto *threshold = new QCPItemStraightLine(m_membrane);
        threshold->setClipAxisRect(rect);
        threshold->point1->setAxes(x, y);
        threshold->point2->setAxes(x, y);
        const double level = double(params.threshold(at.neuron)); // its own, per neuron or not
        threshold->point1->setCoords(0, level);
        threshold->point2->setCoords(1, level);
        threshold->setPen(QPen(Qt::gray, 1, Qt::DashLine));
        x->setRange(-0.5, t->steps - 0.5);
        line->rescaleValueAxis();
        QCPRange range = y->range();
        range.expand(level);
        y->setRange(range.lower - 0.05 * range.size(), range.upper + 0.05 * range.size());
    }
    m_membrane->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace snn::widgets
