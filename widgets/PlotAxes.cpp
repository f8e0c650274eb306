#include "PlotAxes.h"

#include "QCustomPlotInclude.h"

#include <algorithm>
#include <cmath>

namespace snn::widgets {

void spaceTickLabels(QCPAxis *axis, int labelWidth)
{
    QCustomPlot *plot = axis->parentPlot();
    plot->setLocale(QLocale(QLocale::English)); // "125,000"
    axis->setNumberFormat(QStringLiteral("f"));
    axis->setNumberPrecision(0);
    QObject::connect(plot, &QCustomPlot::beforeReplot, axis, [axis, labelWidth] {
        const int room = axis->orientation() == Qt::Horizontal ? axis->axisRect()->width()
                                                               : axis->axisRect()->height();
        axis->ticker()->setTickCount(std::max(2, room / std::max(1, labelWidth)));
    });
}

void keepRelativeSpan(QCPAxis *axis, double fraction)
{
    const QCPRange range = axis->range();
    const double least = fraction * std::max(std::abs(range.lower), std::abs(range.upper));
    if (range.size() >= least)
        return;
    axis->setRange(range.center() - least / 2, range.center() + least / 2);
}

} // namespace snn::widgets
