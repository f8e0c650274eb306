#include "nir/NirInternal.h"

#include "base/Error.h"
#include "io/GraphFile.h"
#include "io/Hdf5.h"

#include <algorithm>
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
                   ValueBudget &budget, std::optional<double> fallback, bool infinite)
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
    const bool bad =
        infinite ? (v.array().isNaN() || v.array() == -HUGE_VAL).any() : !v.allFinite();
    if (bad)
        throw Error(where +
                    QStringLiteral(": '%1' contains NaN or %2")
                        .arg(name, infinite ? QStringLiteral("-Inf") : QStringLiteral("Inf")));
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

std::vector<Index> nodeShape(hid_t group, const QString &where)
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
    std::vector<Index> dimensions;
    for (double d : shape) {
        if (!(d >= 1) || d != std::floor(d))
            throw Error(where + QStringLiteral(": invalid shape entry %1").arg(d));
        // Checked as doubles before the conversion: no graph SNN Studio loads has more values.
        if (double(size) * d > double(kMaxGraphValues))
            throw Error(where + QStringLiteral(": shape entry %1 makes more than %2 values")
                                    .arg(d)
                                    .arg(kMaxGraphValues));
        size *= Index(d);
        dimensions.push_back(Index(d));
    }
    if (shape.empty())
        throw Error(where + QStringLiteral(": empty shape"));
    return dimensions;
}

Index shapeSize(const std::vector<Index> &shape)
{
    Index size = 1;
    for (const Index d : shape)
        size *= d;
    return size;
}

bool isFlat(const std::vector<Index> &shape)
{
    return std::count_if(shape.begin(), shape.end(), [](Index d) { return d != 1; }) <= 1;
}

QString dimsText(const std::vector<Index> &shape)
{
    return shapeText(std::vector<quint64>(shape.begin(), shape.end()));
}

std::vector<Index> flattenShape(hid_t group, const std::vector<Index> &shape, const QString &origin,
                                const QString &where, ValueBudget &budget)
{
    // NIR's dimensions: negative ones count from the end; defaults as nir.Flatten's.
    const auto dimension = [&](const QString &name, double fallback) {
        const double d =
            h5::exists(group, name) ? readParam(group, name, 1, where, budget)(0) : fallback;
        const double rank = double(shape.size());
        const double index = d < 0 ? d + rank : d;
        if (d != std::floor(d) || index < 0 || index >= rank)
            throw Error(where + QStringLiteral(": %1 = %2 is not a dimension of its input's %3")
                                    .arg(name)
                                    .arg(d)
                                    .arg(dimsText(shape)));
        return std::size_t(index);
    };
    const std::size_t start = dimension(QStringLiteral("start_dim"), 1);
    const std::size_t end = dimension(QStringLiteral("end_dim"), -1);
    if (h5::exists(group, QStringLiteral("input_type"))) {
        const hsize_t entries =
            h5::elementCount(datasetShape(group, QStringLiteral("input_type"), where));
        std::vector<double> type;
        if (entries == shape.size())
            type = readNumbers(group, QStringLiteral("input_type"), where, nullptr);
        if (!std::equal(type.begin(), type.end(), shape.begin(), shape.end(),
                        [](double t, Index d) { return t == double(d); }))
            throw Error(where + QStringLiteral(": its input_type is not the %1 '%2' gives")
                                    .arg(dimsText(shape), origin));
    }
    if (start > end)
        throw Error(where + QStringLiteral(": start_dim comes after end_dim"));
    std::vector<Index> out(shape.begin(), shape.begin() + std::ptrdiff_t(start));
    out.push_back(shapeSize(std::vector<Index>(shape.begin() + std::ptrdiff_t(start),
                                               shape.begin() + std::ptrdiff_t(end) + 1)));
    out.insert(out.end(), shape.begin() + std::ptrdiff_t(end) + 1, shape.end());
    if (!isFlat(out))
        throw Error(where + QStringLiteral(": gives %1, not a flat vector (SNN Studio layers "
                                           "take flat inputs)")
                                .arg(dimsText(out)));
    return out;
}

Index flatSize(hid_t group, const QString &where)
{
    const std::vector<Index> shape = nodeShape(group, where);
    if (!isFlat(shape))
        throw Error(where + QStringLiteral(": shape %1 is not flat (SNN Studio takes flat "
                                           "inputs and outputs)")
                                .arg(dimsText(shape)));
    return shapeSize(shape);
}

} // namespace snn::nir
