#pragma once

#include <QString>

namespace snn::widgets {
class MainWindow;
}

namespace snn::studio {

// Drives the window through the states the docs picture, for an outside tool that takes the
// pictures (scripts/screenshots.sh: Xvfb + ImageMagick's import): shows the window as a user
// gets it and, at each state, prints "shot <name>" on stdout and waits for a line on stdin.
// States, through the window's own pages and Run menu: getstarted (the first start), canvas
// (Graph, the first layer selected), optimization (Optimise after Run passes), spikes, sweep
// (a sweep of the dead threshold), fpga (Deploy after the pipeline) and training (Train: two
// short runs compared). With `dataSpec`, the data set is attached first, so the runs measure
// accuracy. Nothing here fits, resizes or arranges the window. Returns the process exit code.
int takeScreenshots(widgets::MainWindow &window, const QString &dataSpec = {});

} // namespace snn::studio
