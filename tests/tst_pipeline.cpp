// flow::Pipeline without widgets: the stages on small graphs and data, their results as values,
// stop and cancel, refusals, a failing tool's message, skipped stages, and a real build into an
// output folder.

#include "GraphEquality.h"
#include "SimTestData.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "flow/Pipeline.h"
#include "io/GraphFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::flow;

namespace {

using Stage = Pipeline::Stage;
using State = Pipeline::State;

// 90 training and 30 test samples of 9 features in 3 classes.
std::shared_ptr<const sim::DataSplit> toySplit()
{
    auto split = std::make_shared<sim::DataSplit>();
    split->train = test::toyData(90, 3, 3, 11);
    split->test = test::toyData(30, 3, 3, 12);
    split->label = QStringLiteral("toy");
    return split;
}

// A 9-8-3 network without measured rates (untrained).
Graph untrained()
{
    return test::randomChain(5, {9, 8, 3}, 1.0, 0.2);
}

// The same with measured rates (trained), neuron 0 of the hidden layer silent.
Graph trained()
{
    Graph g = untrained();
    for (const Layer &l : g.layers()) {
        Layer &layer = g.layer(l.id);
        layer.rates = Eigen::VectorXf::Constant(l.neurons(), 0.2f);
        layer.ratesSource = QStringLiteral("measured: elsewhere");
    }
    g.layer(g.layers().front().id).rates[0] = 0.0f;
    return g;
}

PipelineSettings tinySettings()
{
    PipelineSettings s;
    s.train.options.epochs = 1;
    s.train.options.steps = 5;
    s.train.options.batchSize = 8;
    s.train.options.learningRate = 0.05f;
    s.train.validationSize = 10;
    s.build = false;
    return s;
}

QStringList states(const Pipeline &p)
{
    QStringList list;
    for (int s = 0; s < Pipeline::StageCount; ++s)
        list << Pipeline::stateName(p.status(Stage(s)).state);
    return list;
}

// Runs what `start` starts and waits for finished(); returns its arguments.
QList<QVariant> runAndWait(Pipeline &p, const std::function<void()> &start, int ms = 60000)
{
    QSignalSpy finished(&p, &Pipeline::finished);
    start();
    if (finished.isEmpty() && !finished.wait(ms))
        return {};
    return finished.front();
}

// A pipeline on the trained graph whose Build writes into `out`, with the build steps begun and
// the synthesis reports it sent.
struct BuildRun {
    explicit BuildRun(const QString &out)
    {
        p.setGraph(trained());
        PipelineSettings s = tinySettings();
        s.build = true;
        s.outputDirectory = out;
        p.setSettings(s);
        QObject::connect(&p, &Pipeline::buildStepStarted, &p, [this](int step) { steps << step; });
    }
    Pipeline p;
    QList<int> steps;
    QSignalSpy synthesised{&p, &Pipeline::synthesised};
};

bool toolsInstalled()
{
    for (const char *tool : {"yosys", "nextpnr-ice40", "icepack", "iverilog"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            return false;
    return true;
}

} // namespace

class TestPipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chainRunsEveryStage();
    void fineTuneTrainsThroughTheCore();
    void refusesWithOneLine_data();
    void refusesWithOneLine();
    void stopDuringRatesEndsAtOnce();
    void stopDuringTrainingKeepsTheEpochs();
    void cancelDropsTheRunSilently();
    void stagesAloneKeepEarlierResults();
    void failingToolGivesItsMessage();
    void buildWritesTheOutputs();
    void stageFunctionsWorkAlone();
};

// An untrained graph: trained first, measured on the validation split, the passes with accuracy;
// the fine-tune and Build not asked for.
void TestPipeline::chainRunsEveryStage()
{
    const auto data = toySplit();
    Pipeline p;
    p.setGraph(untrained());
    p.setData(data);
    p.setSettings(tinySettings());
    QSignalSpy running(&p, &Pipeline::runningChanged);
    QList<int> began;
    connect(&p, &Pipeline::stageChanged, this, [&](int stage) {
        if (p.status(Stage(stage)).state == State::Running)
            began << stage;
    });
    const QList<QVariant> finished = runAndWait(p, [&] { p.start(); });
    QCOMPARE(finished.size(), 2);
    const QString summary = finished.at(1).toString();
    QVERIFY2(finished.at(0).toBool(), qPrintable(summary));
    QCOMPARE(running.size(), 2);
    QCOMPARE(began, (QList<int>{Pipeline::Train, Pipeline::Rates, Pipeline::Passes}));
    QCOMPARE(states(p), (QStringList{"done", "done", "done", "not run", "not run"}));
    QVERIFY(p.succeeded());
    QVERIFY(p.isChain());

    // Training: one epoch, its best graph went on.
    QVERIFY(p.trained());
    QCOMPARE(p.trained()->state.epoch, 1);
    QCOMPARE(p.status(Pipeline::Train).result, trainedText(p.trained()->state));
    QVERIFY(p.status(Pipeline::Train)
                .result.startsWith(QStringLiteral("1 epoch, kept epoch 1, validation accuracy ")));
    // Rates: every neuron on the validation set (no split held out: the last 5,000 training
    // samples, here all 90), the same as the SpikeMonitor gives the trained graph.
    QVERIFY(p.measured());
    Graph expected = p.trained()->state.best;
    const sim::Activity a = sim::SpikeMonitor().measure(
        expected, data->train, QStringLiteral("toy"), sim::kValidationSplit);
    QCOMPARE(p.measured()->activity.samples, 90);
    QCOMPARE(p.measured()->activity.accuracy, a.accuracy);
    SNN_COMPARE_GRAPHS(p.measured()->graph, expected);
    QVERIFY(p.measured()->graph.layers().front().ratesSource.startsWith(
        QStringLiteral("measured: toy, validation, 90 samples")));
    QCOMPARE(p.status(Pipeline::Rates).result, measuredText(a));
    // Passes: optimize() on the measured graph with accuracy on the test split and the FPGA core
    // at the weight bits settled for the board.
    const int bits =
        settle(p.measured()->graph, PipelineSettings::automaticHardware()).options.quant.weightBits;
    QCOMPARE(p.passesOptions().hardwareBits, std::vector<int>{bits});
    QCOMPARE(p.passesOptions().validation->data.size(), 30);
    const OptimizeResult direct =
        optimize(p.measured()->graph, availablePasses(), p.passesOptions());
    QVERIFY(p.passes());
    QCOMPARE(p.passes()->report.after, direct.report.after);
    QVERIFY(p.passes()->report.accuracy);
    QCOMPARE(p.passes()->report.accuracy->after, direct.report.accuracy->after);
    SNN_COMPARE_GRAPHS(p.passes()->graph, direct.graph);
    SNN_COMPARE_GRAPHS(*p.passesInput(), p.measured()->graph);
    QCOMPARE(p.status(Pipeline::Passes).result, passesText(direct.report));
    QCOMPARE(p.optimized(), p.passes());
    SNN_COMPARE_GRAPHS(p.graph(), direct.graph);
    // Skipped, saying why.
    QCOMPARE(p.status(Pipeline::FineTune).result, QStringLiteral("not asked"));
    QCOMPARE(p.status(Pipeline::Build).result, QStringLiteral("not asked"));
    QVERIFY(!p.built());
    QVERIFY(summary.startsWith(QStringLiteral("Pipeline: Training: 1 epoch, kept epoch 1")));
    QVERIFY(summary.contains(QStringLiteral("; Firing rates: 90 validation samples")));
    QVERIFY(!summary.contains(QStringLiteral("Fine-tune")));
    QCOMPARE(summary, p.summary());
}

// A trained graph is not trained again; the fine-tune trains the passes' result through the core
// at the bits the passes measured it at, and becomes optimized().
void TestPipeline::fineTuneTrainsThroughTheCore()
{
    Pipeline p;
    p.setGraph(trained());
    p.setData(toySplit());
    PipelineSettings s = tinySettings();
    s.fineTuneEpochs = 1;
    p.setSettings(s);
    const QList<QVariant> finished = runAndWait(p, [&] { p.start(); });
    QVERIFY2(finished.value(0).toBool(), qPrintable(finished.value(1).toString()));
    QCOMPARE(states(p), (QStringList{"not run", "done", "done", "done", "not run"}));
    QCOMPARE(p.status(Pipeline::Train).result, QStringLiteral("a trained graph (measured rates)"));
    QVERIFY(!p.trained());
    const int bits = p.passesOptions().hardware.weightBits;
    QVERIFY(p.fineTuned());
    QCOMPARE(p.fineTuned()->bits, bits);
    QCOMPARE(p.fineTuned()->state.epoch, 1);
    const auto tuned = p.optimized();
    QVERIFY(tuned && tuned != p.passes());
    QCOMPARE(tuned->report.retraining,
             QStringLiteral("fine-tuned 1 epoch through the %1-bit core").arg(bits));
    QCOMPARE(tuned->report.after, p.passes()->report.after);
    QVERIFY2(tuned->report.hardware, qPrintable(tuned->report.hardwareNotMeasured));
    QCOMPARE(tuned->report.hardware->quantized.front().weightBits, bits);
    QVERIFY(tuned->graph.layers().back().weights != p.passes()->graph.layers().back().weights);
    const QString result = p.status(Pipeline::FineTune).result;
    QVERIFY2(result.startsWith(QStringLiteral("1 epoch, kept epoch 1")), qPrintable(result));
    QVERIFY(result.contains(QStringLiteral("; %1-bit core accuracy ").arg(bits)));
    QCOMPARE(result, fineTunedText(*p.fineTuned(), p.passes()->report));
    SNN_COMPARE_GRAPHS(p.graph(), tuned->graph);
}

void TestPipeline::refusesWithOneLine_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("no data") << 0
                             << QStringLiteral("no data set: the rates and accuracy are measured "
                                               "on it");
    QTest::newRow("no layers") << 1 << QStringLiteral("the graph has no layers");
    QTest::newRow("unknown pass")
        << 2
        << QStringLiteral("unknown pass 'fold' (valid passes: dead_neuron_elimination, "
                          "redundancy_elimination, layer_fusion, neuron_pruning)");
    QTest::newRow("unknown board") << 3 << QStringLiteral("unknown board 'icestorm'");
    QTest::newRow("negative fine-tune")
        << 4 << QStringLiteral("the fine-tune takes 0 or more epochs, not -1");
    QTest::newRow("no hardware folder")
        << 5 << QStringLiteral("Build needs a folder for the hardware design");
    QTest::newRow("bad threshold")
        << 6 << QStringLiteral("the similarity must be in (0, 1], not 2");
    QTest::newRow("data that do not fit")
        << 7
        << QStringLiteral("the data set's samples have 9 features, the network takes 4 inputs");
}

