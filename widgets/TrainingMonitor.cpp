#include "TrainingMonitor.h"

#include "PlotExport.h"
#include "SaveDialog.h"
#include "base/Error.h"
#include "base/JobRunner.h"
#include "flow/Stages.h"
#include "io/AtomicFile.h"

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSharedPointer>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
// qcustomplot.h uses Qt's keywords, which QT_NO_KEYWORDS turns off.
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach

namespace snn::widgets {

namespace {

QCustomPlot *makePlot(const QString &title, const QString &xLabel, const QString &yLabel)
{
    // Three side by side beside the settings in a 1024 px window; the title on top, the legend
    // under it (outside the axes, so that it never covers a curve).
    auto *plot = new QCustomPlot;
    plot->setMinimumSize(180, 160);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title));
    plot->plotLayout()->insertRow(1);
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->addElement(1, 0, plot->legend);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(2);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setMargins(QMargins(2, 0, 2, 0));
    plot->plotLayout()->setRowStretchFactor(0, 0.001);
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    plot->plotLayout()->setRowSpacing(0);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    return plot;
}

} // namespace

TrainingMonitor::TrainingMonitor(QWidget *parent)
    : QWidget(parent)
    , m_job(new JobRunner(this))
{
    m_lossPlot = makePlot(tr("Loss"), tr("epoch"), tr("cross-entropy"));
    m_lossPlot->addGraph(); // per batch
    m_lossPlot->graph(0)->setName(tr("batch"));
    m_lossPlot->graph(0)->setPen(QPen(QColor(150, 150, 220)));
    m_lossPlot->addGraph(); // per epoch
    m_lossPlot->graph(1)->setName(tr("epoch mean"));
    m_lossPlot->graph(1)->setPen(QPen(QColor(20, 20, 160), 2));
    m_lossPlot->graph(1)->setScatterStyle(QCPScatterStyle::ssDisc);
    m_lossPlot->legend->setVisible(true);

    m_accuracyPlot = makePlot(tr("Accuracy"), tr("epoch"), tr("%"));
    m_accuracyPlot->addGraph();
    m_accuracyPlot->graph(0)->setName(tr("train"));
    m_accuracyPlot->graph(0)->setPen(QPen(QColor(30, 130, 30), 2));
    m_accuracyPlot->graph(0)->setScatterStyle(QCPScatterStyle::ssDisc);
    m_accuracyPlot->addGraph();
    m_accuracyPlot->graph(1)->setName(tr("validation"));
    m_accuracyPlot->graph(1)->setPen(QPen(QColor(200, 90, 0), 2));
    m_accuracyPlot->graph(1)->setScatterStyle(QCPScatterStyle::ssDisc);
    m_accuracyPlot->legend->setVisible(true);
    m_accuracyPlot->yAxis->setRange(0, 100);

    m_activityPlot = makePlot(tr("Activity per layer"), QString(), tr("spikes / neuron / step"));
    m_activityBars = new QCPBars(m_activityPlot->xAxis, m_activityPlot->yAxis);
    m_activityBars->setName(tr("mean rate"));

    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_status = new QLabel(tr("Not started"));
    m_start = new QPushButton(tr("Start"));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setEnabled(false);
    m_stop->setToolTip(tr("Stop after the current batch; the best epoch so far is kept"));
    m_resume = new QPushButton(tr("Resume"));
    m_resume->setEnabled(false);
    m_resume->setToolTip(
        tr("Continue the stopped run from its last completed epoch, exactly as if it had not "
           "stopped"));
    connect(m_start, &QPushButton::clicked, this, &TrainingMonitor::start);
    connect(m_stop, &QPushButton::clicked, this, &TrainingMonitor::stop);
    connect(m_resume, &QPushButton::clicked, this, &TrainingMonitor::resume);
    connect(m_job, &JobRunner::runningChanged, this, &TrainingMonitor::setRunning);

    // Runs side by side.
    m_runsPlot = makePlot(tr("Runs compared"), tr("epoch"), tr("accuracy %"));
    m_runsPlot->legend->setVisible(true);
    m_runsPlot->legend->setWrap(1); // each run's settings on a line of its own
    m_runsPlot->xAxis->setTicker(QSharedPointer<QCPAxisTickerFixed>::create()); // whole epochs
    qSharedPointerCast<QCPAxisTickerFixed>(m_runsPlot->xAxis->ticker())
        ->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_runsPlot->yAxis->setRange(0, 100);
    m_firstRun = new QComboBox;
    m_secondRun = new QComboBox;
    for (QComboBox *box : {m_firstRun, m_secondRun}) {
        box->setToolTip(tr("Runs of this model (its .runs.json) and the runs made here"));
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(20);
        connect(box, &QComboBox::currentIndexChanged, this, &TrainingMonitor::plotRuns);
    }
    m_exportCurves = new QPushButton(tr("Export curves..."));
    m_exportCurves->setToolTip(tr("The compared runs' curves as CSV, PNG, SVG or PDF"));
    connect(m_exportCurves, &QPushButton::clicked, this, &TrainingMonitor::exportCurvesDialog);

    buildForm();
    // The curves in two tabs beside the settings: this run's live curves, and two runs overlaid
    // (each plot gets the panel's full height, so the comparison is not scrolled out of view).
    auto *live = new QWidget;
    auto *liveLayout = new QHBoxLayout(live);
    liveLayout->setContentsMargins(0, 0, 0, 0);
    liveLayout->addWidget(m_lossPlot);
    liveLayout->addWidget(m_accuracyPlot);
    liveLayout->addWidget(m_activityPlot);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_start);
    controls->addWidget(m_stop);
    controls->addWidget(m_resume);
    controls->addWidget(m_progress, 1);
    auto *compared = new QWidget;
    auto *compare = new QHBoxLayout;
    compare->addWidget(new QLabel(tr("Compare runs:")));
    compare->addWidget(m_firstRun, 1);
    compare->addWidget(new QLabel(tr("with")));
    compare->addWidget(m_secondRun, 1);
    compare->addWidget(m_exportCurves);
    auto *comparedLayout = new QVBoxLayout(compared);
    comparedLayout->setContentsMargins(0, 0, 0, 0);
    comparedLayout->addLayout(compare);
    comparedLayout->addWidget(m_runsPlot, 1);
    m_curves = new QTabWidget;
    m_curves->setDocumentMode(true);
    m_curves->addTab(live, tr("This run"));
    m_curves->addTab(compared, tr("Runs compared"));
    auto *plots = new QHBoxLayout;
    plots->addWidget(m_form);
    plots->addWidget(m_curves, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(plots, 1);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    showRuns();
}

