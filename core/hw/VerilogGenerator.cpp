#include "hw/VerilogGenerator.h"

#include "base/Error.h"
#include "base/Names.h"
#include "base/RunControl.h"
#include "hw/Protocol.h"
#include "hw/ToolRunner.h"
#include "io/AtomicFile.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cmath>

namespace snn::hw {

namespace {

QByteArray resource(const QString &name)
{
    QFile file(QStringLiteral(":/hw/rtl/") + name);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("the built-in Verilog source %1 is missing").arg(name));
    return file.readAll();
}

// One memory word: values[l] occupies bits [l * width, (l + 1) * width), two's complement;
// little-endian bytes in whole 16-bit units (the flash image's and the design hash's layout).
QByteArray packWord(const std::vector<std::int64_t> &values, int width)
{
    const int totalBits = int(values.size()) * width;
    QByteArray bytes((totalBits + 15) / 16 * 2, '\0');
    for (std::size_t l = 0; l < values.size(); ++l) {
        const std::uint64_t v = std::uint64_t(values[l]);
        for (int b = 0; b < width; ++b) {
            const std::size_t bit = l * std::size_t(width) + std::size_t(b);
            if ((v >> b) & 1u)
                bytes[qsizetype(bit / 8)] = char(bytes[qsizetype(bit / 8)] | (1 << (bit % 8)));
        }
    }
    return bytes;
}

// The same word as a $readmemh line: ceil(bits / 4) hex digits.
QByteArray hexWord(const std::vector<std::int64_t> &values, int width)
{
    const int digits = (int(values.size()) * width + 3) / 4;
    QByteArray packed = packWord(values, width);
    std::reverse(packed.begin(), packed.end());
    return packed.toHex().right(digits) + '\n';
}

int log2Exact(int lanes)
{
    int bits = 0;
    while ((1 << bits) < lanes)
        ++bits;
    return bits;
}

int clocksPerBit(const DesignOptions &options)
{
    return protocol::clocksPerBit(options.clockHz, options.baud);
}

// The words of every layer in memory order: weights (source-major, then group) or biases (group).
template <typename Visit>
void forEachWord(const QuantizedNetwork &net, const MemoryLayout &layout, bool bias, Visit visit)
{
    const int lanes = layout.lanes;
    std::vector<std::int64_t> word(std::size_t(lanes), 0);
    for (std::size_t k = 0; k < net.layers.size(); ++k) {
        const QuantLayer &l = net.layers[k];
        const int groups = layout.layers[k].groups;
        for (int j = 0; j < (bias ? 1 : l.inputs); ++j)
            for (int g = 0; g < groups; ++g) {
                for (int lane = 0; lane < lanes; ++lane) {
                    const int n = g * lanes + lane;
                    word[std::size_t(lane)] = n >= l.neurons ? 0
                                              : bias         ? l.bias[std::size_t(n)]
                                                             : l.weight(n, j);
                }
                visit(word);
            }
    }
}

// The cycles of a sample given `active` ([block][layer]: the sources of the layer that spiked at
// least once in the block): coreCycles' formula.
std::int64_t cyclesOfActive(const QuantizedNetwork &net, const MemoryLayout &layout,
                            const std::vector<std::vector<int>> &active)
{
    const int steps = net.config.steps;
    std::int64_t cycles = layout.membraneWords + net.outputSize() + 1;
    for (int b = 0; b < layout.blocks; ++b) {
        const int length = std::min(layout.blockSteps, steps - b * layout.blockSteps);
        cycles += 2 + net.inputSize;
        for (std::size_t k = 0; k < net.layers.size(); ++k) {
            const bool last = k + 1 == net.layers.size();
            cycles += std::int64_t(layout.layers[k].groups) *
                      (active[std::size_t(b)][k] + 2 + 4 * length + (last ? 0 : layout.lanes));
        }
    }
    return cycles;
}

// The most cycles a sample can take: every source spiking at every step.
std::int64_t cyclesPerSample(const QuantizedNetwork &net, const MemoryLayout &layout)
{
    std::vector<int> block;
    for (const QuantLayer &l : net.layers)
        block.push_back(l.inputs);
    return cyclesOfActive(net, layout,
                          std::vector<std::vector<int>>(std::size_t(layout.blocks), block));
}

// The period of the clock in ns, as a Verilog real with a ps resolution (the testbenches'
// `timescale 1ns/1ps).
QString nanoseconds(double ns)
{
    return QString::number(ns, 'f', 3);
}

// Fills a testbench template: @NS@ samples, @TIMEOUT@ (ns), @CLK_NS@ (the design's clock period),
// and with SPRAM the SPI flash model wired to the design's flash ports (@FLASH_PORTS@,
// @FLASH_MODEL@); `loaded` also connects the core's loaded flag.
void fillTestbench(QString &tb, int samples, double timeoutNs, double clockHz, bool spram,
                   bool loaded)
{
    tb.replace(QStringLiteral("@NS@"), QString::number(samples));
    tb.replace(QStringLiteral("@TIMEOUT@"), // sized: Verilator limits an unsized one to 32 bits
               QStringLiteral("(64'd%1)").arg(std::llround(timeoutNs)));
    tb.replace(QStringLiteral("@CLK_NS@"), nanoseconds(1e9 / clockHz));
    QString ports, model;
    if (spram) {
        ports = QStringLiteral(",\n                 .flash_sck(flash_sck), .flash_csn(flash_csn), "
                               ".flash_mosi(flash_mosi), .flash_miso(flash_miso)");
        model = QStringLiteral("\n    wire flash_sck, flash_csn, flash_mosi, flash_miso;\n"
                               "    spi_flash_model flash(.sck(flash_sck), .csn(flash_csn), "
                               ".mosi(flash_mosi), .miso(flash_miso));");
        if (loaded) {
            ports += QStringLiteral(", .loaded(loaded)");
            model.replace(QStringLiteral("flash_miso;"), QStringLiteral("flash_miso, loaded;"));
        }
    }
    tb.replace(QStringLiteral("@FLASH_PORTS@"), ports);
    tb.replace(QStringLiteral("@FLASH_MODEL@"), model);
}

} // namespace

