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

// Thrown when the system fails to write a file (a full disk, no permission): the input was
// fine, so snnc exits 1 (a failure), not 2 (bad input).
class SaveError : public Error {
public:
    using Error::Error;
};

// Thrown when a long job notices that its caller asked it to stop.
class Cancelled : public Error {
public:
    Cancelled()
        : Error(QStringLiteral("cancelled"))
    {}
};

} // namespace snn
