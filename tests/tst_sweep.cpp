#include "TestUtils.h"
#include "base/Error.h"
#include "hw/Boards.h"
#include "io/GraphFile.h"
#include "opt/Sweep.h"
#include "sim/Dataset.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>

using namespace snn;
using snn::test::makeLayer;
using snn::test::vec;

namespace {

// input(4) -> h(5) -> out(2); h's rates 0, 0.05, 0.1, 0.2, 0.3. 30 parameters.
Graph ratedGraph()
{
    Graph g(4);
    Layer h = makeLayer(QStringLiteral("h"), kNetworkInput, 5, 4);
    for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 4; ++c)
            h.weights(r, c) = 0.1f * float(r + 1) * (c % 2 ? -1.0f : 1.0f) + 0.05f * float(c);
    h.rates = vec({0.0f, 0.05f, 0.1f, 0.2f, 0.3f});
    const LayerId id = g.addLayer(h);
    Layer out = makeLayer(QStringLiteral("out"), id, 2, 5, {1, 2, 3, 4, 5, -1, -2, -3, -4, -5});
    out.rates = vec({0.5f, 0.5f});
    g.addLayer(out);
    g.validate();
    return g;
}

// input(3) -> hidden(3) -> output(3), IF, each neuron fed only by the input of its index with
// weight 2: under constant current a fed neuron spikes every step, an unfed one never.
// hidden's rates measured on the first two samples of relaySet(): neuron 2 never fired there.
Graph relayGraph()
{
    Graph g(3);
    LayerId source = kNetworkInput;
    for (const char *name : {"hidden", "output"}) {
        Layer l = makeLayer(QString::fromLatin1(name), source, 3, 3, {2, 0, 0, 0, 2, 0, 0, 0, 2});
        l.neuron.type = NeuronType::IF;
        l.neuron.beta = 1.0f;
        l.rates = vec({0.5f, 0.5f, 0.0f});
        source = g.addLayer(l);
    }
    g.validate();
    return g;
}

// Four one-hot samples; the last is labelled wrong (0 for input 1).
std::shared_ptr<ValidationSet> relaySet()
{
    auto set = std::make_shared<ValidationSet>();
    set->data.name = QStringLiteral("relay");
    set->data.x = RowMatrixXf::Zero(4, 3);
    set->data.x(0, 0) = set->data.x(1, 1) = set->data.x(2, 2) = set->data.x(3, 1) = 1.0f;
    set->data.y = {0, 1, 2, 0};
    set->simulation.encoding = sim::Encoding::Current;
    set->simulation.steps = 10;
    return set;
}

} // namespace

