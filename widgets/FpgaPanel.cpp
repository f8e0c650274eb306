#include "FpgaPanel.h"

#include "base/Error.h"
#include "base/JobRunner.h"
#include "base/RunControl.h"
#include "hw/Exporter.h"
#include "hw/ToolRunner.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace snn::widgets {

namespace {

// The table's columns: one figure each; its rows: the estimate, the original's and the optimised
// graph's synthesis.
enum Row { RowLc, RowEbr, RowSpram, RowFmax, RowBitstream, RowFit, RowCount };

constexpr int kAutoBits = 1;     // the weight-bits spin box's "Auto"
constexpr int kBuildSamples = 4; // Build's RTL verify: a short one
const QString kSettings = QStringLiteral("fpga/");
const QString kProjects = QStringLiteral("fpga/projects"); // model -> project folder

// The log line each step starts with (showStepLog finds it).
const QStringList &stepMarkers()
{
    static const QStringList markers{QStringLiteral("== export"),  QStringLiteral("== yosys"),
                                     QStringLiteral("== nextpnr"), QStringLiteral("== icepack"),
                                     QStringLiteral("== icetime"), QStringLiteral("== iverilog")};
    return markers;
}

// Settings with automatic bits or lanes (0) settled for `original`: the most accurate, then
// fastest, configuration that fits (hw::chooseConfiguration), and its fit check. When nothing
// fits, 8 bits / 4 lanes (or the fixed value) with their fit check, and the chooser's message as
// the reason. Throws Error when the quantiser refuses the graph.
struct Settled {
    hw::ExportOptions options;
    hw::FitCheck fit;
    QString reason;
};

Settled settle(const Graph &original, hw::ExportOptions o)
{
    const hw::Board &board = hw::board(o.board);
    const bool autoBits = o.quant.weightBits == 0;
    const bool autoLanes = o.lanes == 0;
    if (autoBits)
        o.quant.weightBits = 8;
    if (autoLanes)
        o.lanes = 4;
    QString reason;
    if (autoBits || autoLanes) {
        try {
            const hw::Configuration c =
                hw::chooseConfiguration(original, o.quant, board, o.weightMemory,
                                        autoBits ? 0 : o.quant.weightBits, autoLanes ? 0 : o.lanes);
            o.quant = c.quant;
            o.lanes = c.lanes;
            return {o, c.fit, c.reason};
        } catch (const Error &e) {
            reason = e.message(); // nothing fits; the fit check below says by how much
        }
    }
    return {o, hw::checkFit(original, o.quant, o.lanes, board, o.weightMemory), reason};
}

struct Estimate {
    std::optional<hw::FitCheck> fit;
    QString error;                            // why there is no fit check
    std::optional<hw::ExportOptions> settled; // the original graph's settled settings
    QString reason;
};

// The fit check of `optimized` (the original when null) under the settings settled on
// `original`; an empty graph or one the core cannot be built for gives the reason instead.
Estimate fitCheck(const Graph &original, const Graph *optimized, const hw::ExportOptions &o)
{
    if (original.isEmpty())
        return {std::nullopt, FpgaPanel::tr("the graph has no layers"), std::nullopt, {}};
    try {
        const Settled s = settle(original, o);
        if (!optimized)
            return {s.fit, {}, s.options, s.reason};
        return {hw::checkFit(*optimized, s.options.quant, s.options.lanes,
                             hw::board(s.options.board), s.options.weightMemory),
                {},
                s.options,
                s.reason};
    } catch (const Error &e) {
        return {std::nullopt, e.message(), std::nullopt, {}};
    }
}

struct Exported {
    hw::ExportOptions options;
    QString reason;
    int files = 0;
    bool spram = false; // the weights are in SPRAM
};

// Settles the settings on `original` and exports `graph` with them into `dir`, removing the
// bitstream of an earlier build there (so that no stale bitstream passes for this one).
Exported exportSettled(const Graph &original, const Graph &graph, const hw::ExportOptions &o,
                       const QString &dir)
{
    const Settled s = settle(original, o);
    QFile::remove(QDir(dir).filePath(QStringLiteral("top.bin")));
    const hw::ExportResult r = hw::exportDesign(graph, s.options, dir);
    return {s.options, s.reason, int(r.files.size()), r.fit.spram};
}

// "4-bit weights, 4 lanes, weights in SPRAM, 12 MHz"
QString describe(const hw::ExportOptions &o, bool spram)
{
    return FpgaPanel::tr("%1-bit weights, %2 lanes, weights in %3")
        .arg(o.quant.weightBits)
        .arg(o.lanes)
        .arg(spram ? QStringLiteral("SPRAM") : QStringLiteral("EBR"));
}

QString verificationText(const hw::RtlVerification &r)
{
    if (r.passed())
        return FpgaPanel::tr("PASS: %1 samples, every output spike count identical to the "
                             "bit-accurate model")
            .arg(r.samples);
    return FpgaPanel::tr("FAIL: %1 mismatches over %2 samples\n%3")
        .arg(r.mismatches)
        .arg(r.samples)
        .arg(r.details.join(QLatin1Char('\n')));
}

// A model name as a folder name: lower case letters, digits and single dashes.
QString folderName(const QString &name)
{
    QString s = name.toLower();
    s.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    s.remove(QRegularExpression(QStringLiteral("^-+|-+$")));
    return s.isEmpty() ? QStringLiteral("model") : s;
}

} // namespace

