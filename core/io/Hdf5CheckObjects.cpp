#include "io/Hdf5CheckWalk.h"

namespace snn::h5::check {

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

} // namespace snn::h5::check
