#include "train/TrainRun.h"

#include "base/Error.h"
#include "io/AtomicFile.h"
#include "io/GraphFile.h"
#include "io/Hdf5.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace snn::sim {

namespace {

const QString kRunsFormat = QStringLiteral("snn-studio-runs");

double number(const QJsonObject &json, const char *key, double fallback)
{
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    if (!v.isDouble())
        throw Error(
            QStringLiteral("training setting '%1' is not a number").arg(QLatin1String(key)));
    return v.toDouble();
}

QString text(const QJsonObject &json, const char *key, const QString &fallback)
{
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    if (!v.isString())
        throw Error(
            QStringLiteral("training setting '%1' is not a string").arg(QLatin1String(key)));
    return v.toString();
}

QJsonValue optionalNumber(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

std::optional<double> readOptional(const QJsonObject &json, const char *key)
{
    const QJsonValue v = json.value(QLatin1String(key));
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

} // namespace

void TrainSettings::validate() const
{
    options.validate();
    if (validationSize < 0)
        throw Error(QStringLiteral("the validation split must be >= 0 samples, not %1")
                        .arg(validationSize));
    if (trainLimit < 0)
        throw Error(QStringLiteral("the training limit must be >= 0, not %1").arg(trainLimit));
    if (hidden.empty())
        throw Error(QStringLiteral("a new network needs at least one hidden layer"));
    for (int n : hidden)
        if (n < 1)
            throw Error(QStringLiteral("hidden layer sizes must be positive, not %1").arg(n));
    if (!(beta >= 0.0f && beta <= 1.0f))
        throw Error(QStringLiteral("beta must lie in [0, 1], not %1").arg(double(beta)));
}

DataSplit TrainSettings::apply(DataSplit data) const
{
    holdOutValidation(data, validationSize);
    if (trainLimit > 0 && trainLimit < data.train.size())
        data.train = data.train.head(trainLimit);
    return data;
}

bool trainUntilStopped(TrainState &state, const DataSplit &data, const TrainSettings &settings,
                       const std::function<void(const TrainProgress &)> &progress,
                       const RunControl &control)
{
    const DataSplit used = settings.apply(data);
    try {
        train(state, used, settings.options, progress, control);
    } catch (const Cancelled &) {
        return true;
    }
    return false;
}

Graph TrainSettings::newNetwork(int inputs, int classes) const
{
    std::vector<int> sizes = hidden;
    sizes.push_back(classes);
    NeuronParams p;
    p.beta = beta;
    return initialGraph(inputs, sizes, p, options.seed);
}

QString TrainSettings::summary() const
{
    const QString input =
        options.qatBits > 0
            ? QStringLiteral("QAT %1-bit%2")
                  .arg(options.qatBits)
                  .arg(options.qatClip < 100.0 ? QStringLiteral(" clip %1").arg(options.qatClip)
                                               : QString())
            : toString(options.encoding);
    return QStringLiteral("lr %1, batch %2, T=%3, %4, %5, k=%6, seed %7, val %8%9")
        .arg(double(options.learningRate))
        .arg(options.batchSize)
        .arg(options.steps)
        .arg(input, toString(options.loss))
        .arg(double(options.surrogateSlope))
        .arg(options.seed)
        .arg(validationSize)
        .arg(trainLimit > 0 ? QStringLiteral(", limit %1").arg(trainLimit) : QString());
}

QJsonObject TrainSettings::toJson() const
{
    QJsonArray sizes;
    for (int n : hidden)
        sizes.append(n);
    return {{QStringLiteral("epochs"), options.epochs},
            {QStringLiteral("steps"), options.steps},
            {QStringLiteral("batch"), options.batchSize},
            {QStringLiteral("lr"), double(options.learningRate)},
            {QStringLiteral("encoding"), toString(options.encoding)},
            {QStringLiteral("loss"), toString(options.loss)},
            {QStringLiteral("seed"), QString::number(options.seed)},
            {QStringLiteral("slope"), double(options.surrogateSlope)},
            {QStringLiteral("test_limit"), options.testLimit},
            {QStringLiteral("val_split"), validationSize},
            {QStringLiteral("limit"), trainLimit},
            {QStringLiteral("hidden"), sizes},
            {QStringLiteral("beta"), double(beta)},
            {QStringLiteral("qat"), options.qatBits},
            {QStringLiteral("qat_clip"), options.qatClip}};
}

TrainSettings TrainSettings::fromJson(const QJsonObject &json)
{
    TrainSettings s;
    TrainOptions &o = s.options;
    o.epochs = int(number(json, "epochs", o.epochs));
    o.steps = int(number(json, "steps", o.steps));
    o.batchSize = int(number(json, "batch", o.batchSize));
    o.learningRate = float(number(json, "lr", double(o.learningRate)));
    o.surrogateSlope = float(number(json, "slope", double(o.surrogateSlope)));
    o.testLimit = int(number(json, "test_limit", o.testLimit));
    o.qatBits = int(number(json, "qat", o.qatBits));
    o.qatClip = number(json, "qat_clip", o.qatClip);
    const QString encoding = text(json, "encoding", toString(o.encoding));
    o.encoding = kEncodingNames.parse(encoding, QStringLiteral("training setting 'encoding'"));
    const QString loss = text(json, "loss", toString(o.loss));
    o.loss = kLossNames.parse(loss, QStringLiteral("training setting 'loss'"));
    bool ok = false;
    const QString seed = text(json, "seed", QString::number(o.seed));
    o.seed = seed.toULongLong(&ok);
    if (!ok)
        throw Error(QStringLiteral("the seed '%1' is not a non-negative integer").arg(seed));
    s.validationSize = int(number(json, "val_split", s.validationSize));
    s.trainLimit = int(number(json, "limit", s.trainLimit));
    s.beta = float(number(json, "beta", double(s.beta)));
    if (json.contains(QLatin1String("hidden"))) {
        s.hidden.clear();
        for (const QJsonValue &v : json.value(QLatin1String("hidden")).toArray())
            s.hidden.push_back(v.toInt(0));
    }
    s.validate();
    return s;
}

TrainRun TrainRun::of(const QString &id, const QString &data, const TrainSettings &settings,
                      const TrainState &state)
{
    TrainRun r;
    r.id = id;
    r.data = data;
    r.settings = settings;
    r.epochs = state.history;
    r.bestEpoch = state.bestEpoch;
    r.testAccuracy = state.testAccuracy;
    for (const TrainProgress &p : state.history)
        r.seconds += p.seconds;
    return r;
}

QString formatDuration(double seconds)
{
    const int s = int(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
           : s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60)
                     : QStringLiteral("%1 s").arg(s);
}

QJsonObject TrainRun::toJson() const
{
    QJsonArray curves;
    for (const TrainProgress &p : epochs)
        curves.append(QJsonObject{
            {QStringLiteral("epoch"), p.epoch},
            {QStringLiteral("loss"), p.loss},
            {QStringLiteral("train_accuracy"), p.trainAccuracy},
            {QStringLiteral("validation_accuracy"), optionalNumber(p.validationAccuracy)},
            {QStringLiteral("seconds"), p.seconds}});
    return {{QStringLiteral("id"), id},
            {QStringLiteral("data"), data},
            {QStringLiteral("settings"), settings.toJson()},
            {QStringLiteral("epochs"), curves},
            {QStringLiteral("best_epoch"), bestEpoch},
            {QStringLiteral("test_accuracy"), optionalNumber(testAccuracy)},
            {QStringLiteral("seconds"), seconds}};
}

TrainRun TrainRun::fromJson(const QJsonObject &json)
{
    TrainRun r;
    r.id = text(json, "id", QString());
    if (r.id.isEmpty())
        throw Error(QStringLiteral("a run without an id"));
    r.data = text(json, "data", QString());
    r.settings = TrainSettings::fromJson(json.value(QLatin1String("settings")).toObject());
    for (const QJsonValue &v : json.value(QLatin1String("epochs")).toArray()) {
        const QJsonObject e = v.toObject();
        TrainProgress p;
        p.epochEnd = true;
        p.epoch = int(number(e, "epoch", 0));
        p.epochs = r.settings.options.epochs;
        p.loss = number(e, "loss", 0.0);
        p.trainAccuracy = number(e, "train_accuracy", 0.0);
        p.validationAccuracy = readOptional(e, "validation_accuracy");
        p.seconds = number(e, "seconds", 0.0);
        r.epochs.push_back(p);
    }
    r.bestEpoch = int(number(json, "best_epoch", 0));
    r.testAccuracy = readOptional(json, "test_accuracy");
    r.seconds = number(json, "seconds", 0.0);
    return r;
}

QString runsPath(const QString &modelPath)
{
    return modelPath + QStringLiteral(".runs.json");
}

std::vector<TrainRun> loadRuns(const QString &modelPath)
{
    const QString path = runsPath(modelPath);
    QFile file(path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("%1: cannot read (%2)").arg(path, file.errorString()));
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parse);
    if (parse.error != QJsonParseError::NoError)
        throw Error(QStringLiteral("%1: not JSON (%2)").arg(path, parse.errorString()));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("format")).toString() != kRunsFormat)
        throw Error(QStringLiteral("%1: not a runs file (no format '%2')").arg(path, kRunsFormat));
    std::vector<TrainRun> runs;
    try {
        for (const QJsonValue &v : root.value(QLatin1String("runs")).toArray())
            runs.push_back(TrainRun::fromJson(v.toObject()));
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: %2").arg(path, e.message()));
    }
    return runs;
}

