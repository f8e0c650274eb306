#pragma once

#include <QString>

namespace snn::widgets {
class MainWindow;
}

namespace snn::studio {

// Shows the window at a fixed size, takes canvas.png (the example on the canvas, a layer
// selected) and optimization.png (the optimisation panel and heatmap after running every pass)
// into `dir`. Returns the process exit code.
int takeScreenshots(widgets::MainWindow &window, const QString &dir);

} // namespace snn::studio
