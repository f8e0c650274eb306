// libFuzzer target: snnc simulate's input reader (scripts/fuzz.sh runs it; tests/fuzz/README.md).

#include "FuzzReaders.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    snn::fuzz::readBytes(snn::fuzz::Reader::Sequence,
                         QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    return 0;
}
