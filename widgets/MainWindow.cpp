#include "MainWindow.h"

#include "CanvasView.h"
#include "CompareView.h"
#include "ComparisonController.h"
#include "Document.h"
#include "FpgaPanel.h"
#include "GetStartedPage.h"
#include "HelpMenu.h"
#include "MainMenus.h"
#include "OptimizationPanel.h"
#include "PipelinePanel.h"
#include "PropertiesPanel.h"
#include "RateHeatmap.h"
#include "RecentFilesMenu.h"
#include "SpikesView.h"
#include "StudioPipeline.h"
#include "SweepPanel.h"
#include "TrainingMonitor.h"
#include "Workspace.h"
#include "WorkspaceTabs.h"
#include "base/Error.h"
#include "base/JobRunner.h"
#include "flow/HardwareEstimates.h"
#include "flow/Pipeline.h"
#include "graph/Example.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"
#include "sim/Dataset.h"

#include <QAction>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTemporaryFile>
#include <QUndoView>

namespace snn::widgets {

namespace {

const QString kDataKey = QStringLiteral("data/spec"); // the last data set attached
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state"); // the toolbar's place
const QString kModeKey = QStringLiteral("window/mode");   // the page shown last
constexpr int kStateVersion = 2; // 1: the window before workspaces (docks of its own)

bool isGraphFile(const QString &path)
{
    return QStringList{QStringLiteral("h5"), QStringLiteral("hdf5"), QStringLiteral("nir")}
        .contains(QFileInfo(path).suffix(), Qt::CaseInsensitive);
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_document(new Document(this))
    , m_pipeline(new flow::Pipeline(this))
    , m_canvas(new CanvasView(this))
    , m_properties(new PropertiesPanel(this))
    , m_heatmap(new RateHeatmap(this))
    , m_optimization(new OptimizationPanel(m_pipeline, this))
    , m_training(new TrainingMonitor(this))
    , m_fpga(new FpgaPanel(m_pipeline, this))
    , m_sweep(new SweepPanel(this))
    , m_log(new QPlainTextEdit(this))
    , m_history(new QUndoView(m_document->undoStack(), this))
    , m_dataJob(new JobRunner(this))
{
    m_compare = new CompareView(m_optimization->model(), m_heatmap, this);
    new StudioPipeline(m_pipeline, m_document, m_training, m_fpga, this); // the chain's studio side
    m_pipelinePanel = new PipelinePanel(m_pipeline, this);
    m_spikes = new SpikesView(this);
    setAcceptDrops(true);
    createWorkspaces();
    createStatusBar();
    const MainMenus menus(this);
    m_viewMenu = menus.viewMenu();
    m_recentMenu = menus.recentMenu();
    m_runMenu = menus.runMenu();
    for (const Mode mode : {Mode::Graph, Mode::Optimise, Mode::Train, Mode::Deploy})
        for (QDockWidget *dock : workspace(mode)->panels())
            listInViewMenu(dock, mode);
    connectPipeline();
    connectViews();
    connectSweep();
    connectMessages();
    connectTraining();
    connectBuildFailures();
    connect(m_document, &Document::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &Document::filePathChanged, this, &MainWindow::updateTitle);

    resize(initialSize());
    updateTitle();
    m_recentMenu->rebuild();
    addShortcutsToToolTips();
}

void MainWindow::createWorkspaces()
{
    m_modes = new WorkspaceTabs(this);
    m_getStarted = new GetStartedPage(this);
    m_getStarted->follow(this);
    m_modes->addPage(m_getStarted, modeName(Mode::GetStarted),
                     tr("First steps: open a model, attach a data set, run the pipeline"));
    const auto add = [this](Mode mode, const QString &id, const QString &toolTip) {
        auto *page = new Workspace(id, modeName(mode), this);
        m_modes->addPage(page, modeName(mode), toolTip);
        return page;
    };
    Workspace *graph = add(Mode::Graph, QStringLiteral("Graph"),
                           tr("Edit the layers on the canvas, their properties and undo history "
                              "(Ctrl+1)"));
    graph->setCentralWidget(m_canvas);
    m_history->setEmptyLabel(tr("<opened>"));
    addPanel(m_properties, QStringLiteral("Properties"), tr("Properties"), Qt::RightDockWidgetArea,
             Mode::Graph);
    addPanel(m_history, QStringLiteral("History"), tr("History"), Qt::RightDockWidgetArea,
             Mode::Graph);
    raisePanel(QStringLiteral("Properties"));
    // The editors whole beside the canvas; a four-layer chain stays in view beside them at
    // 1024 px (CanvasView's legible scale).
    graph->setDefaultSize(graph->panels().front(),
                          m_properties->minimumSizeHint().width() +
                              style()->pixelMetric(QStyle::PM_ScrollBarExtent),
                          Qt::Horizontal);

    Workspace *optimise = add(Mode::Optimise, QStringLiteral("Optimise"),
                              tr("Run the passes and compare before with after: the table, "
                                 "firing rates, spikes, sweeps (Ctrl+2)"));
    m_optimiseTabs = new QTabWidget(optimise);
    m_optimiseTabs->setDocumentMode(true);
    const std::pair<QWidget *, std::pair<QString, QString>> tabs[] = {
        {m_compare,
         {tr("Compare"), tr("The last optimisation run: table, report and per-pass bars")}},
        {m_heatmap,
         {tr("Firing rates"), tr("Every neuron's firing rate, before and after optimisation")}},
        {m_spikes,
         {tr("Spikes"),
          tr("One sample's spike rasters and a neuron's membrane, before and after optimisation")}},
        {m_sweep,
         {tr("Sweep"), tr("Accuracy against size at several values of one pass threshold")}}};
    for (const auto &[page, text] : tabs)
        m_optimiseTabs->setTabToolTip(m_optimiseTabs->addTab(page, text.first), text.second);
    optimise->setCentralWidget(m_optimiseTabs);
    optimise->setDefaultSize(addPanel(m_optimization, QStringLiteral("Optimisation"), tr("Passes"),
                                      Qt::LeftDockWidgetArea, Mode::Optimise),
                             260, Qt::Horizontal);

    Workspace *train = add(Mode::Train, QStringLiteral("Train"),
                           tr("Train the network on the attached data, with live curves, and "
                              "compare runs (Ctrl+3)"));
    train->setCentralWidget(Workspace::scrolling(m_training));

    Workspace *deploy = add(Mode::Deploy, QStringLiteral("Deploy"),
                            tr("Build for the FPGA, run the whole pipeline, read the log "
                               "(Ctrl+4)"));
    deploy->setCentralWidget(Workspace::scrolling(m_fpga));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    // The FPGA panel across the top, the pipeline's stages and the log side by side under it.
    QDockWidget *stages = addPanel(m_pipelinePanel, QStringLiteral("Pipeline"), tr("Pipeline"),
                                   Qt::BottomDockWidgetArea, Mode::Deploy);
    deploy->addPanel(m_log, QStringLiteral("Log"), tr("Log"), Qt::BottomDockWidgetArea, stages);
    deploy->setDefaultSize(stages, 240, Qt::Vertical);
    setCentralWidget(m_modes);
}

QString MainWindow::modeName(Mode mode)
{
    switch (mode) {
    case Mode::GetStarted:
        return tr("Get started");
    case Mode::Graph:
        return tr("Graph");
    case Mode::Optimise:
        return tr("Optimise");
    case Mode::Train:
        return tr("Train");
    case Mode::Deploy:
        return tr("Deploy");
    }
    return {};
}

Workspace *MainWindow::workspace(Mode mode) const
{
    return qobject_cast<Workspace *>(m_modes->page(int(mode)));
}

MainWindow::Mode MainWindow::currentMode() const
{
    return Mode(m_modes->currentIndex());
}

void MainWindow::activateMode(Mode mode)
{
    m_modes->setCurrentIndex(int(mode));
}

void MainWindow::createStatusBar()
{
    m_dataLabel = new QLabel(tr("No data set"), this);
    m_dataLabel->setObjectName(QStringLiteral("dataLabel"));
    m_dataLabel->setToolTip(tr("Attach a data set from the Data menu"));
    statusBar()->addPermanentWidget(m_dataLabel);
    m_lockLabel = new QLabel(tr("Editing locked: training"), this);
    m_lockLabel->setObjectName(QStringLiteral("editLockLabel"));
    m_lockLabel->setStyleSheet(QStringLiteral("QLabel { color: #a05000; font-weight: bold; }"));
    m_lockLabel->hide();
    statusBar()->addPermanentWidget(m_lockLabel);
}

void MainWindow::raisePanel(const QString &id)
{
    findChild<QDockWidget *>(QStringLiteral("panel_") + id)->raise();
}

void MainWindow::connectPipeline()
{
    // While the chain runs (it holds the edit lock), the Training panel does not start a run of
    // its own. (The panels' own Run and Build are runs of one stage: their panels show them.)
    connect(m_pipeline, &flow::Pipeline::stageChanged, this, [this] {
        if (!m_pipeline->isChain())
            return;
        raisePanel(QStringLiteral("Pipeline"));
        m_training->setEnabled(!m_pipeline->isRunning());
    });
    connect(m_pipeline, &flow::Pipeline::finished, this, [this](bool, const QString &summary) {
        if (!m_pipeline->isChain())
            return;
        m_training->setEnabled(true);
        bool failed = false; // a stage failed (a refusal or a stop is no failure to announce)
        for (int s = 0; s < flow::Pipeline::StageCount; ++s)
            failed = failed || m_pipeline->status(flow::Pipeline::Stage(s)).state ==
                                   flow::Pipeline::State::Failed;
        if (failed)
            showError(tr("Pipeline failed"), m_pipeline->failure());
        showStatus(summary, 15000);
        if (m_compare->hasResult()) {
            m_compare->addNote(summary);
            m_optimiseTabs->setCurrentWidget(m_compare);
        }
    });
    // The chain's result (or the passes') is only a comparison until it is applied and saved.
    const auto applicable = [this] {
        m_pipelinePanel->setApplicable(m_optimization->result() != nullptr &&
                                       !m_pipeline->isRunning());
    };
    connect(m_optimization, &OptimizationPanel::resultChanged, this, applicable);
    connect(m_pipeline, &flow::Pipeline::runningChanged, this, applicable);
    connect(m_pipelinePanel, &PipelinePanel::applyAndSaveRequested, this, [this] {
        if (m_optimization->apply())
            saveAs();
    });
}

void MainWindow::connectViews()
{
    m_canvas->setDocument(m_document);
    m_properties->setDocument(m_document);
    m_optimization->setDocument(m_document);
    m_sweep->setDocument(m_document);
    connect(m_canvas, &CanvasView::currentLayerChanged, m_properties, &PropertiesPanel::setLayer);
    // Selecting a node shows its properties; "Rename..." on a card edits the name there.
    connect(m_canvas, &CanvasView::currentLayerChanged, this, [this](LayerId id) {
        if (id >= kNetworkInput)
            raisePanel(QStringLiteral("Properties"));
    });
    connect(m_canvas, &CanvasView::renameRequested, this, [this](LayerId id) {
        m_canvas->selectLayer(id);
        raisePanel(QStringLiteral("Properties"));
        m_properties->nameEdit()->setFocus(Qt::OtherFocusReason);
        m_properties->nameEdit()->selectAll();
    });
    connect(m_heatmap, &RateHeatmap::layerClicked, m_canvas, &CanvasView::selectLayer);
    // The selection is the same on every page: the Spikes tab shows the selected layer.
    connect(m_canvas, &CanvasView::currentLayerChanged, this, [this](LayerId id) {
        if (const Layer *l = m_document->graph().find(id))
            m_spikes->selectNeuron(l->name, m_spikes->selectedNeuron());
    });
    // The comparison (Compare view, table, FPGA estimates and synthesis figures) follows the
    // optimisation's result and the document; the canvas, heatmap and spikes preview it.
    m_comparison = new ComparisonController(m_document, m_optimization->model(), m_compare,
                                            m_pipeline, m_fpga->estimates(), this);
    connect(m_optimization, &OptimizationPanel::resultChanged, m_comparison,
            &ComparisonController::showResult);
    connect(m_fpga, &FpgaPanel::synthesisFinished, m_comparison,
            &ComparisonController::setSynthesis);
    // The FPGA tab's settings also choose the core the passes keep exact and whose accuracy and
    // hardware figures a run measures: its board, memory, clock and lanes as set (automatic
    // ones chosen for each graph), at its settled weight bits.
    const auto hardware = [this] {
        hw::ExportOptions o = m_fpga->estimates()->options();
        o.quant = m_fpga->exportOptions().quant;
        m_optimization->setHardware(o);
    };
    connect(m_fpga, &FpgaPanel::estimatesChanged, this, hardware);
    hardware();
    connect(m_comparison, &ComparisonController::previewChanged, this,
            [this](std::shared_ptr<const Graph> optimised) {
                if (optimised)
                    m_optimiseTabs->setCurrentWidget(m_compare);
                m_heatmap->setAfter(optimised ? m_optimization->result() : nullptr);
                m_spikes->setAfter(optimised ? m_optimization->result() : nullptr);
                m_canvas->setPreview(optimised);
            });
    connect(m_document, &Document::edited, this, [this](Document::Changes what) {
        using C = Document::Change;
        if (what & (C::Structure | C::Names | C::Rates))
            m_heatmap->setBefore(m_document->graph());
        if (what & (C::Function | C::Names))
            m_spikes->setBefore(m_document->graph());
        if (!m_training->isRunning())
            m_training->setGraph(m_document->graph());
    });
}

void MainWindow::connectSweep()
{
    // A sweep runs the optimisation panel's passes and thresholds on its data, and estimates
    // with the FPGA tab's board and settings; a picked point sets that threshold there.
    m_sweep->setOptionsSource([this] {
        SweepOptions o;
        o.passes = m_optimization->selectedPasses();
        o.optimize = m_optimization->options();
        const hw::ExportOptions hardware = m_fpga->exportOptions();
        o.board = hardware.board;
        o.quant = hardware.quant;
        o.lanes = hardware.lanes;
        o.memory = hardware.weightMemory;
        return o;
    });
    connect(m_sweep, &SweepPanel::pointPicked, this,
            [this](SweepParameter parameter, double value) {
                OptimizeOptions o = m_optimization->options();
                setSweepParameter(o, parameter, value);
                m_optimization->setOptions(o);
                raisePanel(QStringLiteral("Optimisation"));
            });
}

void MainWindow::connectMessages()
{
    const auto show = [this](const QString &text) { showStatus(text); };
    connect(m_sweep, &SweepPanel::message, this, show);
    connect(m_canvas, &CanvasView::message, this, show);
    connect(m_optimization, &OptimizationPanel::runFinished, this, show);
    connect(m_optimization, &OptimizationPanel::message, this, show);
    connect(m_spikes, &SpikesView::message, this, show);
    connect(m_compare, &CompareView::message, this, show);
    connect(m_fpga, &FpgaPanel::message, this, show); // a target Auto cannot meet
    connect(m_document, &Document::editRefused, this,
            [this](const QString &message) { showStatus(tr("Refused: %1").arg(message), 10000); });
}

void MainWindow::connectTraining()
{
    // Training works on a copy of the graph and its result replaces the document's: no edit may
    // happen meanwhile, or the result would silently throw it away.
    connect(m_training, &TrainingMonitor::runningChanged, this, [this](bool running) {
        m_document->setEditLock(
            running ? tr("training runs on a copy of the graph; edit it when training ends "
                         "(Stop, in Train, keeps the best epoch)")
                    : QString());
    });
    // Undo and Redo follow the lock (MainMenus).
    connect(m_document, &Document::editLockChanged, this, [this](const QString &reason) {
        const bool locked = !reason.isEmpty();
        m_lockLabel->setText(locked && m_pipeline->isRunning() ? tr("Editing locked: Pipeline")
                                                               : tr("Editing locked: training"));
        m_lockLabel->setVisible(locked);
        m_lockLabel->setToolTip(reason);
        m_history->setEnabled(!locked);
    });
    connect(m_training, &TrainingMonitor::trained, this, [this](const Graph &trained) {
        const QString text = TrainingMonitor::undoText(m_training->completedEpochs());
        if (m_document->applyGraph(trained, text))
            log(tr("%1: the trained weights replace the graph's (undo restores them)").arg(text));
    });
    connect(m_training, &TrainingMonitor::newNetworkRequested, this, [this](const Graph &graph) {
        if (m_document->applyGraph(graph, tr("New network")))
            log(tr("New network: %1 for the attached data (undo restores the graph)")
                    .arg(layersText(graph.layerCount())));
    });
    connect(m_document, &Document::filePathChanged, m_training, &TrainingMonitor::setModelKey);
    // Build keeps its project folder next to the model (remembered per model).
    connect(m_document, &Document::filePathChanged, this,
            [this](const QString &path) { m_fpga->setModel(path, m_document->displayName()); });
    connect(m_training, &TrainingMonitor::failed, this,
            [this](const QString &message) { showError(tr("Training failed"), message); });
}

void MainWindow::connectBuildFailures()
{
    // A build that fails says so beyond its panel: the status bar, the log and a dialog; one
    // that was stopped or refused, the status bar and the log. (The chain's end is the
    // Pipeline's, connectPipeline.)
    connect(m_fpga, &FpgaPanel::buildFinished, this, [this](bool built, const QString &summary) {
        if (built || (m_pipeline->isChain() && m_pipeline->isRunning()))
            return;
        // Still running: the Build stage that just ended (else a refusal before it began).
        if (m_pipeline->isRunning() &&
            m_pipeline->status(flow::Pipeline::Build).state == flow::Pipeline::State::Failed)
            showError(tr("Build failed"), summary);
        else
            showStatus(summary, 15000);
    });
}

void MainWindow::openSyntheticExample()
{
    if (!maybeSave())
        return;
    setGraph(exampleGraph(), kSyntheticName);
    activateMode(Mode::Graph);
}

void MainWindow::openShippedExample(const QString &resource, const QString &name)
{
    if (maybeSave() && openShippedModel(resource, name))
        activateMode(Mode::Graph);
}

QSize MainWindow::initialSize() const
{
    // 1400x900 when the screen has room, else 90 % of what the screen offers (in device-
    // independent pixels, so QT_SCALE_FACTOR shrinks it).
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    const QSize available = screen ? screen->availableSize() : QSize(1400, 900);
    return QSize(1400, 900).boundedTo(available * 0.9);
}

MainWindow::~MainWindow()
{
    // The document is deleted with the children, after this destructor: an undo stack that is not
    // clean then emits cleanChanged (and the rest), which must not reach this half-destroyed
    // window.
    disconnect(m_document, nullptr, this, nullptr);
    disconnect(m_document->undoStack(), nullptr, this, nullptr);
}

QDockWidget *MainWindow::addPanel(QWidget *panel, const QString &id, const QString &title,
                                  Qt::DockWidgetArea area, Mode mode)
{
    if (!workspace(mode))
        mode = Mode::Graph; // Get started has no docks
    QDockWidget *dock = workspace(mode)->addPanel(panel, id, title, area);
    if (m_viewMenu)
        listInViewMenu(dock, mode);
    return dock;
}

void MainWindow::listInViewMenu(QDockWidget *dock, Mode mode)
{
    if (m_lastPanelMode != int(mode)) {
        m_viewMenu->addSection(modeName(mode));
        m_lastPanelMode = int(mode);
    }
    QAction *toggle = dock->toggleViewAction();
    m_viewMenu->addAction(toggle);
    // Showing a panel shows its workspace.
    connect(toggle, &QAction::triggered, this, [this, mode](bool shown) {
        if (shown)
            activateMode(mode);
    });
}

QList<QPair<QString, QString>> MainWindow::shortcutList() const
{
    return menuShortcuts(menuBar());
}

void MainWindow::addShortcutsToToolTips()
{
    for (QAction *action : findChildren<QAction *>()) {
        if (action->shortcut().isEmpty() || action->parent() == m_document->undoStack())
            continue;
        const QString shortcut = action->shortcut().toString(QKeySequence::NativeText);
        if (!action->toolTip().endsWith(QStringLiteral("(%1)").arg(shortcut)))
            action->setToolTip(tr("%1 (%2)").arg(action->toolTip(), shortcut));
    }
}

const Graph &MainWindow::graph() const
{
    return m_document->graph();
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1[*] - SNN Studio").arg(m_document->displayName()));
    setWindowModified(m_document->isModified());
}

void MainWindow::log(const QString &message)
{
    m_log->appendPlainText(QStringLiteral("%1  %2").arg(
        QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")), message));
}

QString MainWindow::logText() const
{
    return m_log->toPlainText();
}

void MainWindow::showStatus(const QString &text, int milliseconds)
{
    statusBar()->showMessage(text, milliseconds);
    log(text);
}

void MainWindow::showError(const QString &title, const QString &message)
{
    showStatus(message, 15000);
    if (!m_errorDialogs)
        return;
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal but not blocking
}

void MainWindow::attachData(const QString &spec)
{
    statusBar()->showMessage(tr("Loading data set %1...").arg(spec));
    m_dataJob->run<std::shared_ptr<const sim::DataSplit>>(
        [spec](const RunControl &) {
            return std::make_shared<const sim::DataSplit>(sim::loadDataSplit(spec));
        },
        [this, spec](std::shared_ptr<const sim::DataSplit> loaded) {
            const sim::DataSplit &split = *loaded;
            const std::shared_ptr<const ValidationSet> validation = flow::accuracySet(split);
            m_dataSpec = spec;
            QSettings().setValue(kDataKey, spec);
            m_training->setData(loaded);
            m_pipeline->setData(loaded);
            m_optimization->setValidation(validation);
            m_spikes->setData({validation, &validation->data}, validation->simulation);
            // Which samples serve what: training, the firing rates (the validation samples) and
            // accuracy (the test split), so that no figure is read as another's.
            const QLocale locale(QLocale::English);
            const QString rates = locale.toString(flow::validationSet(split).size());
            const QString text =
                tr("Data set %1: %2 training samples (%3), %4; %5 features")
                    .arg(spec, locale.toString(split.train.size()),
                         split.validation
                             ? tr("%1 validation samples beside them for firing rates").arg(rates)
                             : tr("the last %1 for firing rates").arg(rates),
                         split.test ? tr("%1 test samples for accuracy")
                                          .arg(locale.toString(split.test->size()))
                                    : tr("accuracy on the training samples (no test split)"),
                         locale.toString(validation->data.features()));
            m_dataLabel->setText(tr("Data: %1").arg(spec));
            m_dataLabel->setToolTip(text);
            showStatus(text);
            Q_EMIT dataAttached(spec);
        },
        [this](const QString &error) { showError(tr("Cannot load data set"), error); });
}

bool MainWindow::exportNirTo(const QString &path)
{
    try {
        nir::exportNir(m_document->graph(), path);
    } catch (const Error &e) {
        showError(tr("Cannot export NIR"), e.message());
        return false;
    }
    showStatus(tr("Exported %1 as NIR").arg(path));
    if (const QString warning = nir::exportWarning(m_document->graph()); !warning.isEmpty())
        log(tr("Warning: %1").arg(warning));
    return true;
}

void MainWindow::setGraph(const Graph &graph, const QString &name)
{
    m_document->reset(graph, QString(), name);
    updateTitle();
    const QLocale locale(QLocale::English);
    const QString text = tr("%1: %2, %3 neurons, %4 parameters")
                             .arg(name, layersText(graph.layerCount()))
                             .arg(locale.toString(qint64(graph.totalNeurons())),
                                  locale.toString(qint64(graph.totalParams())));
    showStatus(text);
}

const QString MainWindow::kShippedModelResource = QStringLiteral(":/models/fashion-mnist-snn.h5");
const QString MainWindow::kQatModelResource = QStringLiteral(":/models/fashion-mnist-snn-qat4.h5");

bool MainWindow::openShippedModel(const QString &resource, const QString &name)
{
    // HDF5 reads files, not Qt resources: a temporary copy, deleted once read. The document gets
    // no path, so Save asks where to write instead of writing into a temporary file.
    QTemporaryFile copy(QDir::temp().filePath(QStringLiteral("snn-studio-XXXXXX.h5")));
    QFile file(resource);
    Graph graph;
    try {
        if (!file.open(QIODevice::ReadOnly) || !copy.open() ||
            copy.write(file.readAll()) != file.size() || !copy.flush())
            throw Error(tr("cannot read the shipped model %1").arg(resource));
        graph = loadGraph(copy.fileName());
    } catch (const Error &e) {
        showError(tr("Cannot open file"), e.message());
        return false;
    }
    setGraph(graph, name);
    return true;
}

bool MainWindow::openFile(const QString &path)
{
    try {
        // A NIR import's assumptions (conventions, reset, dt...), as snnc import prints them.
        for (const QString &line : m_document->load(path))
            log(tr("%1: %2").arg(QFileInfo(path).fileName(), line));
    } catch (const Error &e) {
        showError(tr("Cannot open file"), e.message());
        return false;
    }
    m_recentMenu->add(path);
    updateTitle();
    const Graph &g = m_document->graph();
    showStatus(tr("Opened %1: %2, %3 parameters")
                   .arg(path, layersText(g.layerCount()))
                   .arg(QLocale(QLocale::English).toString(qint64(g.totalParams()))));
    return true;
}

bool MainWindow::saveTo(const QString &path)
{
    try {
        m_document->save(path);
    } catch (const Error &e) {
        showError(tr("Cannot save file"), e.message());
        return false;
    }
    m_recentMenu->add(path);
    updateTitle();
    showStatus(tr("Saved %1").arg(path));
    return true;
}

void MainWindow::newDocument()
{
    if (!maybeSave())
        return;
    const int inputs = m_document->graph().inputSize() > 0 ? m_document->graph().inputSize() : 784;
    setGraph(Graph(inputs), tr("Untitled"));
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open graph"), QString(), tr("SNN graphs (*.h5 *.hdf5 *.nir);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    return saveTo(m_document->filePath());
}

bool MainWindow::saveAs()
{
    // Save writes the studio's HDF5 format only; NIR is File > Export NIR.
    const QString filter = tr("SNN graphs (*.h5 *.hdf5)");
    QString path = m_savePathPrompt ? m_savePathPrompt(filter)
                                    : QFileDialog::getSaveFileName(this, tr("Save graph"),
                                                                   m_document->filePath(), filter);
    if (path.isEmpty())
        return false;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("h5") && suffix != QLatin1String("hdf5"))
        path += QStringLiteral(".h5");
    return saveTo(path);
}

void MainWindow::setSavePathPrompt(std::function<QString(const QString &filter)> prompt)
{
    m_savePathPrompt = std::move(prompt);
}

void MainWindow::setUnsavedChangesPrompt(std::function<QMessageBox::StandardButton()> prompt)
{
    m_prompt = std::move(prompt);
}

bool MainWindow::maybeSave()
{
    if (m_document->isEditLocked()) {
        showStatus(tr("Refused: %1").arg(m_document->editLock()), 10000);
        return false;
    }
    if (!m_document->isModified())
        return true;
    QMessageBox::StandardButton answer;
    if (m_prompt)
        answer = m_prompt();
    else
        answer = QMessageBox::warning(
            this, tr("Unsaved changes"),
            tr("%1 has unsaved changes. Save them?").arg(m_document->displayName()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    saveLayout();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile() && isGraphFile(url.toLocalFile())) {
            event->acceptProposedAction();
            return;
        }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (!url.isLocalFile() || !isGraphFile(url.toLocalFile()))
            continue;
        event->acceptProposedAction();
        if (maybeSave())
            openFile(url.toLocalFile());
        return;
    }
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState(kStateVersion));
    settings.setValue(kModeKey, int(currentMode()));
    for (const Mode mode : {Mode::Graph, Mode::Optimise, Mode::Train, Mode::Deploy})
        workspace(mode)->saveLayout();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    for (const Mode mode : {Mode::Graph, Mode::Optimise, Mode::Train, Mode::Deploy})
        workspace(mode)->restoreLayout();
    const QByteArray geometry = settings.value(kGeometryKey).toByteArray();
    if (geometry.isEmpty()) { // the first start
        setWindowState(windowState() | Qt::WindowMaximized);
        activateMode(Mode::GetStarted);
        return;
    }
    restoreGeometry(geometry);
    restoreState(settings.value(kStateKey).toByteArray(), kStateVersion);
    const int mode = settings.value(kModeKey, int(Mode::Graph)).toInt();
    activateMode(mode >= 0 && mode <= int(Mode::Deploy) ? Mode(mode) : Mode::Graph);
}

QString MainWindow::rememberedDataSpec()
{
    return QSettings().value(kDataKey).toString();
}

QStringList MainWindow::recentFiles() const
{
    return RecentFilesMenu::files();
}

} // namespace snn::widgets