void TestPipeline::refusesWithOneLine()
{
    QFETCH(int, kind);
    QFETCH(QString, message);
    Pipeline p;
    p.setGraph(kind == 1   ? Graph(9)
               : kind == 7 ? test::randomChain(5, {4, 8, 3}, 1.0, 0.2)
                           : untrained());
    if (kind != 0)
        p.setData(toySplit());
    PipelineSettings s = tinySettings();
    s.build = kind == 3 || kind == 5;
    s.hardwareDirectory = kind == 5 ? QString() : QStringLiteral("/tmp/unused");
    if (kind == 2)
        s.passes = QStringList{passes::kDeadNeuronElimination, QStringLiteral("fold")};
    if (kind == 3)
        s.hardware.board = QStringLiteral("icestorm");
    if (kind == 4)
        s.fineTuneEpochs = -1;
    if (kind == 6)
        s.optimize.similarity = 2.0f;
    p.setSettings(s);
    try {
        p.check();
        QFAIL("check() passed");
    } catch (const Error &e) {
        QVERIFY2(e.message().startsWith(message), qPrintable(e.message()));
    }
    QSignalSpy running(&p, &Pipeline::runningChanged);
    QSignalSpy finished(&p, &Pipeline::finished);
    p.start();
    QCOMPARE(finished.size(), 1); // at once
    QCOMPARE(finished.front().at(0).toBool(), false);
    QVERIFY2(finished.front().at(1).toString().startsWith(QStringLiteral("Pipeline not started: ") +
                                                          message),
             qPrintable(finished.front().at(1).toString()));
    QVERIFY(!p.isRunning());
    QVERIFY(running.isEmpty());
    QCOMPARE(states(p), QStringList(Pipeline::StageCount, QStringLiteral("waiting")));
}

