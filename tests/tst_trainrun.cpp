#include "SimTestData.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "train/TrainRun.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::test;

class TestTrainRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void settingsRoundTrip();
    void badSettings_data();
    void badSettings();
    void applySplitsAndLimits();
    void runsAreKeptBesideTheModel();
    void checkpointRoundTrip();
};

namespace {

sim::TrainSettings unusualSettings()
{
    sim::TrainSettings s;
    s.options.epochs = 7;
    s.options.steps = 12;
    s.options.batchSize = 33;
    s.options.learningRate = 0.0025f;
    s.options.encoding = sim::Encoding::Rate;
    s.options.loss = sim::Loss::Membrane;
    s.options.seed = 18446744073709551615ULL; // beyond a double's integers: kept as text
    s.options.surrogateSlope = 2.5f;
    s.options.testLimit = 100;
    s.validationSize = 1000;
    s.trainLimit = 3000;
    s.hidden = {32, 16, 8};
    s.beta = 0.75f;
    return s;
}

} // namespace

void TestTrainRun::settingsRoundTrip()
{
    const sim::TrainSettings s = unusualSettings();
    QVERIFY(sim::TrainSettings::fromJson(s.toJson()) == s);
    QVERIFY(sim::TrainSettings::fromJson({}) == sim::TrainSettings{}); // defaults
    QCOMPARE(s.summary(), QStringLiteral("lr 0.0025, batch 33, T=12, rate, membrane, k=2.5, seed "
                                         "18446744073709551615, val 1000, limit 3000"));
    QCOMPARE(sim::TrainSettings{}.summary(),
             QStringLiteral("lr 0.001, batch 128, T=25, current, count, k=5, seed 1, val 5000"));
    sim::TrainSettings qat;
    qat.options.qatBits = 4;
    qat.options.qatClip = 99.5;
    QVERIFY(sim::TrainSettings::fromJson(qat.toJson()) == qat);
    QCOMPARE(qat.summary(), QStringLiteral("lr 0.001, batch 128, T=25, QAT 4-bit clip 99.5, count, "
                                           "k=5, seed 1, val 5000"));
}

void TestTrainRun::badSettings_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("type") << QStringLiteral(R"({"lr": "fast"})")
                          << QStringLiteral("training setting 'lr' is not a number");
    QTest::newRow("encoding")
        << QStringLiteral(R"({"encoding": "morse"})")
        << QStringLiteral("training setting 'encoding' takes rate or current, not 'morse'");
    QTest::newRow("batch") << QStringLiteral(R"({"batch": 0})")
                           << QStringLiteral("the batch size must be positive, not 0");
    QTest::newRow("val") << QStringLiteral(R"({"val_split": -5})")
                         << QStringLiteral("the validation split must be >= 0 samples, not -5");
    QTest::newRow("hidden") << QStringLiteral(R"({"hidden": [8, 0]})")
                            << QStringLiteral("hidden layer sizes must be positive, not 0");
    QTest::newRow("qat") << QStringLiteral(R"({"qat": 1})")
                         << QStringLiteral("quantisation-aware training takes 2 to 8 weight "
                                           "bits, not 1");
    QTest::newRow("seed") << QStringLiteral(R"({"seed": "-1"})")
                          << QStringLiteral("the seed '-1' is not a non-negative integer");
}

void TestTrainRun::badSettings()
{
    QFETCH(QString, json);
    QFETCH(QString, error);
    try {
        sim::TrainSettings::fromJson(QJsonDocument::fromJson(json.toUtf8()).object());
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(), error);
    }
}

void TestTrainRun::applySplitsAndLimits()
{
    sim::DataSplit all{toyData(100, 3, 4, 1), toyData(30, 3, 4, 2), std::nullopt,
                       QStringLiteral("toy")};
    sim::TrainSettings s;
    s.validationSize = 20;
    s.trainLimit = 50;
    const sim::DataSplit used = s.apply(all);
    QCOMPARE(used.train.size(), 50); // the first 50 of the 80 not held out
    QVERIFY(used.train.x == all.train.x.topRows(50));
    QCOMPARE(used.validation->size(), 20);
    QVERIFY(used.validation->x == all.train.x.bottomRows(20)); // the last 20, whatever the limit
    QVERIFY(used.test->x == all.test->x);
    QCOMPARE(sim::splitSummary(used),
             QStringLiteral("toy: training on 50 samples, validation on 20 (the last training "
                            "samples, never trained on), test 30 (reported only)"));
    s.trainLimit = 0;
    QCOMPARE(s.apply(all).train.size(), 80);
    s.validationSize = 100;
    QVERIFY_THROWS_EXCEPTION(Error, s.apply(all));
}

