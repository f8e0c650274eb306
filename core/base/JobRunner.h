#pragma once

#include "base/Error.h"
#include "base/RunControl.h"

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <vector>

namespace snn {

// Runs one kind of long job off the GUI thread, newest first (Hotspot's jobtracker): each run()
// gets a new generation and asks the previous job to stop; a result, failure or cancellation of
// a superseded job is dropped. The work gets a RunControl (progress, cancel); its result comes
// back as a value on the GUI thread. Every exception is caught: snn::Error gives its message,
// std::bad_alloc "out of memory", any other std::exception "internal error: <what>", anything
// else "internal error". Progress
// arrives as the runner's signal, so it stops with the runner; the destructor cancels and waits
// for every job it started, so no job outlives what it works on.
class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(QObject *parent = nullptr);
    ~JobRunner() override;

    template <typename Result> using Work = std::function<Result(const RunControl &)>;
    // A job that also hands values to the GUI thread through `send` (see runReporting).
    template <typename Value> using Send = std::function<void(Value)>;
    template <typename Result, typename Value>
    using ReportingWork = std::function<Result(const RunControl &, const Send<Value> &send)>;

    // Starts `work`; `done` gets its result, `failed` its one-line error (both on the GUI thread,
    // only if no newer run() or cancel() came since). A cancelled job calls neither.
    template <typename Result>
    void run(Work<Result> work, std::function<void(Result)> done,
             std::function<void(const QString &)> failed);

    // Like run(), for a job that reports more than RunControl's fraction and step (a training's
    // curves): the work gets `send` (thread-safe), whose values reach `receive` on the GUI thread,
    // in order and before `done`, only while the job is the current one.
    template <typename Result, typename Value>
    void runReporting(ReportingWork<Result, Value> work, std::function<void(Value)> receive,
                      std::function<void(Result)> done,
                      std::function<void(const QString &)> failed);

    // Asks the current job to stop and drops whatever it returns.
    void cancel();
    // Asks the current job to stop but keeps it: a job that answers with a value (a stopped
    // training returns the epochs it completed) still delivers it; one that throws Cancelled
    // calls neither `done` nor `failed`.
    void stop();
    bool isRunning() const { return m_running; }
    quint64 generation() const { return m_generation; }

Q_SIGNALS:
    void progress(double fraction, const QString &step);
    void runningChanged(bool running);

private:
    template <typename Result> struct Outcome {
        std::optional<Result> value;
        QString error;
        bool cancelled = false;
    };
    // A new generation: the previous job is asked to stop. Returns the new job's control.
    RunControl begin();
    // True when the job of `generation` is still the current one (and marks it finished).
    bool end(quint64 generation);
    template <typename Result>
    static Outcome<Result> guarded(const Work<Result> &work, const RunControl &control);

    quint64 m_generation = 0;
    bool m_running = false;
    std::shared_ptr<std::atomic_bool> m_cancel;
    std::vector<QFuture<void>> m_futures;
};

template <typename Result>
JobRunner::Outcome<Result> JobRunner::guarded(const Work<Result> &work, const RunControl &control)
{
    Outcome<Result> outcome;
    try {
        outcome.value.emplace(work(control));
    } catch (const Cancelled &) {
        outcome.cancelled = true;
    } catch (const Error &e) {
        outcome.error = e.message();
    } catch (const std::bad_alloc &) {
        outcome.error = tr("out of memory");
    } catch (const std::exception &e) {
        outcome.error = tr("internal error: %1").arg(QString::fromUtf8(e.what()));
    } catch (...) {
        outcome.error = tr("internal error");
    }
    return outcome;
}

template <typename Result>
void JobRunner::run(Work<Result> work, std::function<void(Result)> done,
                    std::function<void(const QString &)> failed)
{
    const RunControl control = begin();
    const quint64 generation = m_generation;
    auto *watcher = new QFutureWatcher<Outcome<Result>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, generation, done = std::move(done), failed = std::move(failed)] {
                watcher->deleteLater();
                Outcome<Result> outcome = watcher->result();
                if (!end(generation) || outcome.cancelled)
                    return;
                if (outcome.value)
                    done(std::move(*outcome.value));
                else if (failed)
                    failed(outcome.error);
            });
    QFuture<Outcome<Result>> future =
        QtConcurrent::run([work = std::move(work), control] { return guarded(work, control); });
    m_futures.push_back(QFuture<void>(future));
    watcher->setFuture(future);
}

template <typename Result, typename Value>
void JobRunner::runReporting(ReportingWork<Result, Value> work, std::function<void(Value)> receive,
                             std::function<void(Result)> done,
                             std::function<void(const QString &)> failed)
{
    // run() starts the next generation; the values of any other are dropped on arrival.
    const quint64 generation = m_generation + 1;
    Send<Value> send = [this, generation, receive = std::move(receive)](Value v) {
        // Queued to the GUI thread; the destructor waits for the job, so `this` outlives it.
        QMetaObject::invokeMethod(
            this,
            [this, generation, receive, v = std::move(v)] {
                if (generation == m_generation && m_running)
                    receive(v);
            },
            Qt::QueuedConnection);
    };
    Work<Result> reporting = [work = std::move(work), send = std::move(send)](
                                 const RunControl &control) { return work(control, send); };
    run<Result>(std::move(reporting), std::move(done), std::move(failed));
}

} // namespace snn
