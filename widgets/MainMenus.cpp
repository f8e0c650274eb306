#include "MainMenus.h"

#include "CanvasView.h"
#include "Document.h"
#include "HelpMenu.h"
#include "MainWindow.h"
#include "RecentFilesMenu.h"
#include "RunMenu.h"
#include "Workspace.h"
#include "WorkspaceTabs.h"

#include <QActionGroup>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QStatusBar>
#include <QToolBar>

namespace snn::widgets {

MainMenus::MainMenus(MainWindow *window)
    : m_window(window)
{
    const QList<QAction *> fileActions = createFileMenu();
    const EditActions edit = createEditMenu();
    createDataMenu();
    m_run = new RunMenu(m_window);
    m_window->menuBar()->addMenu(m_run);
    QAction *fit = createViewMenu();
    auto *help = new HelpMenu(m_window);
    m_window->menuBar()->addMenu(help);
    QObject::connect(help, &HelpMenu::getStartedRequested, m_window,
                     [window = m_window] { window->activateMode(MainWindow::Mode::GetStarted); });

    QToolBar *tools = m_window->addToolBar(MainWindow::tr("Main"));
    tools->setObjectName(QStringLiteral("toolbar_main"));
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tools->addActions(fileActions);
    tools->addSeparator();
    addUndoButtons(tools, edit.undo, edit.redo);
    tools->addSeparator();
    tools->addActions(m_run->actions());
    // The canvas' edits where the canvas is.
    Workspace *graph = m_window->workspace(MainWindow::Mode::Graph);
    QToolBar *canvasTools = graph->addToolBar(MainWindow::tr("Canvas"));
    canvasTools->setObjectName(QStringLiteral("toolbar_canvas"));
    canvasTools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    canvasTools->addActions({edit.add, edit.remove, edit.layout, fit});
}

QList<QAction *> MainMenus::createFileMenu()
{
    MainWindow *window = m_window;
    QMenu *file = window->menuBar()->addMenu(MainWindow::tr("&File"));
    QAction *newAction = file->addAction(MainWindow::tr("&New"), QKeySequence::New, window,
                                         &MainWindow::newDocument);
    QAction *openAction =
        file->addAction(MainWindow::tr("&Open..."), QKeySequence::Open, window, &MainWindow::open);
    m_recent = new RecentFilesMenu(MainWindow::tr("Open &Recent"), file);
    file->addMenu(m_recent);
    QObject::connect(m_recent, &RecentFilesMenu::openRequested, window,
                     [window](const QString &path) {
                         if (window->maybeSave())
                             window->openFile(path);
                     });
    QObject::connect(m_recent, &RecentFilesMenu::hint, window,
                     [window](const QString &text) { window->statusBar()->showMessage(text); });
    QAction *saveAction =
        file->addAction(MainWindow::tr("&Save"), QKeySequence::Save, window, &MainWindow::save);
    file->addAction(MainWindow::tr("Save &As..."), QKeySequence::SaveAs, window,
                    &MainWindow::saveAs);
    file->addSeparator();
    file->addAction(MainWindow::tr("&Import NIR..."), window, [window] {
        if (!window->maybeSave())
            return;
        const QString path =
            QFileDialog::getOpenFileName(window, MainWindow::tr("Import NIR graph"), QString(),
                                         MainWindow::tr("NIR graphs (*.nir);;All files (*)"));
        if (!path.isEmpty())
            window->openFile(path);
    });
    file->addAction(MainWindow::tr("&Export NIR..."), window, [window] {
        QString path =
            QFileDialog::getSaveFileName(window, MainWindow::tr("Export NIR graph"), QString(),
                                         MainWindow::tr("NIR graphs (*.nir)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".nir");
        window->exportNirTo(path);
    });
    file->addSeparator();
    createExamplesMenu(file->addMenu(MainWindow::tr("&Examples")));
    file->addSeparator();
    file->addAction(MainWindow::tr("&Quit"), QKeySequence::Quit, window, &QWidget::close);
    return {newAction, openAction, saveAction};
}

void MainMenus::createExamplesMenu(QMenu *examples)
{
    MainWindow *window = m_window;
    examples
        ->addAction(MainWindow::tr("&Fashion-MNIST SNN (trained, measured rates)"), window,
                    [window] { window->openShippedExample(); })
        ->setToolTip(MainWindow::tr("The trained 784-256-64-10 model shipped with the studio"));
    examples
        ->addAction(
            MainWindow::tr("Fashion-MNIST SNN, &4-bit quantisation-aware (fits the iCEBreaker)"),
            window,
            [window] {
                window->openShippedExample(MainWindow::kQatModelResource,
                                           MainWindow::kQatModelName);
            })
        ->setToolTip(MainWindow::tr("The same network fine-tuned through the FPGA core's 4-bit "
                                    "arithmetic (snnc finetune --qat 4; docs/results.md)"));
    examples
        ->addAction(MainWindow::tr("&Synthetic 784-256-64-10 (random weights and rates)"), window,
                    &MainWindow::openSyntheticExample)
        ->setToolTip(
            MainWindow::tr("The built-in example of `snnc example`: nothing in it is measured"));
}

MainMenus::EditActions MainMenus::createEditMenu()
{
    Document *document = m_window->document();
    CanvasView *canvas = m_window->canvas();
    QMenu *edit = m_window->menuBar()->addMenu(MainWindow::tr("&Edit"));
    EditActions a;
    a.undo = document->undoStack()->createUndoAction(m_window, MainWindow::tr("&Undo"));
    a.undo->setShortcut(QKeySequence::Undo);
    a.redo = document->undoStack()->createRedoAction(m_window, MainWindow::tr("&Redo"));
    // Ctrl+Y beside the platform's redo (Ctrl+Shift+Z here), as the docs say.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)})
        if (!redoKeys.contains(keys))
            redoKeys.append(keys);
    a.redo->setShortcuts(redoKeys);
    edit->addAction(a.undo);
    edit->addAction(a.redo);
    edit->addSeparator();
    a.add = edit->addAction(MainWindow::tr("&Add layer"), QKeySequence(Qt::CTRL | Qt::Key_L),
                            canvas, &CanvasView::addLayer);
    a.add->setToolTip(
        MainWindow::tr("Add a layer fed by the selected layer (or double-click the canvas)"));
    a.remove = edit->addAction(MainWindow::tr("&Delete layer"), QKeySequence::Delete, canvas,
                               &CanvasView::deleteSelection);
    a.remove->setShortcutContext(Qt::WidgetShortcut); // the canvas handles Delete itself
    a.layout = edit->addAction(MainWindow::tr("Automatic &layout"), document,
                               [document] { document->autoLayout(); });
    return a;
}

void MainMenus::createDataMenu()
{
    MainWindow *window = m_window;
    QMenu *data = window->menuBar()->addMenu(MainWindow::tr("&Data"));
    data->addAction(MainWindow::tr("Use &Fashion-MNIST (Debian package)"), window,
                    [window] { window->attachData(QStringLiteral("fashion-mnist")); });
    data->addAction(MainWindow::tr("Attach &HDF5 data set..."), window, [window] {
        const QString path =
            QFileDialog::getOpenFileName(window, MainWindow::tr("Attach data set"), QString(),
                                         MainWindow::tr("HDF5 data sets (*.h5 *.hdf5)"));
        if (!path.isEmpty())
            window->attachData(path);
    });
    data->addAction(MainWindow::tr("Attach &IDX folder..."), window, [window] {
        const QString dir =
            QFileDialog::getExistingDirectory(window, MainWindow::tr("Folder of IDX files"));
        if (!dir.isEmpty())
            window->attachData(dir);
    });
}

QAction *MainMenus::createViewMenu()
{
    CanvasView *canvas = m_window->canvas();
    MainWindow *window = m_window;
    m_view = m_window->menuBar()->addMenu(MainWindow::tr("&View"));
    // The pages of the mode bar; Ctrl+1..Ctrl+4 the workspaces.
    auto *modes = new QActionGroup(m_view);
    using Mode = MainWindow::Mode;
    for (const Mode mode :
         {Mode::GetStarted, Mode::Graph, Mode::Optimise, Mode::Train, Mode::Deploy}) {
        QAction *action = m_view->addAction(MainWindow::modeName(mode), window,
                                            [window, mode] { window->activateMode(mode); });
        action->setObjectName(QStringLiteral("mode%1").arg(int(mode)));
        if (mode != Mode::GetStarted)
            action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + int(mode))));
        action->setCheckable(true);
        action->setChecked(window->currentMode() == mode);
        action->setActionGroup(modes);
        QObject::connect(window->modeBar(), &WorkspaceTabs::currentChanged, action,
                         [action, mode](int index) {
                             if (index == int(mode))
                                 action->setChecked(true);
                         });
    }
    m_view->addSeparator();
    QAction *fit =
        m_view->addAction(MainWindow::tr("&Fit to view"), QKeySequence(Qt::CTRL | Qt::Key_0),
                          canvas, &CanvasView::fitToView);
    m_view->addAction(MainWindow::tr("Zoom &in"), QKeySequence::ZoomIn, canvas,
                      [canvas] { canvas->zoomBy(1.25); });
    m_view->addAction(MainWindow::tr("Zoom &out"), QKeySequence::ZoomOut, canvas,
                      [canvas] { canvas->zoomBy(0.8); });
    m_view->addSeparator();
    return fit;
}

