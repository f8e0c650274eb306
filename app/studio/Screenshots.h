#pragma once

#include <QString>

namespace snn::widgets {
class MainWindow;
}

namespace snn::studio {

// Shows the window at a fixed size, takes canvas.png (the graph on the canvas, a layer selected),
// optimization.png (the optimisation panel and heatmap after running every pass) and fpga.png
// into `dir`. With `dataSpec`, the data set is attached first, so the run measures accuracy.
// Returns the process exit code.
int takeScreenshots(widgets::MainWindow &window, const QString &dir, const QString &dataSpec = {});

} // namespace snn::studio
