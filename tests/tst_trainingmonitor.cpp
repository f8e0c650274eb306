#include "QCustomPlotInclude.h"
#include "SimTestData.h"
#include "TestUtils.h"
#include "TrainingMonitor.h"
#include "base/Error.h"
#include "hw/Quantizer.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::test;
using snn::widgets::TrainingMonitor;

namespace {

std::shared_ptr<const sim::DataSplit> tinyData()
{
    return std::make_shared<const sim::DataSplit>(sim::DataSplit{
        toyData(96, 3, 4, 1), toyData(30, 3, 4, 2), std::nullopt, QStringLiteral("toy")});
}

// 96 training samples: the last 16 held out for validation, 80 trained on (5 batches of 16).
sim::TrainSettings tinySettings(int epochs)
{
    sim::TrainSettings s;
    s.options.epochs = epochs;
    s.options.steps = 8;
    s.options.batchSize = 16;
    s.options.learningRate = 5e-3f;
    s.validationSize = 16;
    return s;
}

} // namespace

class TestTrainingMonitor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainsAndEmitsTheGraph();
    void stopKeepsTheLastCompletedEpoch();
    void stopAndResumeEqualsAnUninterruptedRun();
    void startWithoutDataFails();
    void formSettingsReachTheTrainerAndAreRemembered();
    void qatWidthReachesTheTrainer();

    void overlaysTwoRunsAndExportsTheirCurves();
};

void TestTrainingMonitor::trainsAndEmitsTheGraph()
{
    TrainingMonitor monitor;
    const Graph start = sim::initialGraph(16, {8, 3}, NeuronParams{}, 3);
    monitor.setGraph(start);
    monitor.setData(tinyData());
    monitor.setSettings(tinySettings(2));
    monitor.show();
    QSignalSpy trained(&monitor, &TrainingMonitor::trained);
    QSignalSpy running(&monitor, &TrainingMonitor::runningChanged);
    QVERIFY(monitor.startButton()->isEnabled());
    QTest::mouseClick(monitor.startButton(), Qt::LeftButton);
    QVERIFY(monitor.isRunning());
    QVERIFY(!monitor.startButton()->isEnabled());
    QVERIFY(monitor.stopButton()->isEnabled());
    QVERIFY(trained.wait(30000));
    QCOMPARE(trained.count(), 1);
    const Graph result = trained.at(0).at(0).value<Graph>();
    QCOMPARE(result.layerCount(), 2);
    QVERIFY(result.layers()[0].weights != start.layers()[0].weights);
    QVERIFY(result.layers()[0].hasRates());
    QCOMPARE(result.layers()[0].ratesSource,
             QStringLiteral("measured: toy, validation, 16 samples, current, T=8"));
    // The best epoch on validation is what comes back.
    QCOMPARE(result.layers()[0].weights, monitor.lastState()->best.layers()[0].weights);
    // 80 samples / 16 per batch = 5 batches per epoch, 2 epochs.
    QCOMPARE(monitor.lossPoints(), 10);
    QCOMPARE(monitor.accuracyPoints(), 2);
    QCOMPARE(monitor.completedEpochs(), 2);
    QCOMPARE(monitor.progressBar()->value(), monitor.progressBar()->maximum());
    QVERIFY(!monitor.isRunning());
    QVERIFY(monitor.startButton()->isEnabled());
    QCOMPARE(running.count(), 2);
    QVERIFY2(monitor.statusLabel()->text().startsWith(QStringLiteral("Done: 2 epochs")),
             qPrintable(monitor.statusLabel()->text()));
    // The run is kept with its curves and shown in the comparison.
    QCOMPARE(monitor.runs().size(), std::size_t(1));
    QCOMPARE(monitor.runs()[0].epochs.size(), std::size_t(2));
    QCOMPARE(monitor.runs()[0].settings, monitor.settings());
    QCOMPARE(monitor.runsPlot()->graphCount(), 1);
    QCOMPARE(monitor.runsPlot()->graph(0)->dataCount(), 2);
}

void TestTrainingMonitor::stopKeepsTheLastCompletedEpoch()
{
    TrainingMonitor monitor;
    monitor.setGraph(sim::initialGraph(16, {8, 3}, NeuronParams{}, 3));
    monitor.setData(tinyData());
    monitor.setSettings(tinySettings(1000));
    // Stop as soon as the first epoch has been reported.
    connect(&monitor, &TrainingMonitor::progressed, &monitor, [&](const sim::TrainProgress &p) {
        if (p.epochEnd)
            QTest::mouseClick(monitor.stopButton(), Qt::LeftButton);
    });
    QSignalSpy trained(&monitor, &TrainingMonitor::trained);
    monitor.start();
    QVERIFY(trained.wait(30000));
    QVERIFY(!monitor.isRunning());
    const int epochs = monitor.completedEpochs();
    QVERIFY2(epochs >= 1 && epochs < 1000, qPrintable(QString::number(epochs)));
    QVERIFY2(monitor.statusLabel()->text().startsWith(QStringLiteral("Stopped after epoch")),
             qPrintable(monitor.statusLabel()->text()));
    QVERIFY(monitor.progressBar()->value() < monitor.progressBar()->maximum());
}