FpgaPanel::FpgaPanel(QWidget *parent)
    : QWidget(parent)
    , m_flow(new hw::IceFlow(this))
    , m_runner(new hw::ToolRunner(this))
    , m_originalEstimate(new JobRunner(this))
    , m_optimizedEstimate(new JobRunner(this))
    , m_job(new JobRunner(this))
{
    buildUi();
    connect(m_flow, &hw::IceFlow::stepStarted, this, [this](int index, const QString &name) {
        beginStep(StepYosys + index);
        appendLog(QStringLiteral("== %1\n").arg(name));
    });
    connect(m_flow, &hw::IceFlow::output, this, &FpgaPanel::appendLog);
    connect(m_flow, &hw::IceFlow::finished, this, &FpgaPanel::flowFinished);
    connect(m_flow, &hw::IceFlow::failed, this, [this](const QString &message) {
        const int failedStep = m_step;
        endStep(StepState::Failed);
        appendLog(QStringLiteral("FAILED: %1\n").arg(message));
        m_pending.clear();
        finish(m_action == Action::Build
                   ? tr("Build failed at %1 (nothing was built): %2")
                         .arg(hw::IceFlow::stepNames().value(failedStep - StepYosys), message)
                   : message,
               false);
    });
    connect(m_flow, &hw::IceFlow::stopped, this, [this] {
        endStep(StepState::Stopped);
        appendLog(QStringLiteral("stopped\n"));
        m_pending.clear();
        finish(tr("Stopped."), false);
    });
    connect(m_runner, &hw::ToolRunner::output, this, &FpgaPanel::appendLog);
    connect(m_runner, &hw::ToolRunner::finished, this, [this] {
        if (!m_flashQueue.isEmpty()) { // the weight image after the bitstream
            flashNext();
            return;
        }
        m_status->setText(tr("Flashed."));
        setBusy(false);
    });
    connect(m_runner, &hw::ToolRunner::failed, this, [this](const QString &message) {
        const QString text = message.contains(QLatin1String("find iCE FTDI"))
                                 ? tr("No board found: connect the board by USB.")
                                 : message;
        appendLog(QStringLiteral("FAILED: %1\n").arg(message));
        m_flashQueue.clear();
        m_status->setText(text);
        setBusy(false);
    });
    connect(m_runner, &hw::ToolRunner::stopped, this, [this] {
        m_flashQueue.clear();
        m_status->setText(tr("Stopped."));
        setBusy(false);
    });
}

FpgaPanel::~FpgaPanel()
{
    // Cancel and wait for the export or verification before the folders it works in go.
    delete m_job;
}

QTableWidgetItem *FpgaPanel::cell(int row, int column) const
{
    return m_table->item(column, row);
}

