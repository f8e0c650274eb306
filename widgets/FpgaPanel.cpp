#include "FpgaPanel.h"

#include "Error.h"
#include "RunControl.h"
#include "hw/Exporter.h"
#include "hw/ToolRunner.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace snn::widgets {

namespace {

enum Row { RowLc, RowEbr, RowSpram, RowFmax, RowBitstream, RowFit, RowCount };

struct Estimate {
    std::optional<hw::FitCheck> fit;
    QString error; // why there is no fit check
};

// The fit check of a graph under the panel's settings; an empty graph or one the core cannot be
// built for gives the reason instead.
Estimate fitCheck(const Graph &graph, const hw::ExportOptions &o)
{
    if (graph.isEmpty())
        return {std::nullopt, FpgaPanel::tr("the graph has no layers")};
    try {
        return {hw::checkFit(graph, o.quant, o.lanes, hw::board(o.board)), {}};
    } catch (const Error &e) {
        return {std::nullopt, e.message()};
    }
}

} // namespace

FpgaPanel::FpgaPanel(QWidget *parent)
    : QWidget(parent)
    , m_flow(new hw::IceFlow(this))
    , m_runner(new hw::ToolRunner(this))
{
    buildUi();
    connect(m_flow, &hw::IceFlow::stepStarted, this, [this](int index, const QString &name) {
        setStep(index);
        appendLog(QStringLiteral("== %1\n").arg(name));
    });
    connect(m_flow, &hw::IceFlow::output, this, &FpgaPanel::appendLog);
    connect(m_flow, &hw::IceFlow::finished, this, [this](const hw::FlowReport &report) {
        ++m_built;
        showReport(m_current ? 2 : 1, report);
        appendLog(report.toText());
        Q_EMIT synthesisFinished(m_current, report);
        runNextSynthesis();
    });
    connect(m_flow, &hw::IceFlow::failed, this, [this](const QString &message) {
        appendLog(QStringLiteral("FAILED: %1\n").arg(message));
        m_status->setText(message);
        m_pending.clear();
        setStep(-1);
        setBusy(false);
    });
    connect(m_flow, &hw::IceFlow::stopped, this, [this] {
        appendLog(QStringLiteral("stopped\n"));
        m_status->setText(tr("Stopped."));
        m_pending.clear();
        setStep(-1);
        setBusy(false);
    });
    connect(m_runner, &hw::ToolRunner::output, this, &FpgaPanel::appendLog);
    connect(m_runner, &hw::ToolRunner::finished, this, [this] {
        m_status->setText(tr("Flashed."));
        setBusy(false);
    });
    connect(m_runner, &hw::ToolRunner::failed, this, [this](const QString &message) {
        const QString text = message.contains(QLatin1String("find iCE FTDI"))
                                 ? tr("No board found: connect the board by USB.")
                                 : message;
        appendLog(QStringLiteral("FAILED: %1\n").arg(message));
        m_status->setText(text);
        setBusy(false);
    });
    connect(m_runner, &hw::ToolRunner::stopped, this, [this] {
        m_status->setText(tr("Stopped."));
        setBusy(false);
    });
}

