#include "base/Rng.h"

#include <cmath>
#include <numbers>

namespace snn {

namespace {

std::uint64_t splitmix64(std::uint64_t &x)
{
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

Rng::Rng(std::uint64_t seed)
{
    for (std::uint64_t &s : m_s)
        s = splitmix64(seed);
}

double Rng::uniform()
{
    // 53 random bits, shifted by half a step so the result is never 0 or 1.
    return (double(next() >> 11) + 0.5) * 0x1.0p-53;
}

double Rng::normal()
{
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    const double r = std::sqrt(-2.0 * std::log(uniform()));
    const double phi = 2.0 * std::numbers::pi * uniform();
    m_spare = r * std::sin(phi);
    m_hasSpare = true;
    return r * std::cos(phi);
}

} // namespace snn