void TrainingMonitor::showRuns()
{
    for (QComboBox *box : {m_firstRun, m_secondRun}) {
        const QSignalBlocker block(box);
        box->clear();
        box->addItem(tr("(none)"));
        for (const sim::TrainRun &r : m_runs)
            box->addItem(tr("%1 (%2 epochs)").arg(r.id).arg(r.epochs.size()));
    }
    // The two newest runs, the newest second.
    const int n = int(m_runs.size());
    selectRuns(n >= 2 ? n - 2 : n - 1, n >= 2 ? n - 1 : -1);
    m_exportCurves->setEnabled(n > 0);
}

void TrainingMonitor::compareRuns(int first, int second)
{
    selectRuns(first, second);
    m_curves->setCurrentIndex(1);
}

void TrainingMonitor::selectRuns(int first, int second)
{
    const QSignalBlocker a(m_firstRun), b(m_secondRun);
    m_firstRun->setCurrentIndex(first + 1);
    m_secondRun->setCurrentIndex(second + 1);
    plotRuns();
}

void TrainingMonitor::plotRuns()
{
    m_runsPlot->clearGraphs();
    const QColor colors[] = {QColor(20, 20, 160), QColor(200, 90, 0)};
    int shown = 0;
    for (QComboBox *box : {m_firstRun, m_secondRun}) {
        const int i = box->currentIndex() - 1;
        const QColor color = colors[box == m_secondRun ? 1 : 0];
        if (i < 0 || i >= int(m_runs.size()))
            continue;
        const sim::TrainRun &r = m_runs[std::size_t(i)];
        const bool validation = !r.epochs.empty() && r.epochs.front().validationAccuracy;
        QCPGraph *g = m_runsPlot->addGraph();
        g->setName(
            tr("%1 %2: %3")
                .arg(validation ? tr("validation") : tr("train"), r.id, r.settings.summary()));
        g->setPen(QPen(color, 2));
        g->setScatterStyle(QCPScatterStyle::ssDisc);
        for (const sim::TrainProgress &p : r.epochs)
            g->addData(p.epoch,
                       100.0 * (validation ? p.validationAccuracy.value_or(0.0) : p.trainAccuracy));
        ++shown;
    }
    // Epoch 1 to the last, half an epoch either side.
    int last = 1;
    for (int g = 0; g < m_runsPlot->graphCount(); ++g)
        if (!m_runsPlot->graph(g)->data()->isEmpty())
            last = std::max(last, int((m_runsPlot->graph(g)->data()->constEnd() - 1)->key));
    m_runsPlot->xAxis->setRange(0.5, last + 0.5);
    m_exportCurves->setEnabled(shown > 0);
    m_runsPlot->replot(QCustomPlot::rpQueuedReplot);
}

