#pragma once

// The readers the fuzzer drives (issue 14): every file SNN Studio reads from outside. Shared by the
// libFuzzer targets (fuzz_<reader>.cpp, built with SNN_FUZZ) and by tst_fuzzcorpus, which replays
// the corpus in tests/fuzz/corpus through the same functions in every ctest run.

#include <QByteArray>
#include <QString>

namespace snn::fuzz {

// Graph: loadGraph; Nir: nir::importNir; Dataset: sim::loadDataSplit or sim::loadIdx; Sequence:
// readSequenceInput (snnc simulate's input); Idx: sim::loadIdx (gzipped or not), as images or
// labels as its header says, beside a companion file that fits it.
enum class Reader { Graph, Nir, Dataset, Sequence, Idx };

// Runs `reader` on the file at `path`. Returns the one-line error (empty when the file was
// accepted). Anything but snn::Error escaping is a finding; so is a crash.
QString readFile(Reader reader, const QString &path);

// Writes `bytes` to a temporary file and runs readFile on it (the libFuzzer entry points).
QString readBytes(Reader reader, const QByteArray &bytes);

} // namespace snn::fuzz
