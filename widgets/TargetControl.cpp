#include "TargetControl.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSettings>

#include <algorithm>
#include <cmath>

namespace snn::widgets {

namespace {

using Kind = hw::Target::Kind;

const QString kKind = QStringLiteral("Kind");
const QString kLatency = QStringLiteral("LatencyMs");
const QString kLogicCells = QStringLiteral("LogicCells");

} // namespace

TargetControl::TargetControl(QWidget *parent)
    : QWidget(parent)
    , m_kind(new QComboBox(this))
    , m_value(new QDoubleSpinBox(this))
{
    m_kind->setObjectName(QStringLiteral("targetKind"));
    m_kind->addItem(tr("none"), int(Kind::None));
    m_kind->addItem(tr("latency ≤"), int(Kind::LatencyMs));
    m_kind->addItem(tr("logic cells ≤"), int(Kind::LogicCells));
    m_kind->setToolTip(
        tr("What Auto aims at. Latency: the smallest design (fewest logic cells, then memory "
           "blocks) whose latency per inference is at most this; logic cells: the fastest design "
           "under this many. The latency is the core's mean cycles over the data set's test "
           "samples at the core clock. Needs a data set, and Auto weights or lanes"));
    m_value->setObjectName(QStringLiteral("targetValue"));
    m_value->setToolTip(m_kind->toolTip());
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_kind);
    layout->addWidget(m_value, 1);
    kindChanged();
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        kindChanged();
        Q_EMIT changed();
    });
    connect(m_value, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        (target().kind == Kind::LatencyMs ? m_latencyMs : m_logicCells) = value;
        Q_EMIT changed();
    });
}

hw::Target TargetControl::target() const
{
    switch (Kind(m_kind->currentData().toInt())) {
    case Kind::LatencyMs:
        return hw::Target::latency(m_value->value());
    case Kind::LogicCells:
        return hw::Target::logicCells(m_value->value());
    case Kind::None:
        break;
    }
    return {};
}

void TargetControl::setTarget(const hw::Target &target)
{
    if (target.kind == Kind::LatencyMs)
        m_latencyMs = target.value;
    else if (target.kind == Kind::LogicCells)
        m_logicCells = target.value;
    {
        const QSignalBlocker blocker(this); // one changed() for the whole change
        m_kind->setCurrentIndex(m_kind->findData(int(target.kind)));
        kindChanged();
    }
    Q_EMIT changed();
}

void TargetControl::kindChanged()
{
    const Kind kind = Kind(m_kind->currentData().toInt());
    const QSignalBlocker blocker(m_value); // showing a value is no change of it
    if (kind == Kind::LogicCells) {
        m_value->setDecimals(0);
        m_value->setRange(1.0, 1e6);
        m_value->setSingleStep(100.0);
        m_value->setSuffix(tr(" LC"));
        m_value->setValue(m_logicCells);
    } else {
        m_value->setDecimals(3);
        m_value->setRange(0.001, 1e6);
        m_value->setSingleStep(1.0);
        m_value->setSuffix(tr(" ms"));
        m_value->setValue(m_latencyMs);
    }
    m_value->setEnabled(kind != Kind::None);
}

void TargetControl::restore(const QSettings &settings, const QString &prefix)
{
    const auto positive = [&](const QString &key, double fallback) {
        const double v = settings.value(prefix + key, fallback).toDouble();
        return std::isfinite(v) && v > 0.0 ? v : fallback;
    };
    m_latencyMs = positive(kLatency, m_latencyMs);
    m_logicCells = positive(kLogicCells, m_logicCells);
    const int kind = m_kind->findData(settings.value(prefix + kKind, 0).toInt());
    const QSignalBlocker blocker(this);
    m_kind->setCurrentIndex(std::max(kind, 0));
    kindChanged();
}

void TargetControl::save(QSettings &settings, const QString &prefix) const
{
    settings.setValue(prefix + kKind, m_kind->currentData());
    settings.setValue(prefix + kLatency, m_latencyMs);
    settings.setValue(prefix + kLogicCells, m_logicCells);
}

} // namespace snn::widgets