int addressBits(std::int64_t count)
{
    int bits = 1;
    while ((std::int64_t(1) << bits) < count)
        ++bits;
    return bits;
}

int spramBlocksPerWord(int lanes, int weightBits)
{
    const int bits = lanes * weightBits;
    return bits <= 16 ? 1 : bits <= 32 ? 2 : bits <= 64 ? 4 : 0;
}

SpramLayout spramLayout(int lanes, int weightBits, std::int64_t words)
{
    constexpr std::int64_t blockWords = 16384;
    SpramLayout s;
    s.piecesPerWord = spramBlocksPerWord(lanes, weightBits);
    s.striped = s.piecesPerWord > 1 && words >= blockWords;
    s.stride = s.striped ? words : blockWords;
    if (s.piecesPerWord > 0)
        s.blocks = int(((s.piecesPerWord - 1) * s.stride + words + blockWords - 1) / blockWords);
    return s;
}

std::int64_t coreCycles(const QuantizedNetwork &net, const MemoryLayout &layout,
                        const ModelTrace &trace)
{
    std::vector<std::vector<int>> active; // [block][layer]
    for (int b = 0; b < layout.blocks; ++b) {
        const int first = b * layout.blockSteps;
        const int end = std::min(net.config.steps, first + layout.blockSteps);
        std::vector<int> counts;
        for (std::size_t k = 0; k < net.layers.size(); ++k) {
            int count = 0;
            for (int j = 0; j < net.layers[k].inputs; ++j)
                for (int t = first; t < end; ++t) {
                    const std::vector<char> &sources =
                        k == 0 ? trace.inputs[std::size_t(t)] : trace.spikes[std::size_t(t)][k - 1];
                    if (sources[std::size_t(j)] != 0) {
                        ++count;
                        break;
                    }
                }
            counts.push_back(count);
        }
        active.push_back(std::move(counts));
    }
    return cyclesOfActive(net, layout, active);
}

MemoryLayout memoryLayout(const QuantizedNetwork &net, int lanes)
{
    if (lanes < 1 || lanes > 16 || (lanes & (lanes - 1)) != 0)
        throw Error(QStringLiteral("lanes must be 1, 2, 4, 8 or 16, got %1").arg(lanes));
    MemoryLayout layout;
    layout.lanes = lanes;
    layout.maxIndex = net.inputSize;
    layout.blockSteps = std::min({net.config.steps, lanes, kMaxBlockSteps});
    layout.blocks = (net.config.steps + layout.blockSteps - 1) / layout.blockSteps;
    for (const QuantLayer &l : net.layers) {
        LayerLayout ll;
        ll.groups = (l.neurons + lanes - 1) / lanes;
        ll.weightBase = layout.weightWords;
        ll.membraneBase = layout.membraneWords;
        layout.weightWords += l.inputs * ll.groups;
        layout.membraneWords += ll.groups;
        layout.maxGroups = std::max(layout.maxGroups, ll.groups);
        // Layer k (all but the last) lists its spiking neurons in list (k + 1) % 2 for layer k + 1.
        int &words = layout.listWords[(layout.layers.size() + 1) % 2];
        if (layout.layers.size() + 1 < net.layers.size())
            words = std::max(words, l.neurons);
        layout.maxIndex = std::max(layout.maxIndex, l.neurons);
        layout.hasBias = layout.hasBias ||
                         std::any_of(l.bias.begin(), l.bias.end(), [](int b) { return b != 0; });
        layout.layers.push_back(ll);
    }
    if (net.layers.empty())
        return layout;
    layout.listWords[0] = std::max(layout.listWords[0], net.inputSize);
    // The largest |sum| of a neuron's weights, in two's complement, and at least the weights' own
    // width.
    std::int64_t largest = 0;
    for (const QuantLayer &l : net.layers)
        for (int n = 0; n < l.neurons; ++n) {
            std::int64_t sum = 0;
            for (int j = 0; j < l.inputs; ++j)
                sum += std::abs(l.weight(n, j));
            largest = std::max(largest, sum);
        }
    layout.accumulatorBits = std::max(addressBits(largest + 1) + 1, net.config.weightBits);
    layout.listBits = addressBits(layout.weightWords) + layout.blockSteps;
    return layout;
}

