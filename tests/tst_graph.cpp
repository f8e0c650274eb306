#include "Error.h"
#include "Example.h"
#include "TestUtils.h"

using namespace snn;
using snn::test::makeLayer;

class TestGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exampleHasTheSeedsShape();
};

void TestGraph::exampleHasTheSeedsShape()
{
    const Graph g = exampleGraph();
    QCOMPARE(g.layerCount(), 3);
    QCOMPARE(g.totalParams(), std::int64_t(217728));
}

QTEST_GUILESS_MAIN(TestGraph)
#include "tst_graph.moc"
