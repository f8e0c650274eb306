#include "RateHeatmap.h"

#include "QCustomPlotInclude.h"

#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace snn::widgets {

const QColor RateHeatmap::kDeadColour(0xe0, 0x1b, 0x24);

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char *const kTitles[2] = {QT_TRANSLATE_NOOP("RateHeatmap", "Before optimisation"),
                                QT_TRANSLATE_NOOP("RateHeatmap", "After optimisation")};

} // namespace

RateHeatmap::RateHeatmap(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_scale(new QCPColorScale(m_plot))
    , m_legend(new QLabel(this)) {
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
    QFont titleFont = font();
    titleFont.setBold(true);
    for (int side = 0; side < 2; ++side) {
        Pane &p = m_panes[side];
        p.rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(0, side,
                                         new QCPTextElement(m_plot, tr(kTitles[side]), titleFont));
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
    }
    m_plot->plotLayout()->addElement(1, 2, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->axis()->setLabel(tr("spikes per step"));
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_scale->setGradient(gradient);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.01);

    m_legend->setText(
        tr("<span style='color:%1'>&#9632;</span> dead: never fired (rate exactly "
           "0) &nbsp; Rows are layers; hover for the rate, click to select the layer.")
            .arg(kDeadColour.name()));
    m_legend->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_legend);

    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
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

void RateHeatmap::setBefore(const Graph &graph) {
    pane(Side::Before).graph = std::make_shared<const Graph>(graph);
    rebuild();
}

void RateHeatmap::setAfter(std::shared_ptr<const Graph> graph) {
    pane(Side::After).graph = std::move(graph);
    rebuild();
}

void RateHeatmap::rebuild() {
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
    m_scale->setDataRange(QCPRange(0.0, maxRate > 0.0 ? maxRate : 1.0));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void RateHeatmap::fill(Pane &p) {
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

    const int rows = p.graph ? p.graph->layerCount() : 0;
    int width = 1;
    for (int r = 0; r < rows; ++r)
        width = std::max(width, p.graph->layers()[std::size_t(r)].neurons());
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(y->ticker());
    ticker->clear();
    QCPColorMapData *rates = p.rates->data();
    QCPColorMapData *dead = p.dead->data();
    rates->setSize(width, std::max(rows, 1));
    dead->setSize(width, std::max(rows, 1));
    rates->setRange(QCPRange(0, width - 1), QCPRange(0, std::max(rows, 1) - 1));
    dead->setRange(rates->keyRange(), rates->valueRange());
    rates->fill(kNaN);
    dead->fill(kNaN);
    for (int r = 0; r < rows; ++r) {
        const Layer &l = p.graph->layers()[std::size_t(r)];
        ticker->addTick(r, l.name);
        if (!l.hasRates()) {
            addLabel((width - 1) / 2.0, r, tr("%1: firing rates not measured").arg(l.name));
            continue;
        }
        for (int n = 0; n < l.neurons(); ++n) {
            const float rate = l.rates(n);
            if (rate == 0.0f)
                dead->setCell(n, r, 1.0);
            else
                rates->setCell(n, r, double(rate));
        }
    }
    if (!p.graph)
        addLabel(0.0, 0.0, tr("Run the optimisation to compare"));
    else if (rows == 0)
        addLabel(0.0, 0.0, tr("No layers"));
    x->setTickLabels(p.graph != nullptr);
    x->setRange(-0.5, width - 0.5);
    y->setRange(-0.5, std::max(rows, 1) - 0.5);
}

int RateHeatmap::rowCount(Side side) const {
    const Pane &p = pane(side);
    return p.graph ? p.graph->layerCount() : 0;
}

std::optional<RateHeatmap::Cell> RateHeatmap::cell(Side side, int row, int neuron) const {
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
    if (c.measured) {
        c.rate = l.rates(neuron);
        c.dead = c.rate == 0.0f;
    }
    return c;
}

double RateHeatmap::mapValue(Side side, int row, int neuron) const {
    return pane(side).rates->data()->cell(neuron, row);
}

bool RateHeatmap::deadMark(Side side, int row, int neuron) const {
    return pane(side).dead->data()->cell(neuron, row) == 1.0;
}

QPoint RateHeatmap::pixelOf(Side side, int row, int neuron) const {
    const Pane &p = pane(side);
    const double px = p.rect->axis(QCPAxis::atBottom)->coordToPixel(neuron);
    const double py = p.rect->axis(QCPAxis::atLeft)->coordToPixel(row);
    return m_plot->mapTo(this, QPoint(int(std::lround(px)), int(std::lround(py))));
}

std::optional<RateHeatmap::Cell> RateHeatmap::cellAtPixel(const QPoint &pixel) const {
    const QPoint local = m_plot->mapFrom(this, pixel);
    for (int side = 0; side < 2; ++side) {
        const Pane &p = m_panes[side];
        if (!p.rect->rect().contains(local))
            continue;
        const double key = p.rect->axis(QCPAxis::atBottom)->pixelToCoord(local.x());
        const double value = p.rect->axis(QCPAxis::atLeft)->pixelToCoord(local.y());
        return cell(Side(side), int(std::lround(value)), int(std::lround(key)));
    }
    return std::nullopt;
}

QString RateHeatmap::toolTipAt(const QPoint &pixel) const {
    const std::optional<Cell> c = cellAtPixel(pixel);
    if (!c)
        return {};
    if (!c->measured)
        return tr("%1, neuron %2: firing rate not measured").arg(c->layerName).arg(c->neuron);
    if (c->dead)
        return tr("%1, neuron %2: dead (never fired)").arg(c->layerName).arg(c->neuron);
    return tr("%1, neuron %2: %3 spikes per step")
        .arg(c->layerName)
        .arg(c->neuron)
        .arg(double(c->rate), 0, 'f', 4);
}

} // namespace snn::widgets
