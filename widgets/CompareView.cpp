#include "CompareView.h"

#include "ComparisonModel.h"
#include "PlotExport.h"
#include "QCustomPlotInclude.h"
#include "RateHeatmap.h"
#include "SaveDialog.h"
#include "base/Error.h"
#include "base/JobRunner.h"
#include "base/Names.h"
#include "hw/Boards.h"
#include "hw/ResourceEstimator.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>

namespace snn::widgets {

namespace {

// One bar's share of a stage's height on the bars' axis: three bars and a gap.
constexpr double kBar = 0.27;

QString passLabel(const QString &pass)
{
    if (pass == passes::kDeadNeuronElimination)
        return CompareView::tr("dead neurons");
    if (pass == passes::kRedundancyElimination)
        return CompareView::tr("redundancy");
    if (pass == passes::kLayerFusion)
        return CompareView::tr("fusion");
    if (pass == passes::kNeuronPruning)
        return CompareView::tr("pruning");
    return pass;
}

} // namespace

CompareView::CompareView(ComparisonModel *model, RateHeatmap *heatmap, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_heatmap(heatmap)
    , m_table(new QTableView(this))
    , m_report(new QPlainTextEdit(this))
    , m_plot(new QCustomPlot(this))
    , m_exportReport(new QPushButton(tr("Export report..."), this))
    , m_side(new QTabWidget(this))
    , m_estimates(new JobRunner(this))
{
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 4);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_report->setReadOnly(true);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_report->setPlaceholderText(tr("Run the passes (Optimisation panel) to compare."));
    m_plot->setMinimumSize(200, 160); // the table gets its width first
    addExportMenu(m_plot, [this](const QString &text) { Q_EMIT message(text); });
    if (m_heatmap)
        addExportMenu(m_heatmap->plot(), [this](const QString &text) { Q_EMIT message(text); });
    m_exportReport->setToolTip(tr("Write the comparison as one HTML or Markdown file, its plots "
                                  "as PNG images beside it"));
    m_exportReport->setEnabled(false);
    // Over a stage its figures, anywhere how to export the plot.
    const QString exportHint = tr("Right-click to export the plot (PNG, SVG or PDF)");
    m_plot->setToolTip(exportHint);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this, exportHint](QMouseEvent *event) {
        const QString figures = stageToolTip(stageAt(event->pos()));
        m_plot->setToolTip(figures.isEmpty() ? exportHint
                                             : figures + QStringLiteral("\n\n") + exportHint);
    });

    // The bars and the report share the room beside the table, one at a time: the bars get all
    // of its height (every label readable at 1280x800), the report all of its width.
    m_side->addTab(m_plot, tr("After each pass"));
    m_side->addTab(m_report, tr("Report"));
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_side, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_exportReport);
    rightLayout->addLayout(buttons);
    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->addWidget(m_table);
    m_split->addWidget(right);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    auto *scroll = new QScrollArea(this); // scrolls only when the bars are under the table
    scroll->setWidget(m_split);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(m_exportReport, &QPushButton::clicked, this, [this] {
        saveThroughDialog(
            this, tr("Export comparison report"), QStringLiteral("comparison.html"),
            tr("HTML (*.html);;Markdown (*.md)"),
            [this](const QString &path) { exportReport(path); },
            [this](const QString &text) { Q_EMIT message(text); });
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &CompareView::showSynthesisedRows);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CompareView::showSynthesisedRows);
    showSynthesisedRows();
    redraw();
}

CompareView::~CompareView() = default;

void CompareView::showSynthesisedRows()
{
    using Metric = ComparisonModel::Metric;
    const std::initializer_list<Metric> rows{Metric::SynthesisedLogicCells, Metric::SynthesisedEbr,
                                             Metric::SynthesisedSpram};
    const bool synthesised =
        std::any_of(rows.begin(), rows.end(), [&](Metric m) { return m_model->isMeasured(m); });
    for (Metric m : rows)
        m_table->setRowHidden(ComparisonModel::rowOf(m), !synthesised);
}

