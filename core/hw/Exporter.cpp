#include "hw/Exporter.h"

#include "base/Error.h"
#include "base/Names.h"
#include "base/Rng.h"
#include "hw/IceFlow.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <climits>
#include <cmath>
#include <set>
#include <stdexcept>

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

std::vector<ToolStep> flashSteps(bool weightsImage, std::uint32_t offset)
{
    const auto iceprog = [](const QStringList &arguments) {
        return ToolStep{QStringLiteral("iceprog"), QStringLiteral("iceprog"), arguments,
                        QStringLiteral("fpga-icestorm")};
    };
    std::vector<ToolStep> steps{iceprog({QStringLiteral("top.bin")})};
    if (weightsImage)
        steps.push_back(iceprog(
            {QStringLiteral("-o"), QString::number(offset), QStringLiteral("weights.bin")}));
    return steps;
}

std::vector<ToolStep> flashCommands(const QString &dir)
{
    return flashSteps(QFile::exists(dir + QStringLiteral("/weights.bin")));
}

QString fillTemplate(const QString &name, const std::map<QString, QString> &values)
{
    QFile file(QStringLiteral(":/hw/templates/") + name);
    if (!file.open(QIODevice::ReadOnly))
        throw std::logic_error("a template is missing from the build's resources");
    const QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression placeholder(QStringLiteral("@([A-Z_]+)@"));
    QString filled;
    qsizetype done = 0;
    std::set<QString> used;
    for (const QRegularExpressionMatch &m : placeholder.globalMatch(text)) {
        const auto value = values.find(m.captured(1));
        if (value == values.end())
            throw std::logic_error("a template's placeholder has no value");
        filled += QStringView(text).mid(done, m.capturedStart() - done);
        filled += value->second;
        done = m.capturedEnd();
        used.insert(value->first);
    }
    if (used.size() != values.size())
        throw std::logic_error("a value has no placeholder in its template");
    filled += QStringView(text).mid(done);
    return filled;
}

std::optional<PllSettings> corePll(const Board &b, const ExportOptions &options)
{
    if (options.clockMHz > 0.0 && options.clockMHz != b.clockHz / 1e6)
        return pllSettings(b.clockHz / 1e6, options.clockMHz);
    return std::nullopt;
}

double coreClockHz(const Board &b, const ExportOptions &options)
{
    const std::optional<PllSettings> pll = corePll(b, options);
    return pll ? pll->outputMHz * 1e6 : b.clockHz;
}

