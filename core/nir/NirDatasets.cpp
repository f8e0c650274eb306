#include "nir/NirInternal.h"

#include "base/Error.h"
#include "io/GraphFile.h"
#include "io/Hdf5.h"

#include <cmath>

namespace snn::nir {

using Eigen::Index;
using Eigen::VectorXd;

QString readScalarString(hid_t loc, const QString &name)
{
    // The declared count first: one string, before any is read.
    const hsize_t count = h5::elementCount(h5::datasetShape(loc, name));
    if (count != 1)
        throw Error(QStringLiteral("'%1' holds %2 strings, not one").arg(name).arg(count));
    return h5::readStrings(loc, name).front();
}

std::vector<double> readNumbers(hid_t group, const QString &name, const QString &where,
                                std::vector<hsize_t> *shape)
{
    try {
        return h5::readDoubles(group, name, shape);
    } catch (const Error &e) {
        throw Error(where + QStringLiteral(": ") + e.message());
    }
}

std::vector<hsize_t> datasetShape(hid_t group, const QString &name, const QString &where)
{
    try {
        return h5::datasetShape(group, name);
    } catch (const Error &e) {
        throw Error(where + QStringLiteral(": ") + e.message());
    }
}

VectorXd readParam(hid_t group, const QString &name, Index n, const QString &where,
                   ValueBudget &budget, std::optional<double> fallback)
{
    budget.take(hsize_t(n), where, QStringLiteral("'%1' [%2]").arg(name).arg(n));
    if (!h5::exists(group, name)) {
        if (fallback)
            return VectorXd::Constant(n, *fallback);
        throw Error(where + QStringLiteral(": missing dataset '%1'").arg(name));
    }
    // The declared shape first: one value or n, before anything is read.
    std::vector<hsize_t> shape = datasetShape(group, name, where);
    int nonUnit = 0;
    hsize_t length = 1;
    for (hsize_t d : shape)
        if (d != 1) {
            ++nonUnit;
            length = d;
        }
    if (nonUnit > 1 || (nonUnit == 1 && length != hsize_t(n)))
        throw Error(where + QStringLiteral(": '%1' has shape %2 for %3 neurons")
                                .arg(name, shapeText(shape))
                                .arg(n));
    const std::vector<double> values = readNumbers(group, name, where, &shape);
    VectorXd v;
    if (values.size() == 1)
        v = VectorXd::Constant(n, values.front());
    else
        v = Eigen::Map<const VectorXd>(values.data(), n);
    if (!v.allFinite())
        throw Error(where + QStringLiteral(": '%1' contains NaN or Inf").arg(name));
    return v;
}

double uniformParam(const VectorXd &v, const QString &name, const QString &where,
                    const QString &why)
{
    if ((v.array() != v(0)).any())
        throw Error(where + QStringLiteral(": '%1' differs across neurons (%2 to %3); %4")
                                .arg(name)
                                .arg(v.minCoeff())
                                .arg(v.maxCoeff())
                                .arg(why));
    return v(0);
}

RowMatrixXd readWeights(hid_t group, const QString &name, const QString &where, Index inputs,
                        const QString &origin, ValueBudget &budget)
{
    std::vector<hsize_t> shape = datasetShape(group, name, where);
    if (shape.size() != 2)
        throw Error(
            where +
            QStringLiteral(": '%1' has shape %2, not [out x in]").arg(name, shapeText(shape)));
    if (shape[1] != hsize_t(inputs))
        throw Error(where + QStringLiteral(": %1 is %2 but '%3' gives %4 values")
                                .arg(name, shapeText(shape), origin)
                                .arg(inputs));
    if (shape[0] == 0)
        throw Error(where + QStringLiteral(": %1 has no rows").arg(name));
    budget.take(h5::elementCount(shape), where,
                QStringLiteral("'%1' %2").arg(name, shapeText(shape)));
    RowMatrixXd m;
    try {
        m = h5::readDoubleMatrix(group, name);
    } catch (const Error &e) {
        throw Error(where + QStringLiteral(": ") + e.message());
    }
    if (!m.allFinite())
        throw Error(where + QStringLiteral(": '%1' contains NaN or Inf").arg(name));
    return m;
}

Index flatSize(hid_t group, const QString &where)
{
    // The declared length first: an array has at most 32 dimensions (HDF5's and NumPy's limit).
    constexpr hsize_t kMaxRank = 32;
    const hsize_t entries = h5::elementCount(datasetShape(group, QStringLiteral("shape"), where));
    if (entries > kMaxRank)
        throw Error(where + QStringLiteral(": 'shape' declares %1 entries, more than the %2 "
                                           "dimensions an array has")
                                .arg(entries)
                                .arg(kMaxRank));
    std::vector<double> shape;
    try {
        shape = h5::readDoubles(group, QStringLiteral("shape"));
    } catch (const Error &e) {
        throw Error(where + QStringLiteral(": ") + e.message());
    }
    Index size = 1;
    int nonUnit = 0;
    std::vector<quint64> dimensions;
    for (double d : shape) {
        if (!(d >= 1) || d != std::floor(d))
            throw Error(where + QStringLiteral(": invalid shape entry %1").arg(d));
        // Checked as doubles before the conversion: no graph SNN Studio loads has more values.
        if (double(size) * d > double(kMaxGraphValues))
            throw Error(where + QStringLiteral(": shape entry %1 makes more than %2 values")
                                    .arg(d)
                                    .arg(kMaxGraphValues));
        size *= Index(d);
        nonUnit += d != 1 ? 1 : 0;
        dimensions.push_back(quint64(d));
    }
    if (shape.empty())
        throw Error(where + QStringLiteral(": empty shape"));
    if (nonUnit > 1)
        throw Error(where + QStringLiteral(": shape %1 is not flat (SNN Studio takes flat "
                                           "inputs and outputs)")
                                .arg(shapeText(dimensions)));
    return size;
}

} // namespace snn::nir
