#pragma once

#include <QMenu>

namespace snn {
class JobRunner;
}

namespace snn::widgets {

// File > Open Recent: the last kMaxFiles graph files opened or saved (QSettings "recentFiles"),
// newest first. When an entry is first hovered, the file is described ("path: 3 layers, 784
// inputs, ...", read without its weights off the GUI thread: a file of many layers takes seconds)
// in the entry's tooltip and status tip.
class RecentFilesMenu : public QMenu {
    Q_OBJECT
public:
    static constexpr int kMaxFiles = 8;

    explicit RecentFilesMenu(const QString &title, QWidget *parent = nullptr);

    static QStringList files();
    // Puts `path` (made absolute) first, drops the oldest beyond kMaxFiles, rebuilds the menu.
    void add(const QString &path);
    // Rebuilds the entries from the remembered files.
    void rebuild();
    // "path: 3 layers, 784 inputs, ..." from the file's shapes and attributes (no weights read),
    // or why it cannot be read.
    static QString describe(const QString &path);

Q_SIGNALS:
    void openRequested(const QString &path);
    // The hovered entry's description, for the status bar.
    void hint(const QString &text);

private:
    void onHovered(QAction *action);

    JobRunner *m_describeJob;
};

} // namespace snn::widgets
