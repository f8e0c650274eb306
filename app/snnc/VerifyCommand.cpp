#include "Cli.h"
#include "HwOptions.h"
#include "SimArgs.h"
#include "base/RunControl.h"
#include "hw/Verilator.h"
#include "io/AtomicFile.h"
#include "sim/Dataset.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdio>

namespace snn::cli {

namespace {

// -1 (the testbench names no such thing) as null.
QJsonValue siteValue(int value)
{
    return value < 0 ? QJsonValue() : QJsonValue(value);
}

// The RTL run for --json: what was compared, the outcome, the first mismatch, the clock cycles
// per inference and how long the export (the model's answers) and the simulation took.
QByteArray verificationJson(const hw::RtlVerification &r, double exportSeconds,
                            double simulationSeconds)
{
    QJsonObject json{
        {QStringLiteral("samples"), r.samples},
        {QStringLiteral("identical"), r.passed()},
        {QStringLiteral("mismatches"), r.mismatches},
        {QStringLiteral("cycles_per_inference"),
         r.samples > 0 ? double(r.cycles) / r.samples : 0.0},
        {QStringLiteral("spike_words"), r.spikeWords},
        {QStringLiteral("checksums"), r.checksums},
        {QStringLiteral("output_counts"), r.outputCounts},
        {QStringLiteral("simulator"), r.simulator},
        {QStringLiteral("processes"), r.processes},
        {QStringLiteral("compiled"), r.compiled},
        {QStringLiteral("export_seconds"), exportSeconds},
        {QStringLiteral("simulation_seconds"), simulationSeconds},
    };
    QJsonObject first;
    if (r.first) {
        first.insert(QStringLiteral("sample"), siteValue(r.first->sample));
        first.insert(QStringLiteral("layer"), siteValue(r.first->layer));
        first.insert(QStringLiteral("step"), siteValue(r.first->step));
    }
    json.insert(QStringLiteral("first_mismatch"),
                r.first ? QJsonValue(first) : QJsonValue(QJsonValue::Null));
    json.insert(QStringLiteral("details"), QJsonValue::fromVariant(r.details));
    return QJsonDocument(json).toJson();
}

// Prints a testbench's outcome; returns whether it passed.
bool report(const hw::RtlVerification &result, const QString &name, int baud, int steps)
{
    if (!result.passed()) {
        printOut(QStringLiteral("FAIL (%1): %2 mismatches over %3 samples\n%4\n")
                     .arg(name)
                     .arg(result.mismatches)
                     .arg(result.samples)
                     .arg(result.details.join(QLatin1Char('\n'))));
        return false;
    }
    const QString inside =
        result.checksums > 0
            ? QStringLiteral("every layer's spikes at every step (%1 group sweeps), the "
                             "%2 membrane checksums (one per layer and step) and ")
                  .arg(result.spikeWords)
                  .arg(result.checksums)
            : QString();
    printOut(QStringLiteral("PASS (%1): %2 samples, %3every output spike count and class "
                            "identical to the bit-accurate model\n")
                 .arg(name)
                 .arg(result.samples)
                 .arg(inside));
    if (!result.cases.isEmpty())
        printOut(QStringLiteral("  cases at %1 baud: %2\n")
                     .arg(baud)
                     .arg(result.cases.join(QStringLiteral(", "))));
    if (result.cycles > 0)
        printOut(QStringLiteral("  %1 clock cycles per sample\n")
                     .arg(double(result.cycles) / result.samples, 0, 'f', 0));
    if (result.outputCounts > 0)
        printOut(QStringLiteral("  output counts at 0: %1, at %2 (every step): %3, of %4\n")
                     .arg(result.silentCounts)
                     .arg(steps)
                     .arg(result.saturatedCounts)
                     .arg(result.outputCounts));
    return true;
}

} // namespace

int runVerify(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Check that the generated hardware computes what the bit-accurate model "
        "computes: export the design with N samples (from --data, else random "
        "intensities scaled to exercise the network) and run its core testbench "
        "in Verilator (one simulator per core, each on a part of the samples), "
        "which compares every layer's spikes at every step, a checksum of each "
        "layer's membranes per step, and every output spike count and class. Passes only "
        "when all are identical."));
    const ModelArgument model{false};
    model.addTo(parser);
    const HwOptionSet hwOptions;
    hwOptions.addTo(parser);
    const QCommandLineOption samples(QStringLiteral("samples"),
                                     QStringLiteral("Samples to simulate (default 8)."),
                                     QStringLiteral("N"), QStringLiteral("8"));
    const QCommandLineOption data(
        QStringLiteral("data"),
        QStringLiteral("Take the samples from this data set's test images (fashion-mnist, a "
                       "folder of IDX files, IMAGES,LABELS or an HDF5 file) instead of random "
                       "intensities."),
        QStringLiteral("SPEC"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of the random samples (default 1)."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption output = outputOption(
        QStringLiteral("Keep the simulated design in this folder (and the compiled testbench: "
                       "a run on the same design reuses it)."),
        QStringLiteral("DIR"));
    const QCommandLineOption uart(QStringLiteral("uart"),
                                  QStringLiteral("Also run the board-level testbench (samples over "
                                                 "the UART) in iverilog."));
    const QCommandLineOption gates(QStringLiteral("gate-level"),
                                   QStringLiteral("Also simulate the core after yosys synth_ice40 "
                                                  "with the iCE40 cell models in iverilog (slow: "
                                                  "small networks)."));
    const QCommandLineOption json(
        QStringLiteral("json"),
        QStringLiteral("Write the RTL run's result as JSON to FILE ('-' for standard output): "
                       "samples, identical, mismatches, cycles_per_inference, first_mismatch "
                       "(sample, layer, step), the simulator and the seconds it took."),
        QStringLiteral("FILE"));
    parser.addOptions({samples, data, seed, output, uart, gates, json});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    checkOutputs(parser, {&json});
    const Graph graph = model.load(parser);
    QString configuration;
    hw::ExportOptions options = hwOptions.read(parser, graph, &configuration);
    std::fprintf(stderr, "%s\n", qPrintable(configuration));
    options.testSamples = HwOptionSet::integer(parser, samples);
    options.sampleSeed = std::uint64_t(HwOptionSet::integer(parser, seed));
    if (options.testSamples < 1)
        throw Error(QStringLiteral("--samples must be at least 1"));
    if (parser.isSet(data)) {
        const sim::Dataset set =
            sim::loadSamples(parser.value(data), sim::kTestSplit, 0, options.testSamples);
        for (Eigen::Index r = 0; r < set.x.rows(); ++r)
            options.samples.push_back(hw::intensities(set.x.row(r).transpose()));
        options.testSamples = int(options.samples.size());
    }
    QTemporaryDir temp;
    const QString dir = parser.isSet(output) ? parser.value(output) : temp.path();
    QElapsedTimer timer;
    timer.start();
    hw::exportDesign(graph, options, dir);
    const double exportSeconds = double(timer.restart()) / 1000;
    std::fprintf(stderr, "simulating %d samples (%s)...\n", options.testSamples,
                 parser.isSet(data) ? qPrintable(parser.value(data))
                                    : "random intensities scaled to exercise the network");
    std::vector<std::pair<hw::Testbench, QString>> benches{
        {hw::Testbench::Core, QStringLiteral("RTL")}};
    if (parser.isSet(uart))
        benches.emplace_back(hw::Testbench::Uart, QStringLiteral("UART"));
    if (parser.isSet(gates))
        benches.emplace_back(hw::Testbench::GateLevel, QStringLiteral("gate-level"));
    for (const auto &[bench, name] : benches) {
        hw::RtlVerification result;
        try {
            result = bench == hw::Testbench::Core ? hw::runVerilator(dir, stderrProgress())
                                                  : hw::runRtlSimulation(dir, RunControl(), bench);
            clearProgress();
        } catch (const Cancelled &) {
            throw;
        } catch (const Error &e) { // the simulator failed: not bad input
            clearProgress();
            printError(e.message());
            return Failure;
        }
        const bool jsonOut = parser.value(json) == QLatin1String("-");
        if (bench == hw::Testbench::Core && parser.isSet(json)) {
            const QByteArray text =
                verificationJson(result, exportSeconds, double(timer.elapsed()) / 1000);
            if (jsonOut)
                printOut(QString::fromUtf8(text));
            else
                writeAtomically(parser.value(json), text);
        }
        if (jsonOut ? !result.passed() : !report(result, name, options.baud, options.quant.steps))
            return Failure;
    }
    return Success;
}

} // namespace snn::cli
