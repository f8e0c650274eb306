#include "SweepPanel.h"

#include "Document.h"
#include "PlotAxes.h"
#include "PlotExport.h"
#include "QCustomPlotInclude.h"
#include "base/JobRunner.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <vector>

namespace snn::widgets {

namespace {

// Values to start from for each parameter (SweepParameter order).
const char *const kDefaultValues[] = {"0, 0.001, 0.005, 0.01, 0.02, 0.05",
                                      "0.9, 0.95, 0.98, 0.99, 0.999", "0.01, 0.05, 0.1, 0.2",
                                      "0, 0.01, 0.05, 0.1", "100, 90, 80, 70, 60, 50"};

enum Column {
    ColValue,
    ColParams,
    ColNeurons,
    ColLogicCells,
    ColEbr,
    ColAccuracy,
    ColCycles,
    ColKbit,
    ColCount
};

// The hardware figures on the second plot's x axis (SweepPanel::HardwareAxis order): its label
// and a point's value (none: not estimated, or the cycles not measured).
struct Axis {
    const char *label;
    std::optional<double> (*value)(const SweepFigures &);
};
std::optional<double> cyclesOf(const SweepFigures &f)
{
    return f.hardware && f.hardware->hasCycles() ? std::optional(f.hardware->cyclesPerInference)
                                                 : std::nullopt;
}
const Axis kAxes[] = {
    {QT_TRANSLATE_NOOP("snn::widgets::SweepPanel", "Estimated logic cells"),
     [](const SweepFigures &f) {
         return f.hardware ? std::optional<double>(f.hardware->fit.estimate.logicCells)
                           : std::nullopt;
     }},
    {QT_TRANSLATE_NOOP("snn::widgets::SweepPanel", "Cycles per inference"), cyclesOf},
    {QT_TRANSLATE_NOOP("snn::widgets::SweepPanel", "Weight memory (Kbit)"),
     [](const SweepFigures &f) {
         return f.hardware ? std::optional(f.hardware->weightKbit()) : std::nullopt;
     }},
    {QT_TRANSLATE_NOOP("snn::widgets::SweepPanel", "Latency (ms)"),
     [](const SweepFigures &f) {
         return cyclesOf(f) ? std::optional(f.hardware->latencyMs()) : std::nullopt;
     }},
};

// The y of a point: accuracy in percent when measured, else the swept value.
double yOf(const SweepFigures &f, double value)
{
    return f.accuracy ? 100.0 * *f.accuracy : value;
}

QString number(double v)
{
    return QLocale(QLocale::English).toString(v, 'f', 0);
}

// Ticks at whole numbers only, for counts (logic cells): QCustomPlot's step (1, 2, 2.5 or 5 times
// a power of ten) without its fraction, at least 1.
class CountTicker : public QCPAxisTicker {
protected:
    double getTickStep(const QCPRange &range) override
    {
        return std::max(1.0, std::floor(QCPAxisTicker::getTickStep(range)));
    }
};

// Puts each point's value label (in the points' order) beside its point, in the first place that
// stays inside the axis rect and overlaps no label placed before: right above, left above, right
// below, left below. A label with no such place is hidden; its value is in the table.
void placeLabels(QCustomPlot *plot)
{
    struct Place {
        Qt::Alignment alignment; // of the text box at the point
        QMargins padding;        // between the point and the text
    };
    const Place places[] = {{Qt::AlignLeft | Qt::AlignBottom, QMargins(4, 0, 0, 2)},
                            {Qt::AlignRight | Qt::AlignBottom, QMargins(0, 0, 4, 2)},
                            {Qt::AlignLeft | Qt::AlignTop, QMargins(4, 2, 0, 0)},
                            {Qt::AlignRight | Qt::AlignTop, QMargins(0, 2, 4, 0)}};
    const QRectF area = plot->axisRect()->rect();
    std::vector<QRectF> placed;
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto *label = qobject_cast<QCPItemText *>(plot->item(i));
        if (!label)
            continue;
        label->setVisible(false);
        for (const Place &p : places) {
            label->setPositionAlignment(p.alignment);
            label->setPadding(p.padding);
            const QRectF box =
                QRectF(label->topLeft->pixelPosition(), label->bottomRight->pixelPosition())
                    .normalized();
            if (area.contains(box) &&
                std::none_of(placed.begin(), placed.end(),
                             [&](const QRectF &r) { return r.intersects(box); })) {
                label->setVisible(true);
                placed.push_back(box);
                break;
            }
        }
    }
}

} // namespace

