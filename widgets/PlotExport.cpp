#include "PlotExport.h"

#include "QCustomPlotInclude.h"
#include "SaveDialog.h"
#include "base/Error.h"
#include "io/AtomicFile.h"

#include <QBuffer>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSvgGenerator>

namespace snn::widgets {

QString plotFileFilter()
{
    return QObject::tr("PNG images (*.png);;SVG images (*.svg);;PDF documents (*.pdf)");
}

namespace {

QByteArray svgBytes(QCustomPlot *plot, const QString &path)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const QSize size = plot->size();
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(QFileInfo(path).completeBaseName());
    QCPPainter painter;
    if (!painter.begin(&svg))
        throw Error(QObject::tr("cannot draw the plot as SVG for %1").arg(path));
    plot->toPainter(&painter, size.width(), size.height());
    painter.end();
    return buffer.data();
}

} // namespace

void savePlot(QCustomPlot *plot, const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool ok = false;
    if (suffix == QLatin1String("png"))
        ok = plot->savePng(path, 0, 0, 2.0);
    else if (suffix == QLatin1String("pdf"))
        ok = plot->savePdf(path);
    else if (suffix == QLatin1String("svg"))
        return writeAtomically(path, svgBytes(plot, path));
    else
        throw Error(QObject::tr("cannot export a plot as '%1': use .png, .svg or .pdf").arg(path));
    if (!ok)
        throw Error(QObject::tr("cannot write %1").arg(path));
}

void addExportMenu(QCustomPlot *plot, const std::function<void(const QString &)> &report)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot, report](QPoint at) {
        QMenu menu(plot);
        menu.addAction(QObject::tr("Export image..."), plot, [plot, report] {
            saveThroughDialog(
                plot, QObject::tr("Export image"), QStringLiteral("plot.png"), plotFileFilter(),
                [plot](const QString &path) { savePlot(plot, path); }, report);
        });
        menu.exec(plot->mapToGlobal(at));
    });
}

} // namespace snn::widgets