void saveRun(const QString &modelPath, const TrainRun &run)
{
    writeAtomically(runsPath(modelPath), runsFileBytes(modelPath, run));
}

QByteArray runsFileBytes(const QString &modelPath, const TrainRun &run)
{
    std::vector<TrainRun> runs = loadRuns(modelPath);
    bool replaced = false;
    for (TrainRun &r : runs)
        if (r.id == run.id) {
            r = run;
            replaced = true;
        }
    if (!replaced)
        runs.push_back(run);
    QJsonArray array;
    for (const TrainRun &r : runs)
        array.append(r.toJson());
    return QJsonDocument(QJsonObject{{QStringLiteral("format"), kRunsFormat},
                                     {QStringLiteral("runs"), array}})
        .toJson();
}

QString runsCsv(const std::vector<TrainRun> &runs)
{
    QString csv = QStringLiteral("run,epoch,loss,train_accuracy,validation_accuracy,seconds\n");
    for (const TrainRun &r : runs)
        for (const TrainProgress &p : r.epochs)
            csv += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                       .arg(r.id)
                       .arg(p.epoch)
                       .arg(p.loss, 0, 'g', 8)
                       .arg(p.trainAccuracy, 0, 'g', 8)
                       .arg(p.validationAccuracy ? QString::number(*p.validationAccuracy, 'g', 8)
                                                 : QString())
                       .arg(p.seconds, 0, 'f', 3);
    return csv;
}

