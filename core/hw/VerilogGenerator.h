#pragma once

// Verilog for the layer-sequential LIF core (core/hw/rtl/*.v, one design for every graph) plus
// the graph as data: snn_config.vh (sizes), snn_layers.vh (the layer table), weights.mem and
// bias.mem ($readmemh images), and a generated iverilog testbench that checks every output spike
// count against the bit-accurate model (Quantizer.h).

#include "hw/Pll.h"
#include "hw/Protocol.h"
#include "hw/Quantizer.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

namespace snn {
struct RunControl;
}

namespace snn::hw {

struct LayerLayout {
    int groups = 0;       // ceil(neurons / lanes)
    int weightBase = 0;   // first weight word: word = weightBase + source * groups + group
    int membraneBase = 0; // first membrane / bias word: word = membraneBase + group
};

// Where everything lives in the core's memories for a given lane count.
struct MemoryLayout {
    int lanes = 1;
    std::vector<LayerLayout> layers;
    int weightWords = 0;   // depth of the weight memory (lanes x weightBits per word)
    int membraneWords = 0; // depth of the membrane and bias memories (lanes x membraneBits)
    // Depths of the two lists of spiking sources (listBits per entry): list 0 holds the inputs
    // and the output of the odd layers (1, 3, ...), list 1 the even layers' (0, 2, ...).
    int listWords[2] = {1, 1};
    int maxGroups = 0; // the most groups of a layer
    int maxIndex = 0;  // the most sources or neurons of a layer (the range of the index j)
    bool hasBias = false;
    // Steps per block: the core decides a block's input spikes at once and adds each listed
    // source's weight word to the currents of all its steps (docs/hardware.md, The core). As many
    // as the lanes, at most kMaxBlockSteps and the steps: the currents are blockSteps x lanes
    // accumulators, so a small design stays small.
    int blockSteps = 1;
    int blocks = 1;          // ceil(steps / blockSteps); the last may be shorter
    int accumulatorBits = 2; // of the first layer's currents: any sum of a neuron's weights fits
    int listBits = 1;        // of a list entry: the source's first weight word and its mask