std::uint32_t designHash(const QuantizedNetwork &net, int lanes)
{
    const MemoryLayout layout = memoryLayout(net, lanes);
    QByteArray data;
    forEachWord(net, layout, false, [&](const std::vector<std::int64_t> &w) {
        data += packWord(w, net.config.weightBits);
    });
    forEachWord(net, layout, true, [&](const std::vector<std::int64_t> &b) {
        data += packWord(b, net.config.membraneBits);
    });
    auto append = [&data](std::uint32_t value, int bytes) {
        for (int i = 0; i < bytes; ++i)
            data += char((value >> (8 * i)) & 0xff);
    };
    for (const QuantLayer &l : net.layers) {
        append(std::uint32_t(l.threshold), 4);
        append(std::uint32_t(l.leakShift), 1);
        append(l.reset == ResetMode::Zero ? 1u : 0u, 1);
    }
    append(std::uint32_t(net.config.steps), 1);
    append(net.config.seed, 4);
    return protocol::fnv1a(data);
}

namespace {

// Throws Error when the weights (lanes x weightBits per word) do not fit the UP5K's SPRAM: a word
// is sp.piecesPerWord 16-bit pieces (0: wider than 64 bits), and there are 4 blocks of 16K pieces;
// or when the core clock is too fast for the loader's SPI READ (half the clock, at most fR).
void checkSpram(const MemoryLayout &layout, int weightBits, const SpramLayout &sp, double clockHz)
{
    const int spw = sp.piecesPerWord;
    if (clockHz > 2 * protocol::kFlashReadMaxHz)
        throw Error(QStringLiteral("the weights in flash are read at half the core clock, at most "
                                   "%1 MHz (the flash's READ): the clock must be at most %2 MHz, "
                                   "not %3")
                        .arg(protocol::kFlashReadMaxHz / 1e6)
                        .arg(2 * protocol::kFlashReadMaxHz / 1e6)
                        .arg(clockHz / 1e6));
    if (spw == 0)
        throw Error(QStringLiteral("SPRAM words are at most 64 bits (4 blocks side by side): "
                                   "%1 lanes x %2-bit weights do not fit; use fewer lanes or "
                                   "bits")
                        .arg(layout.lanes)
                        .arg(weightBits));
    if (sp.blocks > 4)
        throw Error(QStringLiteral("the weights need %1 words of %2 bits, the UP5K's SPRAM "
                                   "holds %3")
                        .arg(layout.weightWords)
                        .arg(16 * spw)
                        .arg(4 * 16384 / spw));
}

// snn_defines.vh: where the weights live, the button, the PLL.
QByteArray definesFile(const DesignOptions &options)
{
    QByteArray defines =
        options.spram ? QByteArray("`define SNN_SPRAM\n")
                      : QByteArray("// weights in EBR (define SNN_SPRAM for the UP5K's SPRAM)\n");
    if (options.button)
        defines += "`define SNN_BUTTON\n";
    if (options.pll)
        defines += options.pllPad ? "`define SNN_PLL\n`define SNN_PLL_PAD\n" : "`define SNN_PLL\n";
    return defines;
}

// The protocol's constants (Protocol.h) as localparams of snn_config.vh.
QString protocolParameters()
{
    QString config;
    using namespace protocol;
    auto byte = [&config](const char *name, int value) {
        config += QStringLiteral("localparam [7:0] %1 = 8'h%2;\n")
                      .arg(QLatin1String(name))
                      .arg(value, 2, 16, QLatin1Char('0'));
    };
    byte("PROTOCOL_VERSION", kVersion);
    byte("REQ_START", kRequestStart);
    byte("REPLY_START", kReplyStart);
    byte("CMD_RUN", int(Command::Run));
    byte("CMD_STATUS", int(Command::Status));
    byte("CMD_ERROR", int(Command::Error));
    byte("ERR_CHECKSUM", int(ErrorCode::Checksum));
    byte("ERR_LENGTH", int(ErrorCode::Length));
    byte("ERR_COMMAND", int(ErrorCode::Command));
    byte("ERR_TIMEOUT", int(ErrorCode::Timeout));
    byte("ERR_IMAGE", int(ErrorCode::Image));
    auto state = [&config](const char *name, ImageState value) {
        config += QStringLiteral("localparam [2:0] %1 = 3'd%2;\n")
                      .arg(QLatin1String(name))
                      .arg(int(value));
    };
    state("IMG_OK", ImageState::Ok);
    state("IMG_BUILTIN", ImageState::BuiltIn);
    state("IMG_LOADING", ImageState::Loading);
    state("IMG_MISSING", ImageState::Missing);
    state("IMG_LENGTH", ImageState::WrongLength);
    state("IMG_STALE", ImageState::Stale);
    state("IMG_CRC", ImageState::BadCrc);
    state("IMG_MAGIC", ImageState::BadMagic);
    return config;
}

// snn_config.vh: the sizes of this network's core, its clocks (bitClocks per UART bit), the PLL,
// the flash image's address, the seed, the weights' hash and the protocol's constants.
QString configFile(const QuantizedNetwork &net, const MemoryLayout &layout,
                   const DesignOptions &options, const SpramLayout &sp, int bitClocks,
                   std::uint32_t hash)
{
    const QuantConfig &c = net.config;
    const int lanes = layout.lanes;
    QString config =
        QStringLiteral("// Generated by SNN Studio: the sizes of this network's core.\n");
    auto param = [&config](const char *name, std::int64_t value) {
        config += QStringLiteral("localparam %1 = %2;\n").arg(QLatin1String(name)).arg(value);
    };
    param("LANES", lanes);
    param("LANE_BITS", log2Exact(lanes));
    param("WB", c.weightBits);
    param("MB", c.membraneBits);
    param("STEPS", c.steps);
    param("CW", net.countBits());
    param("NUM_LAYERS", int(net.layers.size()));
    param("LW", addressBits(std::int64_t(net.layers.size())));
    param("IN_SIZE", net.inputSize);
    param("IAW", addressBits(net.inputSize));
    param("OUT_SIZE", net.outputSize());
    param("OAW", addressBits(net.outputSize()));
    param("JW", addressBits(layout.maxIndex));
    param("W_DEPTH", layout.weightWords);
    param("WAW", addressBits(layout.weightWords));
    param("V_DEPTH", layout.membraneWords);
    param("VAW", addressBits(layout.membraneWords));
    param("LIST0_DEPTH", layout.listWords[0]);
    param("LIST1_DEPTH", layout.listWords[1]);
    param("LAW", addressBits(std::max(layout.listWords[0], layout.listWords[1])));
    param("GAW", addressBits(layout.maxGroups));
    param("BLOCK", layout.blockSteps);
    param("BLOCK_BITS", addressBits(layout.blockSteps));
    param("NBLK", layout.blocks);
    param("LAST_BLOCK", c.steps - (layout.blocks - 1) * layout.blockSteps);
    param("AW", layout.accumulatorBits);
    param("G1", layout.layers[0].groups);
    param("HAS_BIAS", layout.hasBias ? 1 : 0);
    param("SPW", std::max(sp.piecesPerWord, 1));
    param("SPW_BITS", log2Exact(std::max(sp.piecesPerWord, 1)));
    param("SP_BLOCKS", sp.blocks);
    param("SP_STRIDE", sp.stride);
    param("SP_STRIPED", sp.striped ? 1 : 0);
    param("CLKS_PER_BIT", bitClocks);
    param("IDLE_CLKS", std::llround(options.clockHz * protocol::kIdleTimeoutMs / 1000.0));
    param("BLINK_CLKS", std::llround(options.clockHz / 4)); // LED 4 blinks at 2 Hz
    // The flash's wake-up time, in clocks for the loader and in ns for the testbench's model.
    param("FLASH_WAKE_CLKS", protocol::flashWakeClocks(options.clockHz));
    param("FLASH_WAKE_NS", std::llround(protocol::kFlashWakeNs));
    const PllSettings pll = options.pll.value_or(PllSettings());
    config += QStringLiteral("localparam [3:0] PLL_DIVR = %1;\nlocalparam [6:0] PLL_DIVF = %2;\n"
                             "localparam [2:0] PLL_DIVQ = %3;\nlocalparam [2:0] PLL_FILTER = %4;\n")
                  .arg(pll.divr)
                  .arg(pll.divf)
                  .arg(pll.divq)
                  .arg(pll.filterRange);
    config += QStringLiteral("localparam [23:0] FLASH_ADDR = 24'h%1;\n")
                  .arg(options.flashOffset & 0xffffffu, 6, 16, QLatin1Char('0'));
    config +=
        QStringLiteral("localparam [31:0] SEED = 32'h%1;\n").arg(c.seed, 8, 16, QLatin1Char('0'));
    auto hex32 = [&config](const char *name, std::uint32_t value) {
        config += QStringLiteral("localparam [31:0] %1 = 32'h%2;\n")
                      .arg(QLatin1String(name))
                      .arg(value, 8, 16, QLatin1Char('0'));
    };
    hex32("WEIGHTS_HASH", hash);
    hex32("FLASH_MAGIC", protocol::kFlashMagic);
    config += protocolParameters();
    return config;
}

// The input generator after `advances` steps from `state` (xorshift32 is linear over GF(2)).
std::uint32_t advance(std::uint32_t state, std::int64_t advances)
{
    for (std::int64_t i = 0; i < advances; ++i)
        state = xorshift32(state);
    return state;
}

// The raster's tables: BLK_STATE, the generator's state that decides input 0 at each block's first
// step (blk: the block), and JUMP, for each step k of a block and bit r of the top byte, the mask
// of the state bits whose parity is bit 24 + r of the state IN_SIZE x k advances later.
QString generatorTables(const QuantizedNetwork &net, const MemoryLayout &layout)
{
    const int block = layout.blockSteps;
    const std::int64_t stride = std::int64_t(net.inputSize) * block;
    QString tables = QStringLiteral("always @* begin\n    BLK_STATE = 32'h0;\n    case (blk)\n");
    std::uint32_t state = advance(net.config.seed, 1);
    for (int b = 0; b < layout.blocks; ++b) {
        tables += QStringLiteral("    %1: BLK_STATE = 32'h%2;\n")
                      .arg(b)
                      .arg(state, 8, 16, QLatin1Char('0'));
        state = advance(state, stride);
    }
    tables += QStringLiteral("    default: ;\n    endcase\nend\n");
    // rows[k * 8 + r]: bit i set when basis state e_i reaches bit 24 + r after k x IN_SIZE steps.
    std::vector<std::uint32_t> rows(std::size_t(block) * 8, 0);
    for (int i = 0; i < 32; ++i) {
        std::uint32_t x = std::uint32_t(1) << i;
        for (int k = 0; k < block; ++k) {
            for (int r = 0; r < 8; ++r)
                if ((x >> (24 + r)) & 1u)
                    rows[std::size_t(k * 8 + r)] |= std::uint32_t(1) << i;
            x = advance(x, net.inputSize);
        }
    }
    QString jump;
    for (auto row = rows.rbegin(); row != rows.rend(); ++row)
        jump += QStringLiteral("%1").arg(*row, 8, 16, QLatin1Char('0'));
    tables += QStringLiteral("localparam [%1:0] JUMP = %2'h%3;\n")
                  .arg(block * 8 * 32 - 1)
                  .arg(block * 8 * 32)
                  .arg(jump);
    return tables;
}

// snn_layers.vh: the layer table the core's sequencer reads.
QByteArray layerTable(const QuantizedNetwork &net, const MemoryLayout &layout)
{
    // One entry per layer; unused layer numbers get layer 0's, so that a field equal in every
    // layer is a constant for synthesis.
    QStringList entries;
    QStringList leaks;
    for (std::size_t k = 0; k < net.layers.size(); ++k) {
        const QuantLayer &l = net.layers[k];
        const LayerLayout &ll = layout.layers[k];
        // The next layer's weights, where this layer's spiking neurons are listed.
        const bool last = k + 1 == net.layers.size();
        const LayerLayout next = last ? LayerLayout{1, 0, 0} : layout.layers[k + 1];
        entries << QStringLiteral("L_N = %1; L_G = %2; L_VBASE = %3; L_OWBASE = %4; L_OG = %5;\n"
                                  "        L_THR = %6; L_ZERO = 1'b%7;")
                       .arg(l.neurons)
                       .arg(ll.groups)
                       .arg(ll.membraneBase)
                       .arg(next.weightBase)
                       .arg(next.groups)
                       .arg(l.threshold)
                       .arg(l.reset == ResetMode::Zero ? 1 : 0);
        leaks << (l.leakShift == 0 ? QStringLiteral("{MB{1'b0}}")
                                   : QStringLiteral("x >>> %1").arg(l.leakShift));
    }
    QString table = QStringLiteral("// Generated by SNN Studio: the layer table.\n"
                                   "always @* begin\n"
                                   "    case (layer)\n");
    QString leak = QStringLiteral("function [MB-1:0] leak_of;\n"
                                  "    input signed [MB-1:0] x;\n"
                                  "    input [LW-1:0] layer;\n"
                                  "    case (layer)\n");
    for (std::size_t k = 0; k < net.layers.size(); ++k) {
        table += QStringLiteral("    %1: begin // %2\n        %3\n    end\n")
                     .arg(k)
                     .arg(commentSafe(net.layers[k].name), entries[qsizetype(k)]);
        leak += QStringLiteral("    %1: leak_of = %2;\n").arg(k).arg(leaks[qsizetype(k)]);
    }
    table += QStringLiteral("    default: begin\n        %1\n    end\n    endcase\nend\n")
                 .arg(entries.front());
    leak +=
        QStringLiteral("    default: leak_of = %1;\n    endcase\nendfunction\n").arg(leaks.front());
    return (table + leak + generatorTables(net, layout)).toUtf8();
}

// The memory images: weights.mem (EBR) or weights.bin and flash.mem (SPRAM, loaded from the
// flash in `sp`'s load order, `hash` in the image's header), and bias.mem when a layer has a bias.
void addMemoryImages(const QuantizedNetwork &net, const MemoryLayout &layout,
                     const DesignOptions &options, const SpramLayout &sp, std::uint32_t hash,
                     FileMap &files)
{
    const QuantConfig &c = net.config;
    QByteArray weights;
    QByteArray flashWords; // 2 x pieces bytes per word, low byte first
    QByteArray bias;
    forEachWord(net, layout, false, [&](const std::vector<std::int64_t> &w) {
        weights += hexWord(w, c.weightBits);
        if (options.spram)
            flashWords += packWord(w, c.weightBits).leftJustified(2 * sp.piecesPerWord, '\0');
    });
    forEachWord(net, layout, true,
                [&](const std::vector<std::int64_t> &b) { bias += hexWord(b, c.membraneBits); });
    if (options.spram) {
        if (sp.striped) { // piece by piece: piece p of every word, then piece p + 1
            const int wordBytes = 2 * sp.piecesPerWord;
            QByteArray pieces;
            for (int p = 0; p < sp.piecesPerWord; ++p)
                for (qsizetype at = 2 * p; at < flashWords.size(); at += wordBytes)
                    pieces += flashWords.mid(at, 2);
            flashWords = pieces;
        }
        const QByteArray image = protocol::flashImage(flashWords, hash);
        QByteArray flashHex;
        for (const char b : image)
            flashHex += QByteArray::number(quint8(b), 16).rightJustified(2, '0') + '\n';
        files[QStringLiteral("weights.bin")] = image;
        files[QStringLiteral("flash.mem")] = flashHex;
    } else {
        files[QStringLiteral("weights.mem")] = weights;
    }
    if (layout.hasBias)
        files[QStringLiteral("bias.mem")] = bias;
}

} // namespace