void TestTrainingMonitor::stopAndResumeEqualsAnUninterruptedRun()
{
    const Graph start = sim::initialGraph(16, {8, 3}, NeuronParams{}, 3);
    // Enough epochs that Stop, clicked when the first epoch is shown, lands before the end.
    constexpr int kEpochs = 300;
    const sim::TrainSettings settings = tinySettings(kEpochs);
    sim::TrainState straight = sim::TrainState::start(start);
    sim::train(straight, settings.apply(*tinyData()), settings.options);

    TrainingMonitor monitor;
    monitor.setGraph(start);
    monitor.setData(tinyData());
    monitor.setSettings(settings);
    monitor.show();
    // Stop (by the button) once the first epoch is in.
    bool stopped = false;
    connect(&monitor, &TrainingMonitor::progressed, &monitor, [&](const sim::TrainProgress &p) {
        if (p.epochEnd && !stopped) {
            stopped = true;
            QTest::mouseClick(monitor.stopButton(), Qt::LeftButton);
        }
    });
    QSignalSpy trained(&monitor, &TrainingMonitor::trained);
    QTest::mouseClick(monitor.startButton(), Qt::LeftButton);
    QVERIFY(trained.wait(30000));
    QVERIFY(!monitor.isRunning());
    QVERIFY(monitor.completedEpochs() < kEpochs);
    QVERIFY(monitor.canResume());
    QVERIFY(monitor.resumeButton()->isEnabled());
    // The studio puts the delivered graph in the document and hands it back: still resumable.
    monitor.setGraph(trained.at(0).at(0).value<Graph>());
    QVERIFY(monitor.resumeButton()->isEnabled());

    QTest::mouseClick(monitor.resumeButton(), Qt::LeftButton);
    QVERIFY(monitor.isRunning());
    QVERIFY(!monitor.resumeButton()->isEnabled());
    QVERIFY(trained.wait(30000));
    QCOMPARE(monitor.completedEpochs(), kEpochs);
    QVERIFY(!monitor.canResume());
    const sim::TrainState *resumed = monitor.lastState();
    for (std::size_t l = 0; l < 2; ++l) {
        QCOMPARE(resumed->graph.layers()[l].weights, straight.graph.layers()[l].weights);
        QCOMPARE(resumed->best.layers()[l].weights, straight.best.layers()[l].weights);
    }
    QCOMPARE(resumed->bestEpoch, straight.bestEpoch);
    QCOMPARE(trained.last().at(0).value<Graph>().layers()[0].weights,
             straight.best.layers()[0].weights);
    QVERIFY2(monitor.statusLabel()->text().startsWith(QStringLiteral("Done: 300 epochs")),
             qPrintable(monitor.statusLabel()->text()));

    // New settings end what could be resumed.
    monitor.setSettings(tinySettings(4));
    QVERIFY(!monitor.canResume());
}

void TestTrainingMonitor::startWithoutDataFails()
{
    TrainingMonitor monitor;
    monitor.setGraph(sim::initialGraph(16, {8, 3}, NeuronParams{}, 3));
    QSignalSpy failed(&monitor, &TrainingMonitor::failed);
    monitor.start();
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("no data set to train on"));
    QVERIFY(!monitor.isRunning());
}