FpgaPanel::~FpgaPanel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void FpgaPanel::buildUi()
{
    m_board = new QComboBox(this);
    for (const hw::Board &b : hw::boards())
        m_board->addItem(QStringLiteral("%1 (%2)").arg(b.name, b.device.toUpper()), b.id);
    m_board->setCurrentIndex(1); // iCEBreaker
    m_bits = new QSpinBox(this);
    m_bits->setRange(2, 8);
    m_bits->setValue(8);
    m_bits->setSuffix(tr(" bits"));
    m_lanes = new QComboBox(this);
    for (int lanes : {1, 2, 4, 8, 16})
        m_lanes->addItem(QString::number(lanes), lanes);
    m_lanes->setCurrentIndex(2);
    m_frequency = new QDoubleSpinBox(this);
    m_frequency->setRange(1.0, 200.0);
    m_frequency->setValue(12.0);
    m_frequency->setSuffix(tr(" MHz"));

    // The settings in one row: board, weight bits, lanes, target frequency.
    auto *form = new QHBoxLayout;
    const std::pair<QString, QWidget *> settings[] = {{tr("Board"), m_board},
                                                      {tr("Weights"), m_bits},
                                                      {tr("Lanes"), m_lanes},
                                                      {tr("Target frequency"), m_frequency}};
    for (const auto &[label, field] : settings) {
        auto *text = new QLabel(label, this);
        text->setBuddy(field);
        form->addWidget(text);
        form->addWidget(field, 1);
    }

    m_export = new QPushButton(tr("Export..."), this);
    m_synth = new QPushButton(tr("Synthesise"), this);
    m_verify = new QPushButton(tr("Verify"), this);
    m_flash = new QPushButton(tr("Flash"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setEnabled(false);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_export, m_synth, m_verify, m_flash, m_stop})
        buttons->addWidget(b);

    auto *steps = new QHBoxLayout;
    for (const QString &name : hw::IceFlow::stepNames()) {
        auto *label = new QLabel(name, this);
        label->setFrameShape(QFrame::StyledPanel);
        label->setAlignment(Qt::AlignCenter);
        m_steps << label;
        steps->addWidget(label);
    }
    m_status = new QLabel(this);
    m_status->setWordWrap(true);

    m_table = new QTableWidget(RowCount, 3, this);
    m_table->setHorizontalHeaderLabels(
        {tr("Estimate (original)"), tr("Original"), tr("Optimised")});
    m_table->setVerticalHeaderLabels(
        {tr("Logic cells"), tr("EBR"), tr("SPRAM"), tr("fmax"), tr("Bitstream"), tr("Fit")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    for (int r = 0; r < RowCount; ++r)
        for (int c = 0; c < 3; ++c)
            m_table->setItem(r, c, new QTableWidgetItem(QStringLiteral("-")));

    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    // The table beside the log, tall enough for all its rows.
    m_table->resizeRowsToContents();
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() +
                              m_table->verticalHeader()->length() + 2 * m_table->frameWidth());
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(m_log);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addLayout(steps);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_export, &QPushButton::clicked, this, &FpgaPanel::exportDesign);
    connect(m_synth, &QPushButton::clicked, this, &FpgaPanel::synthesise);
    connect(m_verify, &QPushButton::clicked, this, &FpgaPanel::verify);
    connect(m_flash, &QPushButton::clicked, this, &FpgaPanel::flash);
    connect(m_stop, &QPushButton::clicked, this, &FpgaPanel::stop);
    for (QComboBox *c : {m_board, m_lanes})
        connect(c, &QComboBox::currentIndexChanged, this, &FpgaPanel::updateEstimates);
    connect(m_bits, &QSpinBox::valueChanged, this, &FpgaPanel::updateEstimates);
    setBusy(false);
}

void FpgaPanel::setOriginalGraph(const Graph &graph)
{
    m_original = graph;
    estimate(false);
}

void FpgaPanel::setOptimizedGraph(const std::optional<Graph> &graph)
{
    m_optimized = graph;
    estimate(true);
}

hw::ExportOptions FpgaPanel::exportOptions() const
{
    hw::ExportOptions o;
    o.board = m_board->currentData().toString();
    o.quant.weightBits = m_bits->value();
    o.lanes = m_lanes->currentData().toInt();
    o.clockMHz = m_frequency->value(); // the board's oscillator, or a PLL clock
    return o;
}

QString FpgaPanel::log() const
{
    return m_log->toPlainText();
}

void FpgaPanel::estimate(bool optimized)
{
    // The fit check quantises the whole graph: off the GUI thread, newest request wins.
    const quint64 generation = ++(optimized ? m_optimizedGeneration : m_originalGeneration);
    std::optional<Graph> graph = optimized ? m_optimized : std::optional<Graph>(m_original);
    if (!optimized && !m_original.isEmpty())
        m_status->setText(tr("Estimating resources..."));
    ++m_estimating;
    auto *watcher = new QFutureWatcher<Estimate>(this);
    connect(watcher, &QFutureWatcher<Estimate>::finished, this,
            [this, watcher, optimized, generation] {
                watcher->deleteLater();
                --m_estimating;
                if (generation != (optimized ? m_optimizedGeneration : m_originalGeneration))
                    return; // superseded
                const Estimate e = watcher->result();
                if (optimized) {
                    m_optimizedFit = e.fit;
                } else {
                    m_originalFit = e.fit;
                    m_originalError = e.error;
                    if (!m_original.isEmpty())
                        showEstimate();
                }
                Q_EMIT estimatesChanged();
            });
    watcher->setFuture(QtConcurrent::run([graph = std::move(graph), options = exportOptions()] {
        return graph ? fitCheck(*graph, options) : Estimate{};
    }));
}