FileMap generateDesign(const QuantizedNetwork &net, const DesignOptions &options)
{
    if (net.layers.empty())
        throw Error(QStringLiteral("the network has no layers"));
    const MemoryLayout layout = memoryLayout(net, options.lanes);
    FileMap files;
    files[QStringLiteral("snn_core.v")] = resource(QStringLiteral("snn_core.v"));
    files[QStringLiteral("snn_uart_top.v")] = resource(QStringLiteral("snn_uart_top.v"));
    files[QStringLiteral("snn_crc8.vh")] = resource(QStringLiteral("snn_crc8.vh"));
    const SpramLayout sp = spramLayout(layout.lanes, net.config.weightBits, layout.weightWords);
    if (options.spram)
        checkSpram(layout, net.config.weightBits, sp, options.clockHz);
    files[QStringLiteral("snn_defines.vh")] = definesFile(options);
    const int bitClocks = clocksPerBit(options);
    const std::uint32_t hash = designHash(net, layout.lanes);
    files[QStringLiteral("snn_config.vh")] =
        configFile(net, layout, options, sp, bitClocks, hash).toUtf8();
    files[QStringLiteral("snn_layers.vh")] = layerTable(net, layout);
    addMemoryImages(net, layout, options, sp, hash, files);
    return files;
}

