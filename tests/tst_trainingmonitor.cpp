#include "SimTestData.h"
#include "TestUtils.h"
#include "TrainingMonitor.h"

#include <QApplication>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>

using namespace snn;
using namespace snn::test;
using snn::widgets::TrainingMonitor;

namespace {

std::shared_ptr<const sim::DataSplit> tinyData()
{
    return std::make_shared<const sim::DataSplit>(
        sim::DataSplit{toyData(96, 3, 4, 1), toyData(30, 3, 4, 2)});
}

sim::TrainOptions tinyOptions(int epochs)
{
    sim::TrainOptions o;
    o.epochs = epochs;
    o.steps = 8;
    o.batchSize = 16;
    o.learningRate = 5e-3f;
    return o;
}

} // namespace

class TestTrainingMonitor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainsAndEmitsTheGraph();
    void stopKeepsTheLastCompletedEpoch();
    void startWithoutDataFails();
};

void TestTrainingMonitor::trainsAndEmitsTheGraph()
{
    TrainingMonitor monitor;
    const Graph start = sim::initialGraph(16, {8, 3}, NeuronParams{}, 3);
    monitor.setGraph(start);
    monitor.setData(tinyData());
    monitor.setOptions(tinyOptions(2));
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
    // 96 samples / 16 per batch = 6 batches per epoch, 2 epochs.
    QCOMPARE(monitor.lossPoints(), 12);
    QCOMPARE(monitor.accuracyPoints(), 2);
    QCOMPARE(monitor.completedEpochs(), 2);
    QCOMPARE(monitor.progressBar()->value(), monitor.progressBar()->maximum());
    QVERIFY(!monitor.isRunning());
    QVERIFY(monitor.startButton()->isEnabled());
    QCOMPARE(running.count(), 2);
    QVERIFY2(monitor.statusLabel()->text().startsWith(QStringLiteral("Done: 2 epochs")),
             qPrintable(monitor.statusLabel()->text()));
}

void TestTrainingMonitor::stopKeepsTheLastCompletedEpoch()
{
    TrainingMonitor monitor;
    monitor.setGraph(sim::initialGraph(16, {8, 3}, NeuronParams{}, 3));
    monitor.setData(tinyData());
    monitor.setOptions(tinyOptions(1000));
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

SNN_WIDGET_TEST_MAIN(TestTrainingMonitor)
#include "tst_trainingmonitor.moc"
