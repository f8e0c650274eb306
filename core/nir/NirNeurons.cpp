#include "nir/NirInternal.h"

#include "base/Error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace snn::nir {

using Eigen::Index;
using Eigen::VectorXd;

namespace {

constexpr double kSnnTorchDt = 1e-4; // the dt snnTorch's export_to_nir writes with
constexpr double kNorseDt = 1e-3;    // Norse's default dt; its to_nir writes none

bool isType(const QString &type, const char *name)
{
    return type == QLatin1String(name);
}

// Whether a gain g (r or w_in) is snnTorch's tau / dt at dt = 1e-4: g dt / tau = 1 within float32
// rounding, or both infinite (beta or alpha = 1).
bool isTauOverDt(double gain, double tau)
{
    if (std::isinf(tau) || std::isinf(gain))
        return std::isinf(tau) && std::isinf(gain);
    return std::abs(gain * kSnnTorchDt / tau - 1.0) <= 1e-6;
}

// The dt at which every neuron's r is Rockpool's tau exp(-dt / tau) / dt, when it is a round
// number (1, 2 or 5 times a power of ten, within float32 rounding) for all of them. With
// x = dt / tau, r x = exp(-x), that is x e^x = 1 / r, solved by Newton's method on
// x + ln x + ln r = 0.
std::optional<double> rockpoolDt(const NeuronNode &node)
{
    std::optional<double> dt;
    for (Index i = 0; i < node.n; ++i) {
        const double r = node.r(i), tau = node.tau(i);
        if (!(r > 0) || !(tau > 0) || std::isinf(r) || std::isinf(tau))
            return std::nullopt;
        double x = r > 1.0 ? 1.0 / r : 0.5;
        for (int k = 0; k < 60; ++k)
            x = std::max(x - (x + std::log(x) + std::log(r)) / (1.0 + 1.0 / x), x * 1e-3);
        const double step = x * tau;
        const double power = std::pow(10.0, std::floor(std::log10(step)));
        double round = 0.0;
        for (const double m : {1.0, 2.0, 5.0, 10.0})
            if (std::abs(step / (m * power) - 1.0) <= 1e-5)
                round = m * power;
        if (round == 0.0 || (dt && *dt != round))
            return std::nullopt;
        dt = round;
    }
    return dt;
}

// The decays (beta or alpha) of a node's time constants `tau` (named `name` in the file).
VectorXd decays(const VectorXd &tau, double dt, bool float64, const QString &name,
                const QString &where)
{
    VectorXd d(tau.size());
    for (Index i = 0; i < tau.size(); ++i) {
        const double t = tau(i);
        if (!(t > 0))
            throw Error(where + QStringLiteral(": %1 must be positive, not %2").arg(name).arg(t));
        // Within float32 rounding of dt (snnTorch's beta = 0 writes tau = dt in float32) is 0.
        if (1.0 - dt / t < -1e-6)
            throw Error(where + QStringLiteral(": %1 = %2 s is shorter than the time step dt = "
                                               "%3 s (beta = 1 - dt/tau would be negative); "
                                               "import with a smaller dt")
                                    .arg(name)
                                    .arg(t)
                                    .arg(dt));
        d(i) = double(decayFor(t, dt, float64));
    }
    return d;
}

// The factor r dt / tau of a LIF's input (the membrane's gain), or w_in dt / tau_syn of a
// CubaLIF's synaptic input: 1 when both are infinite (r = tau / dt with tau = +Inf).
double gain(double g, double tau, double dt, const QString &gName, const QString &tauName,
            const QString &where)
{
    if (std::isinf(tau) || std::isinf(g)) {
        if (std::isinf(tau) && std::isinf(g))
            return 1.0;
        throw Error(where + QStringLiteral(": %1 = %2 with %3 = %4: the input's factor %1 dt / "
                                           "%3 is not a number SNN Studio can use")
                                .arg(gName)
                                .arg(g)
                                .arg(tauName)
                                .arg(tau));
    }
    return g * dt / tau;
}

} // namespace

