// snnstudio.pipeline: the core flow::Pipeline from Python (docs/python.md, docs/pipeline.md), the
// same chain as the studio's Pipeline button and snnc pipeline. Conversions only.

#include "Convert.h"
#include "base/Error.h"
#include "flow/Pipeline.h"
#include "nir/AnyGraphFile.h"

#include <QJsonDocument>

#include <pybind11/stl.h>

namespace snnpy {

namespace {

using namespace snn;

// What a run made, for Python.
struct PyPipelineResult {
    QJsonObject report; // report.json
    std::shared_ptr<Graph> graph;
    std::optional<Report> optimization;
    std::optional<hw::FlowReport> flow;
};

// The training settings of a dict with TrainSettings::toJson()'s keys (epochs, steps, batch,
// lr, ...); an unknown key is a ValueError naming the known ones.
sim::TrainSettings trainSettings(const py::dict &training)
{
    const QStringList known = sim::TrainSettings{}.toJson().keys();
    for (const auto &[key, value] : training) {
        const QString name = qstr(py::str(key).cast<std::string>());
        if (!known.contains(name))
            throw Error(QStringLiteral("training has no setting '%1' (known: %2)")
                            .arg(name, known.join(QStringLiteral(", "))));
    }
    const std::string json =
        py::module_::import("json").attr("dumps")(training).cast<std::string>();
    return sim::TrainSettings::fromJson(
        QJsonDocument::fromJson(QByteArray::fromStdString(json)).object());
}

Graph modelGraph(const py::object &model)
{
    if (py::isinstance<py::str>(model))
        return loadAnyGraph(qstr(model.cast<std::string>()));
    return model.cast<const Graph &>();
}

PyPipelineResult run(flow::Pipeline &pipeline, const std::string &data, py::object progress)
{
    const QString spec = qstr(data);
    return Interruptible(std::move(progress)).run([&](const RunControl &control) {
        pipeline.setData(std::make_shared<const sim::DataSplit>(sim::loadDataSplit(spec)));
        pipeline.check(); // bad input: ValueError before any work
        const bool ok = flow::runToEnd(pipeline, control);
        if (control.cancelRequested && control.cancelRequested())
            throw Cancelled();     // Ctrl+C or the progress callback raised: that is raised
        if (!pipeline.succeeded()) // a stage failed: a tool, or data the stage could not use
            throw std::runtime_error(pipeline.failure().toStdString());
        if (!ok)
            throw SaveError(pipeline.failure());
        PyPipelineResult r{pipeline.reportJson(), nullptr, std::nullopt, std::nullopt};
        if (const auto optimized = pipeline.optimized()) {
            r.graph = std::make_shared<Graph>(optimized->graph);
            r.optimization = optimized->report;
        }
        if (pipeline.built())
            r.flow = pipeline.built()->synthesis.report;
        return r;
    });
}

} // namespace

void bindPipeline(py::module_ &m)
{
    py::class_<PyPipelineResult>(m, "PipelineResult",
                                 "What snnstudio.pipeline made: the optimised graph, the "
                                 "optimisation report, the synthesis report and report.json.")
        .def_property_readonly(
            "summary",
            [](const PyPipelineResult &r) {
                return str(r.report.value(QStringLiteral("summary")).toString());
            },
            "'Pipeline: Firing rates: ... (done, 4.1 s); Passes: ...'")
        .def_property_readonly(
            "stages",
            [](const PyPipelineResult &r) { return jsonToPython(r.report.value("stages")); },
            "One dict per stage: stage, name, state, seconds, result.")
        .def_readonly("graph", &PyPipelineResult::graph,
                      "The optimised (and fine-tuned) graph, as written to optimized.h5.")
        .def_readonly("report", &PyPipelineResult::optimization, "The optimisation report.")
        .def_readonly("flow", &PyPipelineResult::flow,
                      "What yosys, nextpnr, icepack and icetime reported (None without Build).")
        .def(
            "to_dict", [](const PyPipelineResult &r) { return jsonToPython(r.report); },
            "report.json as a dict.");
    m.def(
        "pipeline",
        [](const py::object &model, const std::string &data, const std::string &output,
           const std::string &board, std::optional<bool> train, const py::dict &training,
           int finetuneQat, bool build, std::optional<std::vector<std::string>> passes,
           float deadThreshold, float similarity, float normTolerance, float fusionActivity,
           std::optional<int> bits, std::optional<int> lanes, int steps, int membraneBits,
           const std::string &memory, py::object progress) {
            flow::PipelineSettings s;
            s.training = !train   ? flow::Training::IfUntrained
                         : *train ? flow::Training::Always
                                  : flow::Training::Never;
            s.train = trainSettings(training);
            if (passes) {
                s.passes.clear();
                for (const std::string &p : *passes)
                    s.passes << qstr(p);
            }
            s.optimize.deadThreshold = deadThreshold;
            s.optimize.similarity = similarity;
            s.optimize.normTolerance = normTolerance;
            s.optimize.fusionActivity = fusionActivity;
            s.fineTuneEpochs = finetuneQat;
            s.build = build;
            s.hardware.board = hw::board(qstr(board)).id;
            s.hardware.quant.weightBits = bits.value_or(0);
            s.hardware.lanes = lanes.value_or(0);
            s.hardware.quant.steps = steps;
            s.hardware.quant.membraneBits = membraneBits;
            s.hardware.weightMemory =
                hw::kWeightMemoryNames.parse(qstr(memory), QStringLiteral("memory"));
            s.outputDirectory = qstr(output);
            ensureApplication();
            flow::Pipeline pipeline;
            pipeline.setSettings(s);
            pipeline.setGraph(modelGraph(model));
            return run(pipeline, data, std::move(progress));
        },
        py::arg("model"), py::arg("data"), py::arg("output"), py::kw_only(),
        py::arg("board") = "icebreaker", py::arg("train") = py::none(),
        py::arg("training") = py::dict(), py::arg("finetune_qat") = 0, py::arg("build") = true,
        py::arg("passes") = py::none(), py::arg("dead_threshold") = OptimizeOptions{}.deadThreshold,
        py::arg("similarity") = OptimizeOptions{}.similarity,
        py::arg("norm_tolerance") = OptimizeOptions{}.normTolerance,
        py::arg("fusion_activity") = OptimizeOptions{}.fusionActivity, py::arg("bits") = py::none(),
        py::arg("lanes") = py::none(), py::arg("steps") = hw::QuantConfig{}.steps,
        py::arg("membrane_bits") = hw::QuantConfig{}.membraneBits, py::arg("memory") = "auto",
        py::arg("progress") = py::none(),
        "The whole chain, as snnc pipeline runs it (docs/pipeline.md): model (an SNNGraph or a "
        "graph file) trained first when untrained (train=None; True always, False never; "
        "training: a dict of its settings, the keys of snnc train's options: epochs, steps, "
        "batch, lr, ...), firing rates on the validation split of data (a data set name or path "
        "as snnc's --data takes), the passes with accuracy on its test split, a fine-tune "
        "through the FPGA core for finetune_qat epochs, and Build into output/hardware (bits and "
        "lanes None: chosen for the board). output receives optimized.h5, report.json and the "
        "hardware folder. Returns a PipelineResult. ValueError for bad input (before any work), "
        "RuntimeError naming the stage that failed (a tool's failure), OSError when the output "
        "cannot be written, KeyboardInterrupt on Ctrl+C (the chain stops in its stage). "
        "progress(fraction, line) gets each stage's one line as it ends.");
}

} // namespace snnpy