namespace {

// The design's options: the board's clock, or the PLL's nearest to the asked one.
DesignOptions designOptions(const Board &b, const ExportOptions &options, bool spram)
{
    DesignOptions design;
    design.lanes = options.lanes;
    design.pll = corePll(b, options);
    design.pllPad = design.pll && b.pllPad;
    design.clockHz = design.pll ? design.pll->outputMHz * 1e6 : b.clockHz;
    design.spram = spram;
    design.baud = options.baud;
    design.button = !b.buttonPin.isEmpty();
    return design;
}

// A script running `steps` one command a line, from its template.
QByteArray stepsScript(const QString &name, const std::vector<ToolStep> &steps,
                       std::map<QString, QString> values = {})
{
    QStringList commands;
    for (const ToolStep &step : steps)
        commands << shellCommand(step);
    values[QStringLiteral("COMMANDS")] = commands.join(QLatin1Char('\n'));
    return fillTemplate(name, values).toUtf8();
}

QByteArray buildScript(const Board &b, double clockMHz)
{
    FlowOptions flow;
    flow.device = b.device;
    flow.package = b.package;
    flow.targetMHz = clockMHz;
    return stepsScript(QStringLiteral("build.sh"), flowSteps(flow),
                       {{QStringLiteral("BOARD"), b.name}});
}

QByteArray simulateScript(bool spram)
{
    const QString sources =
        spram ? QStringLiteral(" spi_flash_model.v -DNO_ICE40_DEFAULT_ASSIGNMENTS ") +
                    QLatin1String(kIce40CellsSim)
              : QString();
    return fillTemplate(QStringLiteral("simulate.sh"), {{QStringLiteral("SPRAM_SOURCES"), sources}})
        .toUtf8();
}

// The instant estimate with the logic-cell model's terms (bench/hw_estimate.py fits them).
QByteArray estimateJson(const Board &b, const ExportResult &result)
{
    const ResourceEstimate &e = result.fit.estimate;
    QJsonArray terms;
    for (const LogicCellTerm &t : e.logicCellTerms)
        terms.append(QJsonObject{{QStringLiteral("term"), t.name},
                                 {QStringLiteral("units"), t.units},
                                 {QStringLiteral("cells"), t.cells}});
    return QJsonDocument(QJsonObject{{QStringLiteral("board"), b.id},
                                     {QStringLiteral("weights_in_spram"), result.fit.spram},
                                     {QStringLiteral("clock_mhz"), result.clockMHz},
                                     {QStringLiteral("logic_cells"), e.logicCells},
                                     {QStringLiteral("ebr_blocks"), e.ebrBlocks},
                                     {QStringLiteral("spram_blocks"), e.spramBlocks},
                                     {QStringLiteral("weight_bits"), qint64(e.weightBits)},
                                     {QStringLiteral("logic_cell_terms"), terms},
                                     {QStringLiteral("message"), result.fit.message}})
        .toJson();
}

QByteArray readme(const Board &b, const ExportOptions &options, const ExportResult &result,
                  std::size_t samples)
{
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
    const QString hash =
        QStringLiteral("%1").arg(designHash(result.net, options.lanes), 8, 16, QLatin1Char('0'));
    return fillTemplate(
               QStringLiteral("README.md"),
               {{QStringLiteral("BOARD"), b.name},
                {QStringLiteral("WEIGHT_BITS"), QString::number(options.quant.weightBits)},
                {QStringLiteral("MEMBRANE_BITS"), QString::number(options.quant.membraneBits)},
                {QStringLiteral("LANES"), QString::number(options.lanes)},
                {QStringLiteral("STEPS"), QString::number(options.quant.steps)},
                {QStringLiteral("SEED"), QString::number(options.quant.seed, 16)},
                {QStringLiteral("LAYERS"), layers},
                {QStringLiteral("FIT"), result.fit.message},
                {QStringLiteral("SAMPLES"), QString::number(samples)},
                {QStringLiteral("BAUD"), QString::number(options.baud)},
                {QStringLiteral("INPUTS"), QString::number(result.net.inputSize)},
                {QStringLiteral("OUTPUTS"), QString::number(result.net.outputSize())},
                {QStringLiteral("HASH"), hash}})
        .toUtf8();
}

} // namespace

ExportResult exportDesign(const Graph &graph, const ExportOptions &options, const QString &dir)
{
    const Board &b = board(options.board);
    ExportResult result;
    result.fit = checkFit(graph, options.quant, options.lanes, b, options.weightMemory);
    if (!result.fit.fits)
        throw Error(result.fit.message);
    result.net = quantize(graph, options.quant);
    const DesignOptions design = designOptions(b, options, result.fit.spram);
    result.clockMHz = design.clockHz / 1e6;
    FileMap files = generateDesign(result.net, design);
    const auto samples =
        options.samples.empty()
            ? exercisingSamples(result.net, options.testSamples, options.sampleSeed)
            : options.samples;
    files.merge(generateTestbench(result.net, samples, design));
    files[QStringLiteral("top.pcf")] = b.pcf(design.spram);
    const QStringList scripts{QStringLiteral("build.sh"), QStringLiteral("simulate.sh"),
                              QStringLiteral("flash.sh")};
    files[scripts[0]] = buildScript(b, result.clockMHz);
    files[scripts[1]] = simulateScript(design.spram);
    files[scripts[2]] =
        stepsScript(QStringLiteral("flash.sh"), flashSteps(design.spram, design.flashOffset));
    files[QStringLiteral("estimate.json")] = estimateJson(b, result);
    files[QStringLiteral("README.md")] = readme(b, options, result, samples.size());
    writeFiles(dir, files);
    for (const QString &script : scripts) {
        QFile f(dir + QLatin1Char('/') + script);
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                         QFileDevice::ExeOther);
    }
    for (const auto &entry : files)
        result.files << entry.first;
    return result;
}

} // namespace snn::hw
