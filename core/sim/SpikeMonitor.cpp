#include "sim/SpikeMonitor.h"

#include "base/Error.h"

namespace snn::sim {

std::vector<int> Activity::silentNeurons() const
{
    std::vector<int> silent;
    for (const Eigen::VectorXf &r : rates)
        silent.push_back(int((r.array() == 0.0f).count()));
    return silent;
}

Activity SpikeMonitor::record(const Graph &graph, const Dataset &data,
                              const RunControl &control) const
{
    graph.validate();
    data.checkFits(graph.inputSize(), graph.layer(classifierLayer(graph)).neurons());
    SimResult result = run(graph, data.x, m_options, control);
    Activity a;
    a.samples = result.samples;
    a.steps = result.steps;
    a.rates = result.rates();
    a.outputCounts = std::move(result.scores);
    a.predictions = std::move(result.predictions);
    a.accuracy = accuracy(a.predictions, data.y);
    return a;
}

QString measuredRatesSource(const QString &dataSet, const QString &split, int samples,
                            const SimOptions &options)
{
    return QStringLiteral("measured: %1, %2, %3 samples, %4, T=%5")
        .arg(dataSet, split)
        .arg(samples)
        .arg(toString(options.encoding))
        .arg(options.steps);
}

Activity SpikeMonitor::measure(Graph &graph, const Dataset &data, const QString &dataSet,
                               const QString &split, const RunControl &control) const
{
    Activity a = record(graph, data, control);
    storeRates(graph, a, measuredRatesSource(dataSet, split, a.samples, m_options));
    return a;
}

void SpikeMonitor::storeRates(Graph &graph, const Activity &activity, const QString &source)
{
    if (activity.rates.size() != std::size_t(graph.layerCount()))
        throw Error(QStringLiteral("the activity was recorded on %1 layers, the graph has %2")
                        .arg(activity.rates.size())
                        .arg(graph.layerCount()));
    for (std::size_t k = 0; k < activity.rates.size(); ++k) {
        Layer &l = graph.layer(graph.layers()[k].id);
        const Eigen::VectorXf &r = activity.rates[k];
        if (r.size() != 0 && r.size() != l.neurons())
            throw Error(QStringLiteral("layer '%1': %2 rates recorded for %3 neurons")
                            .arg(l.name)
                            .arg(r.size())
                            .arg(l.neurons()));
        l.rates = r;
        l.ratesSource = r.size() > 0 ? source : QString();
    }
}

} // namespace snn::sim