void FpgaPanel::buildUi()
{
    m_board = new QComboBox(this);
    for (const hw::Board &b : hw::boards())
        m_board->addItem(QStringLiteral("%1 (%2)").arg(b.name, b.device.toUpper()), b.id);
    m_board->setCurrentIndex(1); // iCEBreaker
    m_bits = new QSpinBox(this);
    m_bits->setRange(kAutoBits, 8);
    m_bits->setSpecialValueText(tr("Auto"));
    m_bits->setValue(kAutoBits);
    m_bits->setSuffix(tr(" bits"));
    m_bits->setToolTip(tr("Weight bits, 2 to 8. Auto: the most that fit the board"));
    m_lanes = new QComboBox(this);
    m_lanes->addItem(tr("Auto"), 0);
    for (int lanes : {1, 2, 4, 8, 16})
        m_lanes->addItem(QString::number(lanes), lanes);
    m_lanes->setToolTip(tr("Neurons updated in parallel. Auto: the most that fit at the chosen "
                           "bits and that the largest layer can use"));
    m_memory = new QComboBox(this);
    m_memory->addItem(tr("Auto"), QStringLiteral("auto"));
    m_memory->addItem(QStringLiteral("EBR"), QStringLiteral("ebr"));
    m_memory->addItem(QStringLiteral("SPRAM"), QStringLiteral("spram"));
    m_memory->setToolTip(tr("Where the weights go. Auto: EBR when they fit, else the UP5K's "
                            "SPRAM"));
    m_frequency = new QDoubleSpinBox(this);
    m_frequency->setRange(1.0, 200.0);
    m_frequency->setValue(12.0);
    m_frequency->setSuffix(tr(" MHz"));
    restoreSettings();

    // The settings in one row: board, weight bits, lanes, memory, target frequency.
    auto *form = new QHBoxLayout;
    const std::pair<QString, QWidget *> settings[] = {{tr("Board"), m_board},
                                                      {tr("Weights"), m_bits},
                                                      {tr("Lanes"), m_lanes},
                                                      {tr("Memory"), m_memory},
                                                      {tr("Target frequency"), m_frequency}};
    for (const auto &[label, field] : settings) {
        auto *text = new QLabel(label, this);
        text->setBuddy(field);
        form->addWidget(text);
        form->addWidget(field, 1);
    }

    m_folder = new QLabel(this);
    m_folder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chooseFolder = new QPushButton(tr("Choose..."), this);
    m_chooseFolder->setToolTip(tr("Choose the project folder Build keeps for this model"));
    m_openFolder = new QPushButton(tr("Open folder"), this);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(new QLabel(tr("Project folder:"), this));
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_chooseFolder);
    folderRow->addWidget(m_openFolder);

    m_build = new QPushButton(tr("Build"), this);
    m_build->setToolTip(tr("Export, synthesise and verify the graph into the project folder: "
                           "a kept bitstream"));
    m_export = new QPushButton(tr("Export..."), this);
    m_synth = new QPushButton(tr("Synthesise"), this);
    m_synth->setToolTip(tr("Synthesise the graph and the optimised graph (in a temporary "
                           "folder) for the before / after figures"));
    m_verify = new QPushButton(tr("Verify"), this);
    m_flash = new QPushButton(tr("Flash"), this);
    m_flash->setToolTip(tr("Write the last built bitstream to the board (iceprog)"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setEnabled(false);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_build, m_export, m_synth, m_verify, m_flash, m_stop})
        buttons->addWidget(b);

    auto *steps = new QHBoxLayout;
    for (int i = 0; i < StepCount; ++i) {
        auto *label = new QLabel(this);
        label->setFrameShape(QFrame::StyledPanel);
        label->setAlignment(Qt::AlignCenter);
        label->setTextFormat(Qt::RichText);
        label->setToolTip(tr("Click a step that ran to see its log"));
        connect(label, &QLabel::linkActivated, this, [this, i] { showStepLog(i); });
        m_steps << label;
        m_stepState << StepState::Pending;
        m_stepSeconds << 0.0;
        steps->addWidget(label);
    }
    resetSteps(0, StepCount - 1);
    m_tick = new QTimer(this);
    m_tick->setInterval(500);
    connect(m_tick, &QTimer::timeout, this, [this] {
        if (m_step >= 0)
            showStep(m_step);
    });
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The figures across, so that the three rows stay in view in a low dock.
    m_table = new QTableWidget(3, RowCount, this);
    m_table->setVerticalHeaderLabels({tr("Estimate"), tr("Original"), tr("Optimised")});
    m_table->verticalHeaderItem(0)->setToolTip(tr("Estimated for the original graph"));
    m_table->verticalHeaderItem(1)->setToolTip(tr("Synthesised: the original graph"));
    m_table->verticalHeaderItem(2)->setToolTip(tr("Synthesised: the optimised graph"));
    m_table->setHorizontalHeaderLabels(
        {tr("Logic cells"), tr("EBR"), tr("SPRAM"), tr("fmax"), tr("Bitstream"), tr("Fit")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    for (int r = 0; r < RowCount; ++r)
        for (int c = 0; c < 3; ++c)
            m_table->setItem(c, r, new QTableWidgetItem(QStringLiteral("-")));

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
    layout->addLayout(folderRow);
    layout->addLayout(buttons);
    layout->addLayout(steps);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_build, &QPushButton::clicked, this, [this] { build(); });
    connect(m_export, &QPushButton::clicked, this, &FpgaPanel::exportDesign);
    connect(m_synth, &QPushButton::clicked, this, &FpgaPanel::synthesise);
    connect(m_verify, &QPushButton::clicked, this, &FpgaPanel::verify);
    connect(m_flash, &QPushButton::clicked, this, &FpgaPanel::flash);
    connect(m_stop, &QPushButton::clicked, this, &FpgaPanel::stop);
    connect(m_openFolder, &QPushButton::clicked, this, &FpgaPanel::openFolder);
    connect(m_chooseFolder, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Project folder for %1").arg(m_modelName), projectDirectory());
        if (!dir.isEmpty())
            setProjectDirectory(dir);
    });
    const auto changed = [this] {
        saveSettings();
        updateFolderLabel(); // the default folder names the board
        updateEstimates();
    };
    for (QComboBox *c : {m_board, m_lanes, m_memory})
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    connect(m_bits, &QSpinBox::valueChanged, this, changed);
    connect(m_frequency, &QDoubleSpinBox::valueChanged, this, &FpgaPanel::saveSettings);
    for (JobRunner *estimates : {m_originalEstimate, m_optimizedEstimate})
        connect(estimates, &JobRunner::runningChanged, this, [this](bool running) {
            if (!running && !m_originalEstimate->isRunning())
                m_build->setToolTip(m_choice.isEmpty()
                                        ? tr("Export, synthesise and verify the graph into the "
                                             "project folder: a kept bitstream")
                                        : tr("Build with %1").arg(m_choice));
        });
    updateFolderLabel();
    setBusy(false);
}