void CompareView::fitTable()
{
    // After the layouts settled (a splitter spreads a resize by its own rules first).
    QTimer::singleShot(0, this, [this] {
        if (!isVisible())
            return;
        // The table whole, and the bars and report beside it when they have room (240 px),
        // else under it, at least 300 px high and high enough for every bar to be as high as
        // its label (a narrow window: 1024 px wide, the passes beside the view; the labels of
        // three bars a stage overlapped at 1024x700), the view scrolling when the two do not
        // fit its height.
        if (m_tableWidth == 0)
            return; // no result yet: nothing to fit
        const bool beside = width() >= m_tableWidth + 240;
        m_split->setOrientation(beside ? Qt::Horizontal : Qt::Vertical);
        if (beside) {
            m_table->setMinimumHeight(0);
            m_side->parentWidget()->setMinimumHeight(0);
            m_table->setMaximumWidth(m_tableWidth);
            m_split->setSizes({m_tableWidth, width() - m_tableWidth});
            return;
        }
        const int tableHeight = m_table->horizontalHeader()->height() +
                                m_table->verticalHeader()->length() + 2 * m_table->frameWidth();
        m_table->setMaximumWidth(QWIDGETSIZE_MAX);
        m_table->setMinimumHeight(tableHeight);
        // The legend, the axis, the tabs and the button take about 9 lines of text.
        const int line = m_plot->fontMetrics().height();
        const int bars = 9 * line + int(std::ceil(double(m_stages.size()) * (line + 2) / kBar));
        m_side->parentWidget()->setMinimumHeight(std::max(300, bars));
        m_split->setSizes({tableHeight, std::max(bars, height() - tableHeight)});
    });
}

void CompareView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    fitTable();
}

void CompareView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitTable();
}

bool CompareView::isEstimating() const
{
    return m_estimates->isRunning();
}

void CompareView::addNote(const QString &text)
{
    m_report->appendPlainText(QLatin1Char('\n') + text);
}

QString CompareView::reportText() const
{
    return m_report->toPlainText();
}

void CompareView::setResult(const Graph &before, std::shared_ptr<const OptimizeResult> result,
                            const OptimizeOptions &options, const hw::ExportOptions &hardware)
{
    m_result = std::move(result);
    m_stages.clear();
    m_estimates->cancel();
    m_exportReport->setEnabled(m_result != nullptr);
    if (!m_result) {
        m_report->clear();
        redraw();
        return;
    }
    const Report &report = m_result->report;
    m_report->setPlainText(report.summary());
    // The table at most as wide as its columns; the report and bars take the rest.
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->resizeColumnsToContents();
    m_tableWidth = m_table->horizontalHeader()->length() + 2 * m_table->frameWidth() +
                   m_table->verticalScrollBar()->sizeHint().width();
    m_table->setMaximumWidth(m_tableWidth);
    fitTable();
    // With the run's hardware figures, each stage's LC and cycles are there.
    const auto logicCells = [](const std::optional<eval::HardwareFigures> &f) {
        return f ? std::optional<double>(f->fit.estimate.logicCells) : std::nullopt;
    };
    const auto cycles = [](const std::optional<eval::HardwareFigures> &f) {
        return f && f->hasCycles() ? std::optional(f->cyclesPerInference) : std::nullopt;
    };
    const std::optional<eval::HardwareFigures> original =
        report.figures ? std::optional(report.figures->before) : std::nullopt;
    m_stages.push_back({tr("original"), double(report.before.params), double(report.before.neurons),
                        logicCells(original), cycles(original)});
    for (const PassReport &pass : report.passReports)
        m_stages.push_back({passLabel(pass.pass), double(pass.after.params),
                            double(pass.after.neurons), logicCells(pass.figures),
                            cycles(pass.figures)});
    if (report.figures) {
        redraw();
        return;
    }

    // The graph after each pass: the passes again, without validation data (they do not depend
    // on it), each prefix from the original graph.
    OptimizeOptions replay = options;
    replay.validation = nullptr;
    replay.hardwareBits.clear();
    const QStringList passNames = report.passes;
    m_estimates->run<std::vector<std::optional<double>>>(
        [before, replay, passNames, hardware,
         last = m_result](const RunControl &control) -> std::vector<std::optional<double>> {
            std::vector<std::optional<double>> cells;
            const hw::Board &board = hw::board(hardware.board);
            auto estimate = [&](const Graph &g) -> std::optional<double> {
                try {
                    return double(hw::checkFit(g, hardware.quant, hardware.lanes, board,
                                               hardware.weightMemory)
                                      .estimate.logicCells);
                } catch (const Error &) {
                    return std::nullopt; // a graph the core cannot build
                }
            };
            cells.push_back(estimate(before));
            for (qsizetype k = 1; k <= passNames.size(); ++k) {
                control.checkCancelled();
                cells.push_back(estimate(k == passNames.size()
                                             ? last->graph
                                             : optimize(before, passNames.first(k), replay).graph));
            }
            return cells;
        },
        [this](std::vector<std::optional<double>> cells) {
            for (std::size_t i = 0; i < cells.size() && i < m_stages.size(); ++i)
                m_stages[i].logicCells = cells[i];
            redraw();
            Q_EMIT estimatesFinished();
        },
        [this](const QString &error) {
            redraw();
            Q_EMIT message(tr("Per-pass estimate failed: %1").arg(error));
        });
    redraw(); // the logic-cell bars say they are being estimated
}

