#pragma once

// Exports a graph as a self-contained hardware folder: the Verilog, memory images, the board's
// pcf, the testbench with its samples and the model's expected answers, build.sh / simulate.sh
// and a README (from the templates in core/hw/templates/), so that the flow runs without the
// studio.

#include "hw/Boards.h"
#include "hw/CoreClock.h"
#include "hw/ResourceEstimator.h"
#include "hw/Target.h"
#include "hw/ToolRunner.h"
#include "hw/VerilogGenerator.h"

#include <map>

namespace snn::hw {

struct ExportOptions {
    QString board = QStringLiteral("icebreaker");
    QuantConfig quant;
    int lanes = 4;
    WeightMemory weightMemory = WeightMemory::Auto;
    // What Auto aims at when it chooses the lanes and the weight memory (bits or lanes 0): none
    // (the most accurate, then fastest, that fits), a latency or a logic-cell budget
    // (chooseForTarget, hw/Settle.h).
    Target target;
    // The core clock in MHz: 0 chooses it (automatic: CoreClock.h; an export alone runs the
    // oscillator, synthesiseDesign the fastest standard PLL clock nextpnr meets); the board's
    // oscillator runs the core on it; any other value makes it with the iCE40 PLL (pllSettings:
    // the nearest it can make).
    double clockMHz = 0.0;
    // The UART's baud rate; refused when the core clock cannot make it within 2% with at least
    // 8 clocks a bit.
    int baud = 115200;
    int testSamples = 8;          // testbench samples (exercisingSamples unless given)
    std::uint64_t sampleSeed = 1; // for the random samples
    std::vector<std::vector<std::uint8_t>> samples; // when set, used instead of random ones
};

struct ExportResult {
    QuantizedNetwork net;
    FitCheck fit;
    CoreClock clock; // the core clock: the oscillator's or the PLL's output, and why
    QStringList files;
};

// Random 8-bit intensities, the same for the same seed on every platform.
std::vector<std::vector<std::uint8_t>> randomSamples(int inputSize, int count, std::uint64_t seed);

// Random samples that exercise the network, for a testbench without data: each sample's uniform
// intensities (randomSamples) are scaled by the factor (1, 3/4, 1/2 ... 1/32) whose run of the
// bit-accurate model leaves the fewest output counts at 0 or at the number of steps, then the
// fewest hidden neurons that never fire or fire at every step; ties go to the larger factor.
std::vector<std::vector<std::uint8_t>> exercisingSamples(const QuantizedNetwork &net, int count,
                                                         std::uint64_t seed);

// The iceprog runs that flash an exported, built folder: the bitstream, then (with `weightsImage`,
// weights in SPRAM) the weight image at `offset`. flash.sh writes them; snnc flash and the studio
// run them.
std::vector<ToolStep> flashSteps(bool weightsImage, std::uint32_t offset = protocol::kFlashOffset);
// flashSteps for the folder `dir`: with the weight image when it holds weights.bin.
std::vector<ToolStep> flashCommands(const QString &dir);

// The text of a template from the resources (core/hw/templates/NAME) with each @KEY@ replaced by
// values[KEY] in one pass (a value's own text is never read as a placeholder). Throws
// std::logic_error when the template is missing or a placeholder and the values do not match.
QString fillTemplate(const QString &name, const std::map<QString, QString> &values);

// Quantises, checks the fit (throws Error with the fit message when it does not fit) and writes
// the folder (created when missing), at the clock exportClock gives for the options, or at
// `clock` when given (an automatic clock that synthesis chose).
ExportResult exportDesign(const Graph &graph, const ExportOptions &options, const QString &dir,
                          const CoreClock *clock = nullptr);

} // namespace snn::hw