void TrainingMonitor::exportCurves(const QString &path) const
{
    if (QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) != 0) {
        savePlot(m_runsPlot, path);
        return;
    }
    std::vector<sim::TrainRun> chosen;
    for (QComboBox *box : {m_firstRun, m_secondRun})
        if (const int i = box->currentIndex() - 1; i >= 0 && i < int(m_runs.size()))
            chosen.push_back(m_runs[std::size_t(i)]);
    writeAtomically(path, sim::runsCsv(chosen).toUtf8());
}

void TrainingMonitor::exportCurvesDialog()
{
    saveThroughDialog(
        this, tr("Export curves"), QStringLiteral("runs.csv"),
        tr("CSV tables (*.csv);;") + plotFileFilter(),
        [this](const QString &path) { exportCurves(path); },
        [this](const QString &text) { m_status->setText(text); });
}

void TrainingMonitor::keepRun(const sim::TrainState &state)
{
    sim::TrainRun run =
        sim::TrainRun::of(m_runId, m_data ? m_data->train.name : QString(), m_settings, state);
    auto same = std::find_if(m_runs.begin(), m_runs.end(),
                             [&](const sim::TrainRun &r) { return r.id == run.id; });
    if (same != m_runs.end())
        *same = std::move(run);
    else
        m_runs.push_back(std::move(run));
    showRuns();
}

