#pragma once

// Readability checks of a QCustomPlot as drawn (call after it has been laid out and replotted).

#include "QCustomPlotInclude.h"

#include <QFontMetrics>
#include <QRectF>
#include <QString>

#include <cmath>
#include <vector>

// The first problem that makes a text of `plot` unreadable, or an empty string: a visible text
// item (QCPItemText) outside its axis rect (clipped) or overlapping another, a legend item
// narrower than its text needs or outside the plot, a text element (a title) narrower than its
// text, or tick labels of an axis closer than their size.
inline QString unreadableText(QCustomPlot *plot)
{
    const QRectF area(QPointF(0, 0), QSizeF(plot->size()));
    std::vector<std::pair<QString, QRectF>> texts;
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto *text = qobject_cast<QCPItemText *>(plot->item(i));
        if (!text || !text->visible())
            continue;
        const QRectF box =
            QRectF(text->topLeft->pixelPosition(), text->bottomRight->pixelPosition()).normalized();
        const QRectF clip = text->clipToAxisRect() && text->clipAxisRect()
                                ? QRectF(text->clipAxisRect()->rect())
                                : area;
        if (!clip.contains(box))
            return QStringLiteral("label '%1' clipped").arg(text->text());
        for (const auto &[other, otherBox] : texts)
            if (box.intersects(otherBox))
                return QStringLiteral("labels '%1' and '%2' overlap").arg(other, text->text());
        texts.emplace_back(text->text(), box);
    }
    for (QCPAxisRect *rect : plot->axisRects())
        for (QCPAxis *axis : rect->axes()) {
            if (!axis->visible() || !axis->tickLabels())
                continue;
            const QFontMetrics metrics(axis->tickLabelFont());
            const QVector<double> ticks = axis->tickVector();
            const QVector<QString> labels = axis->tickVectorLabels();
            for (int i = 1; i < ticks.size(); ++i) {
                const double gap =
                    std::abs(axis->coordToPixel(ticks[i]) - axis->coordToPixel(ticks[i - 1]));
                const double needed = axis->orientation() == Qt::Horizontal
                                          ? (metrics.horizontalAdvance(labels[i]) +
                                             metrics.horizontalAdvance(labels[i - 1])) /
                                                2.0
                                          : metrics.height();
                if (gap < needed)
                    return QStringLiteral("tick labels '%1' and '%2' overlap")
                        .arg(labels[i - 1], labels[i]);
            }
        }
    for (QCPLayoutElement *element : plot->plotLayout()->elements(true)) {
        if (!element)
            continue;
        if (auto *title = qobject_cast<QCPTextElement *>(element)) {
            if (element->minimumOuterSizeHint().width() > title->outerRect().width() ||
                !area.contains(QRectF(title->outerRect())))
                return QStringLiteral("title '%1' clipped").arg(title->text());
        }
        if (auto *legend = qobject_cast<QCPLegend *>(element)) {
            for (int i = 0; i < legend->itemCount(); ++i) {
                QCPLayoutElement *item = legend->item(i); // its size hint is public here
                if (!item)
                    continue; // an empty cell of a wrapped legend
                if (item->minimumOuterSizeHint().width() > item->outerRect().width() ||
                    !area.contains(QRectF(item->outerRect())))
                    return QStringLiteral("legend item %1 clipped").arg(i);
            }
        }
    }
    return {};
}
