#include "Cli.h"
#include "HwOptions.h"
#include "base/RunControl.h"
#include "sim/Dataset.h"

#include <QTemporaryDir>

#include <cstdio>

namespace snn::cli {

int runVerify(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Check that the generated hardware computes what the bit-accurate model "
                       "computes: export the design with N samples (from --data, else random "
                       "intensities scaled to exercise the network) and run its iverilog "
                       "testbench, which compares every layer's spikes at every step, a checksum "
                       "of all membranes per step, and every output spike count and class. "
                       "Passes only when all are identical."));
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
        QStringLiteral("Keep the simulated design in this folder."), QStringLiteral("DIR"));
    const QCommandLineOption uart(QStringLiteral("uart"),
                                  QStringLiteral("Also run the board-level testbench (samples over "
                                                 "the UART)."));
    const QCommandLineOption gates(QStringLiteral("gate-level"),
                                   QStringLiteral("Also simulate the core after yosys synth_ice40 "
                                                  "with the iCE40 cell models (slow: small "
                                                  "networks)."));
    parser.addOptions({samples, data, seed, output, uart, gates});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
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
    hw::exportDesign(graph, options, dir);
    std::fprintf(stderr, "simulating %d samples (%s) in iverilog...\n", options.testSamples,
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
            result = hw::runRtlSimulation(dir, RunControl(), bench);
        } catch (const Cancelled &) {
            throw;
        } catch (const Error &e) { // the simulator failed: not bad input
            printError(e.message());
            return Failure;
        }
        if (!result.passed()) {
            printOut(
                QStringLiteral("FAIL (%1): %2 of %3 samples' outputs differ from the model\n%4\n")
                    .arg(name)
                    .arg(result.mismatches)
                    .arg(result.samples)
                    .arg(result.details.join(QLatin1Char('\n'))));
            return Failure;
        }
        const QString inside =
            result.checksums > 0
                ? QStringLiteral("every layer's spikes at every step (%1 group sweeps), the "
                                 "membrane checksum of all %2 steps and ")
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
                         .arg(options.baud)
                         .arg(result.cases.join(QStringLiteral(", "))));
        if (result.cycles > 0)
            printOut(QStringLiteral("  %1 clock cycles per sample\n")
                         .arg(double(result.cycles) / result.samples, 0, 'f', 0));
        if (result.outputCounts > 0)
            printOut(QStringLiteral("  output counts at 0: %1, at %2 (every step): %3, of %4\n")
                         .arg(result.silentCounts)
                         .arg(options.quant.steps)
                         .arg(result.saturatedCounts)
                         .arg(result.outputCounts));
    }
    return Success;
}

} // namespace snn::cli