void FpgaPanel::showEstimate()
{
    constexpr int column = 0; // "Estimate (original)"
    if (m_originalFit) {
        const hw::FitCheck &fit = *m_originalFit;
        m_table->item(RowLc, column)->setText(QString::number(fit.estimate.logicCells));
        m_table->item(RowEbr, column)->setText(QString::number(fit.estimate.ebrBlocks));
        m_table->item(RowSpram, column)->setText(QString::number(fit.estimate.spramBlocks));
        m_table->item(RowFit, column)->setText(fit.fits ? tr("fits") : tr("does not fit"));
        m_table->item(RowFit, column)->setToolTip(fit.message);
        m_status->setText(fit.message);
    } else {
        m_table->item(RowFit, column)->setText(tr("not supported"));
        m_table->item(RowFit, column)->setToolTip(m_originalError);
        m_status->setText(m_originalError);
    }
}

void FpgaPanel::updateEstimates()
{
    estimate(false);
    estimate(true);
}

void FpgaPanel::showReport(int column, const hw::FlowReport &r)
{
    m_table->item(RowLc, column)
        ->setText(QStringLiteral("%1 / %2").arg(r.logicCells).arg(r.logicCellsAvailable));
    m_table->item(RowEbr, column)
        ->setText(QStringLiteral("%1 / %2").arg(r.ebr).arg(r.ebrAvailable));
    m_table->item(RowSpram, column)
        ->setText(QStringLiteral("%1 / %2").arg(r.spram).arg(r.spramAvailable));
    m_table->item(RowFmax, column)
        ->setText(QStringLiteral("%1 MHz%2")
                      .arg(r.fmaxMHz, 0, 'f', 1)
                      .arg(r.timingMet() ? QString() : tr(" (below target)")));
    m_table->item(RowBitstream, column)
        ->setText(QStringLiteral("%1 KB").arg(double(r.bitstreamBytes) / 1024.0, 0, 'f', 1));
    m_table->item(RowFit, column)->setText(tr("fits"));
}

void FpgaPanel::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : std::initializer_list<QWidget *>{m_export, m_synth, m_verify, m_flash,
                                                       m_board, m_bits, m_lanes, m_frequency})
        w->setEnabled(!busy);
    m_stop->setEnabled(busy);
    Q_EMIT busyChanged(busy);
}

void FpgaPanel::appendLog(const QString &text)
{
    m_log->moveCursor(QTextCursor::End);
    m_log->insertPlainText(text);
    m_log->moveCursor(QTextCursor::End);
}

void FpgaPanel::setStep(int index)
{
    for (int i = 0; i < m_steps.size(); ++i) {
        QFont f = m_steps[i]->font();
        f.setBold(i == index);
        m_steps[i]->setFont(f);
        m_steps[i]->setEnabled(index < 0 || i <= index);
    }
}

void FpgaPanel::exportDesign()
{
    if (m_original.isEmpty())
        return;
    QString dir = m_exportDir;
    if (dir.isEmpty())
        dir = QFileDialog::getExistingDirectory(this, tr("Export the hardware design to"));
    if (dir.isEmpty())
        return;
    try {
        const hw::ExportResult r = hw::exportDesign(m_original, exportOptions(), dir);
        appendLog(QStringLiteral("exported %1 files to %2\n").arg(r.files.size()).arg(dir));
        m_status->setText(tr("Exported to %1.").arg(dir));
    } catch (const Error &e) {
        appendLog(QStringLiteral("FAILED: %1\n").arg(e.message()));
        m_status->setText(e.message());
    }
}

void FpgaPanel::synthesise()
{
    if (m_original.isEmpty() || m_busy)
        return;
    m_synthWork = std::make_unique<QTemporaryDir>();
    m_lastBuild.clear();
    m_notBuilt.clear();
    m_built = 0;
    m_pending = {false};
    if (m_optimized)
        m_pending << true;
    for (int c = 1; c < 3; ++c)
        for (int r = 0; r < RowCount; ++r)
            m_table->item(r, c)->setText(QStringLiteral("-"));
    setBusy(true);
    runNextSynthesis();
}

