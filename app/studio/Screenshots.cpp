#include "Screenshots.h"

#include "CanvasView.h"
#include "ComparisonModel.h"
#include "Document.h"
#include "MainWindow.h"
#include "OptimizationPanel.h"

#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QPixmap>
#include <QTableView>
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

// Runs the event loop until `signal` of `sender` or the timeout.
template <typename Sender, typename Signal>
void waitFor(Sender *sender, Signal signal, int timeoutMs)
{
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int takeScreenshots(widgets::MainWindow &window, const QString &dir, const QString &dataSpec)
{
    if (!QDir().mkpath(dir))
        return 1;
    if (!dataSpec.isEmpty()) {
        QTimer::singleShot(0, &window, [&window, dataSpec] { window.attachData(dataSpec); });
        waitFor(&window, &widgets::MainWindow::dataAttached, 120000);
    }
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
    if (auto *rates = window.findChild<QDockWidget *>(QStringLiteral("panel_Firing rates")))
        window.resizeDocks({rates}, {300}, Qt::Vertical); // room for the table's metric rows
    settle(100);
    window.canvas()->fitToView();
    QTimer::singleShot(0, window.optimization(), &widgets::OptimizationPanel::run);
    waitFor(window.optimization(), &widgets::OptimizationPanel::runFinished, 300000);
    // The last metric rows (accuracy, hardware) in view, above the per-layer rows.
    const widgets::ComparisonModel *model = window.optimization()->model();
    window.optimization()->table()->scrollTo(
        model->index(model->rowOf(widgets::ComparisonModel::kFpgaCoreAccuracy), 0));
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
