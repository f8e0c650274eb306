#pragma once

// The FPGA tab's target for Auto (hw::Target, docs/hardware.md "A latency or logic-cell
// target"): "none", "latency ≤ [ms]" or "logic cells ≤ [N]", a combo and a spin box. Each kind
// keeps its own value (switching back finds it again); restore() / save() remember them.

#include "hw/Target.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QSettings;

namespace snn::widgets {

class TargetControl : public QWidget {
    Q_OBJECT
public:
    explicit TargetControl(QWidget *parent = nullptr);

    // As set: none, or the kind with its value.
    hw::Target target() const;
    void setTarget(const hw::Target &target);

    // The kind and both values under `prefix` ("fpga/target..."); unknown or bad ones: none.
    void restore(const QSettings &settings, const QString &prefix);
    void save(QSettings &settings, const QString &prefix) const;

Q_SIGNALS:
    void changed(); // the kind or the value

private:
    void kindChanged(); // the spin box shows the kind's value, range and unit

    QComboBox *m_kind = nullptr;
    QDoubleSpinBox *m_value = nullptr;
    double m_latencyMs = 10.0;    // what the spin box holds for each kind
    double m_logicCells = 3000.0; // (its value is the current kind's)
};

} // namespace snn::widgets
