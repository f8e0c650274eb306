// The snnc commands of simulation and training, run as a user runs them.

#include "GraphEquality.h"
#include "SimTestData.h"
#include "TestUtils.h"
#include "base/RunControl.h"
#include "eval/Accuracy.h"
#include "hw/Quantizer.h"
#include "io/GraphFile.h"
#include "sim/Dataset.h"
#include "sim/SpikeMonitor.h"
#include "train/TrainRun.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::test;

class TestSimCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trainEvalRatesOptimize();
    void resumeContinues();
    void resumeAfterAPartialSave();
    void outputsCheckedBeforeTraining();
    void finetuneQuantisationAware();
    void badInput_data();
    void badInput();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
};

void TestSimCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    writeIdxPair(toyData(160, 3, 4, 1), 4, path(QStringLiteral("train-images-idx3-ubyte")),
                 path(QStringLiteral("train-labels-idx1-ubyte")), false);
    writeIdxPair(toyData(40, 3, 4, 2), 4, path(QStringLiteral("t10k-images-idx3-ubyte.gz")),
                 path(QStringLiteral("t10k-labels-idx1-ubyte.gz")), true);
}

void TestSimCli::trainEvalRatesOptimize()
{
    const QString model = path(QStringLiteral("m.h5"));
    SnncRun r = runSnnc({QStringLiteral("train"), QStringLiteral("--data"), m_dir.path(),
                         QStringLiteral("--epochs"), QStringLiteral("3"), QStringLiteral("--steps"),
                         QStringLiteral("10"), QStringLiteral("--hidden"), QStringLiteral("12"),
                         QStringLiteral("--batch"), QStringLiteral("16"), QStringLiteral("--lr"),
                         QStringLiteral("0.005"), QStringLiteral("--val-split"),
                         QStringLiteral("40"), QStringLiteral("-o"), model});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QStringLiteral("trained 3 epochs")), qPrintable(r.out));
    QVERIFY(r.err.contains(QStringLiteral("epoch 3/3: loss")));
    // The split sizes come first; the kept graph is rated on the held-out samples.
    const QString dataName = QFileInfo(m_dir.path()).fileName();
    QVERIFY2(r.err.startsWith(QStringLiteral("%1: training on 120 samples, validation on 40 (the "
                                             "last training samples, never trained on), test 40 "
                                             "(reported only)\n")
                                  .arg(dataName)),
             qPrintable(r.err));
    QVERIFY(r.out.contains(
        QStringLiteral("(reported only)\nwrote %1, %1.state and %1.runs.json").arg(model)));
    const Graph g = loadGraph(model);
    QCOMPARE(g.layers()[0].ratesSource,
             QStringLiteral("measured: %1, validation, 40 samples, current, T=10").arg(dataName));
    const std::vector<sim::TrainRun> runs = sim::loadRuns(model);
    QCOMPARE(int(runs.size()), 1);
    QCOMPARE(int(runs[0].epochs.size()), 3);
    QCOMPARE(runs[0].settings.validationSize, 40);
    QVERIFY(runs[0].testAccuracy);
    QCOMPARE(g.inputSize(), 16);
    QCOMPARE(g.layers()[0].neurons(), 12);
    QCOMPARE(g.layers()[1].neurons(), 3);
    QVERIFY(QFileInfo::exists(model + QStringLiteral(".state")));

    r = runSnnc({QStringLiteral("eval"), model, QStringLiteral("--data"), m_dir.path(),
                 QStringLiteral("--steps"), QStringLiteral("10"), QStringLiteral("--json")});
    QCOMPARE(r.code, 0);
    const QJsonObject eval = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(eval[QStringLiteral("samples")].toInt(), 40);
    QVERIFY2(eval[QStringLiteral("accuracy")].toDouble() >= 0.8, qPrintable(r.out));

    // The bit-accurate hardware model beside the float model, on the hardware's input spikes.
    r = runSnnc({QStringLiteral("eval"), model, QStringLiteral("--data"), m_dir.path(),
                 QStringLiteral("--steps"), QStringLiteral("10"), QStringLiteral("--quantized"),
                 QStringLiteral("8,2"), QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject quantized = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const sim::Dataset test = sim::loadEvaluationSet(m_dir.path());
    hw::QuantConfig config;
    config.steps = 10;
    const eval::AccuracyComparison expected =
        eval::compareAccuracy(g, config, test.x, test.y, {8, 2}, {});
    QCOMPARE(quantized[QStringLiteral("samples")].toInt(), 40);
    QCOMPARE(quantized[QStringLiteral("float_accuracy")].toDouble(), expected.floatAccuracy);
    const QJsonArray widths = quantized[QStringLiteral("quantized")].toArray();
    QCOMPARE(widths.size(), 2);
    QCOMPARE(widths[0][QStringLiteral("weight_bits")].toInt(), 8);
    QCOMPARE(widths[0][QStringLiteral("accuracy")].toDouble(), expected.quantized[0].accuracy);
    QCOMPARE(widths[1][QStringLiteral("accuracy")].toDouble(), expected.quantized[1].accuracy);
    QVERIFY2(expected.quantized[0].accuracy >= 0.8, qPrintable(r.out));

    // Rates on the held-out validation samples (the last 40 training samples), and on the
    // training samples before them; the file records where its rates come from.
    const QString rated = path(QStringLiteral("rated.h5"));
    for (const auto &[split, samples] :
         {std::pair{QStringLiteral("train"), 120}, std::pair{QStringLiteral("validation"), 40}}) {
        r = runSnnc({QStringLiteral("rates"), model, QStringLiteral("--data"), m_dir.path(),
                     QStringLiteral("--split"), split, QStringLiteral("--val-split"),
                     QStringLiteral("40"), QStringLiteral("--steps"), QStringLiteral("10"),
                     QStringLiteral("-o"), rated});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(
            r.out.startsWith(QStringLiteral("%1 samples of train-images-idx3-ubyte").arg(samples)),
            qPrintable(r.out));
        const QString source = QStringLiteral("measured: %1, %2, %3 samples, rate, T=10")
                                   .arg(dataName, split)
                                   .arg(samples);
        QVERIFY2(r.out.contains(QStringLiteral("rates_source: %1\n").arg(source)),
                 qPrintable(r.out));
        const Graph ratedGraph = loadGraph(rated);
        for (const Layer &l : ratedGraph.layers()) {
            QVERIFY(l.hasRates());
            QCOMPARE(l.ratesSource, source);
        }
    }
    // The validation samples are exactly the last 40 training samples: the same rates.
    const sim::Dataset train = sim::loadDataSplit(m_dir.path()).train;
    sim::Dataset last40;
    last40.name = train.name;
    last40.x = train.x.bottomRows(40);
    last40.y.assign(train.y.end() - 40, train.y.end());
    sim::SimOptions simOptions;
    simOptions.steps = 10;
    const sim::Activity expectedRates = sim::SpikeMonitor(simOptions).record(g, last40);
    QCOMPARE(loadGraph(rated).layers()[0].rates, expectedRates.rates[0]);

    r = runSnnc({QStringLiteral("optimize"), rated, QStringLiteral("--validate"), m_dir.path(),
                 QStringLiteral("--steps"), QStringLiteral("10"), QStringLiteral("--quantized"),
                 QStringLiteral("8,2"), QStringLiteral("--json"), QStringLiteral("-")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonObject accuracy = report[QStringLiteral("accuracy")].toObject();
    QCOMPARE(accuracy[QStringLiteral("samples")].toInt(), 40);
    QCOMPARE(accuracy[QStringLiteral("before")].toDouble(),
             eval[QStringLiteral("accuracy")].toDouble());
    QVERIFY(accuracy.contains(QStringLiteral("agreement")));
    // The FPGA core before the passes: the figures `eval --quantized` gave for the same model.
    const QJsonObject hardware = report[QStringLiteral("hardware_accuracy")].toObject();
    QCOMPARE(hardware[QStringLiteral("float_model")][QStringLiteral("before")].toDouble(),
             expected.floatAccuracy);
    const QJsonArray coreWidths = hardware[QStringLiteral("quantized")].toArray();
    QCOMPARE(coreWidths.size(), 2);
    QCOMPARE(coreWidths[1][QStringLiteral("weight_bits")].toInt(), 2);
    QCOMPARE(coreWidths[1][QStringLiteral("accuracy")][QStringLiteral("before")].toDouble(),
             expected.quantized[1].accuracy);
}

void TestSimCli::resumeContinues()
{
    const QString model = path(QStringLiteral("r.h5"));
    const QStringList common{QStringLiteral("train"), QStringLiteral("--data"), m_dir.path(),
                             QStringLiteral("-o"), model};
    const QStringList settings{QStringLiteral("--steps"),     QStringLiteral("8"),
                               QStringLiteral("--hidden"),    QStringLiteral("8"),
                               QStringLiteral("--val-split"), QStringLiteral("40")};
    SnncRun r =
        runSnnc(common + settings + QStringList{QStringLiteral("--epochs"), QStringLiteral("1")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // Resuming takes the run's own settings; changing one is refused.
    r = runSnnc(common + QStringList{QStringLiteral("--epochs"), QStringLiteral("2"),
                                     QStringLiteral("--resume"), QStringLiteral("--lr"),
                                     QStringLiteral("0.1")});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err, QStringLiteral("snnc: --resume continues with the run's own settings; --lr "
                                   "cannot change (only --epochs can)\n"));
    r = runSnnc(common + QStringList{QStringLiteral("--epochs"), QStringLiteral("2"),
                                     QStringLiteral("--resume")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("resuming")));
    QVERIFY(r.err.contains(QStringLiteral("epoch 2/2")));
    QVERIFY(!r.err.contains(QStringLiteral("epoch 1/2")));
    QVERIFY2(r.out.startsWith(QStringLiteral("trained 2 epochs")), qPrintable(r.out));
    // The same as two epochs in one go (settings from the checkpoint, T = 8, hidden 8).
    const QString straight = path(QStringLiteral("straight.h5"));
    r = runSnnc(QStringList{QStringLiteral("train"), QStringLiteral("--data"), m_dir.path(),
                            QStringLiteral("-o"), straight, QStringLiteral("--epochs"),
                            QStringLiteral("2")} +
                settings);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const Graph a = loadGraph(model), b = loadGraph(straight);
    QCOMPARE(a.layers()[0].weights, b.layers()[0].weights);
    QCOMPARE(a.layers()[1].weights, b.layers()[1].weights);
    QCOMPARE(a.layers()[0].rates, b.layers()[0].rates);
    // One run in the record, resumed in place.
    const std::vector<sim::TrainRun> runs = sim::loadRuns(model);
    QCOMPARE(int(runs.size()), 1);
    QCOMPARE(int(runs[0].epochs.size()), 2);
}

void TestSimCli::resumeAfterAPartialSave()
{
    // A run killed between the renames of its save (issue 29): the checkpoint is renamed first,
    // so it may stand with no model and no runs file beside it. --resume needs only it.
    const QString model = path(QStringLiteral("partial.h5"));
    const QStringList train{QStringLiteral("train"),
                            QStringLiteral("--data"),
                            m_dir.path(),
                            QStringLiteral("-o"),
                            model,
                            QStringLiteral("--steps"),
                            QStringLiteral("8"),
                            QStringLiteral("--hidden"),
                            QStringLiteral("8"),
                            QStringLiteral("--val-split"),
                            QStringLiteral("40")};
    SnncRun r = runSnnc(train + QStringList{QStringLiteral("--epochs"), QStringLiteral("1")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const Graph afterOne = loadGraph(model);
    QVERIFY(QFile::remove(model));
    QVERIFY(QFile::remove(sim::runsPath(model)));
    // Nothing left to train: the model and the run's record come back from the checkpoint.
    const QStringList resume{QStringLiteral("train"),
                             QStringLiteral("--data"),
                             m_dir.path(),
                             QStringLiteral("-o"),
                             model,
                             QStringLiteral("--resume")};
    r = runSnnc(resume + QStringList{QStringLiteral("--epochs"), QStringLiteral("1")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    SNN_COMPARE_GRAPHS(loadGraph(model), afterOne);
    QCOMPARE(int(sim::loadRuns(model).front().epochs.size()), 1);
    // Again without them, one more epoch: as two epochs in one go.
    QVERIFY(QFile::remove(model));
    QVERIFY(QFile::remove(sim::runsPath(model)));
    r = runSnnc(resume + QStringList{QStringLiteral("--epochs"), QStringLiteral("2")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("resuming %1 after epoch 1").arg(model)));
    const QString straight = path(QStringLiteral("partial-straight.h5"));
    r = runSnnc(QStringList(train).replaceInStrings(model, straight) +
                QStringList{QStringLiteral("--epochs"), QStringLiteral("2")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    SNN_COMPARE_GRAPHS(loadGraph(model), loadGraph(straight));
    const std::vector<sim::TrainRun> runs = sim::loadRuns(model);
    QCOMPARE(int(runs.size()), 1);
    QCOMPARE(int(runs[0].epochs.size()), 2);
}

void TestSimCli::outputsCheckedBeforeTraining()
{
    const QString model = path(QStringLiteral("checked.h5"));
    const QStringList train{QStringLiteral("train"),
                            QStringLiteral("--data"),
                            m_dir.path(),
                            QStringLiteral("-o"),
                            model,
                            QStringLiteral("--epochs"),
                            QStringLiteral("1"),
                            QStringLiteral("--val-split"),
                            QStringLiteral("40")};
    // Temporary files of killed saves of all three outputs (process 99999999 cannot exist) go
    // at the start, even of a run that is refused; one of a live process (this one) stays.
    const QStringList dead{model + QStringLiteral(".99999999-aB3xY9.tmp"),
                           sim::checkpointPath(model) + QStringLiteral(".99999999-aB3xY9.tmp"),
                           sim::runsPath(model) + QStringLiteral(".99999999-aB3xY9.tmp")};
    const QString live =
        model + QStringLiteral(".%1-aB3xY9.tmp").arg(QCoreApplication::applicationPid());
    for (const QString &file : dead + QStringList{live})
        writeFile(file, QByteArray("half a save"));
    QFile runs(sim::runsPath(model));
    QVERIFY(runs.open(QIODevice::WriteOnly));
    runs.write("{\"format\": \"snn-studio-runs\", \"runs\": [");
    runs.close();
    // A runs file that cannot take the run's record is refused before anything is trained.
    SnncRun r = runSnnc(train);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith(QStringLiteral("snnc: %1: not JSON (").arg(sim::runsPath(model))),
             qPrintable(r.err));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    QVERIFY(!QFile::exists(model));
    QVERIFY(!QFile::exists(sim::checkpointPath(model)));
    for (const QString &file : dead)
        QVERIFY2(!QFile::exists(file), qPrintable(file));
    QVERIFY(QFile::exists(live));
    QVERIFY(QFile::remove(sim::runsPath(model)));
    r = runSnnc(train);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(int(sim::loadRuns(model).size()), 1);
}

void TestSimCli::finetuneQuantisationAware()
{
    // A float model, then fine-tuned with the hardware's 4-bit arithmetic in the forward pass:
    // the result is on the 4-bit grid, and the test accuracy it reports is the bit-accurate
    // model's, as snnc eval --quantized 4 gives it.
    const QString model = path(QStringLiteral("f.h5"));
    const QString tuned = path(QStringLiteral("f-qat4.h5"));
    SnncRun r =
        runSnnc({QStringLiteral("train"), QStringLiteral("--data"), m_dir.path(),
                 QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--steps"),
                 QStringLiteral("10"), QStringLiteral("--hidden"), QStringLiteral("12"),
                 QStringLiteral("--val-split"), QStringLiteral("40"), QStringLiteral("-o"), model});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = runSnnc({QStringLiteral("finetune"), model, QStringLiteral("--data"), m_dir.path(),
                 QStringLiteral("--qat"), QStringLiteral("4"), QStringLiteral("--epochs"),
                 QStringLiteral("2"), QStringLiteral("--steps"), QStringLiteral("10"),
                 QStringLiteral("--val-split"), QStringLiteral("40"), QStringLiteral("-o"), tuned});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QStringLiteral("trained 2 epochs")), qPrintable(r.out));
    const Graph g = loadGraph(tuned);
    QCOMPARE(g.layers()[0].neurons(), 12);
    hw::QuantConfig config;
    config.steps = 10;
    config.weightBits = 4;
    const hw::QuantizedNetwork net = hw::quantize(g, config);
    for (std::size_t k = 0; k < net.layers.size(); ++k)
        for (int n = 0; n < net.layers[k].neurons; ++n)
            for (int j = 0; j < net.layers[k].inputs; ++j)
                QCOMPARE(g.layers()[k].weights(n, j),
                         float(net.layers[k].weight(n, j) / net.layers[k].scale));
    QCOMPARE(g.layers()[0].ratesSource,
             QStringLiteral("measured: %1, validation, 40 samples, rate, T=10")
                 .arg(QFileInfo(m_dir.path()).fileName()));
    const std::vector<sim::TrainRun> runs = sim::loadRuns(tuned);
    QCOMPARE(int(runs.size()), 1);
    QCOMPARE(runs[0].settings.options.qatBits, 4);
    QVERIFY(runs[0].settings.summary().contains(QStringLiteral("QAT 4-bit")));
    r = runSnnc({QStringLiteral("eval"), tuned, QStringLiteral("--data"), m_dir.path(),
                 QStringLiteral("--steps"), QStringLiteral("10"), QStringLiteral("--quantized"),
                 QStringLiteral("4"), QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject eval = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(eval[QStringLiteral("quantized")].toArray()[0][QStringLiteral("accuracy")].toDouble(),
             *runs[0].testAccuracy);
}

void TestSimCli::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error");
    QTest::newRow("no data") << QStringList{QStringLiteral("eval"), QStringLiteral("x.h5")}
                             << QStringLiteral("snnc: --data is required");
    QTest::newRow("missing data") << QStringList{QStringLiteral("train"), QStringLiteral("--data"),
                                                 QStringLiteral("/nonexistent"),
                                                 QStringLiteral("-o"), QStringLiteral("o.h5")}
                                  << QStringLiteral(
                                         "snnc: /nonexistent: no such file or directory");
    QTest::newRow("encoding") << QStringList{QStringLiteral("rates"),      QStringLiteral("x.h5"),
                                             QStringLiteral("--data"),     QStringLiteral("d"),
                                             QStringLiteral("--encoding"), QStringLiteral("morse")}
                              << QStringLiteral(
                                     "snnc: --encoding takes rate or current, not 'morse'");
    QTest::newRow("steps") << QStringList{QStringLiteral("eval"),    QStringLiteral("x.h5"),
                                          QStringLiteral("--data"),  QStringLiteral("d"),
                                          QStringLiteral("--steps"), QStringLiteral("0")}
                           << QStringLiteral(
                                  "snnc: the number of time steps must lie in [1, 100000], not 0");
    QTest::newRow("quantized") << QStringList{QStringLiteral("eval"),        QStringLiteral("x.h5"),
                                              QStringLiteral("--data"),      QStringLiteral("d"),
                                              QStringLiteral("--quantized"), QStringLiteral("8,9")}
                               << QStringLiteral(
                                      "snnc: --quantized takes weight widths from 2 to 8, not '9'");
    QTest::newRow("quantized without data")
        << QStringList{QStringLiteral("optimize"), QStringLiteral("x.h5"),
                       QStringLiteral("--quantized"), QStringLiteral("8")}
        << QStringLiteral("snnc: --quantized needs --validate DATA");
    QTest::newRow("hardware steps")
        << QStringList{QStringLiteral("optimize"),    QStringLiteral("x.h5"),
                       QStringLiteral("--validate"),  QStringLiteral("d"),
                       QStringLiteral("--quantized"), QStringLiteral("8"),
                       QStringLiteral("--steps"),     QStringLiteral("300")}
        << QStringLiteral("snnc: time steps must be 1 to 255, got 300");
    QTest::newRow("qat bits") << QStringList{QStringLiteral("finetune"), QStringLiteral("MODEL"),
                                             QStringLiteral("--data"),   QStringLiteral("DATA"),
                                             QStringLiteral("--qat"),    QStringLiteral("9"),
                                             QStringLiteral("-o"),       QStringLiteral("o.h5")}
                              << QStringLiteral("snnc: quantisation-aware training takes 2 to 8 "
                                                "weight bits, not 9");
    QTest::newRow("qat encoding")
        << QStringList{QStringLiteral("train"), QStringLiteral("--data"),
                       QStringLiteral("DATA"),  QStringLiteral("--qat"),
                       QStringLiteral("4"),     QStringLiteral("--encoding"),
                       QStringLiteral("rate"),  QStringLiteral("-o"),
                       QStringLiteral("o.h5")}
        << QStringLiteral("snnc: --qat trains on the hardware's input spikes; --encoding does "
                          "not apply");
    QTest::newRow("qat clip") << QStringList{QStringLiteral("finetune"),   QStringLiteral("MODEL"),
                                             QStringLiteral("--data"),     QStringLiteral("DATA"),
                                             QStringLiteral("--qat-clip"), QStringLiteral("99"),
                                             QStringLiteral("-o"),         QStringLiteral("o.h5")}
                              << QStringLiteral("snnc: --qat-clip needs --qat BITS");
    QTest::newRow("qat clip range")
        << QStringList{QStringLiteral("finetune"),   QStringLiteral("MODEL"),
                       QStringLiteral("--data"),     QStringLiteral("DATA"),
                       QStringLiteral("--qat"),      QStringLiteral("4"),
                       QStringLiteral("--qat-clip"), QStringLiteral("20"),
                       QStringLiteral("-o"),         QStringLiteral("o.h5")}
        << QStringLiteral("snnc: the clipping percentile must be 50 to 100, got 20");
    QTest::newRow("split") << QStringList{QStringLiteral("rates"),   QStringLiteral("x.h5"),
                                          QStringLiteral("--data"),  QStringLiteral("d"),
                                          QStringLiteral("--split"), QStringLiteral("dev")}
                           << QStringLiteral(
                                  "snnc: --split takes test, validation or train, not 'dev'");
    QTest::newRow("no validation")
        << QStringList{QStringLiteral("eval"),        QStringLiteral("x.h5"),
                       QStringLiteral("--data"),      QStringLiteral("d"),
                       QStringLiteral("--split"),     QStringLiteral("validation"),
                       QStringLiteral("--val-split"), QStringLiteral("0")}
        << QStringLiteral("snnc: --split validation needs --val-split N > 0");
    QTest::newRow("validation too large")
        << QStringList{QStringLiteral("rates"),       QStringLiteral("MODEL"),
                       QStringLiteral("--data"),      QStringLiteral("DATA"),
                       QStringLiteral("--split"),     QStringLiteral("validation"),
                       QStringLiteral("--val-split"), QStringLiteral("160")}
        << QStringLiteral("snnc: a validation split of 160 samples leaves none of the 160 "
                          "training samples to train on");
}

void TestSimCli::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    arguments.replaceInStrings(QStringLiteral("DATA"), m_dir.path());
    const QString model = path(QStringLiteral("bad-input.h5"));
    saveGraph(sim::initialGraph(16, {4, 3}, {}, 1), model);
    arguments.replaceInStrings(QStringLiteral("MODEL"), model);
    const SnncRun r = runSnnc(arguments);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith(error), qPrintable(r.err));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
}

QTEST_GUILESS_MAIN(TestSimCli)
#include "tst_simcli.moc"
