#include "Options.h"

#include "Convert.h"
#include "base/Error.h"

namespace snnpy {

using namespace snn;

QStringList passList(const std::optional<std::vector<std::string>> &names)
{
    if (!names)
        return availablePasses();
    QStringList list;
    for (const std::string &n : *names)
        list << qstr(n);
    return list;
}

sim::SimOptions simOptions(int steps, const std::string &encoding, std::uint64_t seed)
{
    sim::SimOptions o;
    o.steps = steps;
    o.seed = seed;
    o.encoding = sim::kEncodingNames.parse(qstr(encoding), QStringLiteral("encoding"));
    o.validate();
    return o;
}

hw::ExportOptions exportOptions(const std::string &board, int bits, int lanes, int steps,
                                int membraneBits, const std::string &memory, double clockMHz)
{
    if (!(clockMHz >= 0.0))
        throw Error(QStringLiteral("clock_mhz takes a frequency in MHz, or 0 for automatic, not %1")
                        .arg(clockMHz));
    hw::ExportOptions o;
    o.clockMHz = clockMHz;
    o.board = hw::board(qstr(board)).id;
    o.quant.weightBits = bits;
    o.quant.steps = steps;
    o.quant.membraneBits = membraneBits;
    o.lanes = lanes;
    o.weightMemory = hw::kWeightMemoryNames.parse(qstr(memory), QStringLiteral("--memory"));
    o.quant.validate();
    return o;
}

OptimizeOptions optimizeOptions(float deadThreshold, float similarity, float normTolerance,
                                float fusionActivity, const py::object &validate, int steps,
                                const std::string &encoding, std::uint64_t seed, int limit)
{
    OptimizeOptions options;
    options.deadThreshold = deadThreshold;
    options.similarity = similarity;
    options.normTolerance = normTolerance;
    options.fusionActivity = fusionActivity;
    if (!validate.is_none()) {
        auto set = std::make_shared<ValidationSet>();
        set->simulation = simOptions(steps, encoding, seed);
        set->data = dataset(validate, limit);
        options.validation = std::move(set);
    }
    return options;
}

PruningBudget pruningBudget(const py::object &value, const char *name)
{
    if (value.is_none())
        return {};
    QString text = py::isinstance<py::str>(value) ? qstr(value.cast<std::string>())
                                                  : qstr(py::str(value).cast<std::string>());
    const bool percent = text.endsWith(QLatin1Char('%'));
    if (percent)
        text.chop(1);
    bool ok = false;
    const double number = text.trimmed().toDouble(&ok);
    if (!ok || !(number > 0.0))
        throw Error(QStringLiteral("%1 takes a number above 0 or 'N%', not %2")
                        .arg(QLatin1String(name), qstr(py::repr(value).cast<std::string>())));
    return {number, percent};
}

} // namespace snnpy
