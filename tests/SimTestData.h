#pragma once

// Small data sets and IDX files made by the tests themselves.

#include "base/Rng.h"
#include "sim/Dataset.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QTest>

#include <zlib.h>

namespace snn::test {

// IDX bytes: magic 0 0 8 rank, big-endian dimensions, then the values.
inline QByteArray idxBytes(const std::vector<quint32> &dims, const QByteArray &values)
{
    QByteArray b;
    b.append(char(0)).append(char(0)).append(char(8)).append(char(dims.size()));
    for (quint32 d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            b.append(char((d >> shift) & 0xff));
    return b + values;
}

inline void writeFile(const QString &path, const QByteArray &bytes, bool gzip = false)
{
    if (gzip) {
        gzFile f = gzopen(QFile::encodeName(path).constData(), "wb");
        QVERIFY(f);
        QCOMPARE(gzwrite(f, bytes.constData(), unsigned(bytes.size())), int(bytes.size()));
        gzclose(f);
        return;
    }
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

// A separable toy problem: `classes` classes of side x side images; class c lights pixels whose
// index mod classes == c (brightly) plus seeded noise.
inline sim::Dataset toyData(int samples, int classes, int side, std::uint64_t seed)
{
    Rng rng(seed);
    sim::Dataset d;
    d.name = QStringLiteral("toy");
    d.x.resize(samples, side * side);
    d.y.resize(std::size_t(samples));
    for (int i = 0; i < samples; ++i) {
        const int c = int(rng.next() % std::uint64_t(classes));
        d.y[std::size_t(i)] = c;
        for (int j = 0; j < side * side; ++j)
            d.x(i, j) =
                j % classes == c ? float(0.6 + 0.4 * rng.uniform()) : float(0.2 * rng.uniform());
    }
    return d;
}

// The same data set as IDX bytes (pixels quantised to bytes).
inline void writeIdxPair(const sim::Dataset &d, int side, const QString &images,
                         const QString &labels, bool gzip)
{
    QByteArray pixels, ys;
    for (int i = 0; i < d.size(); ++i) {
        for (int j = 0; j < d.features(); ++j)
            pixels.append(char(quint8(std::lround(d.x(i, j) * 255.0f))));
        ys.append(char(quint8(d.y[std::size_t(i)])));
    }
    writeFile(images, idxBytes({quint32(d.size()), quint32(side), quint32(side)}, pixels), gzip);
    writeFile(labels, idxBytes({quint32(d.size())}, ys), gzip);
}

// A toy IDX data set folder as the Fashion-MNIST package lays it out: `train` and `test` samples
// of toyData(classes, 4 x 4 images; seeds 1 and 2), uncompressed. Creates `dir`.
inline void writeToyIdxFolder(const QString &dir, int train, int test, int classes)
{
    QDir().mkpath(dir);
    writeIdxPair(toyData(train, classes, 4, 1), 4, dir + QStringLiteral("/train-images-idx3-ubyte"),
                 dir + QStringLiteral("/train-labels-idx1-ubyte"), false);
    writeIdxPair(toyData(test, classes, 4, 2), 4, dir + QStringLiteral("/t10k-images-idx3-ubyte"),
                 dir + QStringLiteral("/t10k-labels-idx1-ubyte"), false);
}

} // namespace snn::test