QString checkpointPath(const QString &modelPath)
{
    return modelPath + QStringLiteral(".state");
}

void saveCheckpoint(const QString &path, const TrainState &state, const TrainSettings &settings,
                    const QString &runId)
{
    writeAtomically(path, checkpointBytes(state, settings, runId));
}

void saveTraining(const QString &modelPath, const TrainState &state, const TrainSettings &settings,
                  const TrainRun &run)
{
    writeAtomically({{checkpointPath(modelPath), checkpointBytes(state, settings, run.id)},
                     {runsPath(modelPath), runsFileBytes(modelPath, run)},
                     {modelPath, graphFileBytes(state.best)}});
}

void checkTrainingTargets(const QString &modelPath)
{
    for (const QString &path : {modelPath, checkpointPath(modelPath), runsPath(modelPath)})
        checkSaveTarget(path);
    loadRuns(modelPath);
}

QByteArray checkpointBytes(const TrainState &state, const TrainSettings &settings,
                           const QString &runId)
{
    return h5::buildFile([&](hid_t file) {
        h5::writeStringAttribute(file, QStringLiteral("run"), runId);
        h5::writeIntAttribute(file, QStringLiteral("epoch"), state.epoch);
        h5::writeIntAttribute(file, QStringLiteral("best_epoch"), state.bestEpoch);
        h5::writeIntAttribute(file, QStringLiteral("adam_step"), state.adamStep);
        h5::writeIntAttribute(file, QStringLiteral("layers"), qint64(state.mW.size()));
        writeGraph(state.best, h5::createGroup(file, QStringLiteral("best")));
        h5::writeStringAttribute(
            file, QStringLiteral("settings"),
            QString::fromUtf8(QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact)));
        for (std::size_t k = 0; k < state.mW.size(); ++k) {
            const Layer &l = state.graph.layers()[k];
            const h5::Handle g = h5::createGroup(file, QStringLiteral("layer%1").arg(k));
            h5::writeColumnMajorMatrix(g, QStringLiteral("weights"), l.weights);
            h5::writeVector(g, QStringLiteral("bias"), l.bias);
            h5::writeColumnMajorMatrix(g, QStringLiteral("m_w"), state.mW[k]);
            h5::writeColumnMajorMatrix(g, QStringLiteral("v_w"), state.vW[k]);
            h5::writeVector(g, QStringLiteral("m_b"), state.mB[k]);
            h5::writeVector(g, QStringLiteral("v_b"), state.vB[k]);
        }
        std::vector<double> loss, trainAcc, valAcc, seconds;
        for (const TrainProgress &p : state.history) {
            loss.push_back(p.loss);
            trainAcc.push_back(p.trainAccuracy);
            valAcc.push_back(p.validationAccuracy.value_or(-1.0));
            seconds.push_back(p.seconds);
        }
        const std::vector<hsize_t> shape{hsize_t(state.history.size())};
        const h5::WriteOptions f64{.asDouble = true};
        h5::writeDoubles(file, QStringLiteral("loss"), loss, shape, f64);
        h5::writeDoubles(file, QStringLiteral("train_accuracy"), trainAcc, shape, f64);
        h5::writeDoubles(file, QStringLiteral("validation_accuracy"), valAcc, shape, f64);
        h5::writeDoubles(file, QStringLiteral("seconds"), seconds, shape, f64);
    });
}

