#pragma once

#include "graph/Layer.h"

#include <QColor>
#include <QGraphicsItem>
#include <QStringList>

namespace snn::widgets {

// One node on the canvas: a layer (or the network input, id kNetworkInput) drawn as a card with
// a title, a few lines of facts, an input port on the left and an output port on the right.
class NodeItem : public QGraphicsItem {
public:
    enum class Port { None, Input, Output };
    static constexpr double kWidth = 200.0;
    static constexpr double kPortRadius = 7.0;

    explicit NodeItem(LayerId id);

    LayerId layerId() const { return m_id; }
    bool isInputNode() const { return m_id == kNetworkInput; }
    void setContent(const QString &title, const QStringList &lines, const QColor &fill,
                    const QString &highlight = {});

    QString title() const { return m_title; }
    QStringList lines() const { return m_lines; }
    QString highlight() const { return m_highlight; }

    QRectF boundingRect() const override;
    // The card (without the ports' overhang) in scene coordinates.
    QRectF sceneCardRect() const { return mapRectToScene(cardRect()); }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    // Port centres in scene coordinates; which port (if any) lies under a scene point.
    QPointF inputPort() const;
    QPointF outputPort() const;
    Port portAt(const QPointF &scenePos) const;

private:
    QRectF cardRect() const;

    LayerId m_id;
    QString m_title;
    QStringList m_lines;
    QString m_highlight; // an extra line drawn emphasised (the optimisation preview)
    QColor m_fill;
    double m_height = 60.0;
};

} // namespace snn::widgets