namespace {

struct Series {
    const char *name;
    QColor colour;
    std::optional<double> (*value)(const CompareView::Stage &);
    bool estimated; // computed off the GUI thread when the run has no hardware figures
};

constexpr std::size_t kNeuronsSeries = 1;
constexpr std::size_t kCyclesSeries = 3;
const std::array<Series, 4> kSeries{{
    {QT_TRANSLATE_NOOP("snn::widgets::CompareView", "Parameters"), QColor(0x4c, 0x72, 0xb0),
     [](const CompareView::Stage &s) { return std::optional(s.params); }, false},
    {QT_TRANSLATE_NOOP("snn::widgets::CompareView", "Neurons"), QColor(0x55, 0xa8, 0x68),
     [](const CompareView::Stage &s) { return std::optional(s.neurons); }, false},
    {QT_TRANSLATE_NOOP("snn::widgets::CompareView", "LC (est.)"), QColor(0xdd, 0x84, 0x52),
     [](const CompareView::Stage &s) { return s.logicCells; }, true},
    {QT_TRANSLATE_NOOP("snn::widgets::CompareView", "Cycles/inference"), QColor(0x81, 0x72, 0xb3),
     [](const CompareView::Stage &s) { return s.cycles; }, false},
}};

// A series' value at a stage as a percentage of the original's (nullopt: unknown).
std::optional<double> percentOfOriginal(const std::vector<CompareView::Stage> &stages,
                                        const Series &series, std::size_t stage)
{
    const std::optional<double> value = series.value(stages[stage]);
    const std::optional<double> original = series.value(stages.front());
    if (!value || !original || *original == 0.0)
        return std::nullopt;
    return 100.0 * *value / *original;
}

QString percentText(double percent)
{
    return percent == 100.0 ? QStringLiteral("100%")
                            : QStringLiteral("%1%").arg(percent, 0, 'f', 1);
}

} // namespace

int CompareView::stageAt(QPoint pos) const
{
    if (m_stages.empty() || m_plot->axisRectCount() == 0)
        return -1;
    const QCPAxisRect *rect = m_plot->axisRect(0);
    if (!rect->rect().contains(pos))
        return -1;
    const long stage = std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(pos.y()));
    return stage >= 0 && stage < long(m_stages.size()) ? int(stage) : -1;
}

QString CompareView::stageToolTip(int stage) const
{
    if (stage < 0 || stage >= int(m_stages.size()))
        return {};
    const QLocale locale(QLocale::English);
    QStringList lines{tr("After %1:").arg(m_stages[std::size_t(stage)].name)};
    if (stage == 0)
        lines.front() = tr("Original:");
    for (const Series &series : kSeries) {
        const std::optional<double> value = series.value(m_stages[std::size_t(stage)]);
        const std::optional<double> percent =
            percentOfOriginal(m_stages, series, std::size_t(stage));
        QString text = value ? locale.toString(qint64(std::llround(*value)))
                       : series.estimated
                           ? (isEstimating() ? tr("estimating") : tr("not estimated"))
                           : tr("not measured (run with a data set)");
        if (percent)
            text += QStringLiteral(" (%1)").arg(percentText(*percent));
        lines << QStringLiteral("%1: %2").arg(tr(series.name), text);
    }
    return lines.join(QLatin1Char('\n'));
}

