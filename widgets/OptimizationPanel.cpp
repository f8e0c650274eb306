#include "OptimizationPanel.h"

#include "ComparisonModel.h"
#include "Document.h"
#include "base/Error.h"
#include "io/AtomicFile.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace snn::widgets {

namespace {

QDoubleSpinBox *thresholdBox(double min, double max, double step, int decimals, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(min, max);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    box->setKeyboardTracking(false);
    return box;
}

} // namespace

OptimizationPanel::OptimizationPanel(flow::Pipeline *pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline ? pipeline : new flow::Pipeline(this))
    , m_deadThreshold(thresholdBox(0.0, 1.0, 0.001, 4, this))
    , m_similarity(thresholdBox(0.0001, 1.0, 0.001, 4, this))
    , m_normTolerance(thresholdBox(0.0, 0.9999, 0.005, 4, this))
    , m_fusionActivity(thresholdBox(0.0, 1.0, 0.005, 4, this))
    , m_budgetKind(new QComboBox(this))
    , m_budget(thresholdBox(1.0, 100.0, 5.0, 1, this))
    , m_run(new QPushButton(tr("&Run passes"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_apply(new QPushButton(tr("&Apply to graph"), this))
    , m_copy(new QPushButton(tr("Copy as text"), this))
    , m_export(new QPushButton(tr("Export CSV..."), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_model(new ComparisonModel(this))
{
    // One pass a row, its thresholds indented on the rows below it, and the buttons in short
    // rows: the panel stays narrow beside the comparison (about 260 px).
    auto *passes = new QGridLayout;
    const std::map<QString, QString> labels{
        {passes::kDeadNeuronElimination, tr("Dead neuron elimination")},
        {passes::kRedundancyElimination, tr("Redundancy elimination")},
        {passes::kLayerFusion, tr("Layer fusion")},
        {passes::kNeuronPruning, tr("Neuron pruning")}};
    int row = 0;
    for (const QString &pass : allPasses()) {
        auto *box = new QCheckBox(labels.at(pass), this);
        box->setChecked(pass != passes::kNeuronPruning); // it needs a fine-tune after it
        box->setToolTip(pass);
        box->setObjectName(pass);
        m_passes[pass] = box;
        passes->addWidget(box, row++, 0, 1, 2);
        auto addThreshold = [&](const QString &label, QDoubleSpinBox *spin, const QString &tip) {
            auto *text = new QLabel(label, this);
            text->setToolTip(tip);
            text->setIndent(24);
            spin->setToolTip(tip);
            passes->addWidget(text, row, 0);
            passes->addWidget(spin, row++, 1);
        };
        if (pass == passes::kDeadNeuronElimination) {
            addThreshold(tr("rate <="), m_deadThreshold,
                         tr("Hidden neurons firing at most this often (spikes per step) are "
                            "removed"));
        } else if (pass == passes::kRedundancyElimination) {
            addThreshold(tr("similarity >"), m_similarity,
                         tr("Cosine similarity of fan-in weights above which neurons merge"));
            addThreshold(tr("norm tolerance"), m_normTolerance,
                         tr("Relative difference of weight norms and biases allowed"));
        } else if (pass == passes::kLayerFusion) {
            addThreshold(tr("max rate <="), m_fusionActivity,
                         tr("A hidden layer firing at most this often counts as nearly silent"));
        } else {
            addBudget(passes, row++);
        }
        connect(box, &QCheckBox::toggled, this, &OptimizationPanel::optionsChanged);
    }
    passes->setColumnStretch(2, 1);
    for (QDoubleSpinBox *spin :
         {m_deadThreshold, m_similarity, m_normTolerance, m_fusionActivity, m_budget})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &OptimizationPanel::optionsChanged);
    setOptions(OptimizeOptions{});

    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_run);
    runRow->addWidget(m_cancel);
    runRow->addStretch(1);
    auto *applyRow = new QHBoxLayout;
    applyRow->addWidget(m_progress, 1);
    applyRow->addWidget(m_apply);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMinimumWidth(60);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);

    auto *exportRow = new QHBoxLayout;
    exportRow->addWidget(m_copy);
    exportRow->addWidget(m_export);
    exportRow->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(passes);
    layout->addLayout(runRow);
    layout->addLayout(applyRow);
    layout->addWidget(m_status);
    layout->addLayout(exportRow);
    layout->addStretch(1);

    connect(m_run, &QPushButton::clicked, this, &OptimizationPanel::run);
    connect(m_cancel, &QPushButton::clicked, this, &OptimizationPanel::cancel);
    connect(m_apply, &QPushButton::clicked, this, &OptimizationPanel::apply);
    connect(m_copy, &QPushButton::clicked, this, &OptimizationPanel::copyAsText);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export comparison"),
                                         QStringLiteral("comparison.csv"), tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        try {
            exportCsv(path);
            Q_EMIT message(tr("Comparison written to %1").arg(path));
        } catch (const Error &e) {
            Q_EMIT message(e.message());
        }
    });
    connect(m_pipeline, &flow::Pipeline::progress, this,
            [this](double fraction, const QString &step) {
                if (!isRunning())
                    return;
                m_progress->setValue(int(fraction * 1000));
                m_status->setText(tr("Running: %1").arg(step));
            });
    connect(m_pipeline, &flow::Pipeline::stageChanged, this, &OptimizationPanel::passesChanged);
    connect(m_pipeline, &flow::Pipeline::runningChanged, this, [this](bool running) {
        if (!running) {
            m_ownRun = false;
            // A Run that waited for the pipeline's other run: once that has ended.
            if (std::exchange(m_rerun, false))
                QMetaObject::invokeMethod(this, &OptimizationPanel::run, Qt::QueuedConnection);
        }
        updateButtons();
    });
    updateButtons();
}

