#include "graph/Layer.h"

#include <QStringList>

#include <algorithm>

namespace snn {

QString toString(NeuronType type)
{
    return kNeuronTypeNames.name(type);
}

QString toString(ResetMode mode)
{
    return kResetModeNames.name(mode);
}

QString resetDescription(const NeuronParams &params)
{
    if (params.reset == ResetMode::Zero && params.resetValue != 0.0f)
        return QStringLiteral("zero to %1").arg(double(params.resetValue));
    return toString(params.reset);
}

namespace {

// Indices 0..count-1 that are not in the sorted list `drop`.
std::vector<int> keptIndices(int count, const std::vector<int> &drop)
{
    std::vector<int> kept;
    kept.reserve(std::size_t(count));
    auto it = drop.begin();
    for (int i = 0; i < count; ++i) {
        if (it != drop.end() && *it == i)
            ++it;
        else
            kept.push_back(i);
    }
    return kept;
}

Eigen::VectorXf selectEntries(const Eigen::VectorXf &v, const std::vector<int> &kept)
{
    if (v.size() == 0)
        return v;
    return v(kept);
}

} // namespace

void Layer::removeNeurons(const std::vector<int> &drop)
{
    const std::vector<int> kept = keptIndices(neurons(), drop);
    weights = Eigen::MatrixXf(weights(kept, Eigen::all));
    bias = selectEntries(bias, kept);
    rates = selectEntries(rates, kept);
}

void Layer::removeInputs(const std::vector<int> &drop)
{
    const std::vector<int> kept = keptIndices(inputs(), drop);
    weights = Eigen::MatrixXf(weights(Eigen::all, kept));
}

} // namespace snn