// Stopped while measuring the rates: it ends at once, nothing is measured, the later stages do
// not run; a running run refuses a second start.
void TestPipeline::stopDuringRatesEndsAtOnce()
{
    Pipeline p;
    const Graph g = untrained();
    p.setGraph(g);
    p.setData(toySplit());
    PipelineSettings s = tinySettings();
    s.training = Training::Never;
    p.setSettings(s);
    QSignalSpy finished(&p, &Pipeline::finished);
    p.start();
    QVERIFY(p.isRunning());
    QCOMPARE(p.runningStage(), int(Pipeline::Rates));
    p.startStages(Pipeline::Passes, Pipeline::Passes);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.back().at(1).toString(),
             QStringLiteral("Pipeline not started: a run is under way (stop it first)"));
    QVERIFY(p.isRunning());
    p.stop();
    QCOMPARE(finished.size(), 2);
    QCOMPARE(finished.back().at(0).toBool(), false);
    QVERIFY(!p.isRunning());
    QCOMPARE(states(p), (QStringList{"not run", "stopped", "not run", "not run", "not run"}));
    QCOMPARE(p.status(Pipeline::Train).result, QStringLiteral("not asked"));
    QVERIFY(!p.succeeded());
    QTest::qWait(300); // whatever the job still returns is dropped
    QCOMPARE(finished.size(), 2);
    QVERIFY(!p.measured());
    SNN_COMPARE_GRAPHS(p.graph(), g);
}