void FpgaPanel::restoreSettings()
{
    const QSettings s;
    const int board = m_board->findData(s.value(kSettings + QStringLiteral("board")));
    if (board >= 0)
        m_board->setCurrentIndex(board);
    const int bits = s.value(kSettings + QStringLiteral("bits"), 0).toInt();
    m_bits->setValue(bits >= 2 && bits <= 8 ? bits : kAutoBits);
    const int lanes = m_lanes->findData(s.value(kSettings + QStringLiteral("lanes"), 0).toInt());
    m_lanes->setCurrentIndex(std::max(lanes, 0));
    const int memory = m_memory->findData(s.value(kSettings + QStringLiteral("memory")));
    m_memory->setCurrentIndex(std::max(memory, 0));
    m_frequency->setValue(s.value(kSettings + QStringLiteral("frequency"), 12.0).toDouble());
}

void FpgaPanel::saveSettings() const
{
    QSettings s;
    s.setValue(kSettings + QStringLiteral("board"), m_board->currentData());
    s.setValue(kSettings + QStringLiteral("bits"), automaticBits() ? 0 : m_bits->value());
    s.setValue(kSettings + QStringLiteral("lanes"), m_lanes->currentData());
    s.setValue(kSettings + QStringLiteral("memory"), m_memory->currentData());
    s.setValue(kSettings + QStringLiteral("frequency"), m_frequency->value());
}

void FpgaPanel::setOriginalGraph(const Graph &graph)
{
    m_original = graph;
    estimate(false);
    if (m_optimized)
        estimate(true); // its settings are settled on the original
}

void FpgaPanel::setOptimizedGraph(const std::optional<Graph> &graph)
{
    m_optimized = graph;
    estimate(true);
}

void FpgaPanel::setModel(const QString &filePath, const QString &name)
{
    m_modelPath = filePath;
    m_modelName = name;
    updateFolderLabel();
}

QString FpgaPanel::projectDirectory() const
{
    const QString key = m_modelPath.isEmpty() ? m_modelName : m_modelPath;
    const QString chosen = QSettings().value(kProjects).toMap().value(key).toString();
    if (!chosen.isEmpty())
        return chosen;
    const QString board = m_board->currentData().toString();
    if (!m_modelPath.isEmpty()) {
        const QFileInfo model(m_modelPath);
        return model.absoluteDir().filePath(model.completeBaseName() + QLatin1Char('-') + board);
    }
    return QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
        .filePath(QStringLiteral("SNN Studio/%1-%2").arg(folderName(m_modelName), board));
}

void FpgaPanel::setProjectDirectory(const QString &dir)
{
    QSettings s;
    QVariantMap projects = s.value(kProjects).toMap();
    const QString key = m_modelPath.isEmpty() ? m_modelName : m_modelPath;
    if (dir.isEmpty())
        projects.remove(key);
    else
        projects.insert(key, QDir::cleanPath(dir));
    s.setValue(kProjects, projects);
    updateFolderLabel();
}