FileMap generateTestbench(const QuantizedNetwork &net,
                          const std::vector<std::vector<std::uint8_t>> &samples,
                          const DesignOptions &options)
{
    if (samples.empty())
        throw Error(QStringLiteral("the testbench needs at least one sample"));
    const MemoryLayout lanedLayout = memoryLayout(net, options.lanes);
    const int lanes = lanedLayout.lanes;
    const std::uint32_t membraneMask =
        std::uint32_t((std::uint64_t(1) << net.config.membraneBits) - 1);
    QByteArray samplesImage;
    QByteArray expectedImage;
    QByteArray spikesImage;    // per sample, step, layer and group: the group's spikes
    QByteArray checksumsImage; // per sample, step and layer: FNV-1a over the membranes
    for (const auto &s : samples) {
        ModelTrace trace;
        const ModelResult r = runModel(net, s, &trace);
        for (int t = 0; t < net.config.steps; ++t)
            for (std::size_t k = 0; k < net.layers.size(); ++k) {
                std::uint32_t sum = 0x811c9dc5u;
                const auto &spikes = trace.spikes[std::size_t(t)][k];
                const auto &vin = trace.accumulated[std::size_t(t)][k];
                const auto &v = trace.membranes[std::size_t(t)][k];
                for (int g = 0; g < lanedLayout.layers[k].groups; ++g) {
                    std::uint32_t word = 0;
                    for (int lane = 0; lane < lanes; ++lane) {
                        const auto n = std::size_t(g * lanes + lane);
                        const bool real = n < v.size();
                        if (real && spikes[n])
                            word |= 1u << lane;
                        sum =
                            (sum ^ (real ? std::uint32_t(vin[n]) & membraneMask : 0u)) * 16777619u;
                        sum = (sum ^ (real ? std::uint32_t(v[n]) & membraneMask : 0u)) * 16777619u;
                    }
                    spikesImage += QByteArray::number(word, 16) + '\n';
                }
                checksumsImage += QByteArray::number(sum, 16) + '\n';
            }
        for (std::uint8_t x : s)
            samplesImage += QByteArray::number(x, 16).rightJustified(2, '0') + '\n';
        for (int count : r.counts)
            expectedImage += QByteArray::number(count, 16).rightJustified(2, '0') + '\n';
        expectedImage += QByteArray::number(r.predicted, 16).rightJustified(2, '0') + '\n';
    }
    const MemoryLayout layout = memoryLayout(net, 1);
    const double clockNs = 1e9 / options.clockHz;
    // The flash load: the header's 8 words and the weights, 16 bits per SPRAM block of a word,
    // 2 clocks per bit, plus the commands and the wake-up wait.
    const std::int64_t load = options.spram
                                  ? 2 * 16 *
                                            (std::int64_t(lanedLayout.weightWords) *
                                                 spramBlocksPerWord(lanes, net.config.weightBits) +
                                             8) +
                                        protocol::flashWakeClocks(options.clockHz) + 600
                                  : 0;
    const double timeout = clockNs * double((cyclesPerSample(net, layout) + 16 + net.inputSize) *
                                                std::int64_t(samples.size()) +
                                            load + 1000);
    QString tb = QString::fromUtf8(resource(QStringLiteral("tb_snn_core.v")));
    QString baseOf;
    for (std::size_t k = 1; k < net.layers.size(); ++k) {
        const int base = lanedLayout.layers[k].membraneBase;
        baseOf += QStringLiteral("\n            if (k == %1)\n                base_of = %2;")
                      .arg(k)
                      .arg(base);
    }
    tb.replace(QStringLiteral("@BASE_OF@"), baseOf);
    fillTestbench(tb, int(samples.size()), timeout, options.clockHz, options.spram, true);
    FileMap files;
    files[QStringLiteral("tb_snn_core.v")] = tb.toUtf8();
    if (options.spram)
        files[QStringLiteral("spi_flash_model.v")] = resource(QStringLiteral("spi_flash_model.v"));
    // The board-level testbench: the samples through the UART top, then about 25 more requests
    // (two at a skewed baud rate, the recovery cases, and with flash five reloads), each waiting
    // at most one idle timeout: twice that, at the slowest sender.
    const double bitNs = 1e9 / options.baud;
    const double request =
        double(net.inputSize + net.outputSize() + 40) * 10 * bitNs / (1 - kBaudSkew) +
        double(cyclesPerSample(net, layout) + 40 * clocksPerBit(options)) * clockNs;
    const double uartTimeout =
        2 * (double(samples.size() + 25) * request + 6 * double(load) * clockNs) + 1e5;
    QString uart = QString::fromUtf8(resource(QStringLiteral("tb_snn_uart.v")));
    fillTestbench(uart, int(samples.size()), uartTimeout, options.clockHz, options.spram, false);
    uart.replace(QStringLiteral("@BIT_NS@"), nanoseconds(bitNs));
    uart.replace(QStringLiteral("@SKEW@"), QString::number(kBaudSkew));
    uart.replace(QStringLiteral("@SKEW_PERCENT@"), QString::number(kBaudSkew * 100));
    files[QStringLiteral("tb_snn_uart.v")] = uart.toUtf8();
    files[QStringLiteral("samples.mem")] = samplesImage;
    files[QStringLiteral("expected.mem")] = expectedImage;
    files[QStringLiteral("spikes.mem")] = spikesImage;
    files[QStringLiteral("checksums.mem")] = checksumsImage;
    return files;
}

