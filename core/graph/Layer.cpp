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

QString toString(Firing firing)
{
    return kFiringNames.name(firing);
}

QString resetDescription(const NeuronParams &params)
{
    if (resetsToValue(params.reset) && params.resetValue != 0.0f)
        return QStringLiteral("%1 to %2")
            .arg(toString(params.reset))
            .arg(double(params.resetValue));
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

QString Layer::neuronValuesText() const
{
    const auto value = [](const char *field, float scalar, const Eigen::VectorXf &v) {
        if (v.size() == 0)
            return QStringLiteral("%1 %2").arg(QLatin1String(field)).arg(double(scalar));
        return QStringLiteral("%1 %2 to %3 per neuron")
            .arg(QLatin1String(field))
            .arg(double(v.minCoeff()))
            .arg(double(v.maxCoeff()));
    };
    QStringList parts{value("threshold", neuron.threshold, perNeuron.threshold),
                      value("beta", neuron.beta, perNeuron.beta)};
    if (neuron.type == NeuronType::CubaLIF)
        parts << value("alpha", neuron.alpha, perNeuron.alpha);
    if (neuron.firing == Firing::AtOrAbove)
        parts << QStringLiteral("fires at v >= threshold");
    if (neuron.initial != 0.0f || perNeuron.initial.size() > 0)
        parts << value("starts at", neuron.initial, perNeuron.initial);
    return parts.join(QStringLiteral(", "));
}

bool Layer::sameNeuronValues(int a, int b) const
{
    for (const auto &[field, v] : perNeuron.fields())
        if (v->size() > 0 && (*v)(a) != (*v)(b))
            return false;
    return true;
}

void Layer::setPerNeuron(const char *field, const Eigen::VectorXf &values)
{
    float *scalar = nullptr;
    const QLatin1String wanted(field);
    if (wanted == QLatin1String("beta"))
        scalar = &neuron.beta;
    else if (wanted == QLatin1String("threshold"))
        scalar = &neuron.threshold;
    else if (wanted == QLatin1String("alpha"))
        scalar = &neuron.alpha;
    else
        scalar = &neuron.initial; // "initial_membrane"
    for (auto &[fieldName, v] : perNeuron.fields()) {
        if (wanted != QLatin1String(fieldName))
            continue;
        const bool differ = values.size() > 1 && (values.array() != values(0)).any();
        *v = differ ? values : Eigen::VectorXf();
        if (values.size() > 0)
            *scalar = values(0);
    }
}

void Layer::removeNeurons(const std::vector<int> &drop)
{
    const std::vector<int> kept = keptIndices(neurons(), drop);
    weights = Eigen::MatrixXf(weights(kept, Eigen::all));
    bias = selectEntries(bias, kept);
    rates = selectEntries(rates, kept);
    for (auto &[field, v] : perNeuron.fields())
        setPerNeuron(field, selectEntries(*v, kept));
}

void Layer::removeInputs(const std::vector<int> &drop)
{
    const std::vector<int> kept = keptIndices(inputs(), drop);
    weights = Eigen::MatrixXf(weights(Eigen::all, kept));
}

} // namespace snn
