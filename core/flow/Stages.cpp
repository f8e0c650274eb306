#include "flow/Stages.h"

#include "base/Error.h"

#include <algorithm>

namespace snn::flow {

bool isUntrained(const Graph &graph)
{
    return std::none_of(graph.layers().begin(), graph.layers().end(),
                        [](const Layer &l) { return l.hasRates() && !l.hasSyntheticRates(); });
}

Trained trainGraph(const Graph &graph, const sim::DataSplit &data,
                   const sim::TrainSettings &settings, const TrainProgressFn &progress,
                   const RunControl &control)
{
    Trained trained{sim::TrainState::start(graph)};
    trained.stopped = sim::trainUntilStopped(trained.state, data, settings, progress, control);
    return trained;
}

QString trainingText(const sim::TrainProgress &p)
{
    return QStringLiteral("epoch %1/%2, batch %3/%4: loss %5")
        .arg(p.epoch)
        .arg(p.epochs)
        .arg(p.batch)
        .arg(p.batches)
        .arg(p.loss, 0, 'f', 3);
}

QString epochsText(int epochs)
{
    return epochs == 1 ? QStringLiteral("1 epoch") : QStringLiteral("%1 epochs").arg(epochs);
}

QString trainedText(const sim::TrainState &state)
{
    QString text = epochsText(state.epoch) + QStringLiteral(", kept epoch %1").arg(state.bestEpoch);
    if (state.bestEpoch > 0 && state.bestEpoch <= int(state.history.size()))
        if (const auto &accuracy =
                state.history[std::size_t(state.bestEpoch - 1)].validationAccuracy)
            text += QStringLiteral(", validation accuracy %1%").arg(100.0 * *accuracy, 0, 'f', 2);
    return text;
}

sim::Dataset validationSet(const sim::DataSplit &data)
{
    return data.validation ? *data.validation : data.train.tail(sim::kDefaultValidationSize);
}

Measured measureRates(const Graph &graph, const sim::DataSplit &data, const RunControl &control)
{
    Measured measured{graph, {}};
    measured.activity = sim::SpikeMonitor().measure(measured.graph, validationSet(data), data.label,
                                                    sim::kValidationSplit, control);
    return measured;
}

QString measuredText(const sim::Activity &a)
{
    int silent = 0;
    for (int n : a.silentNeurons())
        silent += n;
    return QStringLiteral("%1 validation samples, %2 neurons never fired, accuracy %3%")
        .arg(a.samples)
        .arg(silent)
        .arg(100.0 * a.accuracy, 0, 'f', 2);
}

std::shared_ptr<const ValidationSet> accuracySet(const sim::DataSplit &data)
{
    auto set = std::make_shared<ValidationSet>();
    set->data = data.test ? *data.test : data.train;
    return set;
}

std::shared_ptr<const RowMatrixXf> targetSamples(const sim::DataSplit &data)
{
    const std::shared_ptr<const ValidationSet> set = accuracySet(data);
    return {set, &set->data.x}; // the set lives as long as its samples are used
}

QString passesText(const Report &r)
{
    QString text = QStringLiteral("%1 -> %2 parameters (%3x)")
                       .arg(r.before.params)
                       .arg(r.after.params)
                       .arg(r.compressionRatio(), 0, 'f', 3);
    if (r.accuracy)
        text += QStringLiteral(", accuracy %1% -> %2%")
                    .arg(100.0 * r.accuracy->before, 0, 'f', 2)
                    .arg(100.0 * r.accuracy->after, 0, 'f', 2);
    return text;
}

FineTuned fineTune(const Graph &input, const OptimizeResult &passes, sim::TrainSettings settings,
                   int bits, int epochs, const sim::DataSplit &data, const OptimizeOptions &options,
                   const TrainProgressFn &progress, const RunControl &control)
{
    settings.options.qatBits = bits;
    settings.options.epochs = epochs;
    Trained trained = trainGraph(passes.graph, data, settings, progress, control);
    if (trained.stopped)
        throw Cancelled();
    const QString how = QStringLiteral("fine-tuned %1 through the %2-bit core")
                            .arg(epochsText(trained.state.epoch))
                            .arg(bits);
    OptimizeResult result = retrained(input, passes, trained.state.best, how, options, control);
    return {std::move(result), std::move(trained.state), bits};
}

QString fineTunedText(const FineTuned &tuned, const Report &passes)
{
    // The core's accuracy after the passes alone and after the fine-tune.
    const auto core = [](const Report &r) -> std::optional<double> {
        if (!r.hardware || r.hardware->quantized.empty())
            return std::nullopt;
        return r.hardware->quantized.front().accuracy.after;
    };
    QString text = trainedText(tuned.state);
    if (const auto before = core(passes), after = core(tuned.result.report); before && after)
        text += QStringLiteral("; %1-bit core accuracy %2% -> %3%")
                    .arg(tuned.bits)
                    .arg(100.0 * *before, 0, 'f', 2)
                    .arg(100.0 * *after, 0, 'f', 2);
    return text;
}

} // namespace snn::flow