void TestTrainRun::runsAreKeptBesideTheModel()
{
    QTemporaryDir dir;
    const QString model = dir.filePath(QStringLiteral("m.h5"));
    QVERIFY(sim::loadRuns(model).empty());
    sim::TrainState state = sim::TrainState::start(sim::initialGraph(4, {3, 2}, {}, 1));
    for (int e = 1; e <= 2; ++e) {
        sim::TrainProgress p;
        p.epochEnd = true;
        p.epoch = e;
        p.loss = 1.0 / e;
        p.trainAccuracy = 0.5 + 0.1 * e;
        p.validationAccuracy = 0.25 * e;
        p.seconds = 1.5;
        state.history.push_back(p);
    }
    state.epoch = 2;
    state.bestEpoch = 2;
    sim::TrainRun first =
        sim::TrainRun::of(QStringLiteral("a"), QStringLiteral("toy"), unusualSettings(), state);
    QCOMPARE(first.seconds, 3.0);
    sim::saveRun(model, first);
    state.testAccuracy = 0.875;
    sim::saveRun(model, sim::TrainRun::of(QStringLiteral("b"), QStringLiteral("toy"), {}, state));
    // Saving a run again replaces it (a resumed run keeps its place).
    first.bestEpoch = 1;
    sim::saveRun(model, first);
    const std::vector<sim::TrainRun> runs = sim::loadRuns(model);
    QCOMPARE(int(runs.size()), 2);
    QCOMPARE(runs[0].id, QStringLiteral("a"));
    QCOMPARE(runs[0].bestEpoch, 1);
    QVERIFY(runs[0].settings == unusualSettings());
    QVERIFY(!runs[0].testAccuracy);
    QCOMPARE(runs[1].id, QStringLiteral("b"));
    QCOMPARE(*runs[1].testAccuracy, 0.875);
    QCOMPARE(int(runs[1].epochs.size()), 2);
    QCOMPARE(runs[1].epochs[1].loss, 0.5);
    QCOMPARE(*runs[1].epochs[1].validationAccuracy, 0.5);
    QCOMPARE(sim::runsCsv({runs[1]}),
             QStringLiteral("run,epoch,loss,train_accuracy,validation_accuracy,seconds\n"
                            "b,1,1,0.6,0.25,1.500\n"
                            "b,2,0.5,0.7,0.5,1.500\n"));

    QFile bad(sim::runsPath(model));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"runs\": []}");
    bad.close();
    try {
        sim::loadRuns(model);
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("%1: not a runs file (no format 'snn-studio-runs')")
                                  .arg(sim::runsPath(model)));
    }
}

void TestTrainRun::checkpointRoundTrip()
{
    const sim::DataSplit split{toyData(40, 3, 4, 1), toyData(10, 3, 4, 2), toyData(12, 3, 4, 3),
                               QStringLiteral("toy")};
    sim::TrainState state = sim::TrainState::start(sim::initialGraph(16, {8, 3}, {}, 7));
    sim::TrainSettings settings = unusualSettings();
    settings.options.epochs = 2;
    settings.options.batchSize = 16;
    sim::train(state, split, settings.options);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.h5"));
    sim::saveCheckpoint(path, state, settings, QStringLiteral("run-1"));
    const sim::Checkpoint back = sim::loadCheckpoint(path);
    QCOMPARE(back.runId, QStringLiteral("run-1"));
    QVERIFY(back.settings == settings);
    QCOMPARE(back.state.epoch, 2);
    QCOMPARE(back.state.bestEpoch, state.bestEpoch);
    QCOMPARE(back.state.adamStep, state.adamStep);
    QCOMPARE(back.state.mW[1], state.mW[1]);
    QCOMPARE(back.state.vB[0], state.vB[0]);
    // The last epoch's weights and the best graph both come from the checkpoint.
    QCOMPARE(back.state.graph.layers()[0].weights, state.graph.layers()[0].weights);
    QCOMPARE(back.state.best.layers()[0].weights, state.best.layers()[0].weights);
    QCOMPARE(int(back.state.history.size()), 2);
    QCOMPARE(back.state.history[1].loss, state.history[1].loss);
    QCOMPARE(*back.state.history[1].validationAccuracy, *state.history[1].validationAccuracy);
    // A checkpoint whose best graph is another graph's is refused, naming the file.
    sim::TrainState mismatched = state;
    mismatched.best = sim::initialGraph(16, {9, 3}, {}, 7);
    sim::saveCheckpoint(path, mismatched, settings, QStringLiteral("run-1"));
    try {
        sim::loadCheckpoint(path);
        QFAIL("no error");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("%1: the checkpoint of layer 'hidden1' does not match its shape")
                     .arg(path));
    }
}

QTEST_GUILESS_MAIN(TestTrainRun)
#include "tst_trainrun.moc"