void TrainingMonitor::buildForm()
{
    m_form = new QWidget;
    auto *form = new QFormLayout(m_form);
    form->setContentsMargins(0, 0, 0, 0);
    const auto spin = [&](int min, int max, const QString &label, const QString &tip) {
        auto *box = new QSpinBox;
        box->setRange(min, max);
        box->setToolTip(tip);
        form->addRow(label, box);
        return box;
    };
    const auto real = [&](double min, double max, int decimals, const QString &label,
                          const QString &tip) {
        auto *box = new QDoubleSpinBox;
        box->setRange(min, max);
        box->setDecimals(decimals);
        box->setSingleStep(std::pow(10.0, -decimals + 1));
        box->setToolTip(tip);
        form->addRow(label, box);
        return box;
    };
    const auto choice = [&](const QStringList &items, const QString &label, const QString &tip) {
        auto *box = new QComboBox;
        box->addItems(items);
        box->setToolTip(tip);
        form->addRow(label, box);
        return box;
    };
    // The tooltips say what snnc train --help says, with the option's name.
    m_epochs = spin(1, 100000, tr("Epochs"), tr("Epochs in all (--epochs)"));
    m_batch = spin(1, 65536, tr("Batch"), tr("Mini-batch size (--batch)"));
    m_lr = real(1e-6, 1.0, 6, tr("Learning rate"), tr("Adam's learning rate (--lr)"));
    m_steps = spin(1, 10000, tr("Time steps"), tr("Time steps per sample (--steps)"));
    m_encoding = choice({sim::toString(sim::Encoding::Current), sim::toString(sim::Encoding::Rate)},
                        tr("Encoding"),
                        tr("Input encoding (--encoding): current (constant current) or rate "
                           "(Bernoulli spikes)"));
    m_qat = choice({tr("off"), QStringLiteral("8"), QStringLiteral("6"), QStringLiteral("4"),
                    QStringLiteral("3"), QStringLiteral("2")},
                   tr("QAT weight bits"),
                   tr("Quantisation-aware training (--qat): the forward pass is the FPGA core's "
                      "bit-accurate model at this weight width, on its own input spikes (so the "
                      "encoding does not apply); the kept graph is on the core's grid"));
    connect(m_qat, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_encoding->setEnabled(index == 0); });
    m_slope = real(0.01, 1000.0, 2, tr("Surrogate slope"),
                   tr("Slope k of the fast-sigmoid surrogate gradient (--slope)"));
    m_loss = choice({sim::toString(sim::Loss::SpikeCount), sim::toString(sim::Loss::Membrane)},
                    tr("Loss"),
                    tr("Cross-entropy on output spike counts (count) or on the mean output "
                       "membrane (membrane) (--loss)"));
    m_seed = spin(0, std::numeric_limits<int>::max(), tr("Seed"),
                  tr("Seed of the weights, batches and input spikes (--seed)"));
    m_valSplit = spin(0, 1 << 30, tr("Validation split"),
                      tr("Hold out the last N training samples: never trained on, they measure "
                         "the accuracy and firing rates each epoch and choose the best epoch "
                         "(--val-split)"));
    m_limit = spin(0, 1 << 30, tr("Training limit"),
                   tr("Train on the first N training samples only; 0: all (--limit)"));
    m_hidden = new QLineEdit;
    m_hidden->setToolTip(tr("Hidden layer sizes of a new network, e.g. 256,64 (--hidden)"));
    form->addRow(tr("Hidden sizes"), m_hidden);
    m_beta =
        real(0.0, 1.0, 3, tr("Beta"), tr("Membrane decay of a new network's LIF neurons (--beta)"));
    for (auto [widget, name] :
         std::initializer_list<std::pair<QWidget *, const char *>>{{m_epochs, "epochs"},
                                                                   {m_batch, "batch"},
                                                                   {m_lr, "lr"},
                                                                   {m_steps, "steps"},
                                                                   {m_encoding, "encoding"},
                                                                   {m_qat, "qat"},
                                                                   {m_slope, "slope"},
                                                                   {m_loss, "loss"},
                                                                   {m_seed, "seed"},
                                                                   {m_valSplit, "val-split"},
                                                                   {m_limit, "limit"},
                                                                   {m_hidden, "hidden"},
                                                                   {m_beta, "beta"}})
        widget->setObjectName(QLatin1String(name)); // snnc train's option names
    m_newNetwork = new QPushButton(tr("New network"));
    m_newNetwork->setToolTip(tr("Replace the graph with a fresh network of these hidden sizes and "
                                "beta for the attached data, to edit or train"));
    form->addRow(m_newNetwork);
    connect(m_newNetwork, &QPushButton::clicked, this, &TrainingMonitor::requestNewNetwork);
    showSettings(m_settings);
}

void TrainingMonitor::showSettings(const sim::TrainSettings &s)
{
    m_epochs->setValue(s.options.epochs);
    m_batch->setValue(s.options.batchSize);
    m_lr->setValue(double(s.options.learningRate));
    m_steps->setValue(s.options.steps);
    m_encoding->setCurrentText(sim::toString(s.options.encoding));
    m_qat->setCurrentText(s.options.qatBits > 0 ? QString::number(s.options.qatBits)
                                                : m_qat->itemText(0));
    m_slope->setValue(double(s.options.surrogateSlope));
    m_loss->setCurrentText(sim::toString(s.options.loss));
    m_seed->setValue(
        int(std::min<std::uint64_t>(s.options.seed, std::uint64_t(m_seed->maximum()))));
    m_valSplit->setValue(s.validationSize);
    m_limit->setValue(s.trainLimit);
    QStringList sizes;
    for (int n : s.hidden)
        sizes << QString::number(n);
    m_hidden->setText(sizes.join(QLatin1Char(',')));
    m_beta->setValue(double(s.beta));
}