OptimizationPanel::~OptimizationPanel() = default;

bool OptimizationPanel::isRunning() const
{
    return m_pipeline->runningStage() == flow::Pipeline::Passes;
}

void OptimizationPanel::addBudget(QGridLayout *grid, int row)
{
    const QString tip = tr("Prune the least important hidden neurons (rate x outgoing "
                           "weight norm) until the FPGA core's figure is at most this "
                           "share of the original's; then fine-tune for the core");
    m_budgetKind->addItems({tr("cycles <="), tr("memory <="), tr("LC <=")});
    m_budgetKind->setItemData(1, tr("Stored weight memory (Kbit)"), Qt::ToolTipRole);
    m_budgetKind->setItemData(2, tr("Estimated logic cells"), Qt::ToolTipRole);
    m_budgetKind->setToolTip(tip);
    m_budget->setSuffix(tr(" %"));
    m_budget->setValue(60.0);
    m_budget->setToolTip(tip);
    grid->addWidget(m_budgetKind, row, 0, Qt::AlignRight);
    grid->addWidget(m_budget, row, 1);
    connect(m_budgetKind, &QComboBox::currentIndexChanged, this,
            &OptimizationPanel::optionsChanged);
}

void OptimizationPanel::setOptimizer(flow::Pipeline::Optimizer optimizer)
{
    m_pipeline->setOptimizer(std::move(optimizer));
}

void OptimizationPanel::setDocument(Document *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_applied.reset();
    if (m_document) {
        // Moving or renaming layers keeps the result (Apply takes the current positions and
        // names); a change of what the network computes, or of its rates, makes it stale.
        connect(m_document, &Document::graphReset, this, [this] {
            if (m_document->undoStack()->count() == 0) // a new document, not an applied graph
                m_applied.reset();
        });
        connect(m_document, &Document::edited, this, [this](Document::Changes what) {
            if (what & (Document::Change::Function | Document::Change::Rates))
                documentChanged();
        });
    }
    documentChanged();
}

QStringList OptimizationPanel::selectedPasses() const
{
    QStringList names;
    for (const QString &pass : allPasses())
        if (m_passes.at(pass)->isChecked())
            names << pass;
    return names;
}

