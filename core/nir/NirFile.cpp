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
    QStringList subtracting, others;
    for (const Layer &l : graph.layers()) {
        if (!l.neuron.spiking)
            continue;
        if (!resetsToValue(l.neuron.reset))
            subtracting << QStringLiteral("%1 (%2)").arg(l.name, toString(l.neuron.reset));
        if (l.neuron.reset == ResetMode::ZeroNext)
            others << QStringLiteral("%1 resets a step late (zero-next)").arg(l.name);
        if (l.neuron.firing == Firing::AtOrAbove)
            others << QStringLiteral("%1 fires at v >= threshold").arg(l.name);
        bool starts = l.neuron.initial != 0.0f;
        for (int n = 0; n < l.neurons() && !starts; ++n)
            starts = l.initial(n) != 0.0f;
        if (starts)
            others << QStringLiteral("%1's membrane starts away from 0").arg(l.name);
    }
    QStringList parts;
    if (!subtracting.isEmpty())
        parts << QStringLiteral("NIR cannot say that %1 reset by subtracting the threshold: NIR "
                                "readers (snnTorch's import_from_nir, Norse, nir.read) reset them "
                                "to v_reset = 0; only SNN Studio reads the reset back from the "
                                "metadata (docs/nir.md)")
                     .arg(subtracting.join(QStringLiteral(", ")));
    if (!others.isEmpty())
        parts << QStringLiteral("NIR cannot say that %1: other readers run them as NIR defines "
                                "its neurons; only SNN Studio reads these back from the metadata "
                                "(docs/nir.md)")
                     .arg(others.join(QStringLiteral(", ")));
    return parts.join(QStringLiteral("; "));
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
