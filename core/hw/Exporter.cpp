#include "hw/Exporter.h"

#include "base/Error.h"
#include "base/Names.h"
#include "base/Rng.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <climits>
#include <cmath>

namespace snn::hw {

std::vector<std::vector<std::uint8_t>> randomSamples(int inputSize, int count, std::uint64_t seed)
{
    Rng rng(seed);
    std::vector<std::vector<std::uint8_t>> samples(static_cast<std::size_t>(count));
    for (auto &s : samples)
        for (int i = 0; i < inputSize; ++i)
            s.push_back(std::uint8_t(rng.next() >> 56));
    return samples;
}

std::vector<std::vector<std::uint8_t>> exercisingSamples(const QuantizedNetwork &net, int count,
                                                         std::uint64_t seed)
{
    static const double factors[] = {1.0,    0.75,  0.5,     0.375,  0.25,
                                     0.1875, 0.125, 0.09375, 0.0625, 0.03125};
    const int steps = net.config.steps;
    auto samples = randomSamples(net.inputSize, count, seed);
    for (auto &sample : samples) {
        std::vector<std::uint8_t> best;
        std::pair<int, int> bestStuck{INT_MAX, INT_MAX};
        for (double f : factors) {
            std::vector<std::uint8_t> scaled(sample.size());
            for (std::size_t i = 0; i < sample.size(); ++i)
                scaled[i] = std::uint8_t(std::lround(sample[i] * f));
            ModelTrace trace;
            runModel(net, scaled, &trace);
            std::pair<int, int> stuck{0, 0}; // output counts, hidden neurons at 0 or every step
            for (std::size_t k = 0; k < net.layers.size(); ++k)
                for (int n = 0; n < net.layers[k].neurons; ++n) {
                    int spikes = 0;
                    for (int t = 0; t < steps; ++t)
                        spikes += trace.spikes[std::size_t(t)][k][std::size_t(n)];
                    if (spikes == 0 || spikes == steps)
                        ++(k + 1 == net.layers.size() ? stuck.first : stuck.second);
                }
            if (stuck < bestStuck) {
                bestStuck = stuck;
                best = scaled;
            }
        }
        sample = best;
    }
    return samples;
}

QList<QStringList> flashCommands(const QString &dir)
{
    QList<QStringList> commands{{QStringLiteral("top.bin")}};
    if (QFile::exists(dir + QStringLiteral("/weights.bin")))
        commands.append({QStringLiteral("-o"), QString::number(protocol::kFlashOffset),
                         QStringLiteral("weights.bin")});
    return commands;
}

ExportResult exportDesign(const Graph &graph, const ExportOptions &options, const QString &dir)
{
    const Board &b = board(options.board);
    ExportResult result;
    result.fit = checkFit(graph, options.quant, options.lanes, b, options.weightMemory);
    if (!result.fit.fits)
        throw Error(result.fit.message);
    result.net = quantize(graph, options.quant);
    DesignOptions design;
    design.lanes = options.lanes;
    design.clockHz = b.clockHz;
    if (options.clockMHz > 0.0 && options.clockMHz != b.clockHz / 1e6) {
        design.pll = pllSettings(b.clockHz / 1e6, options.clockMHz);
        design.pllPad = b.pllPad;
        design.clockHz = design.pll->outputMHz * 1e6;
    }
    result.clockMHz = design.clockHz / 1e6;
    design.spram = result.fit.spram;
    design.baud = options.baud;
    design.button = !b.buttonPin.isEmpty();
    FileMap files = generateDesign(result.net, design);
    const auto samples =
        options.samples.empty()
            ? exercisingSamples(result.net, options.testSamples, options.sampleSeed)
            : options.samples;
    files.merge(generateTestbench(result.net, samples, design));
    files[QStringLiteral("top.pcf")] = b.pcf(design.spram);
    const QString freq = QString::number(result.clockMHz);
    files[QStringLiteral("build.sh")] =
        QStringLiteral(
            "#!/bin/sh\n"
            "# Synthesise, place and route, pack: top.bin for the %1.\n"
            "set -e\ncd \"$(dirname \"$0\")\"\n"
            "yosys -q -l yosys.log -p \"synth_ice40 -top snn_uart_top -json top.json; "
            "tee -q -o stat.txt stat\" snn_uart_top.v snn_core.v\n"
            "nextpnr-ice40 --%2 --package %3 --json top.json --pcf top.pcf --asc top.asc "
            "--report report.json --freq %4 --timing-allow-fail\n"
            "icepack top.asc top.bin\n"
            "icetime -d %2 -P %3 -mtr timing.rpt top.asc\n")
            .arg(b.name, b.device, b.package, freq)
            .toUtf8();
    const QByteArray spramSim =
        design.spram
            ? QByteArray(" spi_flash_model.v -DNO_ICE40_DEFAULT_ASSIGNMENTS ") + kIce40CellsSim
            : QByteArray();
    files[QStringLiteral("simulate.sh")] =
        QByteArray(
            "#!/bin/sh\n"
            "# Runs a testbench against SNN Studio's bit-accurate model: at the core's ports\n"
            "# every layer's spikes at every step, a checksum of all membranes after every\n"
            "# step, every output count and the class; through the UART (./simulate.sh uart)\n"
            "# the protocol: the answers, recovery from stray and lost bytes and bad frames,\n"
            "# the refusal of a wrong flash image. Exits 1 unless everything matches.\n"
            "set -e\ncd \"$(dirname \"$0\")\"\n"
            "if [ \"$1\" = uart ]; then\n"
            "    iverilog -g2005 -o tb_snn_uart.vvp tb_snn_uart.v snn_uart_top.v snn_core.v") +
        spramSim +
        QByteArray("\n    vvp -n tb_snn_uart.vvp | tee simulate.log\nelse\n"
                   "    iverilog -g2005 -o tb_snn_core.vvp tb_snn_core.v snn_core.v") +
        spramSim +
        QByteArray("\n    vvp -n tb_snn_core.vvp | tee simulate.log\nfi\n"
                   "grep -q '^RESULT samples [0-9]* mismatches 0$' simulate.log\n");
    files[QStringLiteral("flash.sh")] =
        QByteArray("#!/bin/sh\nset -e\ncd \"$(dirname \"$0\")\"\niceprog top.bin\n") +
        (design.spram ? QStringLiteral("# the weights, read by the core at start-up\n"
                                       "iceprog -o %1 weights.bin\n")
                            .arg(design.flashOffset)
                            .toUtf8()
                      : QByteArray());
    // The instant estimate with the logic-cell model's terms (bench/hw_estimate.py fits them).
    const ResourceEstimate &e = result.fit.estimate;
    QJsonArray terms;
    for (const LogicCellTerm &t : e.logicCellTerms)
        terms.append(QJsonObject{{QStringLiteral("term"), t.name},
                                 {QStringLiteral("units"), t.units},
                                 {QStringLiteral("cells"), t.cells}});
    files[QStringLiteral("estimate.json")] =
        QJsonDocument(QJsonObject{{QStringLiteral("board"), b.id},
                                  {QStringLiteral("weights_in_spram"), result.fit.spram},
                                  {QStringLiteral("clock_mhz"), result.clockMHz},
                                  {QStringLiteral("logic_cells"), e.logicCells},
                                  {QStringLiteral("ebr_blocks"), e.ebrBlocks},
                                  {QStringLiteral("spram_blocks"), e.spramBlocks},
                                  {QStringLiteral("weight_bits"), qint64(e.weightBits)},
                                  {QStringLiteral("logic_cell_terms"), terms},
                                  {QStringLiteral("message"), result.fit.message}})
            .toJson();
    QString layers;
    for (const QuantLayer &l : result.net.layers)
        layers += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 |\n")
                      .arg(markdownEscaped(l.name))
                      .arg(l.inputs)
                      .arg(l.neurons)
                      .arg(l.scale, 0, 'g', 6)
                      .arg(l.threshold)
                      .arg(l.leakShift)
                      .arg(toString(l.reset));
    files[QStringLiteral("README.md")] =
        QStringLiteral(
            "# SNN core for the %1\n\n"
            "Generated by SNN Studio (`snnc export`). %2-bit weights, %3-bit saturating membrane, "
            "%4 lanes, %5 time steps per sample, input generator seed 0x%6.\n\n"
            "| layer | inputs | neurons | scale | threshold | leak shift | reset |\n"
            "|---|---|---|---|---|---|---|\n%7\n"
            "Fit estimate (in `estimate.json` with the logic-cell model's terms): %8\n\n"
            "- `./simulate.sh`: iverilog testbench, %9 samples, every layer's spikes at every "
            "step, a checksum of all membranes per step and every output count compared with "
            "SNN Studio's bit-accurate model (prints `RESULT samples N mismatches 0`, exits 1 on "
            "a mismatch). `./simulate.sh uart`: the board-level testbench (the protocol, its "
            "recovery from lost and stray bytes, the refusal of a wrong flash image).\n"
            "- `./build.sh`: yosys, nextpnr-ice40, icepack, icetime -> `top.bin`, `report.json`.\n"
            "- `./flash.sh`: iceprog `top.bin` (and the weight image `weights.bin`, when the "
            "weights are in SPRAM) to the board.\n\n"
            "On the board, the UART runs at %10 baud 8N1 and speaks SNN Studio's framed protocol "
            "(docs/hardware.md): a RUN request carries the %11 input intensities (bytes, 0..255) "
            "and is answered with %12 spike counts and the class (most spikes, ties to the lowest "
            "index); STATUS reports the version, sizes, the design hash 0x%13 and the weight "
            "image's state. `snnc run` speaks it. The arithmetic is described in SNN Studio's "
            "docs/hardware.md.\n")
            .arg(b.name)
            .arg(options.quant.weightBits)
            .arg(options.quant.membraneBits)
            .arg(options.lanes)
            .arg(options.quant.steps)
            .arg(options.quant.seed, 0, 16)
            .arg(layers, result.fit.message)
            .arg(samples.size())
            .arg(options.baud)
            .arg(result.net.inputSize)
            .arg(result.net.outputSize())
            .arg(designHash(result.net, options.lanes), 8, 16, QLatin1Char('0'))
            .toUtf8();
    writeFiles(dir, files);
    for (const char *script : {"build.sh", "simulate.sh", "flash.sh"}) {
        QFile f(dir + QLatin1Char('/') + QLatin1String(script));
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                         QFileDevice::ExeOther);
    }
    for (const auto &entry : files)
        result.files << entry.first;
    return result;
}

} // namespace snn::hw
