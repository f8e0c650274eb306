#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace snn::widgets {

// What a finished save says: "Wrote PATH", or the one-line error (snn::Error) `write` threw.
QString writeAndDescribe(const QString &path, const std::function<void(const QString &)> &write);

// Every "Export..." of the studio: asks for a file to write (a save dialog with `caption`, the
// suggested file name and `filter`); unless cancelled, writes it with `write` and gives
// writeAndDescribe's message to `report`.
void saveThroughDialog(QWidget *parent, const QString &caption, const QString &suggested,
                       const QString &filter, const std::function<void(const QString &)> &write,
                       const std::function<void(const QString &)> &report);

} // namespace snn::widgets