SweepPanel::SweepPanel(QWidget *parent)
    : QWidget(parent)
    , m_parameter(new QComboBox(this))
    , m_values(new QLineEdit(this))
    , m_run(new QPushButton(tr("Run sweep"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_axis(new QComboBox(this))
    , m_table(new QTableWidget(0, ColCount, this))
    , m_job(new JobRunner(this))
{
    for (const Axis &axis : kAxes)
        m_axis->addItem(tr(axis.label));
    m_axis->setToolTip(tr("The hardware figure on the right plot's x axis (the FPGA tab's board; "
                          "cycles and latency need a data set): against cycles per inference "
                          "the line is the Pareto front of accuracy"));
    m_parameter->addItems(kSweepParameterNames.names());
    m_parameter->setToolTip(tr("The pass threshold to vary; the other thresholds and the checked "
                               "passes are the Optimisation panel's"));
    m_values->setToolTip(tr("Comma-separated values of the threshold, one point each"));
    m_values->setText(QLatin1String(kDefaultValues[0]));
    connect(m_parameter, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_values->setText(QLatin1String(kDefaultValues[index])); });
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_status->setWordWrap(true);
    m_byParams = makePlot(tr("Parameters"));
    m_byHardware = makePlot(tr(kAxes[0].label));
    m_byHardware->xAxis->setTicker(QSharedPointer<CountTicker>::create());
    connect(m_axis, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_byHardware->xAxis->setLabel(tr(kAxes[index].label));
        m_byHardware->xAxis->setTicker(index == int(HardwareAxis::Latency)
                                           ? QSharedPointer<QCPAxisTicker>::create()
                                           : QSharedPointer<CountTicker>::create());
        m_byHardware->xAxis->setNumberPrecision(index == int(HardwareAxis::Latency) ? 2 : 0);
        drawPlots();
    });
    for (QCustomPlot *plot : {m_byParams, m_byHardware})
        spaceTickLabels(plot->xAxis, 80); // "125,000" with room around it
    m_table->setHorizontalHeaderLabels({tr("Value"), tr("Parameters"), tr("Neurons"),
                                        tr("Logic cells (est.)"), tr("EBR (est.)"), tr("Accuracy"),
                                        tr("Cycles/inference"), tr("Weight Kbit")});
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 4);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setToolTip(tr("Click a point to give its value to the Optimisation panel"));
    connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (row > 0) // row 0 is the input graph
            pickPoint(row - 1);
    });

    // One row of controls; the two plots side by side above the table.
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Parameter"), this));
    controls->addWidget(m_parameter);
    controls->addWidget(new QLabel(tr("Values"), this));
    controls->addWidget(m_values, 2);
    controls->addWidget(m_run);
    controls->addWidget(m_cancel);
    controls->addWidget(m_progress, 1);
    // The right plot's axis beside the status line, so the controls stay narrow.
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(new QLabel(tr("Right plot"), this));
    statusRow->addWidget(m_axis);
    auto *plots = new QSplitter(Qt::Horizontal, this);
    plots->addWidget(m_byParams);
    plots->addWidget(m_byHardware);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(plots);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(statusRow);
    layout->addWidget(split, 1);

    connect(m_run, &QPushButton::clicked, this, &SweepPanel::run);
    connect(m_cancel, &QPushButton::clicked, this, &SweepPanel::cancel);
    connect(m_job, &JobRunner::progress, this, [this](double fraction, const QString &step) {
        m_progress->setValue(int(fraction * 1000.0));
        m_status->setText(step);
    });
    connect(m_job, &JobRunner::runningChanged, this, [this](bool running) {
        m_run->setEnabled(!running);
        m_cancel->setEnabled(running);
        m_parameter->setEnabled(!running);
        m_values->setEnabled(!running);
    });
    m_cancel->setEnabled(false);
    clearResult();
}

SweepPanel::~SweepPanel() = default;

QCustomPlot *SweepPanel::makePlot(const QString &xLabel)
{
    auto *plot = new QCustomPlot(this);
    plot->setMinimumSize(220, 160);
    plot->xAxis->setLabel(xLabel);
    // 0: the points (a curve keeps their order: t is the point's index), 1: the input graph,
    // 2: the picked point, 3: the Pareto front (against cycles).
    auto *points = new QCPCurve(plot->xAxis, plot->yAxis);
    points->setLineStyle(QCPCurve::lsNone);
    points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(31, 119, 180), 8));
    points->setName(tr("after the passes"));
    auto *input = new QCPGraph(plot->xAxis, plot->yAxis);
    input->setLineStyle(QCPGraph::lsNone);
    input->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QColor(214, 39, 40), 10));
    input->setName(tr("input graph"));
    auto *picked = new QCPGraph(plot->xAxis, plot->yAxis);
    picked->setLineStyle(QCPGraph::lsNone);
    picked->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(255, 127, 14), 2), Qt::NoBrush, 16));
    picked->removeFromLegend();
    auto *front = new QCPCurve(plot->xAxis, plot->yAxis);
    front->setPen(QPen(QColor(31, 119, 180), 1.5, Qt::DashLine));
    front->setName(tr("Pareto front"));
    plot->setToolTip(tr("Blue: the graph after the passes at each value (labelled); red cross: "
                        "the input graph. Click a point to use its value."));
    connect(plot, &QCustomPlot::plottableClick, this,
            [this, points](QCPAbstractPlottable *clicked, int dataIndex, QMouseEvent *) {
                if (clicked == points && dataIndex >= 0 && dataIndex < points->dataCount())
                    pickPoint(int(points->data()->at(dataIndex)->t));
            });
    connect(plot, &QCustomPlot::itemClick, this, [this](QCPAbstractItem *item, QMouseEvent *) {
        const QVariant point = item->property("point");
        if (point.isValid())
            pickPoint(point.toInt());
    });
    addExportMenu(plot, [this](const QString &text) { Q_EMIT message(text); });
    // The labels are placed where the points land, which the layout of each replot decides.
    connect(plot, &QCustomPlot::afterLayout, plot, [plot] { placeLabels(plot); });
    return plot;
}

