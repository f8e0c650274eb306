#pragma once

// Shared test helpers: a main that runs GUI tests offscreen, and builders for small graphs.

#include "Graph.h"

#include <QTest>

#include <initializer_list>

namespace snn::test {

// A layer from row-major weights: rows are neurons.
inline Layer makeLayer(const QString &name, LayerId source, int neurons, int inputs,
                       std::initializer_list<float> weights = {})
{
    Layer l;
    l.name = name;
    l.source = source;
    l.weights = Eigen::MatrixXf::Zero(neurons, inputs);
    if (weights.size() > 0) {
        Q_ASSERT(int(weights.size()) == neurons * inputs);
        auto it = weights.begin();
        for (int r = 0; r < neurons; ++r)
            for (int c = 0; c < inputs; ++c)
                l.weights(r, c) = *it++;
    }
    return l;
}

inline Eigen::VectorXf vec(std::initializer_list<float> values)
{
    Eigen::VectorXf v(Eigen::Index(values.size()));
    Eigen::Index i = 0;
    for (float x : values)
        v(i++) = x;
    return v;
}

} // namespace snn::test

// Like QTEST_MAIN, but runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise,
// at 96 dpi, so widget tests behave the same on every machine.
#define SNN_WIDGET_TEST_MAIN(TestClass)                                                            \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                                        \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                               \
        QApplication::setAttribute(Qt::AA_Use96Dpi, true);                                         \
        QApplication app(argc, argv);                                                              \
        TestClass tc;                                                                              \
        return QTest::qExec(&tc, argc, argv);                                                      \
    }