float decayFor(double tau, double dt, bool float64)
{
    if (std::isinf(tau))
        return 1.0f;
    const double x = 1.0 - dt / tau;
    // The exporters' arithmetic: tau = dt / (1 - d) in float64 (SNN Studio), with 1 - d in float32
    // (snnTorch, one value), or all in float32 (snnTorch, a value per neuron). The float32 decays
    // whose export gives the file's tau exactly are the ones that could have been exported; the
    // export loses bits of a decay below 0.5 (1 - d rounds in float32), so of several the one
    // with the shortest decimal form (0.2, as a user types it) is taken, then the one nearest to
    // 1 - dt / tau. Looked for near 1 - dt / tau (float64 or float32 dt) and near 1 - y for the
    // float32 values y = 1 - d that give tau; none found: the float nearest to 1 - dt / tau.
    const float dt32 = float(dt);
    const auto exports = [&](float d) {
        return d >= 0.0f && d < 1.0f &&
               (dt / (1.0 - double(d)) == tau ||
                (!float64 && (dt / double(1.0f - d) == tau || double(dt32 / (1.0f - d)) == tau)));
    };
    const auto digits = [](float d) {
        char text[32];
        return std::to_chars(text, text + sizeof text, d).ptr - text;
    };
    std::vector<double> centres{x, 1.0 - double(dt32) / tau};
    for (const float y0 : {float(dt / tau), float(double(dt32) / tau)}) {
        float y = y0;
        for (int k = 0; k < 2; ++k)
            y = std::nextafter(y, 0.0f);
        for (int k = 0; k < 5; ++k, y = std::nextafter(y, 2.0f))
            centres.push_back(1.0 - double(y));
    }
    float best = float(std::clamp(x, 0.0, 1.0));
    bool found = false;
    const auto consider = [&](float d) {
        if (!exports(d))
            return;
        const auto key = [&](float v) { return std::pair(digits(v), std::abs(double(v) - x)); };
        if (!found || key(d) < key(best))
            best = d;
        found = true;
    };
    for (const double c : centres) {
        float d = float(c);
        for (int k = 0; k < 4; ++k)
            d = std::nextafter(d, -1.0f);
        for (int k = 0; k < 9; ++k, d = std::nextafter(d, 2.0f))
            consider(d);
        for (int precision = 1; precision <= 9 && c > 0.0; ++precision) {
            const double scale = std::pow(10.0, precision - 1 - std::floor(std::log10(c)));
            consider(float(std::floor(c * scale) / scale));
            consider(float(std::ceil(c * scale) / scale));
        }
    }
    return best;
}

NeuronNode readNeuronNode(hid_t group, const QString &type, Index n, const QString &where,
                          ValueBudget &budget)
{
    NeuronNode node;
    node.type = type;
    node.n = n;
    node.threshold = readParam(group, QStringLiteral("v_threshold"), n, where, budget);
    node.reset = readParam(group, QStringLiteral("v_reset"), n, where, budget, 0.0);
    node.r = readParam(group, QStringLiteral("r"), n, where, budget, std::nullopt, true);
    if (isType(type, "LIF")) {
        node.tau = readParam(group, QStringLiteral("tau"), n, where, budget, std::nullopt, true);
        node.leak = readParam(group, QStringLiteral("v_leak"), n, where, budget);
    } else if (isType(type, "CubaLIF")) {
        node.tau =
            readParam(group, QStringLiteral("tau_mem"), n, where, budget, std::nullopt, true);
        node.tauSyn =
            readParam(group, QStringLiteral("tau_syn"), n, where, budget, std::nullopt, true);
        node.leak = readParam(group, QStringLiteral("v_leak"), n, where, budget);
        node.wIn = readParam(group, QStringLiteral("w_in"), n, where, budget, 1.0, true);
    }
    return node;
}

Convention recognise(const NeuronNode &node)
{
    if (isType(node.type, "IF"))
        return Convention::Literal;
    const bool cuba = isType(node.type, "CubaLIF");
    bool torch = (node.leak.array() == 0.0).all();
    bool norse = true;
    for (Index i = 0; i < node.n; ++i) {
        torch = torch && isTauOverDt(node.r(i), node.tau(i)) &&
                (!cuba || isTauOverDt(node.wIn(i), node.tauSyn(i)));
        norse = norse && node.r(i) == 1.0 && (!cuba || node.wIn(i) == 1.0);
    }
    if (torch)
        return Convention::SnnTorch;
    if (norse)
        return Convention::Norse;
    // Rockpool writes no w_in (NIR's default 1) and v_leak 0.
    if ((node.leak.array() == 0.0).all() && (!cuba || (node.wIn.array() == 1.0).all()) &&
        rockpoolDt(node))
        return Convention::Rockpool;
    return Convention::Literal;
}

