#include "io/Hdf5CheckWalk.h"

#include <QByteArray>

#include <algorithm>

namespace snn::h5::check {

// HDF5 1.10 walks a global heap collection (a "GCOL" block: where variable-length strings live,
// such as the root 'format' attribute) object by object, trusting each object's declared size:
// an object of 0 bytes leaves it in an endless loop (fuzz_graph found it), and an object larger
// than the rest of its collection makes it read and copy past the block. HDF5 reads a collection
// only through a string that names it, so each collection a string names is walked here first,
// once, and its objects' sizes kept; the rest of the file is not read (a file of 5e7 weights has
// no page read that `snnc info` does not need). Returns null where HDF5 finds no collection: no
// "GCOL" signature, version 1, within the file.
const QHash<u64, u64> *FileCheck::globalHeap(u64 at)
{
    if (const auto known = m_heaps.find(at); known != m_heaps.end())
        return known->second ? &*known->second : nullptr;
    std::optional<QHash<u64, u64>> &heap = m_heaps[at];
    // A collection: "GCOL", version, 3 reserved bytes, its size; an object: index, reference
    // count, 4 reserved bytes, its size. Both headers take 8 + m_lengths bytes.
    const u64 header = 8 + m_lengths;
    if (at >= m_size || m_size - at < header || !signature(at, "GCOL") || byte(at + 4) != 1)
        return nullptr; // HDF5 refuses it: not a collection
    const u64 left = m_size - at;
    const u64 collection = number(at + 8, m_lengths);
    if (collection < header || collection > left)
        return nullptr; // HDF5 refuses it: not within the file
    QHash<u64, u64> objects;
    for (u64 p = header; p < collection && collection - p >= header;) {
        const u64 index = number(at + p, 2);
        const u64 bytes = number(at + p + 8, m_lengths);
        const u64 room = collection - p - (index > 0 ? header : 0);
        // Object 0 is the free space, header included; the others are padded to 8 bytes.
        if ((index == 0 && bytes == 0) || bytes > room)
            damaged(QStringLiteral("the global heap at byte %1 declares an object of %2 "
                                   "bytes at byte %3, where %4 are left")
                        .arg(at)
                        .arg(bytes)
                        .arg(at + p)
                        .arg(room));
        if (index > 0)
            objects[index] = bytes; // as HDF5, the last object of an index counts
        p += index > 0 ? header + (bytes + 7) / 8 * 8 : bytes;
    }
    heap = std::move(objects);
    return &*heap;
}

// The number of values of a dataspace message (versions 1 and 2: version, rank, flags, then a
// type in version 2 (0 scalar, 1 simple, 2 null) and the sizes, after 4 more reserved bytes in
// version 1), saturated; nothing when HDF5 would refuse it.
std::optional<u64> FileCheck::valueCount(const Message &space) const
{
    if (space.size < 4)
        return std::nullopt;
    const unsigned version = byte(space.at);
    const unsigned rank = byte(space.at + 1);
    if (version < 1 || version > 2)
        return std::nullopt;
    if (version == 2 && byte(space.at + 3) == 2)
        return 0;
    const u64 dims = space.at + (version == 1 ? 8 : 4);
    if (space.size < dims - space.at + u64(rank) * m_lengths)
        return std::nullopt;
    u64 count = 1;
    for (unsigned i = 0; i < rank; ++i) {
        const u64 d = number(dims + u64(i) * m_lengths, m_lengths);
        count = d != 0 && count > kUndefined / d ? kUndefined : count * d;
    }
    return count;
}

// A datatype message (class in the low 4 bits of its first byte, version in the high 4, 24 bits
// of class fields, the size (4), then the class's properties) from `at`, within `end`: where it
// ends (`end` where HDF5 refuses its version). HDF5 decodes compound and enum members' names with
// strdup (a name with no NUL in its object header chunk made it read past the chunk: fuzz_graph),
// and the members', enums', arrays' and variable-length types' base types in turn.
u64 FileCheck::datatype(u64 at, u64 end, const QString &what, int depth) const
{
    if (end < at || end - at < 8)
        damaged(QStringLiteral("%1 runs past its message").arg(what));
    const unsigned cls = byte(at) & 0x0f, version = byte(at) >> 4;
    if (version < 1 || version > 3)
        return end; // HDF5 refuses it
    if (depth > 32)
        damaged(QStringLiteral("%1 nests types more than 32 deep").arg(what));
    const u64 fields = number(at + 1, 3), size = number(at + 4, 4);
    const u64 members = fields & 0xffff;
    u64 p = at + 8;
    const auto skip = [&](u64 bytes) {
        if (end - p < bytes)
            damaged(QStringLiteral("%1 runs past its message").arg(what));
        p += bytes;
    };
    switch (cls) {
    case 0: // fixed-point: bit offset and precision (2 each)
    case 4: // bit field: the same
        skip(4);
        break;
    case 1: // floating-point: bit offset, precision, exponent and mantissa places and sizes, bias
        skip(12);
        break;
    case 2: // time: precision (2)
        skip(2);
        break;
    case 5: // opaque: a tag of as many bytes as the low 8 bits of the fields say
        skip(fields & 0xff);
        break;
    case 6: // compound: each member's name, byte offset, (version 1) dimensions, type
        for (u64 i = 0; i < members; ++i) {
            p = memberName(p, end, version < 3, what);
            // Version 3 gives the offset in as many bytes as the compound's size needs.
            unsigned offsetBytes = 4;
            if (version == 3)
                for (offsetBytes = 1; offsetBytes < 8 && size >> (8 * offsetBytes) != 0;)
                    ++offsetBytes;
            skip(offsetBytes + (version == 1 ? 28 : 0));
            p = datatype(p, end, what, depth + 1);
        }
        break;
    case 8: // enumeration: the base type, the members' names, their values
        p = datatype(p, end, what, depth + 1);
        for (u64 i = 0; i < members; ++i)
            p = memberName(p, end, version < 3, what);
        break;
    case 9: // variable-length sequence or string: the base type
        p = datatype(p, end, what, depth + 1);
        break;
    case 10: // array: rank, (version 2) 3 reserved, sizes (4 each), (version 2) a permutation
        skip(1);
        skip(version < 3 ? 3 + 8 * u64(byte(p - 1)) : 4 * u64(byte(p - 1)));
        p = datatype(p, end, what, depth + 1);
        break;
    default: // string and reference: no properties
        break;
    }
    return p;
}

// A member's name from `at`: NUL-terminated within `end` (padded to 8 bytes in versions 1 and 2).
u64 FileCheck::memberName(u64 at, u64 end, bool padded, const QString &what) const
{
    const qsizetype nul =
        at < end ? m_file.sliced(qsizetype(at), qsizetype(end - at)).indexOf('\0') : -1;
    if (nul < 0)
        damaged(QStringLiteral("%1 has member names that run past its message").arg(what));
    const u64 length = u64(nul) + 1;
    return std::min(end, at + (padded ? (length + 7) / 8 * 8 : length));
}

// For a datatype message of class 9 (variable length) whose type is 1 (a string): the size of
// its characters, the size of the base type that follows (HDF5 allocates the declared length
// times that).
std::optional<u64> FileCheck::stringCharSize(u64 at, u64 size, const QString &what) const
{
    if (size < 16 || (byte(at) & 0x0f) != 9 || (byte(at + 1) & 0x0f) != 1)
        return std::nullopt;
    // HDF5 keeps as many bytes per value as the type declares, then reads a reference's (length,
    // collection, index) from each: a smaller size made it copy past the values (ASan).
    if (number(at + 4, 4) != 8 + u64(m_offsets))
        damaged(QStringLiteral("the strings of %1 declare %2 bytes each, where their references "
                               "take %3")
                    .arg(what)
                    .arg(number(at + 4, 4))
                    .arg(8 + m_offsets));
    return number(at + 12, 4);
}

// The strings of a dataset whose values are in its layout message (compact), in one block of the
// file (contiguous) or in chunks.
void FileCheck::dataset(u64 header, std::optional<u64> charSize, u64 valueBytes,
                        const Message &space, const Message &layout,
                        const std::optional<Message> &filters)
{
    const std::optional<u64> count = valueCount(space);
    if (!count || layout.size < 2)
        return;
    const u64 end = layout.at + layout.size;
    const unsigned version = byte(layout.at);
    const QString what = QStringLiteral("the dataset at byte %1").arg(header);
    // Versions 1, 2: version, rank, class (0 compact, 1 contiguous, 2 chunked), 5 reserved, the
    // address (contiguous, chunked), rank sizes of 4 bytes, the compact size (4) and values.
    // Versions 3, 4: version, class, then the compact size (2) and values, or the address.
    const u64 fields = layout.at + (version < 3 ? 8 : 2);
    if (version < 1 || version > 4 || fields > end)
        return;
    const unsigned cls = version < 3 ? byte(layout.at + 2) : byte(layout.at + 1);
    if (cls == 2 && version == 3) {
        chunks(header, charSize, layout, fields, filters);
    } else if (cls == 0) {
        const u64 sizeAt = fields + (version < 3 ? 4 * u64(byte(layout.at + 1)) : 0);
        const unsigned width = version < 3 ? 4 : 2;
        if (sizeAt > end || end - sizeAt < width)
            return;
        const u64 values = sizeAt + width;
        const u64 bytes = number(sizeAt, width);
        // HDF5 1.10 copies the declared bytes from the message and reads every value from them.
        if (bytes > end - values || (valueBytes != 0 && *count > bytes / valueBytes))
            damaged(QStringLiteral("%1 declares %2 values of %3 bytes in %4 bytes of compact data "
                                   "(its message holds %5)")
                        .arg(what)
                        .arg(*count)
                        .arg(valueBytes)
                        .arg(bytes)
                        .arg(end - values));
        if (charSize)
            strings(m_file.sliced(qsizetype(values), qsizetype(bytes)), *count, *charSize, what);
    } else if (!charSize) {
        return; // numbers: only their chunks and compact data are checked
    } else if (cls == 1 && end - fields >= m_offsets) {
        const u64 data = address(fields);
        if (data == kUndefined)
            return; // not written: HDF5 reads no strings
        const u64 element = 8 + m_offsets;
        const u64 bytes = *count > kUndefined / element ? kUndefined : *count * element;
        const u64 at =
            locate(data, bytes, QStringLiteral("the data of the dataset at byte %1").arg(header));
        strings(m_file.sliced(qsizetype(at), qsizetype(bytes)), *count, *charSize, what);
    } else {
        unchecked(QStringLiteral("the dataset at byte %1 keeps variable-length strings in a "
                                 "layout of class %2 (version %3)")
                      .arg(header)
                      .arg(cls)
                      .arg(version));
    }
}

// The chunks of a dataset of strings (layout version 3: rank + 1, the B-tree's address, the
// chunk's sizes in 4 bytes each, the last the size of a value), through its B-tree (type 1; keys:
// the chunk's bytes in the file (4), a mask of the filters skipped (4), rank + 1 offsets of 8
// bytes). A chunk is stored as is or through deflate (filter 1); other filters are not followed.
void FileCheck::chunks(u64 header, std::optional<u64> charSize, const Message &layout, u64 fields,
                       const std::optional<Message> &filters)
{
    const u64 end = layout.at + layout.size;
    const QString what = QStringLiteral("the dataset at byte %1").arg(header);
    if (fields >= end)
        return;
    // The dataset's rank + 1 chunk dimensions: HDF5 1.10 divides by the dimensions (fuzz_dataset).
    const unsigned rank = byte(fields);
    if (rank == 0)
        damaged(QStringLiteral("%1 declares chunks of no dimensions").arg(what));
    if (end - fields < 1 + u64(m_offsets) + 4 * u64(rank))
        return;
    u64 chunkBytes = 1;
    for (unsigned i = 0; i < rank; ++i) {
        const u64 d = number(fields + 1 + m_offsets + 4 * u64(i), 4);
        if (d == 0)
            damaged(
                QStringLiteral("%1 declares chunks of size 0 in dimension %2").arg(what).arg(i));
        chunkBytes = chunkBytes > kUndefined / d ? kUndefined : chunkBytes * d;
    }
    if (charSize && chunkBytes > kMaxChunkBytes)
        unchecked(QStringLiteral("%1 keeps variable-length strings in chunks of more than %2 bytes")
                      .arg(what)
                      .arg(kMaxChunkBytes));
    // The filter pipeline: version, count, (version 1: 6 reserved), then per filter its id (2),
    // (version 1, or ids >= 256: the name's length (2)), flags (2), the number of values (2),
    // the name (padded to 8 in version 1) and the values (4 each, version 1: an even number).
    std::vector<unsigned> ids;
    if (filters && filters->size >= 2) {
        const unsigned version = byte(filters->at);
        const u64 fend = filters->at + filters->size;
        u64 p = filters->at + (version == 1 ? 8 : 2);
        for (unsigned i = 0; i < byte(filters->at + 1); ++i) {
            if (p > fend || fend - p < 8)
                return; // HDF5 refuses it
            const unsigned id = unsigned(number(p, 2));
            const bool named = version == 1 || id >= 256;
            const u64 name = named ? number(p + 2, 2) : 0;
            const u64 values = number(p + (named ? 6 : 4), 2);
            p += (named ? 8 : 6) + (version == 1 ? (name + 7) / 8 * 8 : name) +
                 4 * (version == 1 ? values + values % 2 : values);
            ids.push_back(id);
        }
    }
    if (address(fields + 1) == kUndefined)
        return; // no chunk written: HDF5 reads fill values
    const u64 keySize = 8 + 8 * u64(rank);
    bTree(address(fields + 1), 1, keySize,
          QStringLiteral("the chunk B-tree of the dataset at byte %1").arg(header),
          [&](u64 node, u64 key, u64 child) {
              const u64 stored = number(key, 4);
              const u64 mask = number(key + 4, 4);
              bool filtered = false;
              for (std::size_t i = 0; i < ids.size(); ++i)
                  filtered = filtered || i >= 32 || !(mask & (u64(1) << i));
              // HDF5 1.10 reads a chunk stored as is into a buffer of its stored size and copies
              // the chunk's bytes from it (fuzz_nir: 16 from 11).
              if (!filtered && stored != chunkBytes)
                  damaged(QStringLiteral("a chunk of %1 holds %2 bytes, where its chunks have %3")
                              .arg(what)
                              .arg(stored)
                              .arg(chunkBytes));
              if (!charSize)
                  return; // numbers: HDF5 checks what its filters return
              m_inflated += chunkBytes;
              if (m_inflated > kMaxChunkBytes)
                  unchecked(QStringLiteral("the HDF5 file keeps more than %1 bytes of "
                                           "variable-length strings in chunks")
                                .arg(kMaxChunkBytes));
              const u64 at = locate(
                  child, stored, QStringLiteral("a chunk of the B-tree node at byte %1").arg(node));
              QByteArray inflated;
              QByteArrayView bytes = m_file.sliced(qsizetype(at), qsizetype(stored));
              for (std::size_t i = 0; i < ids.size(); ++i) {
                  if (i < 32 && mask & (u64(1) << i))
                      continue;
                  if (ids[i] != 1 || !inflated.isEmpty())
                      unchecked(QStringLiteral("%1 keeps variable-length strings through filter "
                                               "%2")
                                    .arg(what)
                                    .arg(ids[i]));
                  // qUncompress takes the expected size first, big-endian.
                  QByteArray zipped(4, '\0');
                  for (int b = 0; b < 4; ++b)
                      zipped[b] = char(chunkBytes >> (24 - 8 * b));
                  inflated = qUncompress(zipped + bytes.toByteArray());
                  if (inflated.isEmpty())
                      return; // HDF5 refuses it
                  bytes = inflated;
              }
              if (u64(bytes.size()) != chunkBytes)
                  damaged(QStringLiteral("a chunk of %1 holds %2 bytes, where its chunks have %3")
                              .arg(what)
                              .arg(bytes.size())
                              .arg(chunkBytes));
              strings(bytes, chunkBytes / (8 + m_offsets), *charSize, what);
          });
}

// `count` variable-length strings from `at` (each its length (4), a global heap collection's
// address and an object index (4)), within `end`: each names an object of a collection (walked by
// globalHeap) and declares its size. HDF5 allocates (and zeroes) the declared length before it
// copies the object, whatever its size: a length of 4e9 took 5 GB; a shorter one lets it copy past
// the buffer. A string without a collection (address 0) is empty.
void FileCheck::strings(QByteArrayView data, u64 count, u64 charSize, const QString &what)
{
    const u64 element = 8 + m_offsets;
    if (count > u64(data.size()) / element)
        damaged(QStringLiteral("%1 declares %2 strings, where its data holds %3 bytes")
                    .arg(what)
                    .arg(count)
                    .arg(data.size()));
    for (u64 i = 0; i < count; ++i) {
        const u64 p = i * element;
        const u64 length = littleEndian(data, p, 4);
        const u64 collection = address(data, p + 4);
        const u64 index = littleEndian(data, p + 4 + m_offsets, 4);
        if (collection == 0) {
            if (length != 0)
                damaged(QStringLiteral("a string of %1 declares %2 bytes but no global heap "
                                       "object")
                            .arg(what)
                            .arg(length));
            continue;
        }
        const QHash<u64, u64> *heap =
            collection > kUndefined - m_base ? nullptr : globalHeap(m_base + collection);
        const auto object = heap ? heap->constFind(index) : QHash<u64, u64>::const_iterator();
        if (!heap || object == heap->cend())
            damaged(QStringLiteral("a string of %1 names object %2 of a global heap at %3, which "
                                   "the file does not hold")
                        .arg(what)
                        .arg(index)
                        .arg(place(collection)));
        if (charSize == 0 || length > *object / charSize || length * charSize != *object)
            damaged(QStringLiteral("a string of %1 declares %2 characters of %3 bytes, where its "
                                   "global heap object holds %4 bytes")
                        .arg(what)
                        .arg(length)
                        .arg(charSize)
                        .arg(*object));
    }
}

} // namespace snn::h5::check
