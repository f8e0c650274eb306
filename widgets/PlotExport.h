#pragma once

#include <QString>

#include <functional>

class QCustomPlot;

namespace snn::widgets {

// Plot images for the docs and reports: PNG (raster, at twice the on-screen resolution) and PDF
// (vector) with QCustomPlot's own savers, SVG (vector) drawn through Qt SVG's QSvgGenerator.

// The save dialog's filter: "PNG images (*.png);;SVG images (*.svg);;PDF documents (*.pdf)".
QString plotFileFilter();

// Writes the plot at its on-screen size in the format the suffix names (.png, .svg or .pdf;
// anything else is refused); SVG atomically (AtomicFile). Throws Error with one line naming the
// file when it cannot be written.
void savePlot(QCustomPlot *plot, const QString &path);

// Gives the plot a context menu with "Export image..." (a save dialog, then savePlot); errors and
// the written path go to `report`.
void addExportMenu(QCustomPlot *plot, const std::function<void(const QString &)> &report);

} // namespace snn::widgets
