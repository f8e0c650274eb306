#include "Screenshots.h"

#include "CanvasView.h"
#include "CompareView.h"
#include "Document.h"
#include "MainWindow.h"
#include "OptimizationPanel.h"
#include "SpikesView.h"
#include "SweepPanel.h"
#include "TrainingMonitor.h"

#include <QDockWidget>
#include <QEventLoop>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <iostream>
#include <string>

namespace snn::studio {

namespace {

void settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Asks the outside tool for a picture of the screen: prints "shot <name>" and waits for its
// reply line. The window is already on the display, so blocking here changes nothing on screen.
bool shoot(const QString &name)
{
    QTextStream(stdout) << "shot " << name << Qt::endl;
    std::string reply;
    return bool(std::getline(std::cin, reply));
}

// Runs the event loop until `signal` of `sender` or the timeout.
template <typename Sender, typename Signal>
void waitFor(Sender *sender, Signal signal, int timeoutMs)
{
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int takeScreenshots(widgets::MainWindow &window, const QString &dataSpec)
{
    if (!dataSpec.isEmpty()) {
        QTimer::singleShot(0, &window, [&window, dataSpec] { window.attachData(dataSpec); });
        waitFor(&window, &widgets::MainWindow::dataAttached, 120000);
    }
    window.show();
    settle(500);
    const Graph &graph = window.document()->graph();
    if (!graph.isEmpty())
        window.canvas()->selectLayer(graph.layers().front().id);
    settle(300);
    if (!shoot(QStringLiteral("canvas")))
        return 1;

    QTimer::singleShot(0, window.optimization(), &widgets::OptimizationPanel::run);
    waitFor(window.optimization(), &widgets::OptimizationPanel::runFinished, 300000);
    if (window.compare()->isEstimating()) // the per-pass logic-cell bars
        waitFor(window.compare(), &widgets::CompareView::estimatesFinished, 120000);
    settle(500);
    if (!shoot(QStringLiteral("optimization")))
        return 1;
    // The FPGA tab after the run: the resource estimate for the graph and the optimised graph.
    if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("panel_FPGA")))
        dock->raise();
    settle(500);
    if (!shoot(QStringLiteral("fpga")))
        return 1;
    // The Sweep tab after a sweep of the dead threshold (its default values) on the data.
    window.optimiseTabs()->setCurrentWidget(window.sweep());
    QTimer::singleShot(0, window.sweep(), &widgets::SweepPanel::run);
    waitFor(window.sweep(), &widgets::SweepPanel::message, 600000);
    settle(500);
    if (!shoot(QStringLiteral("sweep")))
        return 1;
    // The Spikes tab: the first test sample before and after the run, and the membrane of the
    // first layer's neuron that fired most on it.
    widgets::SpikesView *spikes = window.spikes();
    window.optimiseTabs()->setCurrentWidget(spikes);
    if (spikes->isSimulating() || !spikes->traces(widgets::SpikesView::Side::After))
        waitFor(spikes, &widgets::SpikesView::simulated, 60000);
    if (const auto &traces = spikes->traces(widgets::SpikesView::Side::Before);
        traces && !traces->layers.empty()) {
        const LayerTrace &first = traces->layers.front();
        std::vector<int> counts(std::size_t(first.neurons), 0);
        for (std::size_t k = 0; k < first.spikes.size(); ++k)
            counts[k % std::size_t(first.neurons)] += first.spikes[k];
        spikes->selectNeuron(first.name,
                             int(std::max_element(counts.begin(), counts.end()) - counts.begin()));
    }
    settle(500);
    if (!shoot(QStringLiteral("spikes")))
        return 1;
    // The Training panel: two short fine-tuning runs of the model at two learning rates (2 epochs
    // on 2,000 training samples, 1,000 held out for validation), their curves overlaid.
    widgets::TrainingMonitor *training = window.training();
    if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("panel_Training")))
        dock->raise();
    sim::TrainSettings settings = training->settings();
    settings.options.epochs = 2;
    settings.trainLimit = 2000;
    settings.validationSize = 1000;
    for (const float rate : {1e-3f, 1e-4f}) {
        settings.options.learningRate = rate;
        training->setSettings(settings);
        QTimer::singleShot(0, training, &widgets::TrainingMonitor::start);
        waitFor(training, &widgets::TrainingMonitor::trained, 600000);
    }
    const int runs = int(training->runs().size());
    training->compareRuns(runs - 2, runs - 1);
    settle(500);
    return shoot(QStringLiteral("training")) ? 0 : 1;
}

} // namespace snn::studio
