#include "SaveDialog.h"

#include "base/Error.h"

#include <QFileDialog>

namespace snn::widgets {

QString writeAndDescribe(const QString &path, const std::function<void(const QString &)> &write)
{
    try {
        write(path);
    } catch (const Error &e) {
        return e.message();
    }
    return QFileDialog::tr("Wrote %1").arg(path);
}

void saveThroughDialog(QWidget *parent, const QString &caption, const QString &suggested,
                       const QString &filter, const std::function<void(const QString &)> &write,
                       const std::function<void(const QString &)> &report)
{
    const QString path = QFileDialog::getSaveFileName(parent, caption, suggested, filter);
    if (!path.isEmpty())
        report(writeAndDescribe(path, write));
}

} // namespace snn::widgets