void FpgaPanel::updateFolderLabel()
{
    const QString dir = QDir::toNativeSeparators(projectDirectory());
    m_folder->setText(dir);
    m_folder->setToolTip(dir);
}

hw::ExportOptions FpgaPanel::settings() const
{
    hw::ExportOptions o;
    o.board = m_board->currentData().toString();
    o.quant.weightBits = automaticBits() ? 0 : m_bits->value();
    o.lanes = m_lanes->currentData().toInt();
    o.weightMemory = hw::parseWeightMemory(m_memory->currentData().toString());
    o.clockMHz = m_frequency->value(); // the board's oscillator, or a PLL clock
    return o;
}

hw::ExportOptions FpgaPanel::exportOptions() const
{
    hw::ExportOptions o = settings();
    if (m_chosen) {
        o.quant.weightBits = m_chosen->quant.weightBits;
        o.lanes = m_chosen->lanes;
    }
    if (o.quant.weightBits == 0)
        o.quant.weightBits = 8;
    if (o.lanes == 0)
        o.lanes = 4;
    return o;
}

bool FpgaPanel::automaticBits() const
{
    return m_bits->value() == kAutoBits;
}

bool FpgaPanel::automaticLanes() const
{
    return m_lanes->currentData().toInt() == 0;
}

bool FpgaPanel::isEstimating() const
{
    return m_originalEstimate->isRunning() || m_optimizedEstimate->isRunning();
}

QString FpgaPanel::log() const
{
    return m_log->toPlainText();
}

QString FpgaPanel::status() const
{
    return m_status->text();
}

void FpgaPanel::estimate(bool optimized)
{
    // The fit check quantises the whole graph: off the GUI thread, newest request wins.
    JobRunner *runner = optimized ? m_optimizedEstimate : m_originalEstimate;
    if (!optimized && !m_original.isEmpty()) {
        // A new estimate takes the status line; its result keeps it only if nothing else has.
        m_estimateStatus = tr("Estimating resources...");
        m_status->setText(m_estimateStatus);
        m_status->setToolTip({});
    }
    runner->run<Estimate>(
        [original = m_original, graph = optimized ? m_optimized : std::nullopt,
         settings = settings(), optimized](const RunControl &) {
            if (optimized && !graph)
                return Estimate{};
            return fitCheck(original, graph ? &*graph : nullptr, settings);
        },
        [this, optimized](Estimate e) {
            if (optimized) {
                m_optimizedFit = e.fit;
            } else {
                m_originalFit = e.fit;
                m_originalError = e.error;
                m_chosen = e.settled;
                m_choice = e.reason;
                if (!m_original.isEmpty() && !m_busy)
                    showEstimate();
            }
            Q_EMIT estimatesChanged();
        },
        {});
}

void FpgaPanel::showEstimate()
{
    constexpr int column = 0; // "Estimate (original)"
    if (m_originalFit) {
        const hw::FitCheck &fit = *m_originalFit;
        cell(RowLc, column)->setText(QString::number(fit.estimate.logicCells));
        cell(RowEbr, column)->setText(QString::number(fit.estimate.ebrBlocks));
        cell(RowSpram, column)->setText(QString::number(fit.estimate.spramBlocks));
        cell(RowFit, column)->setText(fit.fits ? tr("fits") : tr("does not fit"));
        cell(RowFit, column)->setToolTip(fit.message);
        // The choice in one line;
        // why, and the fit check's figures, on hover. Without a choice the fit check says what
        // does not fit and what would.
        if (m_choice.isEmpty() || !m_chosen)
            showEstimateStatus(fit.message, {});
        else
            showEstimateStatus(
                tr("Auto: %1, the most accurate and then fastest configuration "
                   "that fits the %2 (hover for why).")
                    .arg(describe(*m_chosen, fit.spram), hw::board(m_chosen->board).name),
                tr("%1.\n%2").arg(m_choice, fit.message));
    } else {
        cell(RowFit, column)->setText(tr("not supported"));
        cell(RowFit, column)->setToolTip(m_originalError);
        showEstimateStatus(m_originalError, {});
    }
}

void FpgaPanel::showEstimateStatus(const QString &text, const QString &toolTip)
{
    // An estimate that arrives after a run said something (a build that failed at once) leaves
    // that in the status line: the table has the estimate.
    if (m_status->text() != m_estimateStatus)
        return;
    m_estimateStatus = text;
    m_status->setText(text);
    m_status->setToolTip(toolTip);
}

