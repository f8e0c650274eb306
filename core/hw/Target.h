#pragma once

// A goal for Auto beyond "the most accurate, then the fastest configuration that fits"
// (docs/hardware.md, "A latency or logic-cell target"): a latency per inference to meet with the
// smallest design, or a logic-cell budget to stay under with the fastest one (hw::chooseForTarget).

#include <QJsonValue>
#include <QString>

namespace snn::hw {

struct Target {
    enum class Kind { None, LatencyMs, LogicCells };
    Kind kind = Kind::None;
    double value = 0.0; // milliseconds per inference, or logic cells

    static Target latency(double ms) { return {Kind::LatencyMs, ms}; }
    static Target logicCells(double cells) { return {Kind::LogicCells, cells}; }

    bool isSet() const { return kind != Kind::None; }
    // "latency <= 2.5 ms", "<= 3,000 logic cells", "" for none.
    QString text() const;
    // {"kind": "latency_ms" | "logic_cells", "value": v}, or "none".
    QJsonValue toJson() const;
    // Throws Error naming the target when its value is not a positive number.
    void validate() const;
};

} // namespace snn::hw
