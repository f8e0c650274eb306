#pragma once

// The fit checks (instant resource estimates) of an original graph and its optimised graph under
// one set of hardware settings, computed off the GUI thread once whenever a graph or the settings
// change, newest first (a superseded check is dropped). Automatic weight bits or lanes are
// settled on the original graph (flow::settle; a latency or logic-cell target on the samples
// given, whose cycles the check then measures): exportOptions() are the settings a build of it
// uses. What the FPGA tab shows and the comparison's estimate rows read.

#include "flow/Hardware.h"

#include <QObject>

#include <memory>
#include <optional>

namespace snn {
class JobRunner;
}

namespace snn::flow {

class HardwareEstimates : public QObject {
    Q_OBJECT
public:
    // `options`: the settings as set (weight bits / lanes 0 are automatic). Nothing is checked
    // before a graph or new settings are given.
    explicit HardwareEstimates(const hw::ExportOptions &options, QObject *parent = nullptr);
    ~HardwareEstimates() override;

    void setOriginal(const Graph &graph);
    // The optimised graph, checked under the settings settled on the original.
    void setOptimized(const std::optional<Graph> &graph);
    // The settings as set: weight bits / lanes 0 are automatic.
    void setOptions(const hw::ExportOptions &options);
    const Graph &original() const { return m_original; }
    const std::optional<Graph> &optimized() const { return m_optimized; }
    const hw::ExportOptions &options() const { return m_options; }
    // The samples a target's latency is measured on (rows of values in [0, 1]); nullptr: none (a
    // target then has no fit check, its reason says why). Checked again only with a target.
    void setSamples(std::shared_ptr<const RowMatrixXf> samples);
    const std::shared_ptr<const RowMatrixXf> &samples() const { return m_samples; }

    // The settings as used: automatic bits and lanes (with a target, the weight memory too) as
    // chosen for the original graph, or 8 bits / 4 lanes until that choice has arrived.
    hw::ExportOptions exportOptions() const;
    // The chooser's one-line explanation (empty when bits and lanes are fixed).
    QString choice() const { return m_choice; }
    // With a target: the chosen design's latency per inference on the samples (FitEstimate).
    const std::optional<double> &latencyMs() const { return m_latencyMs; }
    // The original graph's settled settings (nullopt: not yet, or it cannot be built).
    const std::optional<hw::ExportOptions> &chosen() const { return m_chosen; }
    // Why the original graph has no fit check (empty when it has one).
    QString originalError() const { return m_originalError; }
    const std::optional<hw::FitCheck> &originalFit() const { return m_originalFit; }
    const std::optional<hw::FitCheck> &optimizedFit() const { return m_optimizedFit; }
    bool isEstimating() const;

Q_SIGNALS:
    // A check began (optimized: of the optimised graph).
    void started(bool optimized);
    // A check arrived: originalFit() (and chosen(), choice()) or optimizedFit() changed.
    void changed(bool optimized);

private:
    void estimate(bool optimized);

    Graph m_original;
    std::optional<Graph> m_optimized;
    hw::ExportOptions m_options;
    std::shared_ptr<const RowMatrixXf> m_samples;
    std::optional<double> m_latencyMs;
    std::optional<hw::FitCheck> m_originalFit;
    std::optional<hw::FitCheck> m_optimizedFit;
    std::optional<hw::ExportOptions> m_chosen;
    QString m_choice;
    QString m_originalError;
    JobRunner *m_originalJob;
    JobRunner *m_optimizedJob;
};

} // namespace snn::flow
