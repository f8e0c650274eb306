#pragma once

#include <QString>

#include <stdexcept>

namespace snn {

// The one error type core throws for bad input: a single line that names the problem
// (the file, the layer, what is wrong). Front ends print what() and carry on.
class Error : public std::runtime_error {
public:
    explicit Error(const QString &message)
        : std::runtime_error(message.toStdString())
    {}
    QString message() const { return QString::fromStdString(what()); }
};

// Thrown when a long job notices that its caller asked it to stop.
class Cancelled : public Error {
public:
    Cancelled()
        : Error(QStringLiteral("cancelled"))
    {}
};

} // namespace snn
