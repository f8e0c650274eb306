#include "RateHeatmap.h"

#include "QCustomPlotInclude.h"

#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace snn::widgets {

const QColor RateHeatmap::kDeadColour(0xe0, 0x1b, 0x24);
const QColor RateHeatmap::kGoneColour(0xc0, 0xc0, 0xc0);
const QColor RateHeatmap::kMergedColour(0xf6, 0x8f, 0xc8);

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char *const kTitles[2] = {QT_TRANSLATE_NOOP("RateHeatmap", "Before optimisation"),
                                QT_TRANSLATE_NOOP("RateHeatmap", "After optimisation")};

} // namespace

RateHeatmap::RateHeatmap(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_scale(new QCPColorScale(m_plot))
    , m_arrow(nullptr)
    , m_legend(new QLabel(this))
{
    m_plot->setMinimumSize(300, 160);
    m_plot->plotLayout()->clear();
    auto *margins = new QCPMarginGroup(m_plot);
    // Viridis: dark violet (rare) to yellow (frequent); dead neurons are red, off the scale.
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(0x44, 0x01, 0x54));
    gradient.setColorStopAt(0.25, QColor(0x3b, 0x52, 0x8b));
    gradient.setColorStopAt(0.5, QColor(0x21, 0x91, 0x8c));
    gradient.setColorStopAt(0.75, QColor(0x5e, 0xc9, 0x62));
    gradient.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25));
    gradient.setNanHandling(QCPColorGradient::nhTransparent);
    QCPColorGradient deadGradient;
    deadGradient.clearColorStops();
    deadGradient.setColorStopAt(0.0, kDeadColour);
    deadGradient.setColorStopAt(1.0, kDeadColour);
    deadGradient.setNanHandling(QCPColorGradient::nhTransparent);
    QCPColorGradient goneGradient;
    goneGradient.clearColorStops();
    goneGradient.setColorStopAt(0.0, kGoneColour);
    goneGradient.setColorStopAt(1.0, kMergedColour);
    goneGradient.setLevelCount(2);
    goneGradient.setNanHandling(QCPColorGradient::nhTransparent);
    QFont titleFont = font();
    titleFont.setBold(true);
    for (int side = 0; side < 2; ++side) {
        Pane &p = m_panes[side];
        p.rect = new QCPAxisRect(m_plot);
        p.title = new QCPTextElement(m_plot, tr(kTitles[side]), titleFont);
        m_plot->plotLayout()->addElement(0, side, p.title);
        m_plot->plotLayout()->addElement(1, side, p.rect);
        p.rect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
        QCPAxis *x = p.rect->axis(QCPAxis::atBottom);
        QCPAxis *y = p.rect->axis(QCPAxis::atLeft);
        x->setLabel(tr("neuron"));
        y->setRangeReversed(true);
        y->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
        p.rates = new QCPColorMap(x, y);
        p.rates->setGradient(gradient);
        p.rates->setInterpolate(false);
        p.rates->setColorScale(m_scale);
        p.dead = new QCPColorMap(x, y);
        p.dead->setGradient(deadGradient);
        p.dead->setInterpolate(false);
        p.dead->setDataRange(QCPRange(0.0, 1.0));
        p.gone = new QCPColorMap(x, y);
        p.gone->setGradient(goneGradient);
        p.gone->setInterpolate(false);
        p.gone->setDataRange(QCPRange(0.0, 1.0));
    }
    QCPAxisRect *afterRect = pane(Side::After).rect;
    m_arrow = new QCPItemLine(m_plot);
    m_arrow->setClipAxisRect(afterRect);
    m_arrow->start->setAxes(afterRect->axis(QCPAxis::atBottom), afterRect->axis(QCPAxis::atLeft));
    m_arrow->end->setAxes(afterRect->axis(QCPAxis::atBottom), afterRect->axis(QCPAxis::atLeft));
    m_arrow->setHead(QCPLineEnding::esSpikeArrow);
    m_arrow->setPen(QPen(Qt::black, 1.5));
    m_arrow->setVisible(false);
    m_plot->plotLayout()->addElement(1, 2, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->axis()->setLabel(tr("spikes per step"));
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_scale->setGradient(gradient);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.01);

    m_legend->setText(
        tr("<span style='color:%1'>&#9632;</span> dead: never fired (rate exactly 0) &nbsp; "
           "<span style='color:%2'>&#9632;</span> removed or fused away &nbsp; "
           "<span style='color:%3'>&#9632;</span> merged (hover: arrow to its keeper) &nbsp; "
           "Rows are layers, neurons at their index before; click to select the layer.")
            .arg(kDeadColour.name(), kGoneColour.name(), kMergedColour.name()));
    m_legend->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_legend);

    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        hover(m_plot->mapTo(this, event->pos()));
        const QString text = toolTipAt(m_plot->mapTo(this, event->pos()));
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
    });
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent *event) {
        if (auto c = cellAtPixel(m_plot->mapTo(this, event->pos())); c && c->layer > 0)
            Q_EMIT layerClicked(c->layer);
    });
    rebuild();
}

