#pragma once

#include <QList>
#include <QMenu>
#include <QPair>

class QMainWindow;
class QMenuBar;

namespace snn::widgets {

// Every action with a shortcut in `menus` as ("Edit > Add layer", "Ctrl+L"), in menu order.
QList<QPair<QString, QString>> menuShortcuts(const QMenuBar *menus);

// Help: Get started (getStartedRequested: the window shows its page), User guide (F1: the user's
// guide, docs/user-guide.md), Keyboard shortcuts (menuShortcuts of the window's menu bar,
// generated, so it follows the actions), Documentation (the reference) and About. The docs and
// their pictures are compiled in as qrc:/docs and shown as Markdown, each picture at most as
// wide as the page.
class HelpMenu : public QMenu {
    Q_OBJECT
public:
    explicit HelpMenu(QMainWindow *window);

    void showUserGuide();

Q_SIGNALS:
    void getStartedRequested();

private:
    void showShortcuts();
    void showPage(const QString &title, const QUrl &url);

    QMainWindow *m_window;
};

} // namespace snn::widgets
