#include "RunControl.h"

#include "Error.h"

namespace snn {

void RunControl::checkCancelled() const
{
    if (cancelRequested && cancelRequested())
        throw Cancelled();
}

} // namespace snn