Checkpoint loadCheckpoint(const QString &path)
{
    auto guard = h5::lock();
    const h5::Handle file = h5::openFile(path);
    if (!h5::isGroup(file, QStringLiteral("best")))
        throw Error(QStringLiteral("%1: not a training checkpoint (no best graph)").arg(path));
    Graph best;
    try {
        best = readGraph(h5::openGroup(file, QStringLiteral("best")));
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: best graph: %2").arg(path, e.message()));
    }
    Checkpoint c{TrainState::start(best), {}, {}};
    TrainState &s = c.state;
    const auto integer = [&](const char *name) {
        const auto v = h5::readNumberAttribute(file, QLatin1String(name));
        if (!v)
            throw Error(QStringLiteral("%1: not a training checkpoint (no '%2')")
                            .arg(path, QLatin1String(name)));
        return *v;
    };
    c.runId = h5::readStringAttribute(file, QStringLiteral("run")).value_or(QString());
    s.epoch = int(integer("epoch"));
    s.bestEpoch = int(integer("best_epoch"));
    s.adamStep = std::int64_t(integer("adam_step"));
    if (int(integer("layers")) != best.layerCount())
        throw Error(QStringLiteral("%1: the checkpoint is for %2 layers, the model has %3")
                        .arg(path)
                        .arg(int(integer("layers")))
                        .arg(best.layerCount()));
    const QByteArray settings =
        h5::readStringAttribute(file, QStringLiteral("settings")).value_or(QString()).toUtf8();
    try {
        c.settings = TrainSettings::fromJson(QJsonDocument::fromJson(settings).object());
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: %2").arg(path, e.message()));
    }
    for (std::size_t k = 0; k < s.mW.size(); ++k) {
        const h5::Handle g = h5::openGroup(file, QStringLiteral("layer%1").arg(k));
        Layer &l = s.graph.layer(s.graph.layers()[k].id);
        const Eigen::MatrixXf weights = h5::readColumnMajorMatrix(g, QStringLiteral("weights"));
        const Eigen::VectorXf bias = h5::readVector(g, QStringLiteral("bias"));
        s.mW[k] = h5::readColumnMajorMatrix(g, QStringLiteral("m_w"));
        s.vW[k] = h5::readColumnMajorMatrix(g, QStringLiteral("v_w"));
        s.mB[k] = h5::readVector(g, QStringLiteral("m_b"));
        s.vB[k] = h5::readVector(g, QStringLiteral("v_b"));
        if (weights.rows() != l.weights.rows() || weights.cols() != l.weights.cols() ||
            bias.size() != l.bias.size() || s.mW[k].rows() != l.weights.rows() ||
            s.mW[k].cols() != l.weights.cols() || s.vW[k].size() != l.weights.size() ||
            s.mB[k].size() != l.bias.size() || s.vB[k].size() != l.bias.size())
            throw Error(QStringLiteral("%1: the checkpoint of layer '%2' does not match its shape")
                            .arg(path, l.name));
        l.weights = weights;
        l.bias = bias;
    }
    const std::vector<double> loss = h5::readDoubles(file, QStringLiteral("loss"));
    const std::vector<double> trainAcc = h5::readDoubles(file, QStringLiteral("train_accuracy"));
    const std::vector<double> valAcc = h5::readDoubles(file, QStringLiteral("validation_accuracy"));
    const std::vector<double> seconds = h5::readDoubles(file, QStringLiteral("seconds"));
    if (loss.size() != std::size_t(s.epoch) || trainAcc.size() != loss.size() ||
        valAcc.size() != loss.size() || seconds.size() != loss.size())
        throw Error(QStringLiteral("%1: the curves do not match the %2 completed epochs")
                        .arg(path)
                        .arg(s.epoch));
    for (std::size_t i = 0; i < loss.size(); ++i) {
        TrainProgress p;
        p.epochEnd = true;
        p.epoch = int(i) + 1;
        p.epochs = c.settings.options.epochs;
        p.loss = loss[i];
        p.trainAccuracy = trainAcc[i];
        if (valAcc[i] >= 0.0)
            p.validationAccuracy = valAcc[i];
        p.seconds = seconds[i];
        s.history.push_back(p);
    }
    return c;
}

} // namespace snn::sim