void SweepPanel::setDocument(Document *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    cancel();
    clearResult();
    if (!m_document)
        return;
    connect(m_document, &Document::edited, this, [this](Document::Changes what) {
        using C = Document::Change;
        if (!(what & (C::Function | C::Rates)))
            return; // a rename or a move keeps the sweep
        const bool had = m_result.has_value() || isRunning();
        cancel();
        clearResult();
        if (had)
            m_status->setText(tr("The graph changed: run the sweep again."));
    });
}

SweepParameter SweepPanel::parameter() const
{
    return kSweepParameterNames.values()[std::size_t(m_parameter->currentIndex())];
}

void SweepPanel::setParameter(SweepParameter parameter)
{
    m_parameter->setCurrentText(toString(parameter));
}

QString SweepPanel::valuesText() const
{
    return m_values->text();
}

void SweepPanel::setValuesText(const QString &text)
{
    m_values->setText(text);
}

bool SweepPanel::isRunning() const
{
    return m_job->isRunning();
}

QString SweepPanel::status() const
{
    return m_status->text();
}

void SweepPanel::run()
{
    if (!m_document || m_document->graph().isEmpty()) {
        m_status->setText(tr("Nothing to sweep: the graph has no layers."));
        return;
    }
    SweepOptions options = m_source ? m_source() : SweepOptions{};
    try {
        options.parameter = parameter();
        options.values = parseSweepValues(m_values->text(), tr("Values"));
    } catch (const Error &e) {
        m_status->setText(e.message());
        return;
    }
    options.optimize.hardwareBits.clear(); // the float accuracy per point; the core's is slower
    if (options.parameter == SweepParameter::BudgetCycles &&
        !options.passes.contains(passes::kNeuronPruning))
        options.passes << passes::kNeuronPruning; // the budget is neuron_pruning's
    clearResult();
    m_status->setText(tr("Sweeping %1 over %2 values...")
                          .arg(toString(options.parameter))
                          .arg(options.values.size()));
    m_job->run<SweepResult>(
        [graph = m_document->graph(), options](const RunControl &control) {
            return sweep(graph, options, control);
        },
        [this](SweepResult result) {
            m_result = std::move(result);
            m_progress->setValue(m_progress->maximum());
            showResult();
            const QString text = tr("Sweep of %1: %2 points%3")
                                     .arg(toString(m_result->parameter))
                                     .arg(m_result->points.size())
                                     .arg(m_result->before.accuracy
                                              ? QString()
                                              : tr(" (attach a data set to measure accuracy)"));
            m_status->setText(text + tr(". Blue: after the passes at each value; red cross: the "
                                        "input graph. Click a point to use its value."));
            Q_EMIT message(text);
        },
        [this](const QString &error) {
            m_progress->setValue(0);
            m_status->setText(tr("Sweep failed: %1").arg(error));
            Q_EMIT message(m_status->text());
        });
}

void SweepPanel::cancel()
{
    if (!m_job->isRunning())
        return;
    m_job->cancel();
    m_progress->setValue(0);
    m_status->setText(tr("Cancelled."));
}

void SweepPanel::clearResult()
{
    m_result.reset();
    m_table->setRowCount(0);
    drawPlots();
}

SweepPanel::HardwareAxis SweepPanel::hardwareAxis() const
{
    return HardwareAxis(m_axis->currentIndex());
}

void SweepPanel::setHardwareAxis(HardwareAxis axis)
{
    m_axis->setCurrentIndex(int(axis));
}