void FpgaPanel::runNextSynthesis()
{
    if (m_pending.isEmpty()) {
        setStep(-1);
        // Success only for what was built: a graph that did not fit built nothing.
        const QString status =
            m_notBuilt.isEmpty() ? tr("Synthesis finished.")
            : m_built == 0
                ? tr("Nothing was built: %1").arg(m_notBuilt.join(QStringLiteral("; ")))
                : tr("Synthesis finished, but %1").arg(m_notBuilt.join(QStringLiteral("; ")));
        m_status->setText(status);
        appendLog(status + QLatin1Char('\n'));
        setBusy(false);
        return;
    }
    m_current = m_pending.takeFirst();
    const Graph &graph = m_current ? *m_optimized : m_original;
    const QString dir =
        m_synthWork->filePath(m_current ? QStringLiteral("optimised") : QStringLiteral("original"));
    try {
        hw::exportDesign(graph, exportOptions(), dir);
    } catch (const Error &e) {
        appendLog(QStringLiteral("%1: %2\n")
                      .arg(m_current ? tr("optimised") : tr("original"), e.message()));
        m_table->item(RowFit, m_current ? 2 : 1)->setText(tr("does not fit"));
        m_table->item(RowFit, m_current ? 2 : 1)->setToolTip(e.message());
        m_notBuilt << tr("the %1 graph was not built (%2)")
                          .arg(m_current ? tr("optimised") : tr("original"), e.message());
        runNextSynthesis();
        return;
    }
    if (!m_current)
        m_lastBuild = dir;
    appendLog(QStringLiteral("== synthesising the %1 graph in %2\n")
                  .arg(m_current ? tr("optimised") : tr("original"), dir));
    m_flow->start(hw::flowOptions(dir, hw::board(exportOptions().board)));
}

void FpgaPanel::verify()
{
    if (m_original.isEmpty() || m_busy)
        return;
    m_verifyWork = std::make_unique<QTemporaryDir>();
    const QString dir = m_verifyWork->filePath(QStringLiteral("verify"));
    try {
        hw::exportDesign(m_original, exportOptions(), dir);
    } catch (const Error &e) {
        m_status->setText(e.message());
        appendLog(QStringLiteral("FAILED: %1\n").arg(e.message()));
        return;
    }
    setBusy(true);
    appendLog(QStringLiteral("== iverilog: RTL against the bit-accurate model\n"));
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_cancel;
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        const QString result = watcher->result();
        watcher->deleteLater();
        const bool passed = result.startsWith(QLatin1String("PASS"));
        appendLog(result + QLatin1Char('\n'));
        m_status->setText(result.section(QLatin1Char('\n'), 0, 0));
        setBusy(false);
        Q_EMIT verificationFinished(passed, result);
    });
    watcher->setFuture(QtConcurrent::run([dir, cancel]() -> QString {
        RunControl control;
        control.cancelRequested = [cancel] { return cancel->load(); };
        try {
            const hw::RtlVerification r = hw::runRtlSimulation(dir, control);
            if (r.passed())
                return QStringLiteral("PASS: %1 samples, every output spike count identical to the "
                                      "bit-accurate model")
                    .arg(r.samples);
            return QStringLiteral("FAIL: %1 mismatches over %2 samples\n%3")
                .arg(r.mismatches)
                .arg(r.samples)
                .arg(r.details.join(QLatin1Char('\n')));
        } catch (const Cancelled &) {
            return QStringLiteral("stopped");
        } catch (const Error &e) {
            return QStringLiteral("FAILED: %1").arg(e.message());
        }
    }));
}

void FpgaPanel::flash()
{
    if (m_busy)
        return;
    if (m_lastBuild.isEmpty() ||
        !QFileInfo::exists(QDir(m_lastBuild).filePath(QStringLiteral("top.bin")))) {
        m_status->setText(tr("Synthesise first: there is no bitstream to flash."));
        return;
    }
    setBusy(true);
    appendLog(QStringLiteral("== iceprog\n"));
    m_runner->start(QStringLiteral("iceprog"), {QStringLiteral("top.bin")}, m_lastBuild,
                    QStringLiteral("fpga-icestorm"));
}

void FpgaPanel::stop()
{
    if (m_cancel)
        m_cancel->store(true);
    m_pending.clear();
    m_flow->stop();
    m_runner->stop();
}

} // namespace snn::widgets