RateHeatmap::~RateHeatmap() = default;

void RateHeatmap::setBefore(const Graph &graph)
{
    // Keep what the map shows (ids, names, neuron counts, rates), not the weights.
    auto shown = std::make_shared<Graph>(graph.inputSize());
    for (const Layer &l : graph.layers()) {
        Layer row;
        row.id = l.id;
        row.source = l.source;
        row.name = l.name;
        row.rates = l.rates;
        row.ratesSource = l.ratesSource;
        row.weights.resize(l.neurons(), 0);
        shown->addLayer(std::move(row));
    }
    pane(Side::Before).graph = std::move(shown);
    rebuild();
}

void RateHeatmap::setAfter(std::shared_ptr<const OptimizeResult> result)
{
    m_result = std::move(result);
    rebuild();
}

void RateHeatmap::layOutAfter()
{
    Pane &p = pane(Side::After);
    p.fates.clear();
    p.fusedInto.clear();
    const Graph *before = pane(Side::Before).graph.get();
    if (!m_result || !before) {
        p.graph = m_result ? std::shared_ptr<const Graph>(m_result, &m_result->graph) : nullptr;
        return;
    }
    const Graph &after = m_result->graph;
    auto shown = std::make_shared<Graph>(before->inputSize());
    for (const Layer &l : before->layers()) {
        Layer row;
        row.id = l.id;
        row.source = l.source;
        row.name = l.name;
        row.weights.resize(l.neurons(), 0);
        NeuronMap fates = m_result->report.neuronMap(l.id);
        QString fusedInto;
        if (const Layer *a = after.find(l.id)) {
            row.name = a->name; // a fused layer is renamed ("a+b")
            row.ratesSource = a->ratesSource;
            if (a->hasRates()) {
                row.rates = Eigen::VectorXf::Zero(l.neurons());
                for (int n = 0; n < l.neurons(); ++n) {
                    const int index = fates.empty() ? n
                                      : fates[std::size_t(n)].kind == NeuronFate::Kept
                                          ? fates[std::size_t(n)].index
                                          : -1;
                    if (index >= 0 && index < a->neurons())
                        row.rates(n) = a->rates(index);
                }
            }
        } else {
            // Fused away: the run's report names the layer it went into.
            fates.assign(std::size_t(l.neurons()), {NeuronFate::Fused, -1});
            for (const PassReport &pass : m_result->report.passReports)
                for (const LayerChange &c : pass.layers)
                    if (c.layerId == l.id && c.neuronsAfter == 0)
                        fusedInto = c.fusedInto;
        }
        shown->addLayer(std::move(row));
        p.fates.push_back(std::move(fates));
        p.fusedInto.push_back(fusedInto);
    }
    p.graph = std::move(shown);
}

