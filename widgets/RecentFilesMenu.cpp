#include "RecentFilesMenu.h"

#include "base/Error.h"
#include "base/JobRunner.h"
#include "nir/AnyGraphFile.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QSettings>

namespace snn::widgets {

namespace {

const QString kRecentKey = QStringLiteral("recentFiles");

} // namespace

RecentFilesMenu::RecentFilesMenu(const QString &title, QWidget *parent)
    : QMenu(title, parent)
    , m_describeJob(new JobRunner(this))
{
    setToolTipsVisible(true);
    connect(this, &QMenu::hovered, this, &RecentFilesMenu::onHovered);
}

QStringList RecentFilesMenu::files()
{
    return QSettings().value(kRecentKey).toStringList();
}

void RecentFilesMenu::add(const QString &path)
{
    QStringList list = files();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxFiles)
        list.removeLast();
    QSettings().setValue(kRecentKey, list);
    rebuild();
}

void RecentFilesMenu::rebuild()
{
    clear();
    const QStringList list = files();
    for (const QString &path : list) {
        QAction *action = addAction(QFileInfo(path).fileName(), this,
                                    [this, path] { Q_EMIT openRequested(path); });
        action->setData(path);
        action->setToolTip(QDir::toNativeSeparators(path));
    }
    setEnabled(!list.isEmpty());
}

void RecentFilesMenu::onHovered(QAction *action)
{
    const QString path = action->data().toString();
    if (path.isEmpty())
        return;
    if (!action->statusTip().isEmpty()) {
        Q_EMIT hint(action->statusTip());
        return;
    }
    m_describeJob->run<QString>([path](const RunControl &) { return describe(path); },
                                [this, entry = QPointer<QAction>(action)](const QString &text) {
                                    if (!entry)
                                        return; // the menu changed meanwhile
                                    entry->setStatusTip(text);
                                    entry->setToolTip(text);
                                    if (activeAction() == entry)
                                        Q_EMIT hint(text);
                                },
                                [](const QString &) {});
}

QString RecentFilesMenu::describe(const QString &path)
{
    const QString name = QDir::toNativeSeparators(path);
    if (!QFileInfo(path).isFile())
        return tr("%1: no longer there").arg(name);
    try {
        return QStringLiteral("%1: %2").arg(name, loadAnyGraphSummary(path).description());
    } catch (const Error &e) {
        return tr("%1: cannot be read (%2)").arg(name, e.message());
    } catch (const std::exception &e) {
        return tr("%1: cannot be read (%2)").arg(name, QString::fromLocal8Bit(e.what()));
    }
}

} // namespace snn::widgets