void TestTrainingMonitor::formSettingsReachTheTrainerAndAreRemembered()
{
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    const QString modelA = dir.filePath(QStringLiteral("a.h5"));
    QSettings().remove(QStringLiteral("training"));
    TrainingMonitor monitor;
    monitor.setGraph(sim::initialGraph(16, {8, 3}, NeuronParams{}, 3));
    monitor.setData(tinyData());
    monitor.setModelKey(modelA);
    QVERIFY(monitor.settings() == sim::TrainSettings{}); // nothing remembered yet: defaults
    const auto spin = [&](const char *name) {
        return monitor.findChild<QSpinBox *>(QLatin1String(name));
    };
    QVERIFY(!spin("epochs")->toolTip().isEmpty());
    spin("epochs")->setValue(1);
    spin("batch")->setValue(40);
    spin("steps")->setValue(6);
    spin("val-split")->setValue(16);
    monitor.findChild<QComboBox *>(QStringLiteral("encoding"))
        ->setCurrentText(QStringLiteral("rate"));
    QSignalSpy trained(&monitor, &TrainingMonitor::trained);
    monitor.start();
    QVERIFY(trained.wait(30000));
    // One epoch of 80 samples in batches of 40, rated on the 16 held out, rate encoding, T = 6.
    QCOMPARE(monitor.completedEpochs(), 1);
    QCOMPARE(monitor.lossPoints(), 2);
    QCOMPARE(trained.at(0).at(0).value<Graph>().layers()[0].ratesSource,
             QStringLiteral("measured: toy, validation, 16 samples, rate, T=6"));

    // Remembered for that model, not for another.
    TrainingMonitor other;
    other.setModelKey(modelA);
    QCOMPARE(other.settings().options.epochs, 1);
    QCOMPARE(other.settings().options.batchSize, 40);
    QVERIFY(other.settings().options.encoding == sim::Encoding::Rate);
    QCOMPARE(other.findChild<QSpinBox *>(QStringLiteral("val-split"))->value(), 16);
    other.setModelKey(dir.filePath(QStringLiteral("b.h5")));
    QVERIFY(other.settings() == sim::TrainSettings{});

    // New network: the form's sizes and beta, for the data's 16 inputs and 3 classes.
    monitor.findChild<QLineEdit *>(QStringLiteral("hidden"))->setText(QStringLiteral("7, 5"));
    monitor.findChild<QDoubleSpinBox *>(QStringLiteral("beta"))->setValue(0.5);
    QSignalSpy created(&monitor, &TrainingMonitor::newNetworkRequested);
    QTest::mouseClick(monitor.newNetworkButton(), Qt::LeftButton);
    QCOMPARE(created.count(), 1);
    const Graph fresh = created.at(0).at(0).value<Graph>();
    QCOMPARE(fresh.inputSize(), 16);
    QCOMPARE(fresh.layerCount(), 3);
    QCOMPARE(fresh.layers()[0].neurons(), 7);
    QCOMPARE(fresh.layers()[1].neurons(), 5);
    QCOMPARE(fresh.layers()[2].neurons(), 3);
    QCOMPARE(fresh.layers()[1].neuron.beta, 0.5f);

    // A bad field is a one-line message, not a run.
    monitor.findChild<QLineEdit *>(QStringLiteral("hidden"))->setText(QStringLiteral("7,x"));
    QSignalSpy failed(&monitor, &TrainingMonitor::failed);
    monitor.start();
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(),
             QStringLiteral("hidden sizes are positive numbers like 256,64, not '7,x'"));
    QVERIFY(!monitor.isRunning());
}

void TestTrainingMonitor::qatWidthReachesTheTrainer()
{
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    const QString model = dir.filePath(QStringLiteral("q.h5"));
    QSettings().remove(QStringLiteral("training"));
    TrainingMonitor monitor;
    monitor.setGraph(sim::initialGraph(16, {8, 3}, NeuronParams{}, 3));
    monitor.setData(tinyData());
    monitor.setModelKey(model);
    auto *qat = monitor.findChild<QComboBox *>(QStringLiteral("qat"));
    auto *encoding = monitor.findChild<QComboBox *>(QStringLiteral("encoding"));
    QCOMPARE(qat->currentText(), QStringLiteral("off"));
    QVERIFY(encoding->isEnabled());
    qat->setCurrentText(QStringLiteral("4"));
    QVERIFY(!encoding->isEnabled()); // the core's generator makes the input spikes
    monitor.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(1);
    monitor.findChild<QSpinBox *>(QStringLiteral("steps"))->setValue(6);
    monitor.findChild<QSpinBox *>(QStringLiteral("val-split"))->setValue(16);
    QSignalSpy trained(&monitor, &TrainingMonitor::trained);
    monitor.start();
    QVERIFY(trained.wait(30000));
    // The emitted graph is on the 4-bit grid: it quantises to integers over the layer's scale.
    const Graph g = trained.at(0).at(0).value<Graph>();
    hw::QuantConfig config;
    config.weightBits = 4;
    config.steps = 6;
    const hw::QuantizedNetwork net = hw::quantize(g, config);
    QCOMPARE(g.layers()[0].weights(3, 7), float(net.layers[0].weight(3, 7) / net.layers[0].scale));
    QCOMPARE(g.layers()[0].neuron.beta, 0.875f);
    QCOMPARE(g.layers()[0].ratesSource,
             QStringLiteral("measured: toy, validation, 16 samples, rate, T=6"));
    // Remembered for the model.
    TrainingMonitor other;
    other.setModelKey(model);
    QCOMPARE(other.settings().options.qatBits, 4);
    QCOMPARE(other.findChild<QComboBox *>(QStringLiteral("qat"))->currentText(),
             QStringLiteral("4"));
}

