#include "nir/NirFile.h"

#include "base/Error.h"
#include "io/Hdf5.h"
#include "nir/NirInternal.h"

#include <QFileInfo>

#include <cmath>

namespace snn::nir {

QString metaName(const QString &key, const QString &field)
{
    return QStringLiteral("%1.%2.%3").arg(kMetaPrefix, key, field);
}

Graph importNir(const QString &path, const NirOptions &options, QStringList *assumptions)
{
    if (!(options.dt > 0) || !std::isfinite(options.dt))
        throw Error(
            QStringLiteral("the time step dt must be a positive number, not %1").arg(options.dt));
    auto guard = h5::lock();
    h5::Handle file = h5::openFile(path);
    try {
        return readNir(file, options, assumptions);
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), e.message()));
    }
}

void exportNir(const Graph &graph, const QString &path, const NirOptions &options)
{
    if (!(options.dt > 0) || !std::isfinite(options.dt))
        throw Error(
            QStringLiteral("the time step dt must be a positive number, not %1").arg(options.dt));
    graph.validate();
    h5::saveFile(path, [&](hid_t file) { writeNir(graph, file, options); });
}

QString exportWarning(const Graph &graph)
{
    QStringList subtracting;
    for (const Layer &l : graph.layers())
        if (l.neuron.spiking && l.neuron.reset != ResetMode::Zero)
            subtracting << QStringLiteral("%1 (%2)").arg(l.name, toString(l.neuron.reset));
    if (subtracting.isEmpty())
        return {};
    return QStringLiteral("NIR cannot say that %1 reset by subtracting the threshold: NIR readers "
                          "(snnTorch's import_from_nir, Norse, nir.read) reset them to v_reset = "
                          "0; only SNN Studio reads the reset back from the metadata "
                          "(docs/nir.md)")
        .arg(subtracting.join(QStringLiteral(", ")));
}

bool isNirFile(const QString &path)
{
    auto guard = h5::lock();
    const QByteArray native = QFile::encodeName(path);
    if (!QFileInfo(path).isFile() || H5Fis_hdf5(native.constData()) <= 0)
        return false;
    try {
        h5::Handle file = h5::openFile(path);
        return h5::isGroup(file, QStringLiteral("node")) &&
               !h5::hasAttribute(file, QStringLiteral("format"));
    } catch (const Error &) {
        return false;
    }
}

} // namespace snn::nir