void OptimizationPanel::setPassEnabled(const QString &pass, bool enabled)
{
    if (auto it = m_passes.find(pass); it != m_passes.end())
        it->second->setChecked(enabled);
}

OptimizeOptions OptimizationPanel::options() const
{
    OptimizeOptions o;
    o.deadThreshold = float(m_deadThreshold->value());
    o.similarity = float(m_similarity->value());
    o.normTolerance = float(m_normTolerance->value());
    o.fusionActivity = float(m_fusionActivity->value());
    PruningBudget *budgets[] = {&o.budgetCycles, &o.budgetKbit, &o.budgetLogicCells};
    *budgets[m_budgetKind->currentIndex()] = {m_budget->value(), true};
    o.validation = m_validation;
    o.hardware = m_hardware.quant;
    o.deployment = m_hardware;
    o.exactBits = {m_hardware.quant.weightBits};
    if (m_validation)
        o.hardwareBits = {m_hardware.quant.weightBits};
    else
        o.deployment.target = {}; // no figures measured: nothing to aim at
    return o;
}

void OptimizationPanel::setHardware(const hw::ExportOptions &options)
{
    const hw::ExportOptions &h = m_hardware;
    if (options.quant == h.quant && options.board == h.board && options.lanes == h.lanes &&
        options.weightMemory == h.weightMemory && options.clockMHz == h.clockMHz &&
        options.baud == h.baud && options.target.kind == h.target.kind &&
        options.target.value == h.target.value)
        return;
    m_hardware = options;
    optionsChanged();
}

void OptimizationPanel::setValidation(std::shared_ptr<const ValidationSet> validation)
{
    m_validation = std::move(validation);
    optionsChanged();
}

void OptimizationPanel::setOptions(const OptimizeOptions &o)
{
    const bool hadRun = std::exchange(m_hasRun, false); // one re-run at most, below
    m_deadThreshold->setValue(double(o.deadThreshold));
    m_similarity->setValue(double(o.similarity));
    m_normTolerance->setValue(double(o.normTolerance));
    m_fusionActivity->setValue(double(o.fusionActivity));
    const PruningBudget budgets[] = {o.budgetCycles, o.budgetKbit, o.budgetLogicCells};
    for (int kind = 0; kind < 3; ++kind)
        if (budgets[kind].isSet() && budgets[kind].percent) {
            m_budgetKind->setCurrentIndex(kind);
            m_budget->setValue(budgets[kind].value);
            break;
        }
    m_hasRun = hadRun;
    optionsChanged();
}

QString OptimizationPanel::reportText() const
{
    return m_result ? m_result->report.summary() : QString();
}

void OptimizationPanel::optionsChanged()
{
    // What the pipeline's Passes stage runs, for this panel's Run and for the Pipeline's chain.
    flow::PipelineSettings s = m_pipeline->settings();
    s.passes = selectedPasses();
    s.optimize = options();
    m_pipeline->setSettings(s);
    if (m_hasRun && m_document)
        run();
}

void OptimizationPanel::documentChanged()
{
    // Anything computed before is stale now; drop it (and a run of it still under way).
    if (m_ownRun)
        m_pipeline->cancel();
    m_rerun = false;
    m_hasRun = false;
    m_result.reset();
    m_resultInput.reset();
    m_status->clear();
    m_progress->setValue(0);
    if (m_document)
        m_model->setBefore(m_document->graph());
    // Undoing Apply brings back the graph the applied result was computed from: so is the result.
    if (m_applied && m_document && m_document->undoStack()->index() == m_applied->undoIndex) {
        m_resultInput = m_applied->input;
        setResult(m_applied->result);
        m_status->setText(tr("Apply undone: the comparison is back"));
    } else {
        Q_EMIT resultChanged(nullptr);
    }
    updateButtons();
}

