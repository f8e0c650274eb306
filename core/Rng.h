#pragma once

#include <cstdint>

namespace snn {

// A small seeded generator (xoshiro256**, seeded through splitmix64) whose output is the same on
// every platform and standard library, unlike std::normal_distribution. Used wherever the
// project promises "same seed, same result".
class Rng {
public:
    explicit Rng(std::uint64_t seed);

    std::uint64_t next();
    // Uniform in the open interval (0, 1): never exactly 0 or 1.
    double uniform();
    // Standard normal (Box-Muller).
    double normal();

private:
    std::uint64_t m_s[4];
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

} // namespace snn