SNN_WIDGET_TEST_MAIN(TestTrainingMonitor)
void TestTrainingMonitor::overlaysTwoRunsAndExportsTheirCurves()
{
    QTemporaryDir dir;
    const QString model = dir.filePath(QStringLiteral("model.h5"));
    QFile touch(model);
    QVERIFY(touch.open(QIODevice::WriteOnly));
    touch.close();
    const auto epoch = [](int n, double loss, double train, double validation) {
        sim::TrainProgress p;
        p.epochEnd = true;
        p.epoch = n;
        p.loss = loss;
        p.trainAccuracy = train;
        p.validationAccuracy = validation;
        p.seconds = 2.0;
        return p;
    };
    sim::TrainRun a;
    a.id = QStringLiteral("a");
    a.data = QStringLiteral("toy");
    a.epochs = {epoch(1, 1.5, 0.4, 0.5), epoch(2, 1.25, 0.5, 0.625)};
    sim::TrainRun b = a;
    b.id = QStringLiteral("b");
    b.settings.options.learningRate = 0.01f;
    b.epochs.push_back(epoch(3, 1, 0.75, 0.75));
    sim::saveRun(model, a);
    sim::saveRun(model, b);

    TrainingMonitor monitor;
    monitor.resize(1200, 900);
    monitor.show();
    monitor.setModelKey(model);
    QCOMPARE(monitor.runs().size(), std::size_t(2));
    QCOMPARE(monitor.firstRunBox()->count(), 3); // (none), a, b
    QCOMPARE(monitor.firstRunBox()->currentIndex(), 1);
    QCOMPARE(monitor.secondRunBox()->currentIndex(), 2);
    QCOMPARE(monitor.curvesTabs()->currentIndex(), 0); // the live curves until runs are compared
    QCustomPlot *plot = monitor.runsPlot();
    QCOMPARE(plot->graphCount(), 2);
    QCOMPARE(plot->graph(0)->name(), QStringLiteral("validation a: ") + a.settings.summary());
    QCOMPARE(plot->graph(1)->name(), QStringLiteral("validation b: ") + b.settings.summary());
    QVERIFY(a.settings.summary() != b.settings.summary()); // the legend tells them apart
    QCOMPARE(plot->graph(0)->dataCount(), 2);
    QCOMPARE(plot->graph(1)->dataCount(), 3);
    QCOMPARE(plot->graph(0)->data()->at(1)->value, 62.5);
    QCOMPARE(plot->graph(1)->data()->at(2)->key, 3.0);
    QCOMPARE(plot->graph(1)->data()->at(2)->value, 75.0);
    monitor.compareRuns(1, -1);
    QCOMPARE(monitor.curvesTabs()->currentIndex(), 1); // "Runs compared" in view
    QVERIFY(plot->isVisible());
    QCOMPARE(plot->graphCount(), 1);
    QCOMPARE(plot->graph(0)->dataCount(), 3);
    monitor.secondRunBox()->setCurrentIndex(1); // the user picks run a as the second
    QCOMPARE(plot->graphCount(), 2);

    monitor.compareRuns(0, 1);
    const QString csv = dir.filePath(QStringLiteral("runs.csv"));
    monitor.exportCurves(csv);
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(csvFile.readAll()),
             QStringLiteral("run,epoch,loss,train_accuracy,validation_accuracy,seconds\n"
                            "a,1,1.5,0.4,0.5,2.000\n"
                            "a,2,1.25,0.5,0.625,2.000\n"
                            "b,1,1.5,0.4,0.5,2.000\n"
                            "b,2,1.25,0.5,0.625,2.000\n"
                            "b,3,1,0.75,0.75,2.000\n"));
    const QString png = dir.filePath(QStringLiteral("runs.png"));
    monitor.exportCurves(png);
    const QImage image(png);
    QCOMPARE(image.width(), 2 * plot->width());
    const QString svg = dir.filePath(QStringLiteral("runs.svg"));
    monitor.exportCurves(svg);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.startsWith("<?xml"));
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.contains("<polyline")); // the curves are vectors
    try {
        monitor.exportCurves(dir.filePath(QStringLiteral("runs.txt")));
        QFAIL("a .txt export was not refused");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("cannot export a plot as '%1': use .png, .svg or .pdf")
                                  .arg(dir.filePath(QStringLiteral("runs.txt"))));
    }
}

#include "tst_trainingmonitor.moc"
