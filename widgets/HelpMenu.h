#pragma once

#include <QList>
#include <QMenu>
#include <QPair>

class QMainWindow;
class QMenuBar;

namespace snn::widgets {

// Every action with a shortcut in `menus` as ("Edit > Add layer", "Ctrl+L"), in menu order.
QList<QPair<QString, QString>> menuShortcuts(const QMenuBar *menus);

// Help: Keyboard shortcuts (menuShortcuts of the window's menu bar, generated, so it follows the
// actions), Documentation (the docs compiled in as qrc:/docs, shown as Markdown) and About.
class HelpMenu : public QMenu {
    Q_OBJECT
public:
    explicit HelpMenu(QMainWindow *window);

private:
    void showShortcuts();
    void showPage(const QString &title, const QUrl &url);

    QMainWindow *m_window;
};

} // namespace snn::widgets