class TestSweep : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void deadThresholdCounts()
    {
        const Graph g = ratedGraph();
        SweepOptions o;
        o.parameter = SweepParameter::DeadThreshold;
        o.values = {0.2, 0.0, 0.05};
        o.passes = {passes::kDeadNeuronElimination};
        o.quant.weightBits = 4;
        const SweepResult r = sweep(g, o);
        QCOMPARE(r.before.size.params, 30);
        QCOMPARE(r.points.size(), std::size_t(3));
        // Removed: rates <= 0.2 (4 neurons), <= 0 (1), <= 0.05 (2); each costs 4 + 2 weights.
        const std::vector<std::pair<std::int64_t, std::int64_t>> expected = {
            {6, 3}, {24, 6}, {18, 5}};
        for (std::size_t i = 0; i < 3; ++i) {
            const SweepPoint &p = r.points[i];
            QCOMPARE(p.value, o.values[i]);
            QCOMPARE(p.figures.size.params, expected[i].first);
            QCOMPARE(p.figures.size.neurons, expected[i].second);
            QVERIFY(!p.figures.accuracy);
            // The estimate is the fit check of the graph optimize() gives at that value.
            OptimizeOptions oo;
            oo.deadThreshold = float(o.values[i]);
            const Graph optimized = optimize(g, o.passes, oo).graph;
            const hw::FitCheck fit =
                hw::checkFit(optimized, o.quant, o.lanes, hw::board(QStringLiteral("icebreaker")));
            QVERIFY(p.figures.hardware);
            QCOMPARE(p.figures.hardware->fit.estimate.logicCells, fit.estimate.logicCells);
            QCOMPARE(p.figures.hardware->fit.estimate.ebrBlocks, fit.estimate.ebrBlocks);
            QCOMPARE(p.figures.hardware->fit.message, fit.message);
        }
        QCOMPARE(r.points[0].report.passReports.front().neuronsRemoved, 4);

        const QStringList csv = r.toCsv().split(QLatin1Char('\n'));
        QCOMPARE(csv[0], QStringLiteral("value,params,neurons,logic_cells,ebr,spram,fits,accuracy,"
                                        "cycles_per_inference,latency_ms,weight_kbit"));
        QVERIFY(csv[1].startsWith(QStringLiteral("before,30,7,")));
        QVERIFY(csv[2].startsWith(QStringLiteral("0.2,6,3,")));
        QVERIFY(csv[3].startsWith(QStringLiteral("0,24,6,")));
        QVERIFY(csv[4].startsWith(QStringLiteral("0.05,18,5,")));
        // No validation set: no accuracy and no cycles; the weight memory is the estimate's.
        QVERIFY(csv[4].endsWith(QStringLiteral(",yes,,,,%1")
                                    .arg(r.points[2].figures.hardware->weightKbit(), 0, 'f', 1)));

        const QJsonArray points = r.toJson().value(QStringLiteral("points")).toArray();
        QCOMPARE(points.size(), 3);
        QCOMPARE(points[2][QStringLiteral("value")].toDouble(), 0.05);
        QCOMPARE(points[2][QStringLiteral("params")].toInt(), 18);
        QCOMPARE(points[2][QStringLiteral("neurons_removed")].toInt(), 2);
        QCOMPARE(points[2][QStringLiteral("accuracy")].toString(), QStringLiteral("not measured"));
        QCOMPARE(points[2][QStringLiteral("logic_cells")].toInt(),
                 r.points[2].figures.hardware->fit.estimate.logicCells);
    }

    void similarityCounts()
    {
        // Unit rows at 0, 37 and 53 degrees and one opposite: cosines 0.8 (rows 0, 1), 0.6
        // (0, 2), 0.96 (1, 2). Groups form greedily around the lowest index.
        Graph g(2);
        Layer h = makeLayer(QStringLiteral("h"), kNetworkInput, 4, 2,
                            {1, 0, 0.8f, 0.6f, 0.6f, 0.8f, -1, 0});
        h.rates = vec({0.1f, 0.1f, 0.1f, 0.1f});
        const LayerId id = g.addLayer(h);
        g.addLayer(makeLayer(QStringLiteral("out"), id, 1, 4, {1, 1, 1, 1}));
        SweepOptions o;
        o.parameter = SweepParameter::Similarity;
        o.values = {0.99, 0.9, 0.7, 0.5};
        o.passes = {passes::kRedundancyElimination};
        const SweepResult r = sweep(g, o);
        const auto merged = [&](int i) {
            return r.points[std::size_t(i)].report.passReports.front().neuronsMerged;
        };
        QCOMPARE(merged(0), 0);
        QCOMPARE(merged(1), 1); // 2 into 1
        QCOMPARE(merged(2), 1); // 1 into 0; 2 (0.6 with 0) stays
        QCOMPARE(merged(3), 2); // 1 and 2 into 0
        QCOMPARE(r.points[3].figures.size.params, 2 * 2 + 2);
    }

    void accuracy()
    {
        // hidden[2] never fired where the rates were measured; removing it costs the sample
        // labelled 2 (now a tie, to output 0) and changes the prediction of the last sample.
        SweepOptions o;
        o.values = {0.0};
        o.optimize.validation = relaySet();
        const SweepResult r = sweep(relayGraph(), o);
        QCOMPARE(*r.before.accuracy, 0.75);
        QCOMPARE(r.points.size(), std::size_t(1));
        QCOMPARE(*r.points[0].figures.accuracy, 0.5);
        QCOMPARE(r.points[0].report.accuracy->before, 0.75);
        QCOMPARE(r.points[0].report.accuracy->agreement, 0.75);
        QCOMPARE(r.points[0].figures.size.neurons, 5);
    }

    void budgetCyclesPrunes()
    {
        // The cycles budget in percent of the input graph's: met by pruning at each value, the
        // cycles measured on the validation set (the same samples as the sweep's figures).
        SweepOptions o;
        o.parameter = SweepParameter::BudgetCycles;
        o.values = {100.0, 90.0, 50.0};
        o.optimize.validation = relaySet();
        o.quant.weightBits = 4;
        o.lanes = 1; // one group per neuron: a pruned neuron is a group fewer in every step
        try {
            sweep(relayGraph(), o);
            QFAIL("no error");
        } catch (const Error &e) {
            QCOMPARE(e.message(),
                     QStringLiteral("budget-cycles is neuron_pruning's: add it to the passes"));
        }
        o.passes = {passes::kNeuronPruning};
        const SweepResult r = sweep(relayGraph(), o);
        const double before = r.before.hardware->cyclesPerInference;
        QVERIFY(before > 0.0);
        QCOMPARE(r.points[0].figures.size.neurons, 6); // 100%: met already
        QCOMPARE(r.points[0].figures.hardware->cyclesPerInference, before);
        QVERIFY(r.points[1].figures.size.neurons < 6);
        QVERIFY(r.points[1].figures.hardware->cyclesPerInference <= 0.9 * before);
        // 50%: even all hidden candidates gone miss it (the steps' neuron updates stay): none go.
        QCOMPARE(r.points[2].figures.size.neurons, 6);
        QCOMPARE(r.points[2].report.passReports.front().warnings,
                 QStringList{QStringLiteral("the budget cannot be met by pruning: even 2 neurons "
                                            "fewer miss it; nothing pruned")});
    }

    void paretoFront()
    {
        // (cycles, accuracy): a point is on the front when no other has at least its accuracy
        // with at most its cycles, one of them strictly.
        SweepResult r;
        const auto add = [&](std::optional<double> cycles, std::optional<double> accuracy) {
            SweepPoint p;
            p.value = double(r.points.size());
            p.figures.accuracy = accuracy;
            if (cycles) {
                p.figures.hardware.emplace();
                p.figures.hardware->samples = 1;
                p.figures.hardware->cyclesPerInference = *cycles;
            }
            r.points.push_back(p);
        };
        add(100, 0.80);          // 0: B has more accuracy for fewer cycles
        add(80, 0.82);           // 1: on the front
        add(60, 0.78);           // 2: 3 has more accuracy for as many cycles
        add(60, 0.79);           // 3: on the front
        add(50, 0.70);           // 4: on the front (the fewest cycles)
        add(std::nullopt, 0.95); // 5: no cycles, not placed
        add(90, 0.81);           // 6: 1 beats it
        add(70, std::nullopt);   // 7: no accuracy, not placed
        QCOMPARE(r.paretoFront(), (std::vector<int>{4, 3, 1}));
    }

    void optimizeUsesGivenPredictions()
    {
        // The sweep hands optimize() the input graph's predictions: they are what it compares with.
        OptimizeOptions o;
        o.validation = relaySet();
        o.predictionsBefore = {0, 1, 2, 0}; // as if every sample had been right
        const OptimizeResult r = optimize(relayGraph(), {passes::kDeadNeuronElimination}, o);
        QCOMPARE(r.report.accuracy->before, 1.0);
        QCOMPARE(r.report.accuracy->after, 0.5);
        o.predictionsBefore = {0, 1, 2};
        try {
            optimize(relayGraph(), {passes::kDeadNeuronElimination}, o);
            QFAIL("no error");
        } catch (const Error &e) {
            QCOMPARE(e.message(), QStringLiteral("3 predictions given for 4 validation samples"));
        }
    }

    void parameters()
    {
        const QStringList names = kSweepParameterNames.names();
        QCOMPARE(names,
                 (QStringList{QStringLiteral("dead-threshold"), QStringLiteral("similarity"),
                              QStringLiteral("norm-tolerance"), QStringLiteral("fusion-activity"),
                              QStringLiteral("budget-cycles")}));
        OptimizeOptions budget;
        setSweepParameter(budget, SweepParameter::BudgetCycles, 60.0);
        QCOMPARE(budget.budgetCycles.value, 60.0);
        QVERIFY(budget.budgetCycles.percent);
        for (const QString &name : names.mid(0, 4)) {
            const SweepParameter p = kSweepParameterNames.parse(name, QStringLiteral("--param"));
            QCOMPARE(toString(p), name);
            OptimizeOptions o;
            setSweepParameter(o, p, 0.25);
            const std::vector<float> fields = {o.deadThreshold, o.similarity, o.normTolerance,
                                               o.fusionActivity};
            QCOMPARE(std::count(fields.begin(), fields.end(), 0.25f), 1);
            QCOMPARE(fields[std::size_t(names.indexOf(name))], 0.25f);
        }
    }

    void errors_data()
    {
        QTest::addColumn<QString>("parameter");
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<QString>("board");
        QTest::addColumn<QString>("error");
        QTest::newRow("parameter")
            << QStringLiteral("threshold") << QList<double>{0.1} << QStringLiteral("icebreaker")
            << QStringLiteral("--param takes dead-threshold, similarity, norm-tolerance, "
                              "fusion-activity or budget-cycles, not 'threshold'");
        QTest::newRow("no values")
            << QStringLiteral("similarity") << QList<double>{} << QStringLiteral("icebreaker")
            << QStringLiteral("a sweep needs at least one value");
        QTest::newRow("range") << QStringLiteral("similarity") << QList<double>{0.5, 2.0}
                               << QStringLiteral("icebreaker")
                               << QStringLiteral("the similarity must be in (0, 1], not 2");
        QTest::newRow("board") << QStringLiteral("norm-tolerance") << QList<double>{0.1}
                               << QStringLiteral("icezero")
                               << QStringLiteral("unknown board 'icezero' (known: %1)")
                                      .arg(hw::boardIds().join(QStringLiteral(", ")));
    }
    void errors()
    {
        QFETCH(QString, parameter);
        QFETCH(QList<double>, values);
        QFETCH(QString, board);
        QFETCH(QString, error);
        try {
            SweepOptions o;
            o.parameter = kSweepParameterNames.parse(parameter, QStringLiteral("--param"));
            o.values.assign(values.begin(), values.end());
            o.board = board;
            sweep(ratedGraph(), o);
            QFAIL("no error");
        } catch (const Error &e) {
            QCOMPARE(e.message(), error);
        }
    }

    void commandLine()
    {
        QTemporaryDir dir;
        const QString model = dir.filePath(QStringLiteral("relay.h5"));
        const QString data = dir.filePath(QStringLiteral("data.h5"));
        const QString csv = dir.filePath(QStringLiteral("sweep.csv"));
        saveGraph(relayGraph(), model);
        sim::saveHdf5Dataset(relaySet()->data, data);
        QProcess p;
        p.start(QStringLiteral(SNNC_PATH),
                {QStringLiteral("sweep"), model, QStringLiteral("--validate"), data,
                 QStringLiteral("--encoding"), QStringLiteral("current"), QStringLiteral("--steps"),
                 QStringLiteral("10"), QStringLiteral("--param"), QStringLiteral("dead-threshold"),
                 QStringLiteral("--values"), QStringLiteral("0.6,0"), QStringLiteral("--bits"),
                 QStringLiteral("4"), QStringLiteral("--json"), QStringLiteral("-o"), csv});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonObject json = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(json[QStringLiteral("parameter")].toString(), QStringLiteral("dead-threshold"));
        QCOMPARE(json[QStringLiteral("before")][QStringLiteral("accuracy")].toDouble(), 0.75);
        const QJsonArray points = json[QStringLiteral("points")].toArray();
        QCOMPARE(points.size(), 2);
        // 0.6: every hidden neuron is at most 0.5, but a layer is never emptied: kept whole.
        QCOMPARE(points[0][QStringLiteral("value")].toDouble(), 0.6);
        QCOMPARE(points[0][QStringLiteral("neurons")].toInt(), 6);
        QCOMPARE(points[1][QStringLiteral("value")].toDouble(), 0.0);
        QCOMPARE(points[1][QStringLiteral("neurons")].toInt(), 5);
        QCOMPARE(points[1][QStringLiteral("params")].toInt(), 12);
        QCOMPARE(points[1][QStringLiteral("accuracy")].toDouble(), 0.5);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 5); // header, before, two points, final newline
        QVERIFY(lines[3].startsWith(QStringLiteral("0,12,5,")));
        QVERIFY(lines[3].contains(QStringLiteral(",yes,0.5000,")));
        // The cycles: measured on the validation set, the core run for 10 steps.
        QVERIFY(std::abs(points[1][QStringLiteral("cycles_per_inference")].toDouble() -
                         lines[3].split(QLatin1Char(','))[8].toDouble()) < 0.051); // CSV: 0.1
        QVERIFY(points[1][QStringLiteral("cycles_per_inference")].toDouble() > 0.0);

        p.start(QStringLiteral(SNNC_PATH),
                {QStringLiteral("sweep"), model, QStringLiteral("--validate"), data,
                 QStringLiteral("--param"), QStringLiteral("similarity"),
                 QStringLiteral("--values"), QStringLiteral("0.9,x")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(p.readAllStandardError()),
                 QStringLiteral("snnc: --values takes comma-separated numbers, not 'x'\n"));
    }
};

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