void FpgaPanel::updateEstimates()
{
    estimate(false);
    estimate(true);
}

void FpgaPanel::showReport(int column, const hw::FlowReport &r)
{
    cell(RowLc, column)
        ->setText(QStringLiteral("%1 / %2").arg(r.logicCells).arg(r.logicCellsAvailable));
    cell(RowEbr, column)->setText(QStringLiteral("%1 / %2").arg(r.ebr).arg(r.ebrAvailable));
    cell(RowSpram, column)->setText(QStringLiteral("%1 / %2").arg(r.spram).arg(r.spramAvailable));
    cell(RowFmax, column)
        ->setText(QStringLiteral("%1 MHz%2")
                      .arg(r.fmaxMHz, 0, 'f', 1)
                      .arg(r.timingMet() ? QString() : tr(" (below target)")));
    cell(RowBitstream, column)
        ->setText(QStringLiteral("%1 KB").arg(double(r.bitstreamBytes) / 1024.0, 0, 'f', 1));
    cell(RowBitstream, column)->setToolTip(QDir::toNativeSeparators(r.bitstream));
    cell(RowFit, column)->setText(tr("fits"));
}

void FpgaPanel::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_build, m_export, m_synth, m_verify, m_flash, m_board,
                                          m_bits, m_lanes, m_memory, m_frequency, m_chooseFolder})
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

QString FpgaPanel::stepText(int step) const
{
    static const QStringList names{tr("Export"),
                                   QStringLiteral("yosys"),
                                   QStringLiteral("nextpnr"),
                                   QStringLiteral("icepack"),
                                   QStringLiteral("icetime"),
                                   tr("Verify")};
    const double seconds = m_stepState[step] == StepState::Running ? m_stepClock.elapsed() / 1000.0
                                                                   : m_stepSeconds[step];
    const QString timed = QStringLiteral("%1 %2 s").arg(names[step]).arg(seconds, 0, 'f', 1);
    switch (m_stepState[step]) {
    case StepState::Pending:
        return names[step];
    case StepState::Running:
    case StepState::Done:
        return timed;
    case StepState::Failed:
        return tr("failed: %1").arg(timed);
    case StepState::Stopped:
        return tr("stopped: %1").arg(timed);
    }
    return names[step];
}

void FpgaPanel::showStep(int step)
{
    QLabel *label = m_steps[step];
    const QString text = stepText(step).toHtmlEscaped();
    switch (m_stepState[step]) {
    case StepState::Pending:
        label->setText(text);
        break;
    case StepState::Running:
        label->setText(QStringLiteral("<b>%1</b>").arg(text));
        break;
    case StepState::Done:
    case StepState::Stopped:
        label->setText(QStringLiteral("<a href=\"log\">%1</a>").arg(text));
        break;
    case StepState::Failed:
        label->setText(
            QStringLiteral("<a href=\"log\"><span style=\"color:#c00000\">&#x2717; %1</span></a>")
                .arg(text));
        break;
    }
    label->setEnabled(m_stepState[step] != StepState::Pending || m_step < 0);
}

void FpgaPanel::resetSteps(int first, int last)
{
    m_step = -1;
    for (int i = 0; i < StepCount; ++i) {
        m_stepState[i] = StepState::Pending;
        m_stepSeconds[i] = 0.0;
        showStep(i);
        m_steps[i]->setVisible(i >= first && i <= last);
    }
}

void FpgaPanel::beginStep(int step)
{
    if (m_step >= 0)
        endStep(StepState::Done);
    m_step = step;
    m_stepState[step] = StepState::Running;
    m_stepClock.start();
    m_tick->start();
    showStep(step);
}

void FpgaPanel::endStep(StepState state)
{
    if (m_step < 0)
        return;
    m_stepState[m_step] = state;
    m_stepSeconds[m_step] = m_stepClock.elapsed() / 1000.0;
    showStep(m_step);
    m_step = -1;
    m_tick->stop();
}

void FpgaPanel::showStepLog(int step)
{
    QTextDocument *doc = m_log->document();
    const QTextCursor found =
        doc->find(stepMarkers()[step], doc->characterCount(), QTextDocument::FindBackward);
    if (found.isNull())
        return;
    m_log->setTextCursor(found); // selects the step's first line
    m_log->centerCursor();
    m_log->setFocus();
}