void OptimizationPanel::run()
{
    if (!m_document)
        return;
    m_hasRun = true;
    if (m_pipeline->isRunning() && !m_ownRun) {
        m_rerun = true; // the Pipeline's chain or a Build runs: after it
        return;
    }
    if (m_ownRun)
        m_pipeline->cancel(); // newest first: the earlier run is dropped
    m_pipeline->setGraph(m_document->graph());
    try {
        m_pipeline->check(flow::Pipeline::Passes, flow::Pipeline::Passes);
    } catch (const Error &e) {
        finish(tr("Optimisation failed: %1").arg(e.message()), false);
        return;
    }
    m_ownRun = true;
    m_pipeline->startStages(flow::Pipeline::Passes, flow::Pipeline::Passes);
}

void OptimizationPanel::passesChanged(int stage)
{
    using State = flow::Pipeline::State;
    const flow::Pipeline::StageStatus &st = m_pipeline->status(flow::Pipeline::Stage(stage));
    if (stage == flow::Pipeline::FineTune && st.state == State::Done && m_result) {
        setResult(m_pipeline->optimized()); // the fine-tuned graph replaces the passes'
        updateButtons();
        return;
    }
    if (stage != flow::Pipeline::Passes)
        return;
    switch (st.state) {
    case State::Running: {
        const QStringList passes = m_pipeline->settings().passes;
        m_progress->setValue(0);
        m_status->setText(
            tr("Running %1...")
                .arg(passes.isEmpty() ? tr("no passes") : passes.join(QStringLiteral(", "))));
        updateButtons();
        break;
    }
    case State::Done: {
        m_resultInput = m_pipeline->passesInput();
        setResult(m_pipeline->passes());
        const Report &r = m_result->report;
        finish(tr("Done: %1 -> %2 parameters (%3x)")
                   .arg(r.before.params)
                   .arg(r.after.params)
                   .arg(r.compressionRatio(), 0, 'f', 3),
               true);
        break;
    }
    case State::Failed:
        finish(tr("Optimisation failed: %1").arg(st.result), false);
        break;
    case State::Stopped:
        finish(tr("Cancelled"), false);
        break;
    default:
        break;
    }
}

void OptimizationPanel::finish(const QString &text, bool ok)
{
    m_status->setText(text);
    m_progress->setValue(ok ? 1000 : 0);
    updateButtons();
    Q_EMIT runFinished(text);
}

void OptimizationPanel::cancel()
{
    if (isRunning())
        m_pipeline->stop(); // "Cancelled" at once
}

void OptimizationPanel::setResult(std::shared_ptr<const OptimizeResult> result)
{
    m_result = std::move(result);
    m_model->setResult(*m_resultInput, m_result->graph, m_result->report);
    Q_EMIT resultChanged(m_result);
}

bool OptimizationPanel::apply()
{
    if (!m_document || !m_result)
        return false;
    QStringList what = m_result->report.passes;
    if (!m_result->report.retraining.isEmpty())
        what << m_result->report.retraining;
    const QString text = tr("Apply optimisation (%1)").arg(what.join(QStringLiteral(", ")));
    Graph graph = m_result->graph; // documentChanged drops m_result
    for (const Layer &l : m_document->graph().layers())
        if (graph.find(l.id)) {
            graph.layer(l.id).position = l.position;
            graph.layer(l.id).name = l.name;
        }
    const Applied applied{m_result, m_resultInput, m_document->undoStack()->index()};
    if (!m_document->applyGraph(graph, text))
        return false;
    m_applied = applied;
    return true;
}

void OptimizationPanel::copyAsText()
{
    QString text = m_model->toText();
    if (m_result)
        text += QLatin1Char('\n') + m_result->report.summary();
    QApplication::clipboard()->setText(text);
    Q_EMIT message(tr("Comparison copied to the clipboard"));
}

void OptimizationPanel::exportCsv(const QString &path)
{
    writeAtomically(path, m_model->toCsv().toUtf8());
}

void OptimizationPanel::updateButtons()
{
    m_cancel->setEnabled(isRunning());
    m_apply->setEnabled(m_result != nullptr);
    m_run->setEnabled(m_document != nullptr && (!m_pipeline->isRunning() || m_ownRun));
}

} // namespace snn::widgets