sim::TrainSettings TrainingMonitor::settingsFromForm() const
{
    sim::TrainSettings s = m_settings;
    s.options.epochs = m_epochs->value();
    s.options.batchSize = m_batch->value();
    s.options.learningRate = float(m_lr->value());
    s.options.steps = m_steps->value();
    s.options.encoding = sim::kEncodingNames.parse(m_encoding->currentText(), tr("the encoding"));
    s.options.qatBits = m_qat->currentIndex() == 0 ? 0 : m_qat->currentText().toInt();
    s.options.surrogateSlope = float(m_slope->value());
    s.options.loss = sim::kLossNames.parse(m_loss->currentText(), tr("the loss"));
    s.options.seed = std::uint64_t(m_seed->value());
    s.validationSize = m_valSplit->value();
    s.trainLimit = m_limit->value();
    s.hidden.clear();
    for (const QString &part : m_hidden->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n < 1)
            throw Error(tr("hidden sizes are positive numbers like 256,64, not '%1'")
                            .arg(m_hidden->text()));
        s.hidden.push_back(n);
    }
    s.beta = float(m_beta->value());
    s.validate();
    return s;
}

void TrainingMonitor::setModelKey(const QString &key)
{
    m_modelKey = key;
    sim::TrainSettings settings;
    if (!key.isEmpty()) {
        const QByteArray json = QSettings().value(QStringLiteral("training/") + key).toByteArray();
        try {
            if (!json.isEmpty())
                settings = sim::TrainSettings::fromJson(QJsonDocument::fromJson(json).object());
        } catch (const Error &) {
            // Settings from another version: the defaults.
        }
    }
    setSettings(settings);
    m_runs.clear();
    if (QFileInfo(key).isFile()) {
        try {
            m_runs = sim::loadRuns(key);
        } catch (const Error &e) {
            m_status->setText(e.message());
        }
    }
    showRuns();
}

void TrainingMonitor::requestNewNetwork()
{
    try {
        if (!m_data)
            throw Error(tr("attach a data set first: a new network takes its size from the data"));
        const sim::TrainSettings s = settingsFromForm();
        const int classes =
            std::max(m_data->train.classes(), m_data->test ? m_data->test->classes() : 0);
        Q_EMIT newNetworkRequested(s.newNetwork(m_data->train.features(), classes));
    } catch (const Error &e) {
        m_status->setText(e.message());
        Q_EMIT failed(e.message());
    }
}

TrainingMonitor::~TrainingMonitor() = default; // m_job stops the training and waits for it

QString TrainingMonitor::undoText(int epochs)
{
    return epochs == 1 ? tr("Train 1 epoch") : tr("Train %1 epochs").arg(epochs);
}

bool TrainingMonitor::isRunning() const
{
    return m_job->isRunning();
}

void TrainingMonitor::setGraph(const Graph &graph)
{
    m_graph = graph;
    // The studio hands back the graph a stopped run delivered: that run can still resume.
    const auto same = [](const Graph &a, const Graph &b) {
        if (a.layerCount() != b.layerCount())
            return false;
        for (std::size_t i = 0; i < a.layers().size(); ++i) {
            const Layer &x = a.layers()[i], &y = b.layers()[i];
            if (x.weights.rows() != y.weights.rows() || x.weights.cols() != y.weights.cols() ||
                x.weights != y.weights || x.bias.size() != y.bias.size() || x.bias != y.bias)
                return false;
        }
        return true;
    };
    if (m_resumable && !same(graph, m_resumable->best)) {
        m_resumable.reset();
        m_resume->setEnabled(false);
    }
}

void TrainingMonitor::setData(std::shared_ptr<const sim::DataSplit> split)
{
    m_data = std::move(split);
}

void TrainingMonitor::setSettings(const sim::TrainSettings &settings)
{
    showSettings(settings);
    if (settings == m_settings)
        return;
    m_settings = settings;
    m_resumable.reset();
    m_resume->setEnabled(false);
}

