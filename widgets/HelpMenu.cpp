#include "HelpMenu.h"

#include "AboutDialog.h"

#include <QDialog>
#include <QMainWindow>
#include <QMenuBar>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QVBoxLayout>

#include <functional>

namespace snn::widgets {

namespace {

// Shows each picture of `browser`'s page at most `width` pixels wide (the pictures are whole
// screens), keeping its proportions.
void fitPictures(QTextBrowser *browser, int width)
{
    QTextDocument *doc = browser->document();
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().isImageFormat())
                continue;
            QTextImageFormat format = fragment.charFormat().toImageFormat();
            const QImage image =
                doc->resource(QTextDocument::ImageResource, QUrl(format.name())).value<QImage>();
            if (image.isNull() || image.width() <= width)
                continue;
            format.setWidth(width);
            format.setHeight(double(image.height()) * width / image.width());
            QTextCursor cursor(doc);
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.setCharFormat(format);
        }
}

} // namespace

QList<QPair<QString, QString>> menuShortcuts(const QMenuBar *menus)
{
    QList<QPair<QString, QString>> list;
    const auto strip = [](QString text) { return text.remove(QLatin1Char('&')); };
    std::function<void(const QMenu *, const QString &)> walk = [&](const QMenu *menu,
                                                                   const QString &path) {
        for (const QAction *action : menu->actions()) {
            const QString name = path + QStringLiteral(" > ") + strip(action->text());
            if (action->menu())
                walk(action->menu(), name);
            else if (!action->shortcut().isEmpty())
                list.append({name, QKeySequence::listToString(action->shortcuts(),
                                                              QKeySequence::NativeText)});
        }
    };
    for (const QAction *top : menus->actions())
        if (top->menu())
            walk(top->menu(), strip(top->text()));
    return list;
}

HelpMenu::HelpMenu(QMainWindow *window)
    : QMenu(tr("&Help"), window)
    , m_window(window)
{
    addAction(tr("&Get started"), this, &HelpMenu::getStartedRequested);
    addAction(tr("&User guide"), QKeySequence::HelpContents, this, &HelpMenu::showUserGuide);
    addAction(tr("&Keyboard shortcuts"), this, &HelpMenu::showShortcuts);
    // The docs are compiled in (qrc:/docs), so every build has them: the reference.
    QMenu *docs = addMenu(tr("&Documentation"));
    const std::pair<const char *, const char *> pages[] = {
        {QT_TR_NOOP("The studio"), "studio.md"},
        {QT_TR_NOOP("Optimisation passes"), "passes.md"},
        {QT_TR_NOOP("Simulation and training"), "simulation.md"},
        {QT_TR_NOOP("Data sets"), "datasets.md"},
        {QT_TR_NOOP("FPGA hardware"), "hardware.md"},
        {QT_TR_NOOP("The pipeline"), "pipeline.md"},
        {QT_TR_NOOP("File format"), "file-format.md"},
        {QT_TR_NOOP("NIR"), "nir.md"},
        {QT_TR_NOOP("Python module"), "python.md"}};
    for (const auto &[title, file] : pages) {
        const QString name = tr(title);
        const QUrl url(QStringLiteral("qrc:/docs/%1").arg(QLatin1String(file)));
        docs->addAction(name, this, [this, name, url] { showPage(name, url); });
    }
    addSeparator();
    addAction(tr("&About SNN Studio"), this, [this] {
        auto *about = new AboutDialog(m_window);
        about->setAttribute(Qt::WA_DeleteOnClose);
        about->show();
    });
}

void HelpMenu::showUserGuide()
{
    showPage(tr("User guide"), QUrl(QStringLiteral("qrc:/docs/user-guide.md")));
}

void HelpMenu::showShortcuts()
{
    const QList<QPair<QString, QString>> shortcuts = menuShortcuts(m_window->menuBar());
    auto *dialog = new QDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    auto *table = new QTableWidget(int(shortcuts.size()), 2, dialog);
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int row = 0; row < shortcuts.size(); ++row) {
        table->setItem(row, 0, new QTableWidgetItem(shortcuts[row].first));
        table->setItem(row, 1, new QTableWidgetItem(shortcuts[row].second));
    }
    table->resizeColumnsToContents();
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    dialog->resize(460, 420);
    dialog->show();
}

void HelpMenu::showPage(const QString &title, const QUrl &url)
{
    auto *dialog = new QDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("docsDialog"));
    dialog->setWindowTitle(title);
    auto *browser = new QTextBrowser(dialog);
    browser->setOpenExternalLinks(true);
    browser->setSource(url, QTextDocument::MarkdownResource);
    fitPictures(browser, 640); // with a list's indent, inside the browser's 760 px
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(browser);
    dialog->resize(760, 640);
    dialog->show();
}

} // namespace snn::widgets
