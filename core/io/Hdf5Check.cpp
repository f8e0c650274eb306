#include "io/Hdf5Check.h"

#include "io/Hdf5CheckWalk.h"

#include <algorithm>

namespace snn::h5 {

namespace check {

[[noreturn]] void damaged(const QString &what)
{
    throw Problem{QStringLiteral("the HDF5 file is damaged (%1)").arg(what)};
}

[[noreturn]] void unchecked(const QString &what)
{
    throw Problem{QStringLiteral("%1, which SNN Studio does not read").arg(what)};
}

[[noreturn]] void tooShort(const char *kind, u64 at, u64 size, u64 need)
{
    damaged(QStringLiteral("the %1 message at byte %2 holds %3 bytes, where it needs %4")
                .arg(QLatin1String(kind))
                .arg(at)
                .arg(size)
                .arg(need));
}

QString place(u64 address)
{
    return address == kUndefined ? QStringLiteral("the undefined address")
                                 : QStringLiteral("byte %1").arg(address);
}

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

} // namespace check

QString fileProblem(QByteArrayView file)
{
    return check::FileCheck(file).run();
}

} // namespace snn::h5
