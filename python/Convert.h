#pragma once

// Conversions between Python (numpy, str, callables) and core's types, shared by the bindings of
// the snnstudio module. Nothing here computes anything of its own.

#include "base/Error.h"
#include "base/RunControl.h"
#include "graph/Layer.h"
#include "sim/Dataset.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snn {
class Graph;
}

namespace snnpy {

namespace py = pybind11;

// A graph as SNNGraph holds it: shared with the layers and arrays that view it.
using GraphPtr = std::shared_ptr<snn::Graph>;

QString qstr(const std::string &text);
std::string str(const QString &text);
std::vector<std::string> strings(const QStringList &list);
// A JSON object as the dict json.loads makes of it.
py::object jsonToPython(const QJsonValue &value);

// A 2-D float32 copy of an array-like, or ValueError naming `what`.
snn::RowMatrixXf rowMatrix(const py::handle &array, const QString &what);
// A 1-D float32 copy of an array-like, or ValueError naming `what`.
Eigen::VectorXf vector(const py::handle &array, const QString &what);

// numpy views of memory that `owner` keeps alive (no copy: writing to the array writes there).
py::array matrixView(const std::shared_ptr<void> &owner, Eigen::MatrixXf &matrix);
py::array vectorView(const std::shared_ptr<void> &owner, Eigen::VectorXf &vector);
// numpy arrays that own what is moved into them.
py::array ownedMatrix(Eigen::MatrixXf matrix);
py::array ownedVector(Eigen::VectorXf vector);
py::array ownedInts(std::vector<int> values);

// A data set: a spec string as snnc's --data takes it (the test set when there is one), or a
// tuple (x, y) of arrays ([n x features] in [0, 1], [n] class indices). Cut to `limit` (0: all).
snn::sim::Dataset dataset(const py::handle &data, int limit);

// What every binding that takes `progress` says of it.
inline const char *const kProgressDoc =
    "progress: None or a callable (fraction: float, step: str) called as the work goes on. "
    "Raising an exception in it stops the work and propagates; Ctrl+C (KeyboardInterrupt) stops it "
    "cleanly as well. The GIL is released while the work runs.";

// Runs `job` with the GIL released under a RunControl whose progress calls `progress(fraction,
// step)` (when given) and whose cancel check runs Python's signal handlers: Ctrl+C or an exception
// raised by the callback stops the job at its next check, and that exception is raised here.
class Interruptible {
public:
    explicit Interruptible(py::object progress);
    const snn::RunControl &control() const { return m_control; }

    template <typename Job> auto run(Job &&job)
    {
        std::optional<decltype(job(m_control))> result;
        try {
            py::gil_scoped_release release;
            result.emplace(job(m_control));
        } catch (const snn::Cancelled &) {
            rethrow();
            throw;
        }
        rethrow(); // a callback raised after the job's last check: the caller still hears of it
        return std::move(*result);
    }

private:
    struct State {
        std::atomic<bool> stop{false};
        std::optional<py::error_already_set> error; // read and written with the GIL held
    };
    void rethrow();

    std::shared_ptr<State> m_state;
    snn::RunControl m_control;
};

// A QCoreApplication for what needs one (a QEventLoop: the iCE40 flow, the pipeline); Python has
// none. Made once, it lives as long as the interpreter.
void ensureApplication();

} // namespace snnpy