void writeFiles(const QString &dir, const FileMap &files)
{
    makeFolder(dir);
    std::vector<FileContents> contents;
    for (const auto &[name, bytes] : files)
        contents.push_back({QDir(dir).filePath(name), bytes});
    writeAtomically(contents);
}

QStringList simulationSources(const QString &dir, const QStringList &files, bool cells)
{
    QStringList sources = files;
    if (QFile::exists(QDir(dir).filePath(QStringLiteral("spi_flash_model.v"))))
        sources << QStringLiteral("spi_flash_model.v");
    QFile defines(QDir(dir).filePath(QStringLiteral("snn_defines.vh")));
    if (cells ||
        (defines.open(QIODevice::ReadOnly) && defines.readAll().contains("`define SNN_SPRAM"))) {
        if (!QFile::exists(QLatin1String(kIce40CellsSim)))
            throw Error(
                QStringLiteral("the iCE40 simulation models %1 are missing (apt-get install "
                               "yosys)")
                    .arg(QLatin1String(kIce40CellsSim)));
        sources << QStringLiteral("-DNO_ICE40_DEFAULT_ASSIGNMENTS")
                << QLatin1String(kIce40CellsSim);
    }
    return sources;
}

RtlVerification runRtlSimulation(const QString &dir, const RunControl &control, Testbench bench)
{
    control.report(0.0, QStringLiteral("iverilog"));
    const QString top =
        bench == Testbench::Uart ? QStringLiteral("tb_snn_uart") : QStringLiteral("tb_snn_core");
    QString core = QStringLiteral("snn_core.v");
    if (bench == Testbench::GateLevel) {
        // The core as yosys maps it to iCE40 cells (SB_LUT4, SB_CARRY, SB_RAM40_4K with the
        // weights in its INIT parameters...), simulated with yosys' cell models.
        control.report(0.0, QStringLiteral("yosys"));
        core = QStringLiteral("snn_core_gates.v");
        runToolBlocking(QStringLiteral("yosys"),
                        {QStringLiteral("-q"), QStringLiteral("-p"),
                         QStringLiteral("synth_ice40 -top snn_core; write_verilog -noattr ") + core,
                         QStringLiteral("snn_core.v")},
                        dir, QStringLiteral("yosys"), control);
    }
    QStringList files{top + QStringLiteral(".v"), core};
    if (bench == Testbench::Uart)
        files << QStringLiteral("snn_uart_top.v");
    runToolBlocking(
        QStringLiteral("iverilog"),
        QStringList{QStringLiteral("-g2005"), QStringLiteral("-o"), top + QStringLiteral(".vvp")} +
            simulationSources(dir, files, bench == Testbench::GateLevel),
        dir, QStringLiteral("iverilog"), control);
    control.report(0.2, QStringLiteral("vvp"));
    const QByteArray output =
        runToolBlocking(QStringLiteral("vvp"), {QStringLiteral("-n"), top + QStringLiteral(".vvp")},
                        dir, QStringLiteral("iverilog"), control);
    control.report(1.0, QStringLiteral("done"));
    return parseTestbenchOutput(output, dir);
}

