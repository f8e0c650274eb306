#include "io/Hdf5Check.h"

#include <QByteArray>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

// Layouts from the HDF5 file format specification (version 3.0); "HDF5 reads" means libhdf5
// 1.10.8 (H5Fsuper, H5Ocache, H5Oshared, H5Gnode, H5B, H5HL, H5HG, H5Tvlen).

namespace snn::h5 {

namespace {

using u64 = std::uint64_t;

constexpr u64 kUndefined = ~u64(0); // HDF5's undefined address: every byte 0xff

// Object header message types.
enum : unsigned {
    kDataspace = 0x01,
    kDatatype = 0x03,
    kLink = 0x06,
    kLayout = 0x08,
    kFilters = 0x0B,
    kAttribute = 0x0C,
    kContinuation = 0x10,
    kSymbolTable = 0x11,
};

struct Problem {
    QString what;
};

[[noreturn]] void damaged(const QString &what)
{
    throw Problem{QStringLiteral("the HDF5 file is damaged (%1)").arg(what)};
}

// Something HDF5 may read but the check cannot follow, so that SNN Studio does not read it.
[[noreturn]] void unchecked(const QString &what)
{
    throw Problem{QStringLiteral("%1, which SNN Studio does not read").arg(what)};
}

// HDF5 decodes a message's fields from its object header chunk whatever size the message
// declares, reading past the message (and past the chunk, or following what it finds there).
[[noreturn]] void tooShort(const char *kind, u64 at, u64 size, u64 need)
{
    damaged(QStringLiteral("the %1 message at byte %2 holds %3 bytes, where it needs %4")
                .arg(QLatin1String(kind))
                .arg(at)
                .arg(size)
                .arg(need));
}

// The most bytes of chunks of strings that are checked (inflated) in one file.
constexpr std::uint64_t kMaxChunkBytes = std::uint64_t(1) << 26;

QString place(u64 address)
{
    return address == kUndefined ? QStringLiteral("the undefined address")
                                 : QStringLiteral("byte %1").arg(address);
}

// A name from the file, for a message of one line: printable ASCII only.
QString quoted(QByteArrayView name)
{
    for (char c : name)
        if (c < 0x20 || c > 0x7e)
            return QStringLiteral("an attribute");
    return QStringLiteral("attribute '%1'").arg(QString::fromLatin1(name));
}

u64 littleEndian(QByteArrayView bytes, u64 at, unsigned size)
{
    u64 v = 0;
    for (unsigned i = size; i-- > 0;)
        v = v << 8 | std::uint8_t(bytes[qsizetype(at + i)]);
    return v;
}

struct Message {
    unsigned type = 0;
    unsigned flags = 0; // bit 1: the data is a reference to a message shared elsewhere
    u64 at = 0;         // its data, in file bytes
    u64 size = 0;
};

class FileCheck {
public:
    explicit FileCheck(QByteArrayView file)
        : m_file(file)
        , m_size(u64(file.size()))
    {}
    QString run();

private:
    bool has(u64 at, u64 n) const { return at <= m_size && n <= m_size - at; }
    unsigned byte(u64 at) const { return std::uint8_t(m_file[qsizetype(at)]); }
    bool signature(u64 at, const char (&sig)[5]) const
    {
        return has(at, 4) && m_file.sliced(qsizetype(at), 4) == QByteArrayView(sig, 4);
    }
    // A little-endian number of `size` bytes (at most 8) at `at`, which the caller checked.
    u64 number(u64 at, unsigned size) const { return littleEndian(m_file, at, size); }
    // An address of m_offsets bytes: all 0xff is kUndefined.
    u64 address(QByteArrayView bytes, u64 at) const;
    u64 address(u64 at) const { return address(m_file, at); }
    // Where in the file `address` (relative to the superblock) points, with `need` bytes from
    // there before the end of HDF5's data; otherwise the file is damaged: `what` lies past it.
    u64 locate(u64 address, u64 need, const QString &what) const;

