#include "Workspace.h"

#include <QDockWidget>
#include <QScrollArea>
#include <QSettings>

namespace snn::widgets {

namespace {

constexpr int kLayoutVersion = 1; // of the docks' saved state

QString stateKey(const QString &id)
{
    return QStringLiteral("workspaces/%1/state").arg(id);
}

} // namespace

Workspace::Workspace(const QString &id, const QString &title, QWidget *parent)
    : QMainWindow(parent)
    , m_id(id)
    , m_title(title)
{
    setObjectName(QStringLiteral("workspace_") + id);
    setWindowFlags(Qt::Widget); // a page of the studio's window, not a window of its own
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
}

QDockWidget *Workspace::addPanel(QWidget *panel, const QString &id, const QString &title,
                                 Qt::DockWidgetArea area, QDockWidget *beside)
{
    QDockWidget *sibling = nullptr;
    for (QDockWidget *dock : panels())
        if (!beside && dockWidgetArea(dock) == area && !dock->isFloating()) {
            sibling = dock;
            break;
        }
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(QStringLiteral("panel_") + id);
    dock->setWidget(scrolling(panel));
    addDockWidget(area, dock);
    if (sibling)
        tabifyDockWidget(sibling, dock);
    if (beside)
        splitDockWidget(beside, dock,
                        area == Qt::TopDockWidgetArea || area == Qt::BottomDockWidgetArea
                            ? Qt::Horizontal
                            : Qt::Vertical);
    return dock;
}

QScrollArea *Workspace::scrolling(QWidget *widget)
{
    auto *scroll = new QScrollArea;
    scroll->setWidget(widget);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

QList<QDockWidget *> Workspace::panels() const
{
    return findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly);
}

void Workspace::setDefaultSize(QDockWidget *dock, int size, Qt::Orientation orientation)
{
    m_defaultSizes.append({dock, size, orientation});
}

void Workspace::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    for (const DefaultSize &d : std::as_const(m_defaultSizes))
        resizeDocks({d.dock}, {d.size}, d.orientation);
    m_defaultSizes.clear();
}

void Workspace::saveLayout() const
{
    QSettings().setValue(stateKey(m_id), saveState(kLayoutVersion));
}

bool Workspace::restoreLayout()
{
    const QByteArray state = QSettings().value(stateKey(m_id)).toByteArray();
    if (state.isEmpty() || !restoreState(state, kLayoutVersion))
        return false;
    m_defaultSizes.clear(); // the saved sizes instead
    return true;
}

} // namespace snn::widgets
