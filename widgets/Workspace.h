#pragma once

#include <QMainWindow>

class QDockWidget;
class QScrollArea;

namespace snn::widgets {

// One workspace of the studio (Qt Creator's FancyMainWindow: a mode's own main window): its
// central widget and its docks, laid out for one task. The studio's window shows one at a time
// (WorkspaceTabs); each keeps its own dock layout (saveLayout / restoreLayout, QSettings under
// "workspaces/<id>").
class Workspace : public QMainWindow {
    Q_OBJECT
public:
    // `id` (untranslated) names the saved layout; `title` is what the mode bar shows.
    Workspace(const QString &id, const QString &title, QWidget *parent = nullptr);

    QString id() const { return m_id; }
    QString title() const { return m_title; }

    // Adds a dock panel (tabbed with the panels already in that area, or beside `beside`, in a
    // scroll area so it never sets the window's minimum size). The workspace takes ownership of
    // the widget; `id` (untranslated) names the dock "panel_<id>" and its slot in the saved
    // layout.
    QDockWidget *addPanel(QWidget *panel, const QString &id, const QString &title,
                          Qt::DockWidgetArea area, QDockWidget *beside = nullptr);
    QList<QDockWidget *> panels() const;
    // `widget` in a frameless scroll area that resizes it: larger than its room, it scrolls
    // instead of setting the window's minimum size.
    static QScrollArea *scrolling(QWidget *widget);

    // The size a dock gets when the workspace is first shown without a saved layout (a dock's
    // size cannot be set before the workspace has its own).
    void setDefaultSize(QDockWidget *dock, int size, Qt::Orientation orientation);

    void saveLayout() const;
    // Restores the layout saveLayout() kept; false (and the layout as built) when there is none.
    bool restoreLayout();

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct DefaultSize {
        QDockWidget *dock;
        int size;
        Qt::Orientation orientation;
    };
    QString m_id;
    QString m_title;
    QList<DefaultSize> m_defaultSizes; // applied once, on the first show
};

} // namespace snn::widgets
