#include "base/Rng.h"
#include "sim/Kernels.h"

#include <QtTest>

#include <cstring>
#include <vector>

using namespace snn;

class TestKernels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void addColumnSetsAddsInIndexOrder_data();
    void addColumnSetsAddsInIndexOrder();
    void packedColumnsHoldEveryWeight();
};

void TestKernels::addColumnSetsAddsInIndexOrder_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("sets");
    QTest::addColumn<double>("density");
    // Every group height (64, 8, 1) and their mixes; one set and more sets than one pass takes
    // (32); column counts below, at and above a block (128); empty sets.
    QTest::newRow("one row") << 1 << 5 << 1 << 0.5;
    QTest::newRow("7 rows") << 7 << 130 << 3 << 0.3;
    QTest::newRow("8 rows") << 8 << 128 << 2 << 0.3;
    QTest::newRow("73 rows") << 73 << 300 << 25 << 0.3;
    QTest::newRow("256 x 784, T=25") << 256 << 784 << 25 << 0.29;
    QTest::newRow("200 x 257, 40 sets") << 200 << 257 << 40 << 0.6;
    QTest::newRow("64 x 64, one set") << 64 << 64 << 1 << 0.9;
    QTest::newRow("empty sets") << 72 << 200 << 5 << 0.0;
}

void TestKernels::addColumnSetsAddsInIndexOrder()
{
    // Random weights of all magnitudes, so that another order of the additions would round
    // differently: the sums must equal, bit for bit, adding the columns one after another.
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, sets);
    QFETCH(double, density);
    Rng rng(std::uint64_t(rows * 1000 + cols));
    const std::ptrdiff_t ld = rows + 3; // a leading dimension larger than the rows
    std::vector<float> w(std::size_t(ld * cols));
    for (float &x : w)
        x = float(rng.normal() * std::ldexp(1.0, int(rng.next() % 20) - 10));
    std::vector<int> idx;
    std::vector<std::size_t> offsets{0};
    for (int s = 0; s < sets; ++s) {
        for (int j = 0; j < cols; ++j)
            if (rng.uniform() < density)
                idx.push_back(j);
        offsets.push_back(idx.size());
    }
    const std::ptrdiff_t ldc = rows + 5;
    std::vector<float> current(std::size_t(ldc * sets)), expected;
    for (float &x : current)
        x = float(rng.normal());
    expected = current;
    for (int s = 0; s < sets; ++s)
        for (int r = 0; r < rows; ++r)
            for (std::size_t i = offsets[std::size_t(s)]; i < offsets[std::size_t(s) + 1]; ++i)
                expected[std::size_t(s * ldc + r)] += w[std::size_t(idx[i] * ld + r)];

    const sim::PackedColumns packed(w.data(), rows, cols, ld);
    QCOMPARE(packed.rows(), rows);
    QCOMPARE(packed.cols(), cols);
    sim::addColumnSets(current.data(), ldc, packed, idx.data(), offsets.data(), std::size_t(sets));
    QCOMPARE(std::memcmp(current.data(), expected.data(), current.size() * sizeof(float)), 0);
}

void TestKernels::packedColumnsHoldEveryWeight()
{
    // 73 rows: one group of 64, one of 8, one single row; each weight where data() documents it.
    const int rows = 73, cols = 3;
    std::vector<float> w(std::size_t(rows * cols));
    for (std::size_t i = 0; i < w.size(); ++i)
        w[i] = float(i);
    const sim::PackedColumns packed(w.data(), rows, cols, rows);
    const auto at = [&](int r0, int h, int r, int j) {
        return packed.data()[r0 * cols + j * h + r - r0];
    };
    for (int j = 0; j < cols; ++j) {
        for (int r = 0; r < 64; ++r)
            QCOMPARE(at(0, 64, r, j), w[std::size_t(j * rows + r)]);
        for (int r = 64; r < 72; ++r)
            QCOMPARE(at(64, 8, r, j), w[std::size_t(j * rows + r)]);
        QCOMPARE(at(72, 1, 72, j), w[std::size_t(j * rows + 72)]);
    }
}

QTEST_GUILESS_MAIN(TestKernels)
#include "tst_kernels.moc"
