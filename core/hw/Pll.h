#pragma once

// The iCE40 PLL (SB_PLL40_PAD / SB_PLL40_CORE, SIMPLE feedback): the divider settings for a core
// clock, found the way icestorm's icepll finds them.

#include <vector>

namespace snn::hw {

struct PllSettings {
    int divr = 0;         // reference divider: f_pfd = f_in / (divr + 1)
    int divf = 0;         // feedback divider: f_vco = f_pfd * (divf + 1)
    int divq = 0;         // output divider: f_out = f_vco / 2^divq
    int filterRange = 0;  // loop filter for f_pfd
    double outputMHz = 0; // what the PLL makes (the closest to the request)
};

// Contract: icepll's search (icestorm icepll.cc, SIMPLE feedback): over divr 0..15 with f_pfd in
// [10, 133] MHz, divf 0..127 with f_vco in [533, 1066] MHz and divq 1..6, the settings whose
// output is closest to `outputMHz` (the first found on a tie); the filter range from f_pfd (1
// below 17 MHz, 2 below 26, 3 below 44, 4 below 66, 5 below 101, else 6). Throws Error when the
// input is outside 10..133 MHz or the output outside 16..275 MHz.
PllSettings pllSettings(double inputMHz, double outputMHz);

// The standard clocks: the whole MHz from 16 to `maxMHz` (at most 275) that the PLL makes exactly
// from `inputMHz` (pllSettings' output equal to the request), ascending. From 12 MHz: the
// multiples of 3 from 18 to 264, and 270.
std::vector<double> standardClocksMHz(double inputMHz, double maxMHz = 275.0);

} // namespace snn::hw