// Stopped while training (until stopped): the epochs completed are kept and go on as the graph;
// the run ends once the training has returned them.
void TestPipeline::stopDuringTrainingKeepsTheEpochs()
{
    Pipeline p;
    p.setGraph(untrained());
    p.setData(toySplit());
    PipelineSettings s = tinySettings();
    s.train.options.epochs = 100000;
    s.training = Training::Always;
    p.setSettings(s);
    QSignalSpy finished(&p, &Pipeline::finished);
    p.start();
    const auto progress = [&] { return p.status(Pipeline::Train).result; };
    QTRY_VERIFY_WITH_TIMEOUT(progress().startsWith(QStringLiteral("epoch ")) &&
                                 !progress().startsWith(QStringLiteral("epoch 1/")),
                             20000);
    QVERIFY2(progress().contains(QStringLiteral("/100000, batch ")), qPrintable(progress()));
    p.stop();
    QCOMPARE(progress(), QStringLiteral("stopping after the running batch..."));
    QVERIFY(finished.isEmpty());
    QVERIFY(finished.wait(20000));
    QCOMPARE(states(p), (QStringList{"stopped", "not run", "not run", "not run", "not run"}));
    QVERIFY(p.trained());
    QVERIFY(p.trained()->stopped);
    QVERIFY(p.trained()->state.epoch >= 1);
    QCOMPARE(p.status(Pipeline::Train).result, trainedText(p.trained()->state));
    SNN_COMPARE_GRAPHS(p.graph(), p.trained()->state.best);
}

// cancel() drops the run: runningChanged(false) and nothing else; the next run starts.
void TestPipeline::cancelDropsTheRunSilently()
{
    Pipeline p;
    p.setGraph(trained());
    p.setSettings(tinySettings());
    QSignalSpy running(&p, &Pipeline::runningChanged);
    QSignalSpy finished(&p, &Pipeline::finished);
    QSignalSpy stages(&p, &Pipeline::stageChanged);
    p.startStages(Pipeline::Passes, Pipeline::Passes);
    QVERIFY(p.isRunning());
    const int changes = stages.size();
    p.cancel();
    QVERIFY(!p.isRunning());
    QCOMPARE(running.size(), 2);
    QCOMPARE(running.back().at(0).toBool(), false);
    QTest::qWait(300);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(stages.size(), changes);
    QVERIFY(!p.passes());
    const QList<QVariant> again =
        runAndWait(p, [&] { p.startStages(Pipeline::Passes, Pipeline::Passes); });
    QVERIFY(again.value(0).toBool());
    QVERIFY(p.passes());
}

