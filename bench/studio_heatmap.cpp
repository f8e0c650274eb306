// Times the studio's firing-rate heatmap on large layers: building the colour maps from a graph
// (setBefore) and a full replot, offscreen. Plain timing program; median of 5 runs.
//   build/release/bin/bench_studio_heatmap

#include "RateHeatmap.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <vector>

using namespace snn;

namespace {

Graph graphWith(int neurons)
{
    Graph g(16);
    Layer l;
    l.name = QStringLiteral("big");
    l.weights = Eigen::MatrixXf::Zero(neurons, 16);
    l.rates = Eigen::VectorXf::LinSpaced(neurons, 0.0f, 0.5f);
    g.addLayer(l);
    Layer out;
    out.name = QStringLiteral("out");
    out.source = 1;
    out.weights = Eigen::MatrixXf::Zero(10, neurons);
    out.rates = Eigen::VectorXf::Constant(10, 0.1f);
    g.addLayer(out);
    return g;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTextStream out(stdout);
    out << "neurons  setBefore_ms  replot_ms\n";
    for (int neurons : {1000, 10000, 100000, 1000000}) {
        const Graph g = graphWith(neurons);
        widgets::RateHeatmap map;
        map.resize(1200, 320);
        map.show();
        QApplication::processEvents();
        std::vector<double> set, replot;
        for (int run = 0; run < 5; ++run) {
            QElapsedTimer t;
            t.start();
            map.setBefore(g);
            set.push_back(double(t.nsecsElapsed()) / 1e6);
            t.restart();
            map.replotNow();
            replot.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        out << QStringLiteral("%1  %2  %3\n")
                   .arg(neurons, 7)
                   .arg(median(set), 12, 'f', 1)
                   .arg(median(replot), 9, 'f', 1);
        out.flush();
    }
    return 0;
}
