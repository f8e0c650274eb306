#pragma once

// Internal to core/io: the walk behind h5::fileProblem (Hdf5Check.h) over a file's bytes. The
// superblock, addresses and the walk's loop are in Hdf5Check.cpp, the object headers (groups,
// links, attributes) in Hdf5CheckObjects.cpp, the datatypes and data (dataset layouts, chunks,
// variable-length strings, global heaps) in Hdf5CheckData.cpp.

// Layouts from the HDF5 file format specification (version 3.0); "HDF5 reads" means libhdf5
// 1.10.8 (H5Fsuper, H5Ocache, H5Oshared, H5Gnode, H5B, H5HL, H5HG, H5Tvlen).

#include <QByteArrayView>
#include <QHash>
#include <QSet>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace snn::h5::check {

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

// What the walk found wrong: the one line fileProblem returns.
struct Problem {
    QString what;
};

// "the HDF5 file is damaged (what)".
[[noreturn]] void damaged(const QString &what);
// Something HDF5 may read but the check cannot follow, so that SNN Studio does not read it.
[[noreturn]] void unchecked(const QString &what);
// HDF5 decodes a message's fields from its object header chunk whatever size the message
// declares, reading past the message (and past the chunk, or following what it finds there).
[[noreturn]] void tooShort(const char *kind, u64 at, u64 size, u64 need);

// The most bytes of chunks of strings that are checked (inflated) in one file.
constexpr std::uint64_t kMaxChunkBytes = std::uint64_t(1) << 26;

// "byte N", or "the undefined address".
QString place(u64 address);
// A name from the file, for a message of one line: printable ASCII only.
QString quoted(QByteArrayView name);
// A little-endian number of `size` bytes (at most 8) at `at` of `bytes`, which the caller checked.
u64 littleEndian(QByteArrayView bytes, u64 at, unsigned size);

struct Message {
    unsigned type = 0;
    unsigned flags = 0; // bit 1: the data is a reference to a message shared elsewhere
    u64 at = 0;         // its data, in file bytes
    u64 size = 0;
};

// The walk over one file's bytes: run() gives the first problem, or an empty string.
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

} // namespace snn::h5::check