    bool superblock(u64 *rootHeader);
    const QHash<u64, u64> *globalHeap(u64 at);
    std::vector<Message> messages(u64 header);
    std::optional<Message> shared(u64 at, u64 size, unsigned type, u64 header);
    std::optional<Message> resolve(const Message &m, u64 header);
    void object(u64 header);
    void symbolTable(u64 header, const Message &m);
    // Walks a version 1 B-tree of `type` from `root`, each node once; `leaf` gets the children of
    // level 0 with the key before each.
    void bTree(u64 root, unsigned type, u64 keySize, const QString &what,
               const std::function<void(u64 node, u64 key, u64 child)> &leaf);
    void symbolNode(u64 node, u64 child);
    void link(u64 header, const Message &m);
    void attribute(u64 header, const Message &m);
    std::optional<u64> valueCount(const Message &space) const;
    std::optional<u64> stringCharSize(u64 at, u64 size, const QString &what) const;
    u64 datatype(u64 at, u64 end, const QString &what, int depth = 0) const;
    u64 memberName(u64 at, u64 end, bool padded, const QString &what) const;
    void dataset(u64 header, std::optional<u64> charSize, u64 valueBytes, const Message &space,
                 const Message &layout, const std::optional<Message> &filters);
    void chunks(u64 header, std::optional<u64> charSize, const Message &layout, u64 fields,
                const std::optional<Message> &filters);
    void strings(QByteArrayView data, u64 count, u64 charSize, const QString &what);