const sim::TrainState *TrainingMonitor::lastState() const
{
    return m_last ? &*m_last : nullptr;
}

int TrainingMonitor::lossPoints() const
{
    return m_lossPlot->graph(0)->dataCount();
}

int TrainingMonitor::accuracyPoints() const
{
    return m_accuracyPlot->graph(0)->dataCount();
}

void TrainingMonitor::resetPlots()
{
    for (QCustomPlot *plot : {m_lossPlot, m_accuracyPlot})
        for (int i = 0; i < plot->graphCount(); ++i)
            plot->graph(i)->data()->clear();
    m_activityBars->data()->clear();
    m_lossPlot->xAxis->setRange(0, std::max(1, m_settings.options.epochs));
    m_accuracyPlot->xAxis->setRange(0, std::max(1, m_settings.options.epochs));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    int i = 0;
    for (const Layer &l : m_graph.layers())
        ticker->addTick(++i, l.name);
    m_activityPlot->xAxis->setTicker(ticker);
    m_activityPlot->xAxis->setRange(0.4, m_graph.layerCount() + 0.6);
    m_activityPlot->yAxis->setRange(0, 0.5);
    for (QCustomPlot *plot : {m_lossPlot, m_accuracyPlot, m_activityPlot})
        plot->replot(QCustomPlot::rpQueuedReplot);
}

void TrainingMonitor::setRunning(bool running)
{
    m_start->setEnabled(!running);
    m_stop->setEnabled(running);
    m_form->setEnabled(!running);
    m_resume->setEnabled(!running && m_resumable.has_value());
    Q_EMIT runningChanged(running);
}

void TrainingMonitor::start()
{
    if (isRunning())
        return;
    try {
        if (!m_data)
            throw Error(tr("no data set to train on"));
        setSettings(settingsFromForm());
        m_graph.validate();
        if (!m_modelKey.isEmpty())
            QSettings().setValue(QStringLiteral("training/") + m_modelKey,
                                 QJsonDocument(m_settings.toJson()).toJson(QJsonDocument::Compact));
    } catch (const Error &e) {
        m_status->setText(e.message());
        Q_EMIT failed(e.message());
        return;
    }
    resetPlots();
    m_progress->setValue(0);
    m_completedEpochs = 0;
    m_runId = QDateTime::currentDateTime().toString(Qt::ISODate);
    launch(sim::TrainState::start(m_graph));
}

void TrainingMonitor::resume()
{
    if (isRunning() || !m_resumable)
        return;
    sim::TrainState state = std::move(*m_resumable);
    m_resumable.reset();
    launch(std::move(state));
}

void TrainingMonitor::launch(sim::TrainState state)
{
    m_curves->setCurrentIndex(0); // the live curves
    m_status->setText(state.epoch > 0 ? tr("Resuming after epoch %1...").arg(state.epoch)
                                      : tr("Starting..."));
    m_startFraction =
        m_settings.options.epochs > 0 ? double(state.epoch) / m_settings.options.epochs : 0.0;
    m_clock.start();
    // The worker gets copies; its progress and its result come back as values, those of a
    // superseded run are dropped. A stopped run returns the epochs it completed.
    m_job->runReporting<Outcome, sim::TrainProgress>(
        [state = std::move(state), split = m_data,
         settings = m_settings](const RunControl &control,
                                const std::function<void(sim::TrainProgress)> &send) mutable {
            Outcome outcome{std::move(state), false}; // called once
            outcome.stopped =
                sim::trainUntilStopped(outcome.state, *split, settings, send, control);
            return outcome;
        },
        [this](const sim::TrainProgress &p) { onProgress(p); },
        [this](const Outcome &outcome) { onFinished(outcome); },
        [this](const QString &error) {
            m_status->setText(tr("Failed: %1").arg(error));
            Q_EMIT failed(error);
        });
}

void TrainingMonitor::stop()
{
    if (isRunning()) {
        m_job->stop();
        m_status->setText(tr("Stopping..."));
    }
}

