#pragma once

#include <QList>

class QAction;
class QMenu;
class QToolBar;

namespace snn::widgets {

class MainWindow;
class RecentFilesMenu;
class RunMenu;

// The studio window's menus (File, Edit, Data, Run, View, Help, in that order), its main toolbar
// (file, undo, the Run menu's actions) and the Graph workspace's toolbar (the canvas' edits),
// built once by MainWindow's constructor on the window's public API.
class MainMenus {
public:
    explicit MainMenus(MainWindow *window);

    QMenu *viewMenu() const { return m_view; } // addPanel adds each dock's toggle here
    RecentFilesMenu *recentMenu() const { return m_recent; }
    RunMenu *runMenu() const { return m_run; }

private:
    struct EditActions {
        QAction *undo, *redo, *add, *remove, *layout;
    };
    QList<QAction *> createFileMenu(); // returns New, Open, Save for the toolbar
    void createExamplesMenu(QMenu *examples);
    EditActions createEditMenu();
    void createDataMenu();
    QAction *createViewMenu(); // returns Fit to view for the toolbar
    // The toolbar's Undo and Redo: enabled and described as the stack and the edit lock say.
    void addUndoButtons(QToolBar *tools, QAction *undo, QAction *redo);

    MainWindow *m_window;
    QMenu *m_view = nullptr;
    RecentFilesMenu *m_recent = nullptr;
    RunMenu *m_run = nullptr;
};

} // namespace snn::widgets