void SweepPanel::drawPlots()
{
    for (QCustomPlot *plot : {m_byParams, m_byHardware}) {
        for (int i = 0; i < plot->plottableCount(); ++i) {
            if (auto *curve = qobject_cast<QCPCurve *>(plot->plottable(i)))
                curve->data()->clear();
            else
                static_cast<QCPGraph *>(plot->plottable(i))->data()->clear();
        }
        plot->clearItems();
    }
    if (!m_result) {
        m_byParams->replot(QCustomPlot::rpQueuedReplot);
        m_byHardware->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const SweepResult &r = *m_result;
    const bool accuracy = r.before.accuracy.has_value();
    const Axis &axis = kAxes[m_axis->currentIndex()];
    for (QCustomPlot *plot : {m_byParams, m_byHardware}) {
        const auto xOf = [&](const SweepFigures &f) {
            return plot == m_byHardware ? axis.value(f) : std::optional(double(f.size.params));
        };
        auto *points = static_cast<QCPCurve *>(plot->plottable(0));
        for (std::size_t i = 0; i < r.points.size(); ++i) {
            const SweepPoint &p = r.points[i];
            const std::optional<double> x = xOf(p.figures);
            if (!x)
                continue; // not estimated or measured: no place on this axis
            const double y = yOf(p.figures, p.value);
            points->addData(double(i), *x, y);
            auto *label = new QCPItemText(plot); // placed by placeLabels
            label->position->setCoords(*x, y);
            label->setText(QString::number(p.value));
            label->setProperty("point", int(i)); // a click on the label picks the point too
        }
        const std::optional<double> x = xOf(r.before);
        if (x && accuracy)
            plot->graph(0)->addData(*x, 100.0 * *r.before.accuracy);
        if (plot == m_byHardware && hardwareAxis() == HardwareAxis::Cycles && accuracy) {
            auto *front = static_cast<QCPCurve *>(plot->plottable(3));
            for (int i : r.paretoFront()) {
                const SweepFigures &f = r.points[std::size_t(i)].figures;
                front->addData(*cyclesOf(f), 100.0 * *f.accuracy);
            }
        }
        plot->yAxis->setLabel(accuracy ? tr("Accuracy (%)") : toString(r.parameter));
        plot->rescaleAxes();
        plot->xAxis->scaleRange(1.15, plot->xAxis->range().center());
        keepRelativeSpan(plot->xAxis, 0.1); // 3,148 to 3,161 cells: a change of 0.4 %
        // Room above the top points for their labels.
        const QCPRange y = plot->yAxis->range();
        plot->yAxis->setRange(y.lower - 0.1 * y.size() - 0.5, y.upper + 0.25 * y.size() + 0.5);
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void SweepPanel::showResult()
{
    const SweepResult &r = *m_result;
    drawPlots();
    m_table->setRowCount(int(r.points.size()) + 1);
    const auto fill = [this](int row, const QString &value, const SweepFigures &f) {
        const std::optional<double> cycles = cyclesOf(f);
        const QString texts[ColCount] = {
            value,
            number(double(f.size.params)),
            number(double(f.size.neurons)),
            f.hardware ? number(f.hardware->fit.estimate.logicCells) : tr("-"),
            f.hardware ? QString::number(f.hardware->fit.estimate.ebrBlocks) : tr("-"),
            f.accuracy ? QStringLiteral("%1%").arg(100.0 * *f.accuracy, 0, 'f', 2) : tr("-"),
            cycles ? number(*cycles) : tr("-"),
            f.hardware ? number(f.hardware->weightKbit()) : tr("-")};
        for (int c = 0; c < ColCount; ++c) {
            auto *item = new QTableWidgetItem(texts[c]);
            if (c != ColValue)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (!f.hardware && c != ColValue && c != ColParams && c != ColNeurons &&
                c != ColAccuracy)
                item->setToolTip(f.notEstimated);
            m_table->setItem(row, c, item);
        }
    };
    fill(0, tr("input graph"), r.before);
    for (std::size_t i = 0; i < r.points.size(); ++i)
        fill(int(i) + 1, QString::number(r.points[i].value), r.points[i].figures);
}

void SweepPanel::pickPoint(int index)
{
    if (!m_result || index < 0 || index >= int(m_result->points.size()))
        return;
    const SweepPoint &p = m_result->points[std::size_t(index)];
    for (QCustomPlot *plot : {m_byParams, m_byHardware}) {
        auto *points = static_cast<QCPCurve *>(plot->plottable(0));
        plot->graph(1)->data()->clear();
        for (const QCPCurveData &d : *points->data())
            if (int(d.t) == index)
                plot->graph(1)->addData(d.key, d.value);
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
    m_table->selectRow(index + 1);
    m_status->setText(tr("Picked %1 = %2: the Optimisation panel takes it.")
                          .arg(toString(m_result->parameter))
                          .arg(p.value));
    Q_EMIT pointPicked(m_result->parameter, p.value);
}

} // namespace snn::widgets
