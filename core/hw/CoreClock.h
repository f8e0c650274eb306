#pragma once

// The core clock of a design (docs/hardware.md, "The clock"): the board's oscillator or an iCE40
// PLL output, given (--clock MHZ) or automatic (--clock auto, the default). An automatic clock is
// the oscillator until synthesis has measured fmax (or, when the oscillator cannot make the baud
// rate, the lowest standard clock that can); synthesis then takes the highest standard clock
// that nextpnr's fmax clears by kClockMargin (hw::synthesiseDesign). A standard clock is a whole
// number of MHz that the PLL makes exactly from the oscillator (multiples of 3 MHz from 12), so
// that the clock is what the report says and the fast baud rates divide it evenly.

#include "hw/Boards.h"
#include "hw/Pll.h"

#include <QString>

#include <optional>

namespace snn::hw {

// How far below nextpnr's fmax an automatic clock stays: at most fmax / (1 + kClockMargin).
inline constexpr double kClockMargin = 0.10;

struct CoreClock {
    double mhz = 12.0;
    std::optional<PllSettings> pll; // none: the board's oscillator drives the core
    QString reason;                 // "45 MHz by the PLL (auto: ...)", for the report and README
    bool automatic = false;         // chosen by the flow, not given
};

// "the board's 12 MHz oscillator", "45 MHz by the PLL".
QString clockName(const CoreClock &clock);

// The fastest core clock a design may run: the PLL's 275 MHz, or with the weights in flash twice
// the flash's READ clock (the loader shifts at half the core clock).
double maxClockMHz(bool spram);

// The clock an export runs. `mhz` > 0: as given (the oscillator when it is the board's, else
// the PLL's nearest: pllSettings, which throws Error outside 16..275 MHz). `mhz` 0 (automatic):
// the oscillator when it makes `baud` (protocol::clocksPerBit), else the lowest standard clock
// that does; throws Error when none does.
CoreClock exportClock(const Board &board, double mhz, int baud, bool spram);

// The automatic clock after synthesis: the highest standard clock at most fmaxMHz / (1 +
// kClockMargin), below `belowMHz` and above `currentMHz` (the clock the fmax was measured at),
// that makes `baud`; none when there is no such clock.
std::optional<CoreClock> clockForFmax(const Board &board, double fmaxMHz, double currentMHz,
                                      double belowMHz, int baud, bool spram);

} // namespace snn::hw
