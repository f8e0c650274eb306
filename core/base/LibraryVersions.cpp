#include "base/LibraryVersions.h"

#include <cblas.h>
#include <hdf5.h>

namespace snn {

QString hdf5Version()
{
    unsigned major = 0, minor = 0, release = 0;
    H5get_libversion(&major, &minor, &release);
    return QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(release);
}

QString openblasVersion()
{
    return QString::fromLatin1(openblas_get_config()).trimmed();
}

} // namespace snn