namespace {

// "MISMATCH sample S step T layer L group G spikes ...", "MISMATCH sample S step T membrane
// checksum ...", "MISMATCH sample S neuron N ..." or "MISMATCH sample S class ...".
MismatchSite mismatchSite(const QStringList &words)
{
    auto after = [&words](const char *key) {
        const qsizetype at = words.indexOf(QLatin1String(key));
        return at >= 0 && at + 1 < words.size() ? words[at + 1].toInt() : -1;
    };
    return {after("sample"), after("layer"), after("step")};
}

} // namespace

RtlVerification parseTestbenchOutput(const QByteArray &output, const QString &dir)
{
    RtlVerification result;
    bool finished = false;
    for (const QByteArray &line : output.split('\n')) {
        const QString text = QString::fromLocal8Bit(line).trimmed();
        if (text.startsWith(QLatin1String("MISMATCH"))) {
            if (!result.first && text.startsWith(QLatin1String("MISMATCH sample ")))
                result.first = mismatchSite(text.split(QLatin1Char(' ')));
            if (result.details.size() < 20)
                result.details << text;
        } else if (text.startsWith(QLatin1String("CASE ")) && text.endsWith(QLatin1String(" ok"))) {
            result.cases << text.mid(5, text.size() - 8);
        } else if (text.startsWith(QLatin1String("COVERAGE"))) {
            const QStringList parts = text.split(QLatin1Char(' '));
            if (parts.size() == 11) {
                result.outputCounts = parts[2].toInt();
                result.silentCounts = parts[4].toInt();
                result.saturatedCounts = parts[6].toInt();
                result.spikeWords = parts[8].toInt();
                result.checksums = parts[10].toInt();
            }
        } else if (text.startsWith(QLatin1String("CYCLES"))) {
            result.cycles = text.section(QLatin1Char(' '), 4, 4).toLongLong();
        } else if (text.startsWith(QLatin1String("RESULT"))) {
            const QStringList parts = text.split(QLatin1Char(' '));
            if (parts.size() == 5) {
                result.samples = parts[2].toInt();
                result.mismatches = parts[4].toInt();
                finished = true;
            }
        } else if (text.startsWith(QLatin1String("IMAGE state "))) {
            const auto state = protocol::ImageState(text.section(QLatin1Char(' '), 2, 2).toInt());
            throw Error(QStringLiteral("the core in %1 refused its weight image (flash.mem): %2")
                            .arg(dir, protocol::toString(state)));
        } else if (text == QLatin1String("TIMEOUT")) {
            throw Error(QStringLiteral("the RTL simulation in %1 timed out (the core never "
                                       "answered)")
                            .arg(dir));
        }
    }
    if (!finished)
        throw Error(QStringLiteral("the RTL simulation in %1 printed no result: %2")
                        .arg(dir, QString::fromLocal8Bit(output.right(300)).simplified()));
    return result;
}

} // namespace snn::hw
