#pragma once

class QCPAxis;

namespace snn::widgets {

// Axes a reader can trust at a glance.

// Labels numbers with thousands separators ("125,000") and keeps as many ticks as their labels
// fit side by side, about `labelWidth` pixels each, whatever the plot's width (recounted before
// each replot), so that they never run together.
void spaceTickLabels(QCPAxis *axis, int labelWidth);

// Widens the axis' range around its centre until it spans at least `fraction` of its largest
// magnitude, so that a small change (0.4 % of 3,161 logic cells) looks small.
void keepRelativeSpan(QCPAxis *axis, double fraction);

} // namespace snn::widgets
