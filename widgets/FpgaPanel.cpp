#include "FpgaPanel.h"

#include "BuildSteps.h"
#include "HardwareTable.h"
#include "TargetControl.h"
#include "base/Error.h"
#include "base/JobRunner.h"
#include "base/Text.h"
#include "flow/HardwareEstimates.h"
#include "flow/Pipeline.h"
#include "hw/ToolRunner.h"
#include "hw/Verilator.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>
#include <QVBoxLayout>

namespace snn::widgets {

namespace {

constexpr int kAutoBits = 1; // the weight-bits spin box's "Auto"
const QString kSettings = QStringLiteral("fpga/");
const QString kProjects = QStringLiteral("fpga/projects"); // model -> project folder

// A model name as a folder name: lower case letters, digits and single dashes.
QString folderName(const QString &name)
{
    QString s = name.toLower();
    s.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    s.remove(QRegularExpression(QStringLiteral("^-+|-+$")));
    return s.isEmpty() ? QStringLiteral("model") : s;
}

} // namespace

FpgaPanel::FpgaPanel(flow::Pipeline *pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline ? pipeline : new flow::Pipeline(this))
    , m_runner(new hw::ToolRunner(this))
    , m_job(new JobRunner(this))
{
    buildUi();
    m_estimates = new flow::HardwareEstimates(settings(), this);
    connect(m_estimates, &flow::HardwareEstimates::started, this, [this](bool optimized) {
        // A new graph or new settings: the synthesis of that graph was of another design (a
        // training replaced the weights, another board); its figures go.
        m_table->reset(optimized ? HardwareTable::Optimised : HardwareTable::Original);
        if (optimized || m_estimates->original().isEmpty())
            return;
        // A new estimate takes the status line; its result keeps it only if nothing else has.
        m_estimateStatus = tr("Estimating resources...");
        m_status->setText(m_estimateStatus);
        m_status->setToolTip({});
    });
    connect(m_estimates, &flow::HardwareEstimates::changed, this, [this](bool optimized) {
        if (!optimized) {
            if (!m_estimates->original().isEmpty() && !m_busy)
                showEstimate();
            m_build->setToolTip(choice().isEmpty()
                                    ? tr("Export, synthesise and verify the graph into the "
                                         "project folder: a kept bitstream")
                                    : tr("Build with %1").arg(choice()));
        }
        Q_EMIT estimatesChanged();
    });
    connect(m_runner, &hw::ToolRunner::output, this, &FpgaPanel::appendLog);
    connect(m_runner, &hw::ToolRunner::finished, this, [this] {
        if (!m_flashQueue.empty()) { // the weight image after the bitstream
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
    connectPipeline();
    samplesChanged();
    projectChanged();
    setBusy(false);
}

FpgaPanel::~FpgaPanel()
{
    // Cancel and wait for the synthesis or verification before the folders it works in go.
    delete m_job;
}

QLayout *FpgaPanel::buildForm()
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
    m_frequency->setRange(0.0, 275.0);
    m_frequency->setSpecialValueText(tr("Auto")); // 0: the flow chooses (hw::CoreClock)
    m_frequency->setValue(0.0);
    m_frequency->setSuffix(tr(" MHz"));
    m_frequency->setToolTip(tr("The core clock. Auto: synthesis measures fmax at the board's "
                               "oscillator, then builds at the highest standard PLL clock 10% "
                               "below it; else the oscillator's 12 MHz or 16 to 275 MHz made by "
                               "the PLL"));
    m_target = new TargetControl(this);
    restoreSettings();

    // The settings in one row: board, weight bits, lanes, memory, target frequency; Auto's
    // target in a row below (one row would not fit 1024 pixels).
    const auto addField = [this](QHBoxLayout *row, const QString &label, QWidget *field) {
        auto *text = new QLabel(label, this);
        text->setBuddy(field);
        row->addWidget(text);
        row->addWidget(field, 1);
    };
    auto *settingsRow = new QHBoxLayout;
    const std::pair<QString, QWidget *> fields[] = {{tr("Board"), m_board},
                                                    {tr("Weights"), m_bits},
                                                    {tr("Lanes"), m_lanes},
                                                    {tr("Memory"), m_memory},
                                                    {tr("Target frequency"), m_frequency}};
    for (const auto &[label, field] : fields)
        addField(settingsRow, label, field);
    auto *targetRow = new QHBoxLayout;
    addField(targetRow, tr("Target for Auto"), m_target);
    targetRow->addStretch(2);
    auto *form = new QVBoxLayout;
    form->addLayout(settingsRow);
    form->addLayout(targetRow);
    return form;
}

QLayout *FpgaPanel::buildButtons()
{
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
    // Build is what the tab is for: the large primary button, first.
    m_build->setObjectName(QStringLiteral("build"));
    m_build->setMinimumHeight(m_build->sizeHint().height() * 3 / 2);
    m_build->setStyleSheet(QStringLiteral(
        "QPushButton#build { font-weight: bold; color: white; background: #2f6fd6;"
        " border: 1px solid #1f4f9e; border-radius: 3px; padding: 0 28px; }"
        "QPushButton#build:hover { background: #3b7ce6; }"
        "QPushButton#build:disabled { background: #a9bfe3; border-color: #8ea5cc; }"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_build, 2);
    for (QPushButton *b : {m_export, m_synth, m_verify, m_flash, m_stop})
        buttons->addWidget(b, 1, Qt::AlignVCenter);
    connect(m_build, &QPushButton::clicked, this, [this] { build(); });
    connect(m_export, &QPushButton::clicked, this, &FpgaPanel::exportDesign);
    connect(m_synth, &QPushButton::clicked, this, &FpgaPanel::synthesise);
    connect(m_verify, &QPushButton::clicked, this, &FpgaPanel::verify);
    connect(m_flash, &QPushButton::clicked, this, &FpgaPanel::flash);
    connect(m_stop, &QPushButton::clicked, this, &FpgaPanel::stop);
    return buttons;
}

void FpgaPanel::buildUi()
{
    QLayout *form = buildForm();
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

    m_steps = new BuildSteps(this);
    connect(m_steps, &BuildSteps::logRequested, this, &FpgaPanel::showStepLog);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table = new HardwareTable(this);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // The table beside the log.
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(m_log);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(folderRow);
    layout->addLayout(buildButtons());
    layout->addWidget(m_steps);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_openFolder, &QPushButton::clicked, this, &FpgaPanel::openFolder);
    connect(m_chooseFolder, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Project folder for %1").arg(m_modelName), projectDirectory());
        if (!dir.isEmpty())
            setProjectDirectory(dir);
    });
    for (QComboBox *c : {m_board, m_lanes, m_memory})
        connect(c, &QComboBox::currentIndexChanged, this, &FpgaPanel::settingsChanged);
    connect(m_bits, &QSpinBox::valueChanged, this, &FpgaPanel::settingsChanged);
    connect(m_frequency, &QDoubleSpinBox::valueChanged, this, &FpgaPanel::settingsChanged);
    connect(m_target, &TargetControl::changed, this, &FpgaPanel::settingsChanged);
}

void FpgaPanel::connectPipeline()
{
    connect(m_pipeline, &flow::Pipeline::stageChanged, this, [this](int stage) {
        if (stage == flow::Pipeline::Build)
            buildStageChanged();
    });
    connect(m_pipeline, &flow::Pipeline::buildStepStarted, this, [this](int step) {
        if (m_action == Action::Build)
            m_steps->begin(step);
    });
    connect(m_pipeline, &flow::Pipeline::buildLog, this, [this](const QString &text) {
        if (m_action == Action::Build)
            appendLog(text);
    });
    connect(m_pipeline, &flow::Pipeline::synthesised, this, [this](const hw::FlowReport &report) {
        if (m_action != Action::Build)
            return;
        m_lastBuild = QFileInfo(report.bitstream).absolutePath();
        m_table->showReport(m_buildOptimized ? HardwareTable::Optimised : HardwareTable::Original,
                            report);
        Q_EMIT synthesisFinished(m_buildOptimized, report);
    });
    connect(m_pipeline, &flow::Pipeline::runningChanged, this, &FpgaPanel::updateButtons);
    connect(m_pipeline, &flow::Pipeline::dataChanged, this, &FpgaPanel::samplesChanged);
}

void FpgaPanel::samplesChanged()
{
    const std::shared_ptr<const sim::DataSplit> &split = m_pipeline->data();
    m_estimates->setSamples(split ? flow::targetSamples(*split) : nullptr);
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
    m_frequency->setValue(s.value(kSettings + QStringLiteral("frequency"), 0.0).toDouble());
    m_target->restore(s, kSettings + QStringLiteral("target"));
}

void FpgaPanel::saveSettings() const
{
    QSettings s;
    s.setValue(kSettings + QStringLiteral("board"), m_board->currentData());
    s.setValue(kSettings + QStringLiteral("bits"), automaticBits() ? 0 : m_bits->value());
    s.setValue(kSettings + QStringLiteral("lanes"), m_lanes->currentData());
    s.setValue(kSettings + QStringLiteral("memory"), m_memory->currentData());
    s.setValue(kSettings + QStringLiteral("frequency"), m_frequency->value());
    m_target->save(s, kSettings + QStringLiteral("target"));
}

void FpgaPanel::settingsChanged()
{
    saveSettings();
    updateButtons(); // the target is for Auto only
    m_estimates->setOptions(settings());
    projectChanged(); // the default folder names the board
}

void FpgaPanel::setOriginalGraph(const Graph &graph)
{
    m_estimates->setOriginal(graph);
}

void FpgaPanel::setOptimizedGraph(const std::optional<Graph> &graph)
{
    m_estimates->setOptimized(graph);
}

void FpgaPanel::setModel(const QString &filePath, const QString &name)
{
    m_modelPath = filePath;
    m_modelName = name;
    projectChanged();
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
    projectChanged();
}

void FpgaPanel::projectChanged()
{
    const QString dir = projectDirectory();
    m_folder->setText(QDir::toNativeSeparators(dir));
    m_folder->setToolTip(QDir::toNativeSeparators(dir));
    // What the pipeline's Build takes: these settings, this folder.
    flow::PipelineSettings s = m_pipeline->settings();
    s.hardware = settings();
    s.hardwareDirectory = dir;
    m_pipeline->setSettings(s);
}

hw::ExportOptions FpgaPanel::settings() const
{
    hw::ExportOptions o;
    o.board = m_board->currentData().toString();
    o.quant.weightBits = automaticBits() ? 0 : m_bits->value();
    o.lanes = m_lanes->currentData().toInt();
    o.weightMemory =
        hw::kWeightMemoryNames.parse(m_memory->currentData().toString(), tr("the weight memory"));
    o.clockMHz = m_frequency->value();       // 0: automatic; the board's oscillator, or a PLL clock
    if (automaticBits() || automaticLanes()) // else nothing to choose
        o.target = m_target->target();
    return o;
}

hw::ExportOptions FpgaPanel::exportOptions() const
{
    return m_estimates->exportOptions();
}

bool FpgaPanel::automaticBits() const
{
    return m_bits->value() == kAutoBits;
}

bool FpgaPanel::automaticLanes() const
{
    return m_lanes->currentData().toInt() == 0;
}

QString FpgaPanel::choice() const
{
    return m_estimates->choice();
}

const std::optional<hw::FitCheck> &FpgaPanel::originalFit() const
{
    return m_estimates->originalFit();
}

const std::optional<hw::FitCheck> &FpgaPanel::optimizedFit() const
{
    return m_estimates->optimizedFit();
}

bool FpgaPanel::isEstimating() const
{
    return m_estimates->isEstimating();
}

QString FpgaPanel::log() const
{
    return m_log->toPlainText();
}

QString FpgaPanel::status() const
{
    return m_status->text();
}

QString FpgaPanel::stepText(int step) const
{
    return m_steps->text(step);
}

void FpgaPanel::showEstimate()
{
    const std::optional<hw::FitCheck> &fit = m_estimates->originalFit();
    const hw::Target &target = m_estimates->options().target;
    if (!fit) {
        const QString error = m_estimates->originalError();
        m_table->reset(HardwareTable::Estimate); // no figures left of another design
        m_table->showFit(HardwareTable::Estimate,
                         target.isSet() ? tr("no design") : tr("not supported"), error);
        showEstimateStatus(error, {});
        if (target.isSet()) { // the status line, the log and the main window's status bar
            appendLog(QStringLiteral("Target: %1\n").arg(error));
            Q_EMIT message(error);
        }
        return;
    }
    m_table->showEstimate(*fit);
    // The choice in one line; why, and the fit check's figures, on hover. Without a choice the
    // fit check says what does not fit and what would.
    const std::optional<hw::ExportOptions> &chosen = m_estimates->chosen();
    if (choice().isEmpty() || !chosen)
        showEstimateStatus(fit->message, {});
    else if (target.isSet() && m_estimates->latencyMs())
        showEstimateStatus(tr("Auto for %1: %2, %3 ms per inference, about %4 logic cells "
                              "(hover for why).")
                               .arg(target.text(), flow::describe(*chosen, fit->spram),
                                    numberText(*m_estimates->latencyMs(), 3),
                                    numberText(fit->estimate.logicCells)),
                           tr("%1.\n%2").arg(choice(), fit->message));
    else
        showEstimateStatus(
            tr("Auto: %1, the most accurate and then fastest configuration "
               "that fits the %2 (hover for why).")
                .arg(flow::describe(*chosen, fit->spram), hw::board(chosen->board).name),
            tr("%1.\n%2").arg(choice(), fit->message));
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

void FpgaPanel::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : std::initializer_list<QWidget *>{m_export, m_board, m_bits, m_lanes, m_memory,
                                                       m_frequency, m_chooseFolder})
        w->setEnabled(!busy);
    m_stop->setEnabled(busy);
    updateButtons();
    Q_EMIT busyChanged(busy);
}

void FpgaPanel::updateButtons()
{
    // One hardware action at a time: Build is the pipeline's stage, and the Pipeline's chain
    // ends in it.
    for (QPushButton *b : {m_build, m_synth, m_verify, m_flash})
        b->setEnabled(!m_busy && !m_pipeline->isRunning());
    m_target->setEnabled(!m_busy && (automaticBits() || automaticLanes()));
}

void FpgaPanel::appendLog(const QString &text)
{
    m_log->moveCursor(QTextCursor::End);
    m_log->insertPlainText(text);
    m_log->moveCursor(QTextCursor::End);
}

void FpgaPanel::showBuildEvent(const flow::BuildEvent &event)
{
    if (event.step >= 0)
        m_steps->begin(event.step);
    if (!event.log.isEmpty())
        appendLog(event.log);
}

void FpgaPanel::showStepLog(int step)
{
    QTextDocument *doc = m_log->document();
    const QTextCursor found =
        doc->find(flow::buildStepMarker(step), doc->characterCount(), QTextDocument::FindBackward);
    if (found.isNull())
        return;
    m_log->setTextCursor(found); // selects the step's first line
    m_log->centerCursor();
    m_log->setFocus();
}

void FpgaPanel::finish(const QString &status, bool ok)
{
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
    const Graph &original = m_estimates->original();
    if (original.isEmpty() || m_busy || m_pipeline->isRunning())
        return;
    if (optimized && !m_estimates->optimized()) {
        m_status->setText(tr("There is no optimised graph to build: run the passes first."));
        Q_EMIT buildFinished(false, m_status->text());
        return;
    }
    m_pipeline->setGraph(optimized ? *m_estimates->optimized() : original);
    try {
        m_pipeline->check(flow::Pipeline::Build, flow::Pipeline::Build);
    } catch (const Error &e) {
        m_status->setText(e.message());
        Q_EMIT buildFinished(false, e.message());
        return;
    }
    m_buildOptimized = optimized;
    m_pipeline->startStages(flow::Pipeline::Build, flow::Pipeline::Build);
}

void FpgaPanel::buildStageChanged()
{
    using State = flow::Pipeline::State;
    const flow::Pipeline::StageStatus &st = m_pipeline->status(flow::Pipeline::Build);
    if (st.state == State::Running) {
        // This tab's Build, or the Pipeline's (the optimised graph).
        m_action = Action::Build;
        m_pending.clear();
        m_table->reset(m_buildOptimized ? HardwareTable::Optimised : HardwareTable::Original);
        setBusy(true);
        m_steps->reset(StepExport, StepVerify);
        appendLog(tr("Building %1%2\n")
                      .arg(m_modelName, m_buildOptimized ? tr(" (optimised)") : QString()));
        return;
    }
    if (m_action != Action::Build)
        return; // not run
    m_steps->end(st.state == State::Done     ? BuildSteps::State::Done
                 : st.state == State::Failed ? BuildSteps::State::Failed
                                             : BuildSteps::State::Stopped);
    if (st.state == State::Stopped)
        appendLog(QStringLiteral("stopped\n"));
    m_buildOptimized = true; // the Pipeline builds the optimised graph
    finish(st.state == State::Stopped ? tr("Stopped.") : st.result, st.state == State::Done);
}

void FpgaPanel::exportDesign()
{
    if (m_estimates->original().isEmpty())
        return;
    if (settings().target.isSet() && (!m_estimates->chosen() || isEstimating())) {
        // Export writes the estimate's design: the target's is not there (yet).
        m_status->setText(isEstimating() ? tr("Measuring the target's design: export when it is "
                                              "shown.")
                                         : m_estimates->originalError());
        return;
    }
    QString dir = m_exportDir;
    if (dir.isEmpty())
        dir = QFileDialog::getExistingDirectory(this, tr("Export the hardware design to"));
    if (dir.isEmpty())
        return;
    try {
        const hw::ExportResult r = hw::exportDesign(m_estimates->original(), exportOptions(), dir);
        appendLog(QStringLiteral("exported %1 files to %2\n").arg(r.files.size()).arg(dir));
        m_status->setText(tr("Exported to %1.").arg(dir));
    } catch (const Error &e) {
        appendLog(QStringLiteral("FAILED: %1\n").arg(e.message()));
        m_status->setText(e.message());
    }
}

void FpgaPanel::synthesise()
{
    if (m_estimates->original().isEmpty() || m_busy || m_pipeline->isRunning())
        return;
    m_action = Action::Synthesise;
    m_synthWork = std::make_unique<QTemporaryDir>();
    m_lastBuild.clear();
    m_notBuilt.clear();
    m_built = 0;
    m_pending = {false};
    if (m_estimates->optimized())
        m_pending << true;
    m_table->reset(HardwareTable::Original);
    m_table->reset(HardwareTable::Optimised);
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
    m_steps->reset(StepExport, StepIcetime);
    appendLog(tr("Synthesising the %1 graph in %2\n").arg(which, dir));
    const Graph &original = m_estimates->original();
    m_job->runReporting<flow::Synthesis, flow::BuildEvent>(
        [original, graph = m_current ? *m_estimates->optimized() : original, o = settings(),
         samples = m_estimates->samples(),
         dir](const RunControl &control, const JobRunner::Send<flow::BuildEvent> &send) {
            return flow::synthesise(original, graph, o, dir, send, control,
                                    flow::targetCycles(samples.get(), control));
        },
        [this](const flow::BuildEvent &event) { showBuildEvent(event); },
        [this, dir](flow::Synthesis s) {
            m_steps->end(BuildSteps::State::Done);
            if (!m_current)
                m_lastBuild = dir;
            m_table->showReport(m_current ? HardwareTable::Optimised : HardwareTable::Original,
                                s.report);
            Q_EMIT synthesisFinished(m_current, s.report);
            ++m_built;
            runNextSynthesis();
        },
        [this, which](const QString &error) { synthesisFailed(which, error); });
}

void FpgaPanel::synthesisFailed(const QString &which, const QString &error)
{
    const bool atExport = m_steps->running() == StepExport;
    m_steps->end(BuildSteps::State::Failed);
    if (atExport) { // this graph does not fit: the next one may
        appendLog(QStringLiteral("%1: %2\n").arg(which, error));
        m_table->showFit(m_current ? HardwareTable::Optimised : HardwareTable::Original,
                         tr("does not fit"), error);
        m_notBuilt << tr("the %1 graph was not built (%2)").arg(which, error);
        runNextSynthesis();
        return;
    }
    appendLog(QStringLiteral("FAILED: %1\n").arg(error));
    m_pending.clear();
    finish(error, false);
}

void FpgaPanel::verify()
{
    const Graph &original = m_estimates->original();
    if (original.isEmpty() || m_busy || m_pipeline->isRunning())
        return;
    m_action = Action::Verify;
    m_verifyWork = std::make_unique<QTemporaryDir>();
    setBusy(true);
    m_steps->reset(StepVerify, StepVerify);
    appendLog(QStringLiteral("== verilator: RTL against the bit-accurate model\n"));
    m_steps->begin(StepVerify);
    m_job->run<hw::RtlVerification>(
        [original, o = settings(), samples = m_estimates->samples(),
         dir = m_verifyWork->filePath(QStringLiteral("verify"))](const RunControl &control) {
            flow::exportSettled(original, original, o, dir,
                                flow::targetCycles(samples.get(), control));
            return hw::runVerilator(dir, control);
        },
        [this](hw::RtlVerification r) {
            const QString result = flow::verificationText(r);
            m_steps->end(r.passed() ? BuildSteps::State::Done : BuildSteps::State::Failed);
            appendLog(result + QLatin1Char('\n'));
            Q_EMIT verificationFinished(r.passed(), result);
            finish(result.section(QLatin1Char('\n'), 0, 0), r.passed());
        },
        [this](const QString &error) {
            m_steps->end(BuildSteps::State::Failed);
            const QString result = QStringLiteral("FAILED: %1").arg(error);
            appendLog(result + QLatin1Char('\n'));
            Q_EMIT verificationFinished(false, result);
            finish(result, false);
        });
}

void FpgaPanel::flash()
{
    if (m_busy || m_pipeline->isRunning())
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
    const hw::ToolStep step = m_flashQueue.front();
    m_flashQueue.erase(m_flashQueue.begin());
    appendLog(QStringLiteral("== %1\n").arg(hw::shellCommand(step)));
    m_runner->start(step, m_lastBuild);
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
    if (m_action == Action::Build) { // the pipeline's Build
        m_pipeline->stop();
        return;
    }
    if (m_job->isRunning()) {
        m_job->cancel(); // its result is dropped; the tool it runs is stopped
        m_steps->end(BuildSteps::State::Stopped);
        appendLog(QStringLiteral("stopped\n"));
        finish(tr("Stopped."), false);
        return;
    }
    m_runner->stop();
}

} // namespace snn::widgets