void CompareView::redraw()
{
    m_plot->plotLayout()->clear();
    m_plot->clearPlottables();
    m_plot->clearItems();
    if (m_stages.empty()) {
        m_plot->plotLayout()->addElement(
            0, 0, new QCPTextElement(m_plot, tr("Bars after each pass appear after a run")));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    // One plot, every series as a percentage of the original so they share an axis: stages top
    // to bottom (named once on the left), three bars per stage, each labelled with its value.
    auto *legend = new QCPLegend;
    m_plot->plotLayout()->addElement(0, 0, legend);
    legend->setLayer(QStringLiteral("legend"));
    legend->setWrap(2); // two series a row: readable beside the whole table
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setIconSize(10, 10);
    legend->setBorderPen(Qt::NoPen);
    legend->setMargins(QMargins(2, 2, 2, 2));
    auto *rect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(1, 0, rect);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->plotLayout()->setRowSpacing(0);

    QCPAxis *stages = rect->axis(QCPAxis::atLeft);
    QCPAxis *values = rect->axis(QCPAxis::atBottom);
    auto names = QSharedPointer<QCPAxisTickerText>::create();
    for (std::size_t i = 0; i < m_stages.size(); ++i)
        names->addTick(double(i), m_stages[i].name);
    stages->setTicker(names);
    stages->setTickLength(0, 0);
    stages->grid()->setVisible(false);
    stages->setRangeReversed(true);
    stages->setRange(-0.5, double(m_stages.size()) - 0.5);
    auto percents = QSharedPointer<QCPAxisTickerText>::create();
    for (int p : {0, 50, 100})
        percents->addTick(p, QStringLiteral("%1%").arg(p));
    values->setTicker(percents);
    values->setLabel(tr("% of original"));
    values->setRange(0, 110);

    // Three bars and a gap per stage: parameters, neurons and LC, or with the cycles measured
    // parameters, LC and cycles (the neurons stay in the table and the tooltip).
    const bool withCycles = std::any_of(m_stages.begin(), m_stages.end(),
                                        [](const Stage &st) { return st.cycles.has_value(); });
    std::vector<const Series *> shown;
    for (const Series &series : kSeries)
        if (&series != &kSeries[withCycles ? kNeuronsSeries : kCyclesSeries])
            shown.push_back(&series);
    constexpr double kInside = 40; // % from which a bar holds its label
    for (std::size_t s = 0; s < shown.size(); ++s) {
        const Series &series = *shown[s];
        auto *bars = new QCPBars(stages, values);
        bars->setName(tr(series.name));
        bars->setBrush(series.colour);
        bars->setPen(Qt::NoPen);
        bars->setWidth(kBar * 0.9);
        bars->addToLegend(legend);
        const double offset = (double(s) - 1.0) * kBar;
        QVector<double> keys, heights;
        for (std::size_t i = 0; i < m_stages.size(); ++i) {
            const std::optional<double> percent = percentOfOriginal(m_stages, series, i);
            if (percent) {
                keys << double(i) + offset;
                heights << *percent;
            }
            auto *label = new QCPItemText(m_plot);
            label->setClipAxisRect(rect);
            label->position->setAxes(values, stages);
            label->position->setCoords(percent.value_or(0), double(i) + offset);
            // Inside the end of a long bar (so no width of the plot is too narrow for it),
            // right of a short one.
            if (percent && *percent >= kInside) {
                label->setPositionAlignment(Qt::AlignRight | Qt::AlignVCenter);
                label->setPadding(QMargins(0, 0, 3, 0));
                label->setColor(Qt::white);
            } else {
                label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
                label->setPadding(QMargins(3, 0, 0, 0));
            }
            label->setText(
                percent ? percentText(*percent)
                        : (series.estimated && isEstimating() ? tr("estimating") : tr("n/a")));
        }
        bars->setData(keys, heights, true);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

namespace {

// A Markdown code fence for `text`: more backticks than its longest run of them, at least three.
QString fenceFor(const QString &text)
{
    qsizetype longest = 0;
    qsizetype run = 0;
    for (const QChar c : text) {
        run = c == QLatin1Char('`') ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return QString(std::max<qsizetype>(3, longest + 1), QLatin1Char('`'));
}

} // namespace

void CompareView::exportReport(const QString &path) const
{
    if (!m_result)
        throw Error(tr("no comparison to export: run the passes first"));
    const QFileInfo info(path);
    const bool markdown = info.suffix().toLower() == QLatin1String("md");
    const QString base = info.completeBaseName();
    // The images beside the report: (title, file name).
    std::vector<std::pair<QString, QString>> images{
        {tr("After each pass"), base + QStringLiteral("-passes.png")}};
    savePlot(m_plot, info.dir().filePath(images.back().second));
    if (m_heatmap) {
        images.emplace_back(tr("Firing rates"), base + QStringLiteral("-rates.png"));
        savePlot(m_heatmap->plot(), info.dir().filePath(images.back().second));
    }
    auto cell = [this](int row, int column) {
        return m_model->index(row, column).data().toString();
    };
    auto header = [this](int column) {
        return m_model->headerData(column, Qt::Horizontal).toString();
    };
    const int rows = m_model->rowCount();
    const int columns = m_model->columnCount();
    const QString report = m_report->toPlainText();
    QString text;
    if (markdown) {
        QStringList head, rule;
        for (int c = 0; c < columns; ++c) {
            head << markdownEscaped(header(c));
            rule << (c == 0 ? QStringLiteral("---") : QStringLiteral("---:"));
        }
        text += QStringLiteral("# %1\n\n| %2 |\n| %3 |\n")
                    .arg(tr("Comparison"), head.join(QStringLiteral(" | ")),
                         rule.join(QStringLiteral(" | ")));
        for (int r = 0; r < rows; ++r) {
            QStringList cells;
            for (int c = 0; c < columns; ++c)
                cells << markdownEscaped(cell(r, c));
            text += QStringLiteral("| %1 |\n").arg(cells.join(QStringLiteral(" | ")));
        }
        for (const auto &[title, file] : images)
            text += QStringLiteral("\n## %1\n\n![%1](<%2>)\n").arg(title, file);
        const QString fence = fenceFor(report);
        text += QStringLiteral("\n## %1\n\n%2\n%3\n%2\n").arg(tr("Report"), fence, report);
    } else {
        text +=
            QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>"
                           "<style>table{border-collapse:collapse}td,th{border:1px solid #bbb;"
                           "padding:2px 8px}td.n{text-align:right}</style></head><body>\n")
                .arg(tr("SNN Studio comparison").toHtmlEscaped());
        text += QStringLiteral("<h1>%1</h1>\n<table>\n<tr>").arg(tr("Comparison").toHtmlEscaped());
        for (int c = 0; c < columns; ++c)
            text += QStringLiteral("<th>%1</th>").arg(header(c).toHtmlEscaped());
        text += QStringLiteral("</tr>\n");
        for (int r = 0; r < rows; ++r) {
            text += QStringLiteral("<tr>");
            for (int c = 0; c < columns; ++c)
                text += (c == 0 ? QStringLiteral("<td>%1</td>")
                                : QStringLiteral("<td class=\"n\">%1</td>"))
                            .arg(cell(r, c).toHtmlEscaped());
            text += QStringLiteral("</tr>\n");
        }
        text += QStringLiteral("</table>\n");
        for (const auto &[title, file] : images)
            text += QStringLiteral("<h2>%1</h2>\n<img src=\"%2\" alt=\"%1\">\n")
                        .arg(title.toHtmlEscaped(), file.toHtmlEscaped());
        text += QStringLiteral("<h2>%1</h2>\n<pre>%2</pre>\n</body></html>\n")
                    .arg(tr("Report").toHtmlEscaped(), report.toHtmlEscaped());
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit())
        throw Error(tr("cannot write %1").arg(path));
}

} // namespace snn::widgets