    std::int64_t weightBits(int weightBitsPerValue) const
    {
        return std::int64_t(weightWords) * lanes * weightBitsPerValue;
    }
};

inline constexpr int kMaxBlockSteps = 8;

// Lanes: 1, 2, 4, 8 or 16 (a power of two). Throws Error otherwise.
MemoryLayout memoryLayout(const QuantizedNetwork &net, int lanes);

// Number of bits to address `count` items (at least 1).
int addressBits(std::int64_t count);

struct DesignOptions {
    int lanes = 4;
    double clockHz = 12e6; // the core clock (the board's, or the PLL's output), for the UART
    int baud = 115200;
    // Weights in the UP5K's SPRAM (4 x 16K x 16 bits), loaded at start-up from the SPI flash at
    // flashOffset, instead of EBR initialised by the bitstream (spramLayout()): lanes x weight
    // bits <= 64, and at most 4 blocks in all.
    bool spram = false;
    std::uint32_t flashOffset = protocol::kFlashOffset;
    // The PLL that makes the core clock from the board's (none: the board's clock runs the core);
    // pllPad: the clock pin is the PLL's pad (SB_PLL40_PAD), else SB_PLL40_CORE.
    std::optional<PllSettings> pll;
    bool pllPad = false;
    // The board has a user button (btn_n, low while pressed): it resets the receiver and the core.
    bool button = false;
};

// The design hash compiled into the bitstream (STATUS reports it) and written into the flash
// image's header: FNV-1a (32 bits) over the weight words (in memory order, each lanes x weight
// bits, little-endian in whole 16-bit units), the bias words (lanes x membrane bits, likewise),
// per layer the threshold (4 bytes), leak shift and reset (1 byte each), then the steps (1 byte)
// and the generator seed (4 bytes), all little-endian.
std::uint32_t designHash(const QuantizedNetwork &net, int lanes);

// The 16-bit SPRAM blocks side by side that hold one weight word of lanes x weightBits bits: 1, 2
// or 4 (0 when the word is wider than 64 bits).
int spramBlocksPerWord(int lanes, int weightBits);

// Where the weights sit in SPRAM (16K x 16 bits a block). The 16-bit pieces of the words are
// numbered linearly: piece p (0 = lowest bits) of word w at q = p x stride + w, in block q / 16384
// at address q % 16384. Side by side (fewer than 16K words, or one piece a word): stride 16384, so
// piece p is in block p (one piece: words beyond 16K in the next blocks). Striped (several pieces,
// 16K words or more): stride = the words, so the pieces follow each other and a word's pieces,
// 16K or more apart, are always in different blocks (one read gives the whole word); blocks =
// ceil(pieces x words / 16K): 20,858 words of 32 bits in 3 blocks, not 4. The flash image holds
// the pieces in load order: word by word (a word's pieces together) side by side, in q order
// (piece by piece) striped. No blocks when a word is wider than 64 bits.
struct SpramLayout {
    int piecesPerWord = 0; // spramBlocksPerWord
    int blocks = 0;
    bool striped = false;
    std::int64_t stride = 0;
};
SpramLayout spramLayout(int lanes, int weightBits, std::int64_t words);

// The core's clock cycles for one sample, from start to done, given its trace (the model's run):
// exact (the testbench's CYCLES count). They depend on the sources of each layer (the inputs for
// the first) that spiked at least once in each block. Per block of b steps: 2 + one per input (the
// raster and the block's end); per group of each layer: the layer's active sources + 2 (the
// currents) + 4 x b (the steps) + lanes for all but the last layer (listing the group's spiking
// neurons); per sample: one per membrane word (v = b), one per output (the class) and 1 more.
std::int64_t coreCycles(const QuantizedNetwork &net, const MemoryLayout &layout,
                        const ModelTrace &trace);

// Where yosys keeps the iCE40 simulation models (SB_SPRAM256KA for the SPRAM testbench).
inline constexpr const char *kIce40CellsSim = "/usr/share/yosys/ice40/cells_sim.v";

using FileMap = std::map<QString, QByteArray>; // file name -> contents

// The design files: snn_core.v, snn_uart_top.v, snn_crc8.vh, snn_defines.vh, snn_config.vh,
// snn_layers.vh, bias.mem (when a layer has a bias) and the weights: weights.mem for EBR, or for
// SPRAM the flash image weights.bin (header and words, protocol::flashImage; written after the
// bitstream: iceprog -o OFFSET) and flash.mem (its bytes, for the testbench's flash model). Throws
// Error when the baud rate cannot be made from the clock (protocol::clocksPerBit).
FileMap generateDesign(const QuantizedNetwork &net, const DesignOptions &options);

// The testbenches tb_snn_core.v and tb_snn_uart.v (templates in core/hw/rtl; and
// spi_flash_model.v for SPRAM) with samples.mem (`samples`: intensities, one vector per sample)
// and the model's answers: expected.mem (output counts and class), and for tb_snn_core.v
// spikes.mem (every layer's spikes at every step, one lanes-bit word per group) and
// checksums.mem (per step, FNV-1a over all membranes). With `spram`, the testbench includes a SPI
// flash model holding flash.mem (asleep until the core's 0xAB), and the core loads its weights
// from it before the first sample.
FileMap generateTestbench(const QuantizedNetwork &net,
                          const std::vector<std::vector<std::uint8_t>> &samples,
                          const DesignOptions &options = DesignOptions());

// The board-level testbench's host clock error: besides the exact baud rate, it talks to the
// design with its bits this much shorter and longer (the cases "clock +2%" and "clock -2%").
inline constexpr double kBaudSkew = 0.02;

// Writes files into `dir` (created when missing); throws Error naming a file it cannot write.
void writeFiles(const QString &dir, const FileMap &files);

// Where the testbench's first MISMATCH line points: -1 where it names no such thing (an output
// count or the class names neither a layer nor a step).
struct MismatchSite {
    int sample = -1, layer = -1, step = -1;
};

struct RtlVerification {
    int samples = 0;
    int mismatches = 0;  // spike words, step checksums, output counts or classes that differ
    QStringList details; // the first mismatch lines from the testbench
    std::optional<MismatchSite> first; // where the first of them is
    // What the core testbench checked (0 for the UART testbench, which sees only the answers):
    int spikeWords = 0; // group sweeps compared
    int checksums = 0;  // time steps whose membrane checksum was compared
    // Output counts (samples x outputs) and how many sat at 0 or at the number of steps: a
    // comparison of stuck counts proves little.
    int outputCounts = 0, silentCounts = 0, saturatedCounts = 0;
    qint64 cycles = 0; // clock cycles from start to done, summed over the samples
    // The board-level testbench's cases that passed, in order ("status", "run", "stray byte",
    // "dropped byte", ..., "stale image", ...).
    QStringList cases;
    QString simulator = QStringLiteral("iverilog");
    bool compiled = true; // runVerilator: false when it ran the binary of an earlier compile
    int processes = 1;    // simulators run at once, each on a part of the samples
    bool passed() const { return samples > 0 && mismatches == 0; }
};

// Runs iverilog and vvp on the testbench in `dir` (as written by generateDesign and
// generateTestbench). Throws Error when a tool is missing or fails (with its last lines), when
// the simulation times out, or when the core refuses its weight image in flash (naming the check
// that failed: protocol::toString of the state). hw::runVerilator (Verilator.h) runs the core
// testbench much faster, for thousands of samples.
enum class Testbench { Core, Uart, GateLevel };
// Core: tb_snn_core.v drives snn_core's ports directly; Uart: tb_snn_uart.v talks to
// snn_uart_top over its serial line (slower: 10 bits per byte at CLKS_PER_BIT cycles each);
// GateLevel: tb_snn_core.v on the core after yosys synth_ice40 (write_verilog), with yosys' iCE40
// cell models (slow: for small networks).
RtlVerification runRtlSimulation(const QString &dir, const RunControl &control,
                                 Testbench bench = Testbench::Core);

// The source arguments of a testbench in `dir` for a simulator (iverilog and Verilator take the
// same): `files` (the testbench and the design), the flash model when the folder has one, and
// with SPRAM or `cells` yosys' iCE40 cell models (after -DNO_ICE40_DEFAULT_ASSIGNMENTS). Throws
// Error when the cell models are missing.
QStringList simulationSources(const QString &dir, const QStringList &files, bool cells = false);

// A testbench's output (RESULT, COVERAGE, CYCLES, MISMATCH and CASE lines) as a result. Throws
// Error when it printed TIMEOUT, an IMAGE state (the core refused its weight image) or no RESULT
// (`dir` names the folder in the message).
RtlVerification parseTestbenchOutput(const QByteArray &output, const QString &dir);

} // namespace snn::hw