void TrainingMonitor::onProgress(const sim::TrainProgress &p)
{
    const double x = (p.epoch - 1) + double(p.batch) / std::max(1, p.batches);
    if (p.epochEnd) {
        m_completedEpochs = p.epoch;
        m_lossPlot->graph(1)->addData(p.epoch, p.loss);
        m_accuracyPlot->graph(0)->addData(p.epoch, 100.0 * p.trainAccuracy);
        if (p.validationAccuracy)
            m_accuracyPlot->graph(1)->addData(p.epoch, 100.0 * *p.validationAccuracy);
    } else {
        m_lossPlot->graph(0)->addData(x, p.loss);
    }
    m_lossPlot->yAxis->rescale();
    m_lossPlot->yAxis->setRangeLower(0);
    QVector<double> keys, rates;
    double top = 0.05;
    for (std::size_t k = 0; k < p.meanRate.size(); ++k) {
        keys << double(k + 1);
        rates << p.meanRate[k];
        top = std::max(top, p.meanRate[k] * 1.2);
    }
    m_activityBars->setData(keys, rates, true);
    m_activityPlot->yAxis->setRange(0, top);
    for (QCustomPlot *plot : {m_lossPlot, m_accuracyPlot, m_activityPlot})
        plot->replot(QCustomPlot::rpQueuedReplot);

    m_progress->setValue(int(1000.0 * p.fraction));
    const double elapsed = double(m_clock.elapsed()) / 1000.0;
    const double done = p.fraction - m_startFraction;
    const QString left =
        done > 0.0 ? sim::formatDuration(elapsed * (1.0 - p.fraction) / done) : tr("unknown");
    QString text = tr("Epoch %1/%2, batch %3/%4: loss %5, train accuracy %6%")
                       .arg(p.epoch)
                       .arg(p.epochs)
                       .arg(p.batch)
                       .arg(p.batches)
                       .arg(p.loss, 0, 'f', 3)
                       .arg(100.0 * p.trainAccuracy, 0, 'f', 1);
    if (p.validationAccuracy)
        text += tr(", validation accuracy %1%").arg(100.0 * *p.validationAccuracy, 0, 'f', 1);
    if (!p.deadNeurons.empty()) {
        QStringList dead;
        for (std::size_t k = 0; k < p.deadNeurons.size(); ++k)
            dead << QStringLiteral("%1 %2").arg(p.layerNames[k]).arg(p.deadNeurons[k]);
        text += tr("; never fired: %1").arg(dead.join(QStringLiteral(", ")));
    }
    const QString speed = tr("%1 samples/s, %2 left").arg(p.samplesPerSecond, 0, 'f', 0).arg(left);
    m_status->setText(text + QStringLiteral(" - ") + speed);
    m_progress->setToolTip(speed);
    Q_EMIT progressed(p);
}

void TrainingMonitor::onFinished(const Outcome &outcome)
{
    m_completedEpochs = outcome.state.epoch;
    m_last = outcome.state;
    if (outcome.stopped)
        m_resumable = outcome.state;
    m_resume->setEnabled(m_resumable.has_value());
    if (outcome.state.epoch > 0)
        keepRun(outcome.state);
    if (outcome.stopped && outcome.state.epoch == 0) {
        m_status->setText(tr("Stopped before the first epoch completed; the graph is unchanged"));
        return;
    }
    const QString kept = tr("kept epoch %1 (best on validation)").arg(outcome.state.bestEpoch);
    if (outcome.stopped) {
        m_status->setText(tr("Stopped after epoch %1; %2").arg(outcome.state.epoch).arg(kept));
    } else {
        QString text = tr("Done: %1 in %2; %3")
                           .arg(flow::epochsText(outcome.state.epoch),
                                sim::formatDuration(double(m_clock.elapsed()) / 1000.0), kept);
        if (outcome.state.testAccuracy)
            text += tr(", test accuracy %1% (reported only)")
                        .arg(100.0 * *outcome.state.testAccuracy, 0, 'f', 2);
        m_status->setText(text);
        m_progress->setValue(1000);
    }
    Q_EMIT trained(outcome.state.best);
}

} // namespace snn::widgets