    QByteArrayView m_file;
    u64 m_size;     // the file's, then where HDF5's end of file puts it
    u64 m_base = 0; // where the superblock is: addresses count from there
    unsigned m_offsets = 0, m_lengths = 0;
    u64 m_leafK = 0; // symbol table nodes hold up to 2K entries (0: not declared in the superblock)
    // Global heap collections walked so far (file bytes) -> object index -> bytes; none where
    // HDF5 finds no collection.
    std::map<u64, std::optional<QHash<u64, u64>>> m_heaps;
    QSet<u64> m_headers, m_nodes; // visited object headers; B-tree and symbol nodes
    std::vector<u64> m_pending;   // object headers to visit
    u64 m_inflated = 0;           // bytes of chunks of strings checked, at most kMaxChunkBytes
    u64 m_headerBytes = 0;        // read so far, against overlapping headers
};

u64 FileCheck::address(QByteArrayView bytes, u64 at) const
{
    const u64 v = littleEndian(bytes, at, m_offsets);
    return m_offsets < 8 && v == (u64(1) << 8 * m_offsets) - 1 ? kUndefined : v;
}

u64 FileCheck::locate(u64 address, u64 need, const QString &what) const
{
    if (address == kUndefined || !has(m_base, address))
        damaged(QStringLiteral("%1 is at %2, past the end of the HDF5 data at byte %3")
                    .arg(what, place(address))
                    .arg(m_size));
    const u64 at = m_base + address;
    if (!has(at, need))
        damaged(QStringLiteral("%1 takes %2 bytes from byte %3, past the end of the HDF5 data at "
                               "byte %4")
                    .arg(what)
                    .arg(need)
                    .arg(at)
                    .arg(m_size));
    return at;
}

// HDF5 looks for its superblock at 0, 512, 1024, 2048, ... (after a user block).
bool FileCheck::superblock(u64 *rootHeader)
{
    for (u64 at = 0; has(at, 16); at = at == 0 ? 512 : 2 * at) {
        if (m_file.sliced(qsizetype(at), 8) != QByteArrayView("\x89HDF\r\n\x1a\n", 8))
            continue;
        const unsigned version = byte(at + 8);
        m_offsets = byte(at + (version < 2 ? 13 : 9));
        m_lengths = byte(at + (version < 2 ? 14 : 10));
        for (unsigned size : {m_offsets, m_lengths})
            if (size != 2 && size != 4 && size != 8)
                unchecked(QStringLiteral("the HDF5 file stores numbers in %1 bytes").arg(size));
        m_base = at;
        // Versions 0 and 1: four addresses (base, free space, end of file, driver information),
        // then the root group's symbol table entry: its object header after the name offset.
        // Versions 2 and 3: base, extension and end of file, then the root object header.
        const u64 base = at + (version == 0 ? 24 : version == 1 ? 28 : 12);
        const u64 root = base + (version < 2 ? 5 : 3) * u64(m_offsets);
        if (version > 3 || !has(root, m_offsets))
            return false; // HDF5 refuses the file
        *rootHeader = address(root);
        if (version < 2) // after the sizes: the group leaf node K (2), internal node K (2)
            m_leafK = number(at + 16, 2);
        // HDF5 counts addresses from the superblock, whatever base it declares, and moves the
        // declared end of file by the difference; it reads nothing past that end (and reads the
        // part of a dataset past it from a buffer it never filled), so neither does this check.
        const u64 end = address(base + 2 * u64(m_offsets)) - (address(base) - at);
        m_size = std::min(m_size, end > kUndefined - at ? m_size : at + end);
        return true;
    }
    return false;
}

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

// The messages of the object header at `header` (file bytes), through its continuation blocks.
// A header HDF5 refuses to read (wrong version, a message past its block) ends the list there.
std::vector<Message> FileCheck::messages(u64 header)
{
    std::vector<Message> result;
    const bool v2 = signature(header, "OHDR");
    unsigned flags = 0;
    std::vector<std::pair<u64, u64>> blocks; // [begin, end) of each block's messages
    if (v2) {
        if (!has(header, 6) || byte(header + 4) != 2)
            return result;
        flags = byte(header + 5);
        // Times (16 bytes) and attribute phase change values (4) when flagged, then the size of
        // the first block in 1, 2, 4 or 8 bytes.
        const u64 at = header + 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
        const unsigned width = 1u << (flags & 3);
        if (!has(at, width) || !has(at + width, number(at, width)))
            return result;
        blocks.emplace_back(at + width, at + width + number(at, width));
    } else {
        // Version 1: version, reserved, message count (2), reference count (4), size (4),
        // padding to 16.
        if (!has(header, 16) || byte(header) != 1 || !has(header + 16, number(header + 8, 4)))
            return result;
        blocks.emplace_back(header + 16, header + 16 + number(header + 8, 4));
    }
    // Message headers: type (2), size (2), flags, 3 reserved (version 1); type, size (2), flags
    // and a creation order (2) when attributes' order is tracked (version 2).
    const u64 messageHeader = v2 ? 4 + (flags & 0x04 ? 2 : 0) : 8;
    QSet<u64> blockStarts;
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        const auto [begin, end] = blocks[b];
        m_headerBytes += end - begin;
        if (m_headerBytes > 16 * m_size + (1 << 20))
            damaged(QStringLiteral("the object headers overlap (more than %1 bytes of them)")
                        .arg(m_headerBytes));
        for (u64 p = begin; end - p >= messageHeader;) {
            const Message m{v2 ? byte(p) : unsigned(number(p, 2)), byte(p + (v2 ? 3 : 4)),
                            p + messageHeader, number(p + (v2 ? 1 : 2), 2)};
            if (m.size > end - m.at)
                return result;
            p = m.at + m.size;
            if (m.type != kContinuation) {
                result.push_back(m);
                continue;
            }
            if (m.size < u64(m_offsets) + m_lengths)
                tooShort("continuation", m.at, m.size, u64(m_offsets) + m_lengths);
            const u64 length = number(m.at + m_offsets, m_lengths);
            const u64 at = locate(
                address(m.at), length,
                QStringLiteral("a continuation of the object header at byte %1").arg(header));
            if (blockStarts.contains(at))
                damaged(QStringLiteral("the object header at byte %1 continues twice into byte %2")
                            .arg(header)
                            .arg(at));
            blockStarts.insert(at);
            // Version 2 blocks: "OCHK", the messages, a checksum (4).
            if (v2 && (length < 8 || !signature(at, "OCHK")))
                return result;
            blocks.emplace_back(v2 ? at + 4 : at, v2 ? at + length - 4 : at + length);
        }
    }
    return result;
}

// The message a shared message (at..at+size, in the object header at `header`) stands for: the
// first message of `type` in the object header it names. Messages in the file's shared message
// heap are not followed (SNN Studio and h5py write none).
std::optional<Message> FileCheck::shared(u64 at, u64 size, unsigned type, u64 header)
{
    if (size < 2)
        tooShort("shared", at, size, 2);
    const unsigned version = byte(at);
    // Version 1: version, type, 6 reserved, a length and the address; versions 2 and 3:
    // version, type (1: in the heap), the address.
    const u64 offset = version == 1 ? 8 + m_lengths : 2;
    if (version < 1 || version > 3 || (version > 1 && byte(at + 1) == 1))
        return std::nullopt;
    if (size < offset + m_offsets)
        tooShort("shared", at, size, offset + m_offsets);
    const u64 target =
        locate(address(at + offset), 1,
               QStringLiteral("a message shared with the object header at byte %1").arg(header));
    for (const Message &m : messages(target))
        if (m.type == type) {
            if (m.flags & 0x02)
                damaged(QStringLiteral("the shared message at byte %1 points to another shared "
                                       "message at byte %2")
                            .arg(at)
                            .arg(m.at));
            return m;
        }
    return std::nullopt; // HDF5 refuses it
}

std::optional<Message> FileCheck::resolve(const Message &m, u64 header)
{
    if (!(m.flags & 0x02))
        return m;
    return shared(m.at, m.size, m.type, header);
}

void FileCheck::object(u64 header)
{
    if (m_headers.contains(header))
        return;
    m_headers.insert(header);
    std::optional<Message> type, space, layout, filters;
    for (const Message &m : messages(header)) {
        switch (m.type) {
        case kSymbolTable:
            symbolTable(header, m);
            break;
        case kLink:
            link(header, m);
            break;
        case kAttribute:
            if (const std::optional<Message> a = resolve(m, header))
                attribute(header, *a);
            break;
        case kDatatype:
            type = resolve(m, header);
            break;
        case kDataspace:
            space = resolve(m, header);
            break;
        case kLayout:
            layout = m;
            break;
        case kFilters:
            filters = resolve(m, header);
            break;
        }
    }
    if (type)
        datatype(type->at, type->at + type->size,
                 QStringLiteral("the datatype of the object at byte %1").arg(header));
    if (type && space && layout && type->size >= 8)
        dataset(header,
                stringCharSize(type->at, type->size,
                               QStringLiteral("the dataset at byte %1").arg(header)),
                number(type->at + 4, 4), *space, *layout, filters);
}

// A group's symbol table message: its B-tree and local heap (HDF5 reads both on every lookup).
void FileCheck::symbolTable(u64 header, const Message &m)
{
    if (m.size < 2 * u64(m_offsets))
        tooShort("symbol table", m.at, m.size, 2 * u64(m_offsets));
    // A local heap: "HEAP", version, 3 reserved, its data's size, free list, data address.
    const u64 heap = locate(address(m.at + m_offsets), 8 + 2 * m_lengths + m_offsets,
                            QStringLiteral("the local heap of the group at byte %1").arg(header));
    if (signature(heap, "HEAP")) {
        const u64 bytes = number(heap + 8, m_lengths);
        if (bytes > 0)
            locate(address(heap + 8 + 2 * m_lengths), bytes,
                   QStringLiteral("the data of the local heap at byte %1").arg(heap));
    }
    bTree(address(m.at), 0, m_lengths,
          QStringLiteral("the B-tree of the group at byte %1").arg(header),
          [this](u64 node, u64, u64 child) { symbolNode(node, child); });
}

// A version 1 B-tree: "TREE", type, level, entries used (2), left and right siblings, then keys
// and children (addresses) alternating, a key first and last. Every node is read once: one
// reached again is damage (HDF5 would go round for ever).
void FileCheck::bTree(u64 root, unsigned type, u64 keySize, const QString &what,
                      const std::function<void(u64 node, u64 key, u64 child)> &leaf)
{
    std::vector<std::pair<u64, QString>> pending{{root, what}};
    while (!pending.empty()) {
        const auto [nodeAddress, nodeWhat] = std::move(pending.back());
        pending.pop_back();
        const u64 node = locate(nodeAddress, 8 + 2 * m_offsets, nodeWhat);
        if (!signature(node, "TREE") || byte(node + 4) != type)
            continue; // HDF5 refuses it
        if (m_nodes.contains(node))
            damaged(QStringLiteral("the B-tree node at byte %1 is reached twice").arg(node));
        m_nodes.insert(node);
        const unsigned level = byte(node + 5);
        const u64 entries = number(node + 6, 2);
        const u64 first = node + 8 + 2 * m_offsets;
        const u64 step = keySize + m_offsets;
        if (!has(first, entries * step + keySize))
            continue;
        for (u64 i = 0; i < entries; ++i) {
            const u64 key = first + i * step;
            const u64 child = address(key + keySize);
            if (level == 0)
                leaf(node, key, child);
            else
                pending.emplace_back(
                    child, QStringLiteral("a child of the B-tree node at byte %1").arg(node));
        }
    }
}

// A group's symbol table node: "SNOD", version, reserved, symbols used (2), then entries: name
// offset (a length), object header address, cache type (4), reserved (4), scratch pad (16).
void FileCheck::symbolNode(u64 node, u64 child)
{
    const u64 symbols = locate(
        child, 8, QStringLiteral("a symbol table node of the B-tree node at byte %1").arg(node));
    if (!signature(symbols, "SNOD"))
        return; // HDF5 refuses it
    if (m_nodes.contains(symbols))
        damaged(QStringLiteral("the symbol table node at byte %1 is reached twice").arg(symbols));
    m_nodes.insert(symbols);
    const u64 count = number(symbols + 6, 2);
    // HDF5 1.10 decodes every entry counted into an array of 2K (a heap overflow past it).
    if (m_leafK > 0 && count > 2 * m_leafK)
        damaged(QStringLiteral("the symbol table node at byte %1 counts %2 entries, where it has "
                               "room for %3")
                    .arg(symbols)
                    .arg(count)
                    .arg(2 * m_leafK));
    const u64 entry = m_lengths + m_offsets + 24;
    if (!has(symbols + 8, count * entry))
        return;
    for (u64 s = 0; s < count; ++s)
        m_pending.push_back(
            locate(address(symbols + 8 + s * entry + m_lengths), 1,
                   QStringLiteral("an object of the symbol table node at byte %1").arg(symbols)));
}

// A link message: version 1, flags, then the link type, creation order, name encoding and the
// name's length when flagged, the name, and for a hard link (type 0) the object's address.
void FileCheck::link(u64 header, const Message &m)
{
    const u64 end = m.at + m.size;
    if (m.size < 2)
        tooShort("link", m.at, m.size, 2);
    if (byte(m.at) != 1)
        return;
    const unsigned flags = byte(m.at + 1);
    u64 p = m.at + 2;
    unsigned type = 0;
    if (flags & 0x08)
        type = p < end ? byte(p++) : 1;
    p += (flags & 0x04 ? 8 : 0) + (flags & 0x10 ? 1 : 0);
    const unsigned width = 1u << (flags & 3);
    if (p > end || end - p < width)
        tooShort("link", m.at, m.size, p + width - m.at);
    const u64 name = number(p, width);
    p += width;
    if (end - p < name)
        tooShort("link", m.at, m.size, p + name - m.at);
    if (type != 0)
        return; // a soft or external link: not followed
    if (end - p - name < m_offsets)
        tooShort("link", m.at, m.size, p + name + m_offsets - m.at);
    m_pending.push_back(
        locate(address(p + name), 1,
               QStringLiteral("an object linked from the object header at byte %1").arg(header)));
}

// An attribute message: version, flags (versions 2, 3: bit 0 the datatype is shared), sizes of
// the name, datatype and dataspace (2 each), the name encoding (version 3), then the three, each
// padded to 8 bytes in version 1, then the values.
void FileCheck::attribute(u64 header, const Message &m)
{
    const u64 end = m.at + m.size;
    if (m.size < 9)
        tooShort("attribute", m.at, m.size, 9);
    const unsigned version = byte(m.at);
    const unsigned flags = version > 1 ? byte(m.at + 1) : 0;
    const auto padded = [&](u64 n) { return version == 1 ? (n + 7) / 8 * 8 : n; };
    const u64 nameSize = number(m.at + 2, 2);
    const u64 typeSize = number(m.at + 4, 2);
    const u64 spaceSize = number(m.at + 6, 2);
    const u64 name = m.at + (version == 3 ? 9 : 8);
    const u64 type = name + padded(nameSize);
    const u64 space = type + padded(typeSize);
    const u64 values = space + padded(spaceSize);
    if (version < 1 || version > 3)
        return;
    // HDF5 1.10 decodes the three where the sizes put them and copies the values from there,
    // inside the message or not.
    if (values > end)
        damaged(QStringLiteral("the attribute message at byte %1 declares %2 bytes of name, type "
                               "and shape, where it holds %3")
                    .arg(m.at)
                    .arg(values - m.at)
                    .arg(m.size));
    // HDF5 copies the name up to its NUL, wherever that is.
    QByteArrayView text = m_file.sliced(qsizetype(name), qsizetype(nameSize));
    const qsizetype nul = text.indexOf('\0');
    if (nul < 0)
        damaged(QStringLiteral("the name of the attribute at byte %1 does not end within its "
                               "%2 bytes")
                    .arg(m.at)
                    .arg(nameSize));
    text.truncate(nul);
    const QString what =
        QStringLiteral("%1 of the object at byte %2").arg(quoted(text)).arg(header);
    const std::optional<Message> dataType = flags & 0x01 ? shared(type, typeSize, kDatatype, header)
                                                         : Message{kDatatype, 0, type, typeSize};
    const std::optional<Message> dataSpace = flags & 0x02
                                                 ? shared(space, spaceSize, kDataspace, header)
                                                 : Message{kDataspace, 0, space, spaceSize};
    if (dataType)
        datatype(dataType->at, flags & 0x01 ? dataType->at + dataType->size : end,
                 QStringLiteral("the datatype of %1").arg(what));
    const std::optional<u64> count = dataSpace ? valueCount(*dataSpace) : std::nullopt;
    if (!dataType || dataType->size < 8 || !count)
        return;
    const std::optional<u64> charSize = stringCharSize(dataType->at, dataType->size, what);
    const u64 valueSize = number(dataType->at + 4, 4);
    if (valueSize != 0 && *count > (end - values) / valueSize)
        damaged(QStringLiteral("%1 declares %2 values of %3 bytes, where its message holds %4")
                    .arg(what)
                    .arg(*count)
                    .arg(valueSize)
                    .arg(end - values));
    if (charSize)
        strings(m_file.sliced(qsizetype(values), qsizetype(end - values)), *count, *charSize, what);
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

QString FileCheck::run()
{
    try {
        u64 root = 0;
        if (!superblock(&root))
            return {};
        m_pending.push_back(locate(root, 1, QStringLiteral("the root group's object header")));
        while (!m_pending.empty()) {
            const u64 header = m_pending.back();
            m_pending.pop_back();
            object(header);
        }
    } catch (const Problem &p) {
        return p.what;
    }
    return {};
}

} // namespace

QString fileProblem(QByteArrayView file)
{
    return FileCheck(file).run();
}

} // namespace snn::h5
