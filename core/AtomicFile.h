#pragma once

#include <QString>

#include <functional>

namespace snn {

// Writes a file so that it is either wholly replaced or left as it was: `write` fills a temporary
// file beside `path`, which is then renamed over it. On any failure (an exception from `write`
// or a failed rename) the temporary file is removed and Error is thrown; `path` is untouched.
void writeAtomically(const QString &path,
                     const std::function<void(const QString &tempPath)> &write);

} // namespace snn
