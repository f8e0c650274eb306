#pragma once

#include <QString>

#include <functional>

namespace snn {

// What a long job (passes, simulation, training, synthesis) is handed by its caller: where to
// report progress, and how to learn that it should stop. Both are optional; both may be called
// from the job's thread, so they must be thread-safe.
struct RunControl {
    std::function<void(double fraction, const QString &step)> progress;
    std::function<bool()> cancelRequested;

    void report(double fraction, const QString &step) const
    {
        if (progress)
            progress(fraction, step);
    }
    // Throws Cancelled when the caller asked to stop.
    void checkCancelled() const;
    // The control of a part of this job that covers [from, to] of its progress: the part reports
    // 0..1, its steps named prefix + step; cancelling is shared.
    RunControl part(double from, double to, const QString &prefix = {}) const;
};

} // namespace snn
