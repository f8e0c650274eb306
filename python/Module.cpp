// The snnstudio Python module: core's graph, passes, simulation and iCE40 flow, with numpy arrays
// for weights and data (docs/python.md). Each area's bindings are in their own file (Bindings.h).

#include "Bindings.h"
#include "base/Error.h"

namespace {

// Core's errors as Python exceptions: Cancelled -> KeyboardInterrupt, SaveError -> OSError (the
// system refused a write: not the input's fault), Error -> ValueError.
void bindErrors()
{
    pybind11::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const snn::Cancelled &) {
            PyErr_SetNone(PyExc_KeyboardInterrupt);
        } catch (const snn::SaveError &e) {
            PyErr_SetString(PyExc_OSError, e.what());
        } catch (const snn::Error &e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        }
    });
}

} // namespace

PYBIND11_MODULE(snnstudio, m)
{
    m.doc() = "SNN Studio's engine in Python: build or load a spiking neural network graph, "
              "measure its firing rates and accuracy, run the optimisation passes, estimate and "
              "build it for an iCE40 FPGA. See docs/python.md.";
    bindErrors();
    snnpy::bindGraph(m);
    snnpy::bindReports(m);
    snnpy::bindPasses(m);
    snnpy::bindSimulation(m);
    snnpy::bindHardware(m);
    snnpy::bindPipeline(m);
}
