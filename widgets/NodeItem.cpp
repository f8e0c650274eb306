#include "NodeItem.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace snn::widgets {

namespace {

constexpr double kPadding = 8.0;

QFont titleFont()
{
    QFont font = QGuiApplication::font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    return font;
}

} // namespace

NodeItem::NodeItem(LayerId id)
    : m_id(id)
{
    setFlag(ItemIsSelectable);
    if (id != kNetworkInput)
        setFlag(ItemIsMovable);
    setZValue(1.0);
}

void NodeItem::setContent(const QString &title, const QStringList &lines, const QColor &fill,
                          const QString &highlight)
{
    if (title == m_title && lines == m_lines && fill == m_fill && highlight == m_highlight)
        return;
    prepareGeometryChange();
    m_title = title;
    m_lines = lines;
    m_fill = fill;
    m_highlight = highlight;
    const QFontMetricsF title_(titleFont());
    const QFontMetricsF body(QGuiApplication::font());
    const int count = int(m_lines.size()) + (m_highlight.isEmpty() ? 0 : 1);
    m_height = 2 * kPadding + title_.height() + 4 + count * body.height();
    update();
}

QRectF NodeItem::cardRect() const
{
    return QRectF(0, 0, kWidth, m_height);
}

QRectF NodeItem::boundingRect() const
{
    return cardRect().adjusted(-kPortRadius - 2, -2, kPortRadius + 2, 2);
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF card = cardRect();
    painter->setPen(isSelected() ? QPen(QColor(0x1f, 0x6f, 0xd0), 3.0)
                                 : QPen(QColor(0x55, 0x55, 0x55), 1.2));
    painter->setBrush(m_fill);
    painter->drawRoundedRect(card, 8, 8);

    QFont font = titleFont();
    painter->setFont(font);
    painter->setPen(Qt::black);
    const QFontMetricsF titleMetrics(font);
    double y = kPadding;
    painter->drawText(QRectF(kPadding, y, kWidth - 2 * kPadding, titleMetrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter, m_title);
    y += titleMetrics.height() + 4;
    const QFont body = QGuiApplication::font();
    const QFontMetricsF bodyMetrics(body);
    painter->setFont(body);
    for (const QString &line : m_lines) {
        painter->drawText(QRectF(kPadding, y, kWidth - 2 * kPadding, bodyMetrics.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, line);
        y += bodyMetrics.height();
    }
    if (!m_highlight.isEmpty()) {
        QFont bold = body;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(QColor(0x8a, 0x1c, 0x7c));
        painter->drawText(QRectF(kPadding, y, kWidth - 2 * kPadding, bodyMetrics.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, m_highlight);
    }

    painter->setPen(QPen(QColor(0x33, 0x33, 0x33), 1.2));
    painter->setBrush(Qt::white);
    const QPointF in = mapFromScene(inputPort());
    const QPointF out = mapFromScene(outputPort());
    if (!isInputNode())
        painter->drawEllipse(in, kPortRadius, kPortRadius);
    painter->setBrush(QColor(0x33, 0x33, 0x33));
    painter->drawEllipse(out, kPortRadius, kPortRadius);
}

QPointF NodeItem::inputPort() const
{
    return mapToScene(QPointF(0, m_height / 2));
}

QPointF NodeItem::outputPort() const
{
    return mapToScene(QPointF(kWidth, m_height / 2));
}

NodeItem::Port NodeItem::portAt(const QPointF &scenePos) const
{
    const double grab = kPortRadius + 4;
    if (!isInputNode() && QLineF(scenePos, inputPort()).length() <= grab)
        return Port::Input;
    if (QLineF(scenePos, outputPort()).length() <= grab)
        return Port::Output;
    return Port::None;
}

} // namespace snn::widgets