void FpgaPanel::finish(const QString &status, bool ok)
{
    m_tick->stop();
    m_status->setText(status);
    appendLog(status + QLatin1Char('\n'));
    const Action action = m_action;
    m_action = Action::None;
    setBusy(false);
    if (action == Action::Build)
        Q_EMIT buildFinished(ok, status);
}

void FpgaPanel::build(bool optimized)
{
    if (m_original.isEmpty() || m_busy)
        return;
    if (optimized && !m_optimized) {
        m_status->setText(tr("There is no optimised graph to build: run the passes first."));
        Q_EMIT buildFinished(false, m_status->text());
        return;
    }
    const QString dir = projectDirectory();
    m_action = Action::Build;
    m_pending.clear();
    m_current = optimized;
    const int column = optimized ? 2 : 1;
    for (int r = 0; r < RowCount; ++r)
        cell(r, column)->setText(QStringLiteral("-"));
    setBusy(true);
    resetSteps(StepExport, StepVerify);
    appendLog(QStringLiteral("== export: building %1%2 into %3\n")
                  .arg(m_modelName, optimized ? tr(" (optimised)") : QString(),
                       QDir::toNativeSeparators(dir)));
    beginStep(StepExport);
    hw::ExportOptions o = settings();
    o.testSamples = kBuildSamples;
    const Graph graph = optimized ? *m_optimized : m_original;
    m_job->run<Exported>(
        [graph, o, dir](const RunControl &) { return exportSettled(graph, graph, o, dir); },
        [this, dir](Exported e) {
            endStep(StepState::Done);
            m_lastBuild = dir;
            m_buildSummary = describe(e.options, e.spram);
            appendLog(e.reason.isEmpty() ? tr("%1 (as set)\n").arg(m_buildSummary)
                                         : tr("Auto: %1\n").arg(e.reason));
            appendLog(tr("exported %1 files\n").arg(e.files));
            m_flow->start(hw::flowOptions(dir, hw::board(e.options.board)));
        },
        [this](const QString &error) {
            endStep(StepState::Failed);
            appendLog(QStringLiteral("FAILED: %1\n").arg(error));
            finish(tr("Build failed at export (nothing was built): %1").arg(error), false);
        });
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
    m_action = Action::Synthesise;
    m_synthWork = std::make_unique<QTemporaryDir>();
    m_lastBuild.clear();
    m_notBuilt.clear();
    m_built = 0;
    m_pending = {false};
    if (m_optimized)
        m_pending << true;
    for (int c = 1; c < 3; ++c)
        for (int r = 0; r < RowCount; ++r)
            cell(r, c)->setText(QStringLiteral("-"));
    setBusy(true);
    runNextSynthesis();
}

void FpgaPanel::runNextSynthesis()
{
    if (m_pending.isEmpty()) {
        // Success only for what was built: a graph that did not fit built nothing.
        const QString status =
            m_notBuilt.isEmpty() ? tr("Synthesis finished.")
            : m_built == 0
                ? tr("Nothing was built: %1").arg(m_notBuilt.join(QStringLiteral("; ")))
                : tr("Synthesis finished, but %1").arg(m_notBuilt.join(QStringLiteral("; ")));
        finish(status, m_notBuilt.isEmpty());
        return;
    }
    m_current = m_pending.takeFirst();
    const QString which = m_current ? tr("optimised") : tr("original");
    const QString dir =
        m_synthWork->filePath(m_current ? QStringLiteral("optimised") : QStringLiteral("original"));
    resetSteps(StepExport, StepIcetime);
    appendLog(QStringLiteral("== export: the %1 graph to %2\n").arg(which, dir));
    beginStep(StepExport);
    m_job->run<Exported>(
        [original = m_original, graph = m_current ? *m_optimized : m_original, o = settings(),
         dir](const RunControl &) { return exportSettled(original, graph, o, dir); },
        [this, dir, which](Exported e) {
            endStep(StepState::Done);
            if (!m_current)
                m_lastBuild = dir;
            appendLog(QStringLiteral("== synthesising the %1 graph in %2\n").arg(which, dir));
            m_flow->start(hw::flowOptions(dir, hw::board(e.options.board)));
        },
        [this, which](const QString &error) {
            endStep(StepState::Failed);
            appendLog(QStringLiteral("%1: %2\n").arg(which, error));
            cell(RowFit, m_current ? 2 : 1)->setText(tr("does not fit"));
            cell(RowFit, m_current ? 2 : 1)->setToolTip(error);
            m_notBuilt << tr("the %1 graph was not built (%2)").arg(which, error);
            runNextSynthesis();
        });
}

