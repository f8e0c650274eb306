// The redundancy pass on a random [neurons x inputs] matrix, timed inside the process (the
// comparison with numpy's normalised Gram product in bench/compare.sh; docs/performance.md).
//
//     redundancy_pass NEURONS INPUTS [THREADS] [NORM_TOLERANCE]
//
// Prints the seconds of one findRedundantNeurons call (after one untimed call) and the merges.
// The norm tolerance (default 0.01, the pass's) bounds the band of the Gram triangle computed; 1
// or more computes the whole triangle.

#include "base/Rng.h"
#include "opt/Passes.h"

#include <QElapsedTimer>

#include <cstdio>
#include <cstdlib>
#include <ctime>

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: redundancy_pass NEURONS INPUTS [THREADS]\n");
        return 2;
    }
    const int neurons = std::atoi(argv[1]), inputs = std::atoi(argv[2]);
    const int threads = argc > 3 ? std::atoi(argv[3]) : 0;
    const float tolerance = argc > 4 ? float(std::atof(argv[4])) : 0.01f;
    if (neurons < 1 || inputs < 1 || threads < 0 || !(tolerance >= 0.0f)) {
        std::fprintf(stderr,
                     "redundancy_pass: sizes must be positive, threads and tolerance >= 0\n");
        return 2;
    }
    snn::Rng rng(1);
    Eigen::MatrixXf w(neurons, inputs);
    for (Eigen::Index c = 0; c < w.cols(); ++c)
        for (Eigen::Index r = 0; r < w.rows(); ++r)
            w(r, c) = float(rng.normal());
    snn::passes::findRedundantNeurons(w, {}, 0.99f, tolerance, {}, threads); // warm-up
    // CPU time beside the wall time: on a loaded machine the steadier figure.
    timespec cpu0{}, cpu1{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
    QElapsedTimer clock;
    clock.start();
    const std::vector<int> keeper =
        snn::passes::findRedundantNeurons(w, {}, 0.99f, tolerance, {}, threads);
    const double seconds = double(clock.nsecsElapsed()) * 1e-9;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
    const double cpu =
        double(cpu1.tv_sec - cpu0.tv_sec) + double(cpu1.tv_nsec - cpu0.tv_nsec) * 1e-9;
    int merged = 0;
    for (std::size_t i = 0; i < keeper.size(); ++i)
        merged += keeper[i] != int(i);
    std::printf("redundancy pass %d x %d, %d threads, norm tolerance %g: %.4f s (CPU %.4f s), %d "
                "merged\n",
                neurons, inputs, threads, double(tolerance), seconds, cpu, merged);
    return 0;
}
