#include "TrainingMonitor.h"

#include "Error.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSharedPointer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
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
    auto *plot = new QCustomPlot;
    plot->setMinimumSize(240, 160);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title));
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    return plot;
}

QString duration(double seconds)
{
    const int s = int(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
           : s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60)
                     : QStringLiteral("%1 s").arg(s);
}

} // namespace

TrainingMonitor::TrainingMonitor(QWidget *parent)
    : QWidget(parent)
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
    m_accuracyPlot->graph(1)->setName(tr("test"));
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
    connect(m_start, &QPushButton::clicked, this, &TrainingMonitor::start);
    connect(m_stop, &QPushButton::clicked, this, &TrainingMonitor::stop);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &TrainingMonitor::onFinished);

    auto *plots = new QHBoxLayout;
    plots->addWidget(m_lossPlot);
    plots->addWidget(m_accuracyPlot);
    plots->addWidget(m_activityPlot);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_start);
    controls->addWidget(m_stop);
    controls->addWidget(m_progress, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(plots, 1);
    layout->addLayout(controls);
    layout->addWidget(m_status);
}

TrainingMonitor::~TrainingMonitor()
{
    if (m_cancel)
        *m_cancel = true;
    m_watcher.waitForFinished();
}

void TrainingMonitor::setGraph(const Graph &graph)
{
    m_graph = graph;
}

void TrainingMonitor::setData(std::shared_ptr<const sim::DataSplit> split)
{
    m_data = std::move(split);
}

void TrainingMonitor::setOptions(const sim::TrainOptions &options)
{
    m_options = options;
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
    m_lossPlot->xAxis->setRange(0, std::max(1, m_options.epochs));
    m_accuracyPlot->xAxis->setRange(0, std::max(1, m_options.epochs));
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
    m_running = running;
    m_start->setEnabled(!running);
    m_stop->setEnabled(running);
    Q_EMIT runningChanged(running);
}

void TrainingMonitor::start()
{
    if (m_running)
        return;
    try {
        if (!m_data)
            throw Error(tr("no data set to train on"));
        m_options.validate();
        m_graph.validate();
    } catch (const Error &e) {
        m_status->setText(e.message());
        Q_EMIT failed(e.message());
        return;
    }
    resetPlots();
    m_progress->setValue(0);
    m_completedEpochs = 0;
    m_status->setText(tr("Starting..."));
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const int generation = ++m_generation;
    m_clock.start();
    setRunning(true);

    // The worker gets copies and reports through queued calls; a result of a superseded run is
    // dropped by its generation number.
    QPointer<TrainingMonitor> self(this);
    m_watcher.setFuture(QtConcurrent::run([self, generation, graph = m_graph, split = m_data,
                                           options = m_options, cancel = m_cancel] {
        Outcome outcome{sim::TrainState::start(graph), {}, false};
        RunControl control;
        control.cancelRequested = [cancel] { return cancel->load(); };
        try {
            sim::train(
                outcome.state, *split, options,
                [&](const sim::TrainProgress &p) {
                    QMetaObject::invokeMethod(
                        self.data(),
                        [self, generation, p] {
                            if (self && self->m_generation == generation)
                                self->onProgress(p);
                        },
                        Qt::QueuedConnection);
                },
                control);
        } catch (const Cancelled &) {
            outcome.cancelled = true;
        } catch (const Error &e) {
            outcome.error = e.message();
        } catch (const std::bad_alloc &) {
            outcome.error = QStringLiteral("out of memory");
        }
        return outcome;
    }));
}

void TrainingMonitor::stop()
{
    if (m_running && m_cancel) {
        *m_cancel = true;
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
        if (p.testAccuracy)
            m_accuracyPlot->graph(1)->addData(p.epoch, 100.0 * *p.testAccuracy);
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
    const QString left =
        p.fraction > 0.0 ? duration(elapsed * (1.0 - p.fraction) / p.fraction) : tr("unknown");
    QString text = tr("Epoch %1/%2, batch %3/%4: loss %5, train accuracy %6%")
                       .arg(p.epoch)
                       .arg(p.epochs)
                       .arg(p.batch)
                       .arg(p.batches)
                       .arg(p.loss, 0, 'f', 3)
                       .arg(100.0 * p.trainAccuracy, 0, 'f', 1);
    if (p.testAccuracy)
        text += tr(", test accuracy %1%").arg(100.0 * *p.testAccuracy, 0, 'f', 1);
    if (!p.deadNeurons.empty()) {
        QStringList dead;
        for (std::size_t k = 0; k < p.deadNeurons.size(); ++k)
            dead << QStringLiteral("%1 %2").arg(p.layerNames[k]).arg(p.deadNeurons[k]);
        text += tr("; never fired: %1").arg(dead.join(QStringLiteral(", ")));
    }
    m_status->setText(text + tr(" - %1 left").arg(left));
    m_progress->setToolTip(tr("%1 left").arg(left));
    Q_EMIT progressed(p);
}

void TrainingMonitor::onFinished()
{
    const Outcome outcome = m_watcher.result();
    // Deliver the progress still queued behind the result before reporting the end.
    QCoreApplication::sendPostedEvents(this);
    setRunning(false);
    if (!outcome.error.isEmpty()) {
        m_status->setText(tr("Failed: %1").arg(outcome.error));
        Q_EMIT failed(outcome.error);
        return;
    }
    m_completedEpochs = outcome.state.epoch;
    if (outcome.cancelled && outcome.state.epoch == 0) {
        m_status->setText(tr("Stopped before the first epoch completed; the graph is unchanged"));
        return;
    }
    m_status->setText(outcome.cancelled ? tr("Stopped after epoch %1").arg(outcome.state.epoch)
                                        : tr("Done: %1 epochs in %2")
                                              .arg(outcome.state.epoch)
                                              .arg(duration(double(m_clock.elapsed()) / 1000.0)));
    if (!outcome.cancelled)
        m_progress->setValue(1000);
    Q_EMIT trained(outcome.state.graph);
}

} // namespace snn::widgets