// A run of some stages only: the others say so; what earlier runs made before its first stage is
// kept, what it makes again is replaced; without data the passes run without accuracy.
void TestPipeline::stagesAloneKeepEarlierResults()
{
    Pipeline p;
    p.setGraph(untrained());
    p.setData(toySplit());
    p.setSettings(tinySettings());
    QVERIFY(runAndWait(p, [&] { p.start(); }).value(0).toBool());
    const auto first = p.passes();
    QVERIFY(first && first->report.accuracy);

    p.setGraph(trained());
    p.setData(nullptr);
    const QList<QVariant> finished =
        runAndWait(p, [&] { p.startStages(Pipeline::Passes, Pipeline::Passes); });
    QVERIFY2(finished.value(0).toBool(), qPrintable(finished.value(1).toString()));
    QVERIFY(!p.isChain());
    QCOMPARE(states(p), (QStringList{"not run", "not run", "done", "not run", "not run"}));
    QCOMPARE(p.status(Pipeline::Rates).result, QStringLiteral("not in this run"));
    QCOMPARE(p.status(Pipeline::Build).result, QStringLiteral("not in this run"));
    QVERIFY(p.trained() && p.measured()); // the chain's, kept
    QVERIFY(p.passes() != first);
    QVERIFY(!p.passes()->report.accuracy);
    QCOMPARE(p.passes()->report.before.params, trained().totalParams());
    QCOMPARE(finished.value(1).toString(), QStringLiteral("Pipeline: Passes: %1 (done, %2 s)")
                                               .arg(p.status(Pipeline::Passes).result)
                                               .arg(p.status(Pipeline::Passes).seconds, 0, 'f', 1));
}

// A tool that fails: Build fails naming the step, with the tool's own words; the export before
// it is there, no bitstream is.
void TestPipeline::failingToolGivesItsMessage()
{
    QTemporaryDir tools;
    QTemporaryDir out;
    test::writeScript(tools.filePath(QStringLiteral("yosys")),
                      "#!/bin/sh\necho 'ERROR: fake yosys refuses the design'\nexit 1\n");
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(tools.path()) + ':' + path);

    BuildRun run(out.path());
    Pipeline &p = run.p;
    const QList<QVariant> finished =
        runAndWait(p, [&] { p.startStages(Pipeline::Build, Pipeline::Build); });
    qputenv("PATH", path);
    QCOMPARE(finished.value(0).toBool(), false);
    const QString result = p.status(Pipeline::Build).result;
    QCOMPARE(p.status(Pipeline::Build).state, State::Failed);
    QVERIFY2(result.startsWith(QStringLiteral("Build failed at yosys (nothing was built): ")),
             qPrintable(result));
    QVERIFY2(result.contains(QStringLiteral("fake yosys refuses the design")), qPrintable(result));
    QCOMPARE(p.failure(), p.statusLine(Pipeline::Build));
    QVERIFY(p.failure().startsWith(QStringLiteral("Build: failed in ")));
    QCOMPARE(run.steps, (QList<int>{StepExport, StepYosys}));
    QCOMPARE(run.synthesised.size(), 0);
    QVERIFY(!p.built());
    const QDir hardware(QDir(out.path()).filePath(QStringLiteral("hardware")));
    QVERIFY(hardware.exists(QStringLiteral("snn_core.v")));
    QVERIFY(!hardware.exists(QStringLiteral("top.bin")));
    // The report says so; there is no optimised graph (no passes ran).
    QFile report(QDir(out.path()).filePath(QStringLiteral("report.json")));
    QVERIFY(report.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(report.readAll()).object();
    QCOMPARE(json.value(QStringLiteral("ok")).toBool(true), false);
    QCOMPARE(json.value(QStringLiteral("stages")).toArray().at(4).toObject().value("state"),
             QJsonValue(QStringLiteral("failed")));
    QVERIFY(!QFile::exists(QDir(out.path()).filePath(QStringLiteral("optimized.h5"))));
}

