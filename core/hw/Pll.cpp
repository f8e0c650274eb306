#include "hw/Pll.h"

#include "base/Error.h"

#include <algorithm>
#include <cmath>

namespace snn::hw {

PllSettings pllSettings(double inputMHz, double outputMHz)
{
    if (!(inputMHz >= 10.0 && inputMHz <= 133.0))
        throw Error(
            QStringLiteral("the iCE40 PLL takes a 10 to 133 MHz input, not %1 MHz").arg(inputMHz));
    if (!(outputMHz >= 16.0 && outputMHz <= 275.0))
        throw Error(QStringLiteral("the iCE40 PLL makes 16 to 275 MHz, not %1 MHz (leave the "
                                   "clock at the board's %2 MHz for no PLL)")
                        .arg(outputMHz)
                        .arg(inputMHz));
    PllSettings best;
    bool found = false;
    for (int divr = 0; divr <= 15; ++divr) {
        const double pfd = inputMHz / (divr + 1);
        if (pfd < 10.0 || pfd > 133.0)
            continue;
        for (int divf = 0; divf <= 127; ++divf) {
            const double vco = pfd * (divf + 1);
            if (vco < 533.0 || vco > 1066.0)
                continue;
            for (int divq = 1; divq <= 6; ++divq) {
                const double out = vco * std::exp2(-divq);
                if (!found || std::fabs(out - outputMHz) < std::fabs(best.outputMHz - outputMHz)) {
                    best = {divr, divf, divq, 0, out};
                    found = true;
                }
            }
        }
    }
    if (!found)
        throw Error(QStringLiteral("the iCE40 PLL cannot make %1 MHz from %2 MHz")
                        .arg(outputMHz)
                        .arg(inputMHz));
    const double pfd = inputMHz / (best.divr + 1);
    best.filterRange = pfd < 17    ? 1
                       : pfd < 26  ? 2
                       : pfd < 44  ? 3
                       : pfd < 66  ? 4
                       : pfd < 101 ? 5
                                   : 6;
    return best;
}

std::vector<double> standardClocksMHz(double inputMHz, double maxMHz)
{
    std::vector<double> clocks;
    for (int mhz = 16; mhz <= std::min(maxMHz, 275.0); ++mhz)
        if (std::fabs(pllSettings(inputMHz, mhz).outputMHz - mhz) < 1e-9)
            clocks.push_back(mhz);
    return clocks;
}

} // namespace snn::hw
