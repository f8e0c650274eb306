// libFuzzer target: the IDX reader, gzipped or not (scripts/fuzz.sh runs it; tests/fuzz/README.md).
// A gzip input is mutated inflated and deflated again (most of the time), so that the header and
// values behind the gzip layer change, not only compressed bytes that then fail their checksum.

#include "FuzzReaders.h"

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t *data, std::size_t size, std::size_t maxSize);

namespace {

// gzip's magic number.
bool isGzip(const std::uint8_t *data, std::size_t size)
{
    return size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

// The first member of a gzip stream inflated, at most `limit` bytes (empty when it is damaged).
std::vector<std::uint8_t> inflated(const std::uint8_t *data, std::size_t size, std::size_t limit)
{
    std::vector<std::uint8_t> out(limit);
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return {};
    z.next_in = const_cast<Bytef *>(data);
    z.avail_in = uInt(size);
    z.next_out = out.data();
    z.avail_out = uInt(limit);
    const int status = inflate(&z, Z_FINISH);
    out.resize(z.total_out);
    inflateEnd(&z);
    return status == Z_STREAM_END ? out : std::vector<std::uint8_t>();
}

// `plain` gzipped into `to` (room for `room` bytes); 0 when it does not fit.
std::size_t deflated(const std::vector<std::uint8_t> &plain, std::uint8_t *to, std::size_t room)
{
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    z.next_in = const_cast<Bytef *>(plain.data());
    z.avail_in = uInt(plain.size());
    z.next_out = to;
    z.avail_out = uInt(room);
    const int status = deflate(&z, Z_FINISH);
    const std::size_t size = z.total_out;
    deflateEnd(&z);
    return status == Z_STREAM_END ? size : 0;
}

} // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t *data, std::size_t size,
                                               std::size_t maxSize, unsigned int seed)
{
    if (!isGzip(data, size) || seed % 4 == 0)
        return LLVMFuzzerMutate(data, size, maxSize);
    // Room to grow: the plain bytes may inflate to more than the compressed input's bound.
    std::vector<std::uint8_t> plain = inflated(data, size, 4 * maxSize);
    if (plain.empty())
        return LLVMFuzzerMutate(data, size, maxSize);
    const std::size_t used = plain.size();
    plain.resize(4 * maxSize);
    plain.resize(LLVMFuzzerMutate(plain.data(), used, plain.size()));
    const std::size_t packed = deflated(plain, data, maxSize);
    return packed > 0 ? packed : LLVMFuzzerMutate(data, size, maxSize);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    snn::fuzz::readBytes(snn::fuzz::Reader::Idx,
                         QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    return 0;
}
