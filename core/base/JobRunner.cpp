#include "base/JobRunner.h"

#include <algorithm>

namespace snn {

JobRunner::JobRunner(QObject *parent)
    : QObject(parent)
{}

JobRunner::~JobRunner()
{
    if (m_cancel)
        *m_cancel = true;
    for (QFuture<void> &future : m_futures)
        future.waitForFinished();
}

RunControl JobRunner::begin()
{
    if (m_cancel)
        *m_cancel = true;
    std::erase_if(m_futures, [](const QFuture<void> &f) { return f.isFinished(); });
    ++m_generation;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    RunControl control;
    const std::shared_ptr<std::atomic_bool> flag = m_cancel;
    control.cancelRequested = [flag] { return flag->load(); };
    // Queued to the GUI thread; the destructor waits for the job, so `this` outlives it.
    const quint64 generation = m_generation;
    control.progress = [this, flag, generation](double fraction, const QString &step) {
        if (!flag->load())
            QMetaObject::invokeMethod(
                this,
                [this, generation, fraction, step] {
                    if (generation == m_generation)
                        Q_EMIT progress(fraction, step);
                },
                Qt::QueuedConnection);
    };
    if (!m_running) {
        m_running = true;
        Q_EMIT runningChanged(true);
    }
    return control;
}

bool JobRunner::end(quint64 generation)
{
    if (generation != m_generation || !m_running)
        return false;
    m_running = false;
    Q_EMIT runningChanged(false);
    return true;
}

void JobRunner::stop()
{
    if (m_running && m_cancel)
        *m_cancel = true;
}

void JobRunner::cancel()
{
    if (m_cancel)
        *m_cancel = true;
    ++m_generation; // whatever the job still returns is dropped
    if (m_running) {
        m_running = false;
        Q_EMIT runningChanged(false);
    }
}

} // namespace snn