void RateHeatmap::rebuild()
{
    layOutAfter();
    m_arrow->setVisible(false);
    double maxRate = 0.0;
    for (const Pane &p : m_panes)
        if (p.graph)
            for (const Layer &l : p.graph->layers())
                if (l.hasRates())
                    maxRate = std::max(maxRate, double(l.rates.maxCoeff()));
    for (Pane &p : m_panes) {
        fill(p);
        p.rates->setDataRange(QCPRange(0.0, maxRate > 0.0 ? maxRate : 1.0));
    }
    // One neuron axis for both sides: a layer that lost neurons ends short of its old width.
    if (pane(Side::Before).graph && pane(Side::After).graph) {
        const int width = std::max(pane(Side::Before).width, pane(Side::After).width);
        for (Pane &p : m_panes)
            p.rect->axis(QCPAxis::atBottom)->setRange(-0.5, width - 0.5);
    }
    m_scale->setDataRange(QCPRange(0.0, maxRate > 0.0 ? maxRate : 1.0));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void RateHeatmap::fill(Pane &p)
{
    for (QCPItemText *label : p.labels)
        m_plot->removeItem(label);
    p.labels.clear();
    QCPAxis *x = p.rect->axis(QCPAxis::atBottom);
    QCPAxis *y = p.rect->axis(QCPAxis::atLeft);
    auto addLabel = [&](double key, double value, const QString &text) {
        auto *label = new QCPItemText(m_plot);
        label->setClipAxisRect(p.rect);
        label->position->setAxes(x, y);
        label->position->setCoords(key, value);
        label->setText(text);
        label->setColor(QColor(0x44, 0x44, 0x44));
        label->setPositionAlignment(Qt::AlignCenter);
        p.labels.push_back(label);
    };

    const int layers = p.graph ? p.graph->layerCount() : 0;
    int widest = 1;
    for (int r = 0; r < layers; ++r)
        widest = std::max(widest, p.graph->layers()[std::size_t(r)].neurons());
    // Layers wider than kMaxColumns wrap onto several image rows: one small image either way.
    p.width = std::min(widest, kMaxColumns);
    p.rowStart.assign(1, 0);
    for (int r = 0; r < layers; ++r) {
        const int n = p.graph->layers()[std::size_t(r)].neurons();
        p.rowStart.push_back(p.rowStart.back() + std::max(1, (n + p.width - 1) / p.width));
    }
    const int rows = std::max(p.rowStart.back(), 1);
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(y->ticker());
    ticker->clear();
    QCPColorMapData *rates = p.rates->data();
    QCPColorMapData *dead = p.dead->data();
    QCPColorMapData *gone = p.gone->data();
    for (QCPColorMapData *image : {rates, dead, gone}) {
        image->setSize(p.width, rows);
        image->setRange(QCPRange(0, p.width - 1), QCPRange(0, rows - 1));
        image->fill(kNaN);
    }
    for (int r = 0; r < layers; ++r) {
        const Layer &l = p.graph->layers()[std::size_t(r)];
        const int first = p.rowStart[std::size_t(r)];
        const int last = p.rowStart[std::size_t(r) + 1] - 1;
        ticker->addTick((first + last) / 2.0, l.name);
        const NeuronMap *fates = std::size_t(r) < p.fates.size() && !p.fates[std::size_t(r)].empty()
                                     ? &p.fates[std::size_t(r)]
                                     : nullptr;
        const bool fused = fates && !p.fusedInto[std::size_t(r)].isEmpty();
        if (fused)
            addLabel((p.width - 1) / 2.0, (first + last) / 2.0,
                     tr("%1: fused into %2").arg(l.name, p.fusedInto[std::size_t(r)]));
        else if (!l.hasRates())
            addLabel((p.width - 1) / 2.0, (first + last) / 2.0,
                     tr("%1: firing rates not measured").arg(l.name));
        for (int n = 0; n < l.neurons(); ++n) {
            const int key = n % p.width;
            const int value = first + n / p.width;
            if (const NeuronFate::Kind kind =
                    fates ? (*fates)[std::size_t(n)].kind : NeuronFate::Kept;
                kind != NeuronFate::Kept) {
                gone->setCell(key, value, kind == NeuronFate::Merged ? 1.0 : 0.0);
                continue;
            }
            if (!l.hasRates())
                continue;
            const float rate = l.rates(n);
            if (rate == 0.0f)
                dead->setCell(key, value, 1.0);
            else
                rates->setCell(key, value, double(rate));
        }
    }
    if (!p.graph)
        addLabel(0.0, 0.0, tr("Run the optimisation to compare"));
    else if (layers == 0)
        addLabel(0.0, 0.0, tr("No layers"));
    const bool synthetic =
        p.graph && std::any_of(p.graph->layers().begin(), p.graph->layers().end(),
                               [](const Layer &l) { return l.hasSyntheticRates(); });
    const auto side = std::size_t(&p - m_panes);
    p.title->setText(synthetic ? tr("%1 (synthetic rates, not measured)").arg(tr(kTitles[side]))
                               : tr(kTitles[side]));
    x->setTickLabels(p.graph != nullptr);
    x->setLabel(widest > kMaxColumns
                    ? tr("neuron (mod %1: wide layers wrap onto several rows)").arg(kMaxColumns)
                    : tr("neuron"));
    x->setRange(-0.5, p.width - 0.5);
    y->setRange(-0.5, rows - 0.5);
}

QString RateHeatmap::title(Side side) const
{
    return pane(side).title->text();
}

QWidget *RateHeatmap::plotWidget() const
{
    return m_plot;
}

void RateHeatmap::replotNow()
{
    m_plot->replot();
}

int RateHeatmap::rowCount(Side side) const
{
    const Pane &p = pane(side);
    return p.graph ? p.graph->layerCount() : 0;
}

std::optional<RateHeatmap::Cell> RateHeatmap::cell(Side side, int row, int neuron) const
{
    const Pane &p = pane(side);
    if (!p.graph || row < 0 || row >= p.graph->layerCount())
        return std::nullopt;
    const Layer &l = p.graph->layers()[std::size_t(row)];
    if (neuron < 0 || neuron >= l.neurons())
        return std::nullopt;
    Cell c;
    c.layer = l.id;
    c.layerName = l.name;
    c.neuron = neuron;
    c.measured = l.hasRates();
    c.fate = {NeuronFate::Kept, neuron};
    if (std::size_t(row) < p.fates.size() && !p.fates[std::size_t(row)].empty()) {
        c.fate = p.fates[std::size_t(row)][std::size_t(neuron)];
        c.fusedInto = p.fusedInto[std::size_t(row)];
    }
    if (c.measured && c.fate.kind == NeuronFate::Kept) {
        c.rate = l.rates(neuron);
        c.dead = c.rate == 0.0f;
    }
    return c;
}

QPoint RateHeatmap::imageCell(const Pane &p, int row, int neuron)
{
    if (row < 0 || row + 1 >= int(p.rowStart.size()) || neuron < 0)
        return {-1, -1};
    const int value = p.rowStart[std::size_t(row)] + neuron / p.width;
    if (value >= p.rowStart[std::size_t(row) + 1])
        return {-1, -1};
    return {neuron % p.width, value};
}

double RateHeatmap::mapValue(Side side, int row, int neuron) const
{
    const QPoint c = imageCell(pane(side), row, neuron);
    return c.x() < 0 ? kNaN : pane(side).rates->data()->cell(c.x(), c.y());
}

bool RateHeatmap::deadMark(Side side, int row, int neuron) const
{
    const QPoint c = imageCell(pane(side), row, neuron);
    return c.x() >= 0 && pane(side).dead->data()->cell(c.x(), c.y()) == 1.0;
}

double RateHeatmap::goneMark(int row, int neuron) const
{
    const QPoint c = imageCell(pane(Side::After), row, neuron);
    return c.x() < 0 ? kNaN : pane(Side::After).gone->data()->cell(c.x(), c.y());
}

QPoint RateHeatmap::pixelOf(Side side, int row, int neuron) const
{
    const Pane &p = pane(side);
    const QPoint c = imageCell(p, row, neuron);
    const double px = p.rect->axis(QCPAxis::atBottom)->coordToPixel(c.x());
    const double py = p.rect->axis(QCPAxis::atLeft)->coordToPixel(c.y());
    return m_plot->mapTo(this, QPoint(int(std::lround(px)), int(std::lround(py))));
}

std::optional<RateHeatmap::Cell> RateHeatmap::cellAtPixel(const QPoint &pixel) const
{
    const QPoint local = m_plot->mapFrom(this, pixel);
    for (int side = 0; side < 2; ++side) {
        const Pane &p = m_panes[side];
        if (!p.rect->rect().contains(local))
            continue;
        const int key = int(std::lround(p.rect->axis(QCPAxis::atBottom)->pixelToCoord(local.x())));
        const int value = int(std::lround(p.rect->axis(QCPAxis::atLeft)->pixelToCoord(local.y())));
        if (key < 0 || key >= p.width)
            return std::nullopt;
        for (std::size_t r = 0; r + 1 < p.rowStart.size(); ++r)
            if (value >= p.rowStart[r] && value < p.rowStart[r + 1])
                return cell(Side(side), int(r), (value - p.rowStart[r]) * p.width + key);
        return std::nullopt;
    }
    return std::nullopt;
}

QString RateHeatmap::toolTipAt(const QPoint &pixel) const
{
    const std::optional<Cell> c = cellAtPixel(pixel);
    if (!c)
        return {};
    const QString neuron = tr("%1, neuron %2").arg(c->layerName).arg(c->neuron);
    switch (c->fate.kind) {
    case NeuronFate::Removed:
        return tr("%1: removed by dead-neuron elimination").arg(neuron);
    case NeuronFate::Merged:
        return tr("%1: merged into neuron %2 (its outgoing weights added there)")
            .arg(neuron)
            .arg(c->fate.index);
    case NeuronFate::Fused:
        return c->fusedInto.isEmpty() ? tr("%1: not in the optimised graph").arg(neuron)
                                      : tr("%1: layer fused into %2").arg(neuron, c->fusedInto);
    case NeuronFate::Kept:
        break;
    }
    const QString now =
        c->fate.index == c->neuron ? neuron : tr("%1 (now %2)").arg(neuron).arg(c->fate.index);
    if (!c->measured)
        return tr("%1: firing rate not measured").arg(now);
    if (c->dead)
        return tr("%1: dead (never fired)").arg(now);
    return tr("%1: %2 spikes per step").arg(now).arg(double(c->rate), 0, 'f', 4);
}

void RateHeatmap::hover(const QPoint &pixel)
{
    const std::optional<Cell> c = cellAtPixel(pixel);
    const bool merged = c && c->fate.kind == NeuronFate::Merged &&
                        pane(Side::After).rect->rect().contains(m_plot->mapFrom(this, pixel));
    if (!merged && !m_arrow->visible())
        return;
    m_arrow->setVisible(merged);
    if (merged) {
        const Pane &p = pane(Side::After);
        int row = 0;
        while (p.graph->layers()[std::size_t(row)].id != c->layer)
            ++row;
        const QPoint from = imageCell(p, row, c->neuron);
        const QPoint to = imageCell(p, row, c->fate.index);
        m_arrow->start->setCoords(from.x(), from.y());
        m_arrow->end->setCoords(to.x(), to.y());
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace snn::widgets
