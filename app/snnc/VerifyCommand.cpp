#include "Cli.h"
#include "GraphFile.h"
#include "HwOptions.h"
#include "RunControl.h"

#include <QTemporaryDir>

#include <cstdio>

namespace snn::cli {

int runVerify(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Check that the generated hardware computes what the bit-accurate model "
                       "computes: export the design with N random samples and run its iverilog "
                       "testbench, which compares every output spike count and class. Passes only "
                       "when all are identical."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("An SNN Studio graph (.h5)."));
    const HwOptionSet hwOptions;
    hwOptions.addTo(parser);
    const QCommandLineOption samples(QStringLiteral("samples"),
                                     QStringLiteral("Random samples to simulate (default 8)."),
                                     QStringLiteral("N"), QStringLiteral("8"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of the random samples (default 1)."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("Keep the simulated design in this folder."),
                                    QStringLiteral("DIR"));
    const QCommandLineOption uart(QStringLiteral("uart"),
                                  QStringLiteral("Also run the board-level testbench (samples over "
                                                 "the UART)."));
    const QCommandLineOption gates(QStringLiteral("gate-level"),
                                   QStringLiteral("Also simulate the core after yosys synth_ice40 "
                                                  "with the iCE40 cell models (slow: small "
                                                  "networks)."));
    parser.addOptions({samples, seed, output, uart, gates});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    const Graph graph = loadGraph(parser.positionalArguments().front());
    QString configuration;
    hw::ExportOptions options = hwOptions.read(parser, graph, &configuration);
    std::fprintf(stderr, "%s\n", qPrintable(configuration));
    options.testSamples = HwOptionSet::integer(parser, samples);
    options.sampleSeed = std::uint64_t(HwOptionSet::integer(parser, seed));
    if (options.testSamples < 1)
        throw Error(QStringLiteral("--samples must be at least 1"));
    QTemporaryDir temp;
    const QString dir = parser.isSet(output) ? parser.value(output) : temp.path();
    hw::exportDesign(graph, options, dir);
    std::fprintf(stderr, "simulating %d samples in iverilog...\n", options.testSamples);
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
        printOut(QStringLiteral("PASS (%1): %2 samples, every output spike count and class "
                                "identical to the bit-accurate model\n")
                     .arg(name)
                     .arg(result.samples));
    }
    return Success;
}

} // namespace snn::cli