void MainMenus::addUndoButtons(QToolBar *tools, QAction *undo, QAction *redo)
{
    // The toolbar's Undo / Redo keep a short fixed text, so the toolbar never reflows; the
    // command they would undo or redo is in the tooltip.
    Document *document = m_window->document();
    QUndoStack *stack = document->undoStack();
    QAction *undoButton = tools->addAction(MainWindow::tr("Undo"), stack, &QUndoStack::undo);
    undoButton->setObjectName(QStringLiteral("toolbarUndo"));
    QAction *redoButton = tools->addAction(MainWindow::tr("Redo"), stack, &QUndoStack::redo);
    redoButton->setObjectName(QStringLiteral("toolbarRedo"));
    // Undo and Redo are off while editing is locked, also when the lock's holder adds a step (the
    // stack's own actions enable themselves on canUndoChanged: this runs after them).
    const auto updateButtons = [=] {
        const auto tip = [](QAction *menuAction, const QString &text) {
            return MainWindow::tr("%1 (%2)").arg(
                text, menuAction->shortcut().toString(QKeySequence::NativeText));
        };
        const bool unlocked = !document->isEditLocked();
        for (QAction *action : {undo, undoButton})
            action->setEnabled(unlocked && stack->canUndo());
        undoButton->setToolTip(stack->canUndo()
                                   ? tip(undo, MainWindow::tr("Undo %1").arg(stack->undoText()))
                                   : MainWindow::tr("Nothing to undo"));
        for (QAction *action : {redo, redoButton})
            action->setEnabled(unlocked && stack->canRedo());
        redoButton->setToolTip(stack->canRedo()
                                   ? tip(redo, MainWindow::tr("Redo %1").arg(stack->redoText()))
                                   : MainWindow::tr("Nothing to redo"));
    };
    QObject::connect(stack, &QUndoStack::canUndoChanged, m_window, updateButtons);
    QObject::connect(stack, &QUndoStack::canRedoChanged, m_window, updateButtons);
    QObject::connect(stack, &QUndoStack::indexChanged, m_window, updateButtons);
    QObject::connect(stack, &QUndoStack::cleanChanged, m_window, updateButtons);
    QObject::connect(document, &Document::editLockChanged, m_window, updateButtons);
    updateButtons();
}

} // namespace snn::widgets