double conventionDt(Convention convention, const NeuronNode &node)
{
    if (convention == Convention::Rockpool)
        return *rockpoolDt(node);
    return convention == Convention::Norse ? kNorseDt : kSnnTorchDt;
}

QString conventionText(Convention convention)
{
    switch (convention) {
    case Convention::SnnTorch:
        return QStringLiteral("snnTorch's (r = tau / dt at dt = 1e-4 s and w_in = tau_syn / dt, "
                              "as its export_to_nir writes Leaky and Synaptic: v = beta v + I, "
                              "the weights taken as they are)");
    case Convention::Norse:
        return QStringLiteral("Norse's (r = 1 and w_in = 1, as its to_nir writes LIFBoxCell and "
                              "LIFCell: the membrane starts at v_leak, a CubaLIF's input adds to "
                              "its current unscaled)");
    case Convention::Studio:
        return QStringLiteral("SNN Studio's own (its metadata; NIR's equations at its dt)");
    case Convention::Rockpool:
        return QStringLiteral("Rockpool's (r = tau exp(-dt / tau) / dt, as its to_nir writes "
                              "LIFNeuronTorch and LIFTorch): imported by NIR's equations, one "
                              "forward-Euler step of dt, where Rockpool decays by exp(-dt / tau) "
                              "and may emit several spikes a step: not Rockpool's dynamics");
    case Convention::Literal:
        break;
    }
    return QStringLiteral("NIR's equations, one forward-Euler step of dt (weights times r dt / "
                          "tau, a CubaLIF's also times w_in dt / tau_syn)");
}

NeuronMapping mapNeurons(const NeuronNode &node, Convention convention, double dt,
                         const QString &where)
{
    const Index n = node.n;
    NeuronMapping m;
    m.threshold = node.threshold;
    for (Index i = 0; i < n; ++i) {
        const double thr = node.threshold(i);
        if (!(thr > 0))
            throw Error(where + QStringLiteral(": v_threshold must be positive, not %1").arg(thr));
        if (thr > double(std::numeric_limits<float>::max()))
            throw Error(where +
                        QStringLiteral(": v_threshold = %1 is outside the float range").arg(thr));
    }
    m.initial = convention == Convention::Norse ? node.leak : VectorXd::Zero(n);
    m.leakCurrent = VectorXd::Zero(n);
    m.alpha = VectorXd::Zero(n);
    if (isType(node.type, "IF")) {
        // One unit of r I per step (docs/nir.md): dt does not enter.
        m.type = NeuronType::IF;
        m.beta = VectorXd::Ones(n);
        m.factor = node.r;
        return m;
    }
    const bool cuba = isType(node.type, "CubaLIF");
    m.type = cuba ? NeuronType::CubaLIF : NeuronType::LIF;
    const QString tauName = cuba ? QStringLiteral("tau_mem") : QStringLiteral("tau");
    const bool float64 = convention == Convention::Studio; // its own export, in float64
    m.beta = decays(node.tau, dt, float64, tauName, where);
    if (cuba) {
        m.alpha = decays(node.tauSyn, dt, float64, QStringLiteral("tau_syn"), where);
        if ((node.leak.array() != 0.0).any())
            throw Error(where + QStringLiteral(": v_leak = %1: a CubaLIF's leak adds to its "
                                               "membrane past the synaptic current, which SNN "
                                               "Studio's CubaLIF does not have")
                                    .arg(node.leak.cwiseAbs().maxCoeff()));
    }
    m.factor.resize(n);
    for (Index i = 0; i < n; ++i) {
        const double membrane =
            convention == Convention::SnnTorch
                ? 1.0
                : gain(node.r(i), node.tau(i), dt, QStringLiteral("r"), tauName, where);
        double synapse = 1.0;
        if (cuba && convention == Convention::Norse)
            synapse = node.wIn(i);
        else if (cuba && convention != Convention::SnnTorch)
            synapse = gain(node.wIn(i), node.tauSyn(i), dt, QStringLiteral("w_in"),
                           QStringLiteral("tau_syn"), where);
        m.factor(i) = membrane * synapse;
        if (!cuba && !std::isinf(node.tau(i)))
            m.leakCurrent(i) = node.leak(i) * dt / node.tau(i);
    }
    return m;
}

} // namespace snn::nir
