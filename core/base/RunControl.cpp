#include "base/RunControl.h"

#include "base/Error.h"

namespace snn {

void RunControl::checkCancelled() const
{
    if (cancelRequested && cancelRequested())
        throw Cancelled();
}

RunControl RunControl::part(double from, double to, const QString &prefix) const
{
    RunControl inner;
    inner.cancelRequested = cancelRequested;
    if (progress)
        inner.progress = [outer = progress, from, to, prefix](double f, const QString &step) {
            outer(from + (to - from) * f, prefix + step);
        };
    return inner;
}

} // namespace snn
