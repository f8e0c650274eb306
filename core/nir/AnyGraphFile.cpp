#include "nir/AnyGraphFile.h"

#include "io/GraphFile.h"

namespace snn {

Graph loadAnyGraph(const QString &path, const nir::NirOptions &nirOptions)
{
    if (nir::isNirFile(path))
        return nir::importNir(path, nirOptions);
    return loadGraph(path);
}

GraphSummary loadAnyGraphSummary(const QString &path, const nir::NirOptions &nirOptions)
{
    if (nir::isNirFile(path))
        return summarize(nir::importNir(path, nirOptions));
    return loadGraphSummary(path);
}

} // namespace snn
