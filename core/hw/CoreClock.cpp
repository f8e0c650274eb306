#include "hw/CoreClock.h"

#include "base/Error.h"
#include "hw/Protocol.h"

namespace snn::hw {

namespace {

bool makesBaud(double mhz, int baud)
{
    try {
        protocol::clocksPerBit(mhz * 1e6, baud);
        return true;
    } catch (const Error &) {
        return false;
    }
}

CoreClock pllClock(const Board &board, double mhz)
{
    CoreClock c;
    c.pll = pllSettings(board.clockHz / 1e6, mhz);
    c.mhz = c.pll->outputMHz;
    return c;
}

} // namespace

QString clockName(const CoreClock &clock)
{
    return clock.pll ? QStringLiteral("%1 MHz by the PLL").arg(clock.mhz)
                     : QStringLiteral("the board's %1 MHz oscillator").arg(clock.mhz);
}

double maxClockMHz(bool spram)
{
    return spram ? 2 * protocol::kFlashReadMaxHz / 1e6 : 275.0;
}

CoreClock exportClock(const Board &board, double mhz, int baud, bool spram)
{
    const double oscillator = board.clockHz / 1e6;
    if (mhz > 0.0) {
        CoreClock c =
            mhz == oscillator ? CoreClock{oscillator, {}, {}, false} : pllClock(board, mhz);
        c.reason = QStringLiteral("%1, as set").arg(clockName(c));
        return c;
    }
    const QString later = QStringLiteral("synthesis chooses a faster PLL clock when nextpnr's "
                                         "fmax allows");
    if (makesBaud(oscillator, baud)) {
        CoreClock c{oscillator, {}, {}, true};
        c.reason = QStringLiteral("%1 (auto: %2)").arg(clockName(c), later);
        return c;
    }
    for (double f : standardClocksMHz(oscillator, maxClockMHz(spram)))
        if (makesBaud(f, baud)) {
            CoreClock c = pllClock(board, f);
            c.reason = QStringLiteral("%1 (auto: the lowest standard clock that makes %2 baud; "
                                      "%3)")
                           .arg(clockName(c))
                           .arg(baud)
                           .arg(later);
            c.automatic = true;
            return c;
        }
    throw Error(QStringLiteral("no core clock up to %1 MHz makes %2 baud")
                    .arg(maxClockMHz(spram))
                    .arg(baud));
}

std::optional<CoreClock> clockForFmax(const Board &board, double fmaxMHz, double currentMHz,
                                      double belowMHz, int baud, bool spram)
{
    const std::vector<double> clocks = standardClocksMHz(board.clockHz / 1e6, maxClockMHz(spram));
    for (auto f = clocks.rbegin(); f != clocks.rend(); ++f)
        if (*f * (1 + kClockMargin) <= fmaxMHz && *f<belowMHz && * f> currentMHz &&
            makesBaud(*f, baud)) {
            CoreClock c = pllClock(board, *f);
            c.reason = QStringLiteral("%1 (auto: the highest standard clock %2% below nextpnr's "
                                      "%3 MHz fmax at %4 MHz)")
                           .arg(clockName(c))
                           .arg(kClockMargin * 100)
                           .arg(fmaxMHz, 0, 'f', 2)
                           .arg(currentMHz);
            c.automatic = true;
            return c;
        }
    return std::nullopt;
}

} // namespace snn::hw
