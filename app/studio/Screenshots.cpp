#include "Screenshots.h"

#include "CanvasView.h"
#include "CompareView.h"
#include "Document.h"
#include "FpgaPanel.h"
#include "MainWindow.h"
#include "OptimizationPanel.h"
#include "RunMenu.h"
#include "SpikesView.h"
#include "SweepPanel.h"
#include "TargetControl.h"
#include "TrainingMonitor.h"
#include "flow/HardwareEstimates.h"
#include "flow/Pipeline.h"

#include <QAction>
#include <QEventLoop>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <iostream>
#include <string>

namespace snn::studio {

namespace {

using widgets::MainWindow;

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
    settle(500);
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

// Triggers a menu action once the event loop runs (as a key press would).
void trigger(QAction *action)
{
    QTimer::singleShot(0, action, &QAction::trigger);
}

// Optimise after F5: the Compare tab with the per-pass bars.
void runPasses(MainWindow &window)
{
    trigger(window.runMenu()->passesAction());
    waitFor(window.optimization(), &widgets::OptimizationPanel::runFinished, 300000);
    if (window.compare()->isEstimating()) // the per-pass logic-cell bars
        waitFor(window.compare(), &widgets::CompareView::estimatesFinished, 120000);
}

// The Spikes tab on the first test sample, the first layer's most active neuron selected.
void showSpikes(MainWindow &window)
{
    widgets::SpikesView *spikes = window.spikes();
    window.optimiseTabs()->setCurrentWidget(spikes);
    if (spikes->isSimulating() || !spikes->traces(widgets::SpikesView::Side::After))
        waitFor(spikes, &widgets::SpikesView::simulated, 60000);
    const auto &traces = spikes->traces(widgets::SpikesView::Side::Before);
    if (!traces || traces->layers.empty())
        return;
    const LayerTrace &first = traces->layers.front();
    std::vector<int> counts(std::size_t(first.neurons), 0);
    for (std::size_t k = 0; k < first.spikes.size(); ++k)
        counts[k % std::size_t(first.neurons)] += first.spikes[k];
    spikes->selectNeuron(first.name,
                         int(std::max_element(counts.begin(), counts.end()) - counts.begin()));
}

// Deploy with Auto's target "latency <= 20 ms", once the panel shows the design that meets it
// (measured on the 10,000 test images); the target is cleared again afterwards.
bool shootTarget(MainWindow &window)
{
    window.activateMode(MainWindow::Mode::Deploy);
    auto *target = window.fpga()->findChild<widgets::TargetControl *>();
    target->setTarget(hw::Target::latency(20.0));
    while (window.fpga()->isEstimating())
        waitFor(window.fpga()->estimates(), &flow::HardwareEstimates::changed, 300000);
    const bool shot = shoot(QStringLiteral("fpga-target"));
    target->setTarget({});
    return shot;
}

// Two short fine-tuning runs of the model at two learning rates (2 epochs on 2,000 training
// samples, 1,000 held out for validation), their curves overlaid.
void trainTwice(MainWindow &window)
{
    widgets::TrainingMonitor *training = window.training();
    sim::TrainSettings settings = training->settings();
    settings.options.epochs = 2;
    settings.trainLimit = 2000;
    settings.validationSize = 1000;
    for (const float rate : {1e-3f, 1e-4f}) {
        settings.options.learningRate = rate;
        training->setSettings(settings);
        trigger(window.runMenu()->trainAction());
        waitFor(training, &widgets::TrainingMonitor::trained, 600000);
    }
    const int runs = int(training->runs().size());
    training->compareRuns(runs - 2, runs - 1);
}

} // namespace

int takeScreenshots(MainWindow &window, const QString &dataSpec)
{
    if (!dataSpec.isEmpty()) {
        QTimer::singleShot(0, &window, [&window, dataSpec] { window.attachData(dataSpec); });
        waitFor(&window, &MainWindow::dataAttached, 120000);
    }
    window.show();
    if (!shoot(QStringLiteral("getstarted")) || !shootTarget(window))
        return 1;
    window.activateMode(MainWindow::Mode::Graph);
    const Graph &graph = window.document()->graph();
    if (!graph.isEmpty())
        window.canvas()->selectLayer(graph.layers().front().id);
    if (!shoot(QStringLiteral("canvas")))
        return 1;
    runPasses(window);
    if (!shoot(QStringLiteral("optimization")))
        return 1;
    showSpikes(window);
    if (!shoot(QStringLiteral("spikes")))
        return 1;
    // The Sweep tab after a sweep of the dead threshold (its default values) on the data.
    window.optimiseTabs()->setCurrentWidget(window.sweep());
    QTimer::singleShot(0, window.sweep(), &widgets::SweepPanel::run);
    waitFor(window.sweep(), &widgets::SweepPanel::message, 600000);
    if (!shoot(QStringLiteral("sweep")))
        return 1;
    // Deploy after the pipeline (Ctrl+R): its stages, the build's figures and log.
    trigger(window.runMenu()->pipelineAction());
    waitFor(window.pipeline(), &flow::Pipeline::finished, 1800000);
    if (!shoot(QStringLiteral("fpga")))
        return 1;
    trainTwice(window);
    return shoot(QStringLiteral("training")) ? 0 : 1;
}

} // namespace snn::studio
