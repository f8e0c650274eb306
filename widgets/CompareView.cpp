#include "CompareView.h"

#include "ComparisonModel.h"
#include "Error.h"
#include "JobRunner.h"
#include "PlotExport.h"
#include "QCustomPlotInclude.h"
#include "RateHeatmap.h"
#include "hw/Boards.h"
#include "hw/ResourceEstimator.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace snn::widgets {

namespace {

QString passLabel(const QString &pass)
{
    if (pass == passes::kDeadNeuronElimination)
        return CompareView::tr("dead neurons");
    if (pass == passes::kRedundancyElimination)
        return CompareView::tr("redundancy");
    if (pass == passes::kLayerFusion)
        return CompareView::tr("fusion");
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
    m_report->setMinimumWidth(150);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_report->setPlaceholderText(tr("Run the passes (Optimisation panel) to compare."));
    m_plot->setMinimumSize(150, 160); // the table gets its width first
    m_plot->plotLayout()->clear();
    addExportMenu(m_plot, [this](const QString &text) { Q_EMIT message(text); });
    if (m_heatmap)
        addExportMenu(m_heatmap->plot(), [this](const QString &text) { Q_EMIT message(text); });
    m_plot->setToolTip(tr("Right-click to export the plot (PNG or PDF)"));
    m_exportReport->setToolTip(
        tr("Write the comparison as one HTML file, its plots as PNG images beside it"));
    m_exportReport->setEnabled(false);

    auto *plotBox = new QWidget(this);
    auto *plotLayout = new QVBoxLayout(plotBox);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->addWidget(m_plot, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_exportReport);
    plotLayout->addLayout(buttons);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_report);
    right->addWidget(plotBox);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->addWidget(m_table);
    m_split->addWidget(right);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_split);

    connect(m_exportReport, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export comparison report"),
                                         QStringLiteral("comparison.html"), tr("HTML (*.html)"));
        if (path.isEmpty())
            return;
        try {
            exportReport(path);
            Q_EMIT message(tr("Comparison report written to %1").arg(path));
        } catch (const Error &e) {
            Q_EMIT message(e.message());
        }
    });
    redraw();
}

CompareView::~CompareView() = default;

void CompareView::fitTable()
{
    // After the layouts settled (a splitter spreads a resize by its own rules first).
    QTimer::singleShot(0, this, [this] {
        if (isVisible())
            m_split->setSizes({m_table->maximumWidth(), width() - m_table->maximumWidth()});
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
    m_table->setMaximumWidth(m_table->horizontalHeader()->length() + 2 * m_table->frameWidth() +
                             m_table->verticalScrollBar()->sizeHint().width());
    fitTable();
    m_stages.push_back({tr("original"), double(report.before.params), double(report.before.neurons),
                        std::nullopt});
    for (const PassReport &pass : report.passReports)
        m_stages.push_back({passLabel(pass.pass), double(pass.after.params),
                            double(pass.after.neurons), std::nullopt});
    redraw();

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
            Q_EMIT message(tr("Per-pass estimate failed: %1").arg(error));
        });
}

