#pragma once

#include <cstdint>

namespace snn {

// A small seeded generator (xoshiro256**, seeded through splitmix64) whose output is the same on
// every platform and standard library, unlike std::normal_distribution. Used wherever the
// project promises "same seed, same result".
class Rng {
public:
    explicit Rng(std::uint64_t seed);

    std::uint64_t next() // inline: the engine's rate encoder draws one per two input pixels
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    // Uniform in the open interval (0, 1): never exactly 0 or 1.
    double uniform();
    // Standard normal (Box-Muller).
    double normal();

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    std::uint64_t m_s[4];
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

} // namespace snn
