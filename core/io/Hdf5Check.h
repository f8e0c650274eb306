#pragma once

// The check h5::openFile runs on a file's bytes before HDF5 opens it. libhdf5 1.10 trusts what a
// file declares in places where a damaged file makes it loop forever, crash or allocate gigabytes
// before it reports anything; the check walks those structures first, the way HDF5 would read
// them, and names the first problem. Anything else that is wrong is left to HDF5's own checks.

#include <QByteArrayView>
#include <QString>

namespace snn::h5 {

// What is wrong in the bytes of an HDF5 file, in one line ("the HDF5 file is damaged (...)", or
// "..., which SNN Studio does not read" for what the check cannot follow), or an empty string.
// Checked:
// - every global heap collection (where variable-length strings live): an object of 0 bytes
//   (HDF5 loops forever) or one larger than the rest of its collection;
// - every object reachable from the root group through symbol tables and hard links: the
//   addresses HDF5 follows (continuation blocks, B-tree nodes, symbol table nodes, local heaps
//   and their data, object headers) lie before the end of file the superblock declares (the
//   undefined address crashes HDF5), no B-tree or symbol table node is reached twice, and no
//   symbol table node counts more entries than the superblock leaves room for (HDF5 1.10 decodes
//   them all into an array of that room);
// - every attribute of those objects: its name, type, shape and values fit its message;
// - every chunk stored unfiltered of their chunked datasets: it holds exactly a chunk's bytes;
// - every variable-length string of those objects' attributes and of their compact, contiguous
//   or chunked (as is or deflated) datasets: it names an object of a global heap collection and
//   declares exactly that object's size (HDF5 allocates what it declares before it reads it).
QString fileProblem(QByteArrayView file);

} // namespace snn::h5