// The chain to the end through runToEnd (as snnc and Python run it), with a real build: the
// output folder holds the optimised graph, the report and the hardware folder with its bitstream.
void TestPipeline::buildWritesTheOutputs()
{
    if (!toolsInstalled())
        QFAIL("yosys, nextpnr-ice40, icepack or iverilog is not installed");
    QTemporaryDir out;
    BuildRun run(out.path());
    Pipeline &p = run.p;
    p.setData(toySplit());
    QStringList lines;
    QList<double> fractions;
    RunControl control;
    control.progress = [&](double fraction, const QString &line) {
        fractions << fraction;
        lines << line;
    };
    QString summary;
    const bool ok = runToEnd(p, control, &summary);
    QVERIFY2(ok, qPrintable(summary));
    QCOMPARE(fractions, (QList<double>{0.2, 0.4, 0.6, 0.8, 1.0}));
    QStringList expected;
    for (int stage = 0; stage < Pipeline::StageCount; ++stage)
        expected << p.statusLine(Stage(stage));
    QCOMPARE(lines, expected);
    QCOMPARE(lines.front(), QStringLiteral("Training: not run: a trained graph (measured rates)"));
    QVERIFY(lines[1].startsWith(QStringLiteral("Firing rates: done in ")));
    QCOMPARE(p.failure(), QString());
    // The automatic clock runs the flow twice: at the oscillator to measure fmax, then at the
    // clock chosen from it.
    QCOMPARE(run.steps, (QList<int>{StepExport, StepYosys, StepNextpnr, StepIcepack, StepIcetime,
                                    StepYosys, StepNextpnr, StepIcepack, StepIcetime, StepVerify}));
    QCOMPARE(run.synthesised.size(), 1);
    QVERIFY(p.built());
    const Built &b = *p.built();
    const hw::FlowReport report = run.synthesised.front().at(0).value<hw::FlowReport>();
    QCOMPARE(report.logicCells, b.synthesis.report.logicCells);
    const QString bitstream = QDir(out.path()).filePath(QStringLiteral("hardware/top.bin"));
    QCOMPARE(b.bitstream(), bitstream);
    QVERIFY(QFileInfo(bitstream).size() > 30000);
    const QString result = p.status(Pipeline::Build).result;
    QVERIFY2(result.startsWith(QStringLiteral("Built %1 (%2; %3 / 5280 logic cells")
                                   .arg(bitstream, describe(b.synthesis.exported.options,
                                                            b.synthesis.exported.spram))
                                   .arg(report.logicCells)),
             qPrintable(result));
    QVERIFY(result.endsWith(QStringLiteral("RTL verify passed on 4 samples.")));
    QCOMPARE(b.verification.samples, 4);
    // The build settled its bits and lanes on the graph it built.
    const Settled settled = settle(p.optimized()->graph, p.settings().hardware);
    QCOMPARE(b.synthesis.exported.options.quant.weightBits, settled.options.quant.weightBits);
    QCOMPARE(b.synthesis.exported.options.lanes, settled.options.lanes);

    SNN_COMPARE_GRAPHS(loadGraph(QDir(out.path()).filePath(QStringLiteral("optimized.h5"))),
                       p.optimized()->graph);
    QFile file(QDir(out.path()).filePath(QStringLiteral("report.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(json.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(json.value(QStringLiteral("summary")).toString(), summary);
    const QJsonArray stages = json.value(QStringLiteral("stages")).toArray();
    QCOMPARE(stages.size(), 5);
    QCOMPARE(stages.at(4).toObject().value(QStringLiteral("result")).toString(), result);
    QCOMPARE(stages.at(0).toObject().value(QStringLiteral("state")).toString(),
             QStringLiteral("skipped"));
    const QJsonObject hardware = json.value(QStringLiteral("hardware")).toObject();
    QCOMPARE(hardware.value(QStringLiteral("bitstream")).toString(), bitstream);
    QCOMPARE(hardware.value(QStringLiteral("flow")).toObject(), report.toJson());
    QCOMPARE(json.value(QStringLiteral("optimization")).toObject(), p.optimized()->report.toJson());
}

// The stages' work without the Pipeline.
void TestPipeline::stageFunctionsWorkAlone()
{
    const auto data = toySplit();
    QVERIFY(isUntrained(untrained()));
    QVERIFY(!isUntrained(trained()));
    sim::DataSplit held = *data;
    sim::holdOutValidation(held, 20);
    QCOMPARE(validationSet(held).size(), 20);
    QCOMPARE(validationSet(*data).size(), 90);
    QCOMPARE(accuracySet(*data)->data.size(), 30);
    sim::DataSplit noTest = *data;
    noTest.test.reset();
    QCOMPARE(accuracySet(noTest)->data.size(), 90);

    const Measured m = measureRates(trained(), held, {});
    QCOMPARE(m.activity.samples, 20);
    QVERIFY(m.graph.layers().front().ratesSource.startsWith(
        QStringLiteral("measured: toy, validation, 20 samples")));
    QVERIFY(!isUntrained(m.graph));
    QVERIFY(measuredText(m.activity).startsWith(QStringLiteral("20 validation samples, ")));

    PipelineSettings s = tinySettings();
    const Trained t = trainGraph(untrained(), *data, s.train, {}, {});
    QCOMPARE(t.state.epoch, 1);
    QVERIFY(!t.stopped);
    QCOMPARE(epochsText(1), QStringLiteral("1 epoch"));
    QCOMPARE(epochsText(3), QStringLiteral("3 epochs"));
}

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
