#include "Screenshots.h"

#include "CanvasView.h"
#include "Document.h"
#include "MainWindow.h"
#include "OptimizationPanel.h"

#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QPixmap>
#include <QTextStream>
#include <QTimer>

namespace snn::studio {

namespace {

void settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool save(QWidget *widget, const QString &path)
{
    const bool ok = widget->grab().save(path);
    QTextStream(stderr) << (ok ? "wrote " : "cannot write ") << path << '\n';
    return ok;
}

} // namespace

int takeScreenshots(widgets::MainWindow &window, const QString &dir)
{
    if (!QDir().mkpath(dir))
        return 1;
    window.resize(1600, 1000);
    window.show();
    settle(300);
    if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("panel_Properties")))
        dock->raise();
    window.resizeDocks({window.findChild<QDockWidget *>(QStringLiteral("panel_Properties"))}, {400},
                       Qt::Horizontal);
    settle(100);
    window.canvas()->fitToView();
    const Graph &graph = window.document()->graph();
    if (!graph.isEmpty())
        window.canvas()->selectLayer(graph.layers().front().id);
    settle(300);
    if (!save(&window, QDir(dir).filePath(QStringLiteral("canvas.png"))))
        return 1;

    if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("panel_Optimisation"))) {
        dock->raise();
        window.resizeDocks({dock}, {640}, Qt::Horizontal); // room for the report's lines
    }
    settle(100);
    window.canvas()->fitToView();
    QEventLoop loop;
    QObject::connect(window.optimization(), &widgets::OptimizationPanel::runFinished, &loop,
                     &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    window.optimization()->run();
    loop.exec();
    settle(300);
    if (!save(&window, QDir(dir).filePath(QStringLiteral("optimization.png"))))
        return 1;
    // The FPGA tab after the run: the resource estimate for the graph and the optimised graph.
    if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("panel_FPGA")))
        dock->raise();
    settle(300);
    return save(&window, QDir(dir).filePath(QStringLiteral("fpga.png"))) ? 0 : 1;
}

} // namespace snn::studio