void FpgaPanel::flowFinished(const hw::FlowReport &report)
{
    endStep(StepState::Done);
    showReport(m_current ? 2 : 1, report);
    appendLog(report.toText());
    Q_EMIT synthesisFinished(m_current, report);
    if (m_action == Action::Build) {
        m_buildSummary = tr("%1; %2 / %3 logic cells, %4 / %5 EBR, %6 / %7 SPRAM, fmax %8 MHz")
                             .arg(m_buildSummary)
                             .arg(report.logicCells)
                             .arg(report.logicCellsAvailable)
                             .arg(report.ebr)
                             .arg(report.ebrAvailable)
                             .arg(report.spram)
                             .arg(report.spramAvailable)
                             .arg(report.fmaxMHz, 0, 'f', 1);
        runVerify(m_lastBuild, false);
        return;
    }
    ++m_built;
    runNextSynthesis();
}

void FpgaPanel::verify()
{
    if (m_original.isEmpty() || m_busy)
        return;
    m_action = Action::Verify;
    m_verifyWork = std::make_unique<QTemporaryDir>();
    setBusy(true);
    resetSteps(StepVerify, StepVerify);
    runVerify(m_verifyWork->filePath(QStringLiteral("verify")), true);
}

void FpgaPanel::runVerify(const QString &dir, bool exportFirst)
{
    appendLog(QStringLiteral("== iverilog: RTL against the bit-accurate model\n"));
    beginStep(StepVerify);
    m_job->run<hw::RtlVerification>(
        [original = m_original, o = settings(), dir, exportFirst](const RunControl &control) {
            if (exportFirst)
                exportSettled(original, original, o, dir);
            return hw::runRtlSimulation(dir, control);
        },
        [this](hw::RtlVerification r) {
            const QString result = verificationText(r);
            endStep(r.passed() ? StepState::Done : StepState::Failed);
            appendLog(result + QLatin1Char('\n'));
            Q_EMIT verificationFinished(r.passed(), result);
            const QString first = result.section(QLatin1Char('\n'), 0, 0);
            if (m_action != Action::Build) {
                finish(first, r.passed());
                return;
            }
            const QString bitstream =
                QDir::toNativeSeparators(QDir(m_lastBuild).filePath(QStringLiteral("top.bin")));
            finish(r.passed() ? tr("Built %1 (%2); RTL verify passed on %3 samples.")
                                    .arg(bitstream, m_buildSummary)
                                    .arg(r.samples)
                              : tr("Built %1 (%2), but the RTL verify failed: %3")
                                    .arg(bitstream, m_buildSummary, first),
                   r.passed());
        },
        [this](const QString &error) {
            endStep(StepState::Failed);
            const QString result = QStringLiteral("FAILED: %1").arg(error);
            appendLog(result + QLatin1Char('\n'));
            Q_EMIT verificationFinished(false, result);
            finish(m_action == Action::Build
                       ? tr("Built, but the RTL verify did not run: %1").arg(error)
                       : result,
                   false);
        });
}

void FpgaPanel::flash()
{
    if (m_busy)
        return;
    if (m_lastBuild.isEmpty() ||
        !QFileInfo::exists(QDir(m_lastBuild).filePath(QStringLiteral("top.bin")))) {
        m_status->setText(tr("Build first: there is no bitstream to flash."));
        return;
    }
    setBusy(true);
    m_flashQueue = hw::flashCommands(m_lastBuild);
    flashNext();
}

void FpgaPanel::flashNext()
{
    const QStringList arguments = m_flashQueue.takeFirst();
    appendLog(QStringLiteral("== iceprog %1\n").arg(arguments.join(QLatin1Char(' '))));
    m_runner->start(QStringLiteral("iceprog"), arguments, m_lastBuild,
                    QStringLiteral("fpga-icestorm"));
}

void FpgaPanel::openFolder()
{
    const QString dir = projectDirectory();
    if (!QFileInfo(dir).isDir()) {
        m_status->setText(tr("The project folder %1 does not exist yet: Build creates it.")
                              .arg(QDir::toNativeSeparators(dir)));
        return;
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
}

void FpgaPanel::stop()
{
    m_pending.clear();
    if (m_job->isRunning()) {
        m_job->cancel(); // its result is dropped
        endStep(StepState::Stopped);
        appendLog(QStringLiteral("stopped\n"));
        finish(tr("Stopped."), false);
        return;
    }
    m_flow->stop();
    m_runner->stop();
}

} // namespace snn::widgets
