#include "Convert.h"

#include "base/Error.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace snnpy {

QString qstr(const std::string &text)
{
    return QString::fromStdString(text);
}

std::string str(const QString &text)
{
    return text.toStdString();
}

std::vector<std::string> strings(const QStringList &list)
{
    std::vector<std::string> result;
    for (const QString &s : list)
        result.push_back(str(s));
    return result;
}

py::object jsonToPython(const QJsonValue &value)
{
    const QJsonDocument doc =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return py::module_::import("json").attr("loads")(
        doc.toJson(QJsonDocument::Compact).toStdString());
}

namespace {

using FloatArray = py::array_t<float, py::array::c_style | py::array::forcecast>;

FloatArray floatArray(const py::handle &array, const QString &what)
{
    FloatArray a = FloatArray::ensure(array);
    if (!a)
        throw snn::Error(QStringLiteral("%1 is not an array of numbers").arg(what));
    return a;
}

template <typename T> py::capsule owning(T *object)
{
    return py::capsule(object, [](void *p) { delete static_cast<T *>(p); });
}

} // namespace

snn::RowMatrixXf rowMatrix(const py::handle &array, const QString &what)
{
    const FloatArray a = floatArray(array, what);
    if (a.ndim() != 2)
        throw snn::Error(QStringLiteral("%1 must be 2-D, not %2-D").arg(what).arg(a.ndim()));
    return Eigen::Map<const snn::RowMatrixXf>(a.data(), a.shape(0), a.shape(1));
}

Eigen::VectorXf vector(const py::handle &array, const QString &what)
{
    const FloatArray a = floatArray(array, what);
    if (a.ndim() != 1)
        throw snn::Error(QStringLiteral("%1 must be 1-D, not %2-D").arg(what).arg(a.ndim()));
    return Eigen::Map<const Eigen::VectorXf>(a.data(), a.shape(0));
}

py::array matrixView(const std::shared_ptr<void> &owner, Eigen::MatrixXf &matrix)
{
    // Eigen stores columns one after another: a Fortran-ordered [rows x cols] view.
    const auto f = py::ssize_t(sizeof(float));
    return py::array_t<float>({py::ssize_t(matrix.rows()), py::ssize_t(matrix.cols())},
                              {f, f * py::ssize_t(matrix.rows())}, matrix.data(),
                              owning(new std::shared_ptr<void>(owner)));
}

py::array vectorView(const std::shared_ptr<void> &owner, Eigen::VectorXf &vector)
{
    return py::array_t<float>({py::ssize_t(vector.size())}, {py::ssize_t(sizeof(float))},
                              vector.data(), owning(new std::shared_ptr<void>(owner)));
}

py::array ownedMatrix(Eigen::MatrixXf matrix)
{
    auto *m = new Eigen::MatrixXf(std::move(matrix));
    const auto f = py::ssize_t(sizeof(float));
    return py::array_t<float>({py::ssize_t(m->rows()), py::ssize_t(m->cols())},
                              {f, f * py::ssize_t(m->rows())}, m->data(), owning(m));
}

py::array ownedVector(Eigen::VectorXf vector)
{
    auto *v = new Eigen::VectorXf(std::move(vector));
    return py::array_t<float>({py::ssize_t(v->size())}, {py::ssize_t(sizeof(float))}, v->data(),
                              owning(v));
}

py::array ownedInts(std::vector<int> values)
{
    auto *v = new std::vector<int>(std::move(values));
    return py::array_t<int>({py::ssize_t(v->size())}, {py::ssize_t(sizeof(int))}, v->data(),
                            owning(v));
}

void ensureApplication()
{
    if (QCoreApplication::instance())
        return;
    static int argc = 1;
    static char name[] = "snnstudio";
    static char *argv[] = {name, nullptr};
    new QCoreApplication(argc, argv); // lives as long as the interpreter
}

snn::sim::Dataset dataset(const py::handle &data, int limit)
{
    if (limit < 0)
        throw snn::Error(QStringLiteral("limit must be 0 (all) or positive, not %1").arg(limit));
    snn::sim::Dataset set;
    if (py::isinstance<py::str>(data)) {
        const QString spec = qstr(data.cast<std::string>());
        py::gil_scoped_release release;
        set = snn::sim::loadSamples(spec, snn::sim::kTestSplit, 0, limit);
    } else if (py::isinstance<py::tuple>(data) && py::len(data) == 2) {
        const auto pair = data.cast<py::tuple>();
        snn::RowMatrixXf x = rowMatrix(pair[0], QStringLiteral("the data's x"));
        // Labels as numbers, for core to judge (0.5 is refused there, not cut to 0 here).
        using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
        const DoubleArray y = DoubleArray::ensure(pair[1]);
        if (!y || y.ndim() != 1)
            throw snn::Error(QStringLiteral("the data's y must be a 1-D array of class indices"));
        const QString name = QStringLiteral("arrays");
        set = snn::sim::makeDataset(
            name, std::move(x), std::span<const double>(y.data(), std::size_t(y.shape(0))), name);
    } else {
        throw snn::Error(QStringLiteral("data must be a data set name or path (as snnc's --data "
                                        "takes) or a tuple (x, y) of arrays"));
    }
    if (limit > 0 && limit < set.size())
        set = set.head(limit);
    return set;
}

Interruptible::Interruptible(py::object progress)
    : m_state(std::make_shared<State>())
{
    // Both hooks run with the GIL released around them, possibly on a worker thread; they take
    // the GIL, and record the first Python exception so that the job stops at its next check.
    const auto stopWith = [](State &state, py::error_already_set &&error) {
        if (!state.error)
            state.error = std::move(error);
        state.stop = true;
    };
    m_control.cancelRequested = [state = m_state, stopWith] {
        if (state->stop)
            return true;
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0)
            stopWith(*state, py::error_already_set());
        return state->stop.load();
    };
    if (!progress.is_none())
        m_control.progress = [state = m_state, stopWith,
                              callback = std::make_shared<py::object>(std::move(progress))](
                                 double fraction, const QString &step) {
            if (state->stop)
                return;
            py::gil_scoped_acquire gil;
            try {
                (*callback)(fraction, str(step));
            } catch (py::error_already_set &e) {
                stopWith(*state, std::move(e));
            }
        };
}

void Interruptible::rethrow()
{
    if (m_state->error) {
        py::error_already_set error = std::move(*m_state->error);
        m_state->error.reset();
        throw error;
    }
}

} // namespace snnpy