void CompareView::redraw()
{
    m_plot->plotLayout()->clear();
    m_plot->clearPlottables();
    if (m_stages.empty()) {
        m_plot->plotLayout()->addElement(
            0, 0, new QCPTextElement(m_plot, tr("Per-pass bars appear after a run")));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    struct Series {
        QString title;
        std::function<std::optional<double>(const Stage &)> value;
        QColor colour;
    };
    const std::vector<Series> series{
        {tr("Parameters (k)"), [](const Stage &s) { return std::optional(s.params / 1000); },
         QColor(0x4c, 0x72, 0xb0)},
        {tr("Neurons"), [](const Stage &s) { return std::optional(s.neurons); },
         QColor(0x55, 0xa8, 0x68)},
        {tr("Logic cells (LC), est."), [](const Stage &s) { return s.logicCells; },
         QColor(0xdd, 0x84, 0x52)},
    };
    // Horizontal bars, stages top to bottom, named once on the left; the three plots aligned.
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (std::size_t i = 0; i < m_stages.size(); ++i)
        ticker->addTick(double(i), m_stages[i].name);
    QFont titleFont = font();
    titleFont.setBold(true);
    auto *margins = new QCPMarginGroup(m_plot);
    for (int c = 0; c < int(series.size()); ++c) {
        const Series &serie = series[std::size_t(c)];
        auto *rect = new QCPAxisRect(m_plot);
        rect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
        m_plot->plotLayout()->addElement(0, c, new QCPTextElement(m_plot, serie.title, titleFont));
        m_plot->plotLayout()->addElement(1, c, rect);
        QCPAxis *stages = rect->axis(QCPAxis::atLeft);
        QCPAxis *values = rect->axis(QCPAxis::atBottom);
        stages->setTicker(ticker);
        stages->setTickLabels(c == 0);
        stages->setRangeReversed(true);
        stages->setRange(-0.6, double(m_stages.size()) - 0.4);
        auto *bars = new QCPBars(stages, values);
        bars->setBrush(serie.colour);
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.6);
        QVector<double> keys, heights;
        double top = 0;
        for (std::size_t i = 0; i < m_stages.size(); ++i)
            if (const std::optional<double> v = serie.value(m_stages[i])) {
                keys << double(i);
                heights << *v;
                top = std::max(top, *v);
            }
        bars->setData(keys, heights, true);
        values->setRange(0, top > 0 ? top * 1.1 : 1);
        values->setNumberFormat(QStringLiteral("gb"));
        values->ticker()->setTickCount(2);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CompareView::exportReport(const QString &path) const
{
    if (!m_result)
        throw Error(tr("no comparison to export: run the passes first"));
    const QFileInfo info(path);
    const QString base = info.completeBaseName();
    const QString passes = base + QStringLiteral("-passes.png");
    savePlot(m_plot, info.dir().filePath(passes));
    QString rates;
    if (m_heatmap) {
        rates = base + QStringLiteral("-rates.png");
        savePlot(m_heatmap->plot(), info.dir().filePath(rates));
    }
    QString html;
    html += QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>"
                           "<style>table{border-collapse:collapse}td,th{border:1px solid #bbb;"
                           "padding:2px 8px}td.n{text-align:right}</style></head><body>\n")
                .arg(tr("SNN Studio comparison").toHtmlEscaped());
    html += QStringLiteral("<h1>%1</h1>\n<table>\n<tr>").arg(tr("Comparison").toHtmlEscaped());
    for (int c = 0; c < m_model->columnCount(); ++c)
        html += QStringLiteral("<th>%1</th>")
                    .arg(m_model->headerData(c, Qt::Horizontal).toString().toHtmlEscaped());
    html += QStringLiteral("</tr>\n");
    for (int r = 0; r < m_model->rowCount(); ++r) {
        html += QStringLiteral("<tr>");
        for (int c = 0; c < m_model->columnCount(); ++c)
            html +=
                (c == 0 ? QStringLiteral("<td>%1</td>") : QStringLiteral("<td class=\"n\">%1</td>"))
                    .arg(m_model->index(r, c).data().toString().toHtmlEscaped());
        html += QStringLiteral("</tr>\n");
    }
    html += QStringLiteral("</table>\n<h2>%1</h2>\n<img src=\"%2\" alt=\"%1\">\n")
                .arg(tr("After each pass").toHtmlEscaped(), passes.toHtmlEscaped());
    if (!rates.isEmpty())
        html += QStringLiteral("<h2>%1</h2>\n<img src=\"%2\" alt=\"%1\">\n")
                    .arg(tr("Firing rates").toHtmlEscaped(), rates.toHtmlEscaped());
    html += QStringLiteral("<h2>%1</h2>\n<pre>%2</pre>\n</body></html>\n")
                .arg(tr("Report").toHtmlEscaped(), m_report->toPlainText().toHtmlEscaped());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(html.toUtf8()) < 0 || !file.commit())
        throw Error(tr("cannot write %1").arg(path));
}

} // namespace snn::widgets
