#include "TestUtils.h"
#include "base/JobRunner.h"

#include <QCoreApplication>
#include <QSemaphore>
#include <QSignalSpy>

#include <stdexcept>

using namespace snn;

class TestJobRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deliversTheResult();
    void staleResultIsDropped();
    void everyExceptionBecomesAMessage_data();
    void everyExceptionBecomesAMessage();
    void cancelDropsTheResult();
    void progressArrivesOnTheGuiThread();
    void destructorWaitsForTheJob();
    void reportedValuesArriveInOrderBeforeTheResult();
    void stopKeepsTheJobsAnswer();
};

void TestJobRunner::deliversTheResult()
{
    JobRunner runner;
    QSignalSpy running(&runner, &JobRunner::runningChanged);
    int result = 0;
    runner.run<int>([](const RunControl &) { return 6 * 7; }, [&](int v) { result = v; }, {});
    QVERIFY(runner.isRunning());
    QTRY_COMPARE(result, 42);
    QVERIFY(!runner.isRunning());
    QCOMPARE(running.count(), 2);
}

// A slow first job finishes after a second one started: only the second's result arrives.
void TestJobRunner::staleResultIsDropped()
{
    JobRunner runner;
    QSemaphore release;
    std::vector<int> results;
    QStringList errors;
    runner.run<int>(
        [&release](const RunControl &) {
            release.acquire(); // ignores the cancel request on purpose
            return 1;
        },
        [&](int v) { results.push_back(v); }, [&](const QString &e) { errors << e; });
    runner.run<int>([](const RunControl &) { return 2; }, [&](int v) { results.push_back(v); },
                    [&](const QString &e) { errors << e; });
    QTRY_COMPARE(results.size(), std::size_t(1));
    QCOMPARE(results.front(), 2);
    release.release();
    QTest::qWait(100);
    QCOMPARE(results, std::vector<int>{2});
    QVERIFY(errors.isEmpty());
    QCOMPARE(runner.generation(), quint64(2));
}

void TestJobRunner::everyExceptionBecomesAMessage_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("snn::Error") << 0 << QStringLiteral("layer 'a' is broken");
    QTest::newRow("std::bad_alloc") << 1 << QStringLiteral("out of memory");
    QTest::newRow("std::runtime_error") << 2 << QStringLiteral("internal error: HDF5 said no");
    QTest::newRow("int") << 3 << QStringLiteral("internal error");
}

void TestJobRunner::everyExceptionBecomesAMessage()
{
    QFETCH(int, kind);
    QFETCH(QString, message);
    JobRunner runner;
    QString error;
    bool done = false;
    runner.run<int>(
        [kind](const RunControl &) -> int {
            switch (kind) {
            case 0:
                throw Error(QStringLiteral("layer 'a' is broken"));
            case 1:
                throw std::bad_alloc();
            case 2:
                throw std::runtime_error("HDF5 said no");
            default:
                throw 3;
            }
        },
        [&](int) { done = true; }, [&](const QString &e) { error = e; });
    QTRY_COMPARE(error, message);
    QVERIFY(!done);
    QVERIFY(!runner.isRunning());
}

void TestJobRunner::cancelDropsTheResult()
{
    JobRunner runner;
    bool done = false;
    QString error;
    runner.run<int>(
        [](const RunControl &control) {
            while (true) {
                control.checkCancelled();
                QThread::msleep(1);
            }
            return 0;
        },
        [&](int) { done = true; }, [&](const QString &e) { error = e; });
    runner.cancel();
    QVERIFY(!runner.isRunning());
    QTest::qWait(100);
    QVERIFY(!done);
    QCOMPARE(error, QString()); // a cancellation is not a failure
}

void TestJobRunner::progressArrivesOnTheGuiThread()
{
    JobRunner runner;
    QList<double> fractions;
    QThread *gui = QThread::currentThread();
    bool onGui = true;
    connect(&runner, &JobRunner::progress, this, [&](double f, const QString &) {
        fractions << f;
        onGui = onGui && QThread::currentThread() == gui;
    });
    bool done = false;
    runner.run<int>(
        [](const RunControl &control) {
            control.report(0.5, QStringLiteral("half"));
            return 0;
        },
        [&](int) { done = true; }, {});
    QTRY_VERIFY(done);
    QTRY_COMPARE(fractions, QList<double>{0.5});
    QVERIFY(onGui);
}

void TestJobRunner::destructorWaitsForTheJob()
{
    auto finished = std::make_shared<std::atomic_bool>(false);
    {
        JobRunner runner;
        runner.run<int>(
            [finished](const RunControl &control) {
                for (int i = 0; i < 50 && !control.cancelRequested(); ++i)
                    QThread::msleep(2);
                *finished = true;
                return 0;
            },
            [](int) {}, {});
    }
    QVERIFY(finished->load()); // the runner did not leave its job running
}

// runReporting: the values sent arrive on the GUI thread in order, all before the result; those
// of a superseded job are dropped.
void TestJobRunner::reportedValuesArriveInOrderBeforeTheResult()
{
    JobRunner runner;
    QSemaphore release;
    QStringList seen;
    const auto work = [&release](const QString &name) {
        return [&release, name](const RunControl &, const JobRunner::Send<QString> &send) {
            if (name == QLatin1String("old"))
                release.acquire();
            for (int i = 1; i <= 3; ++i)
                send(QStringLiteral("%1 %2").arg(name).arg(i));
            return name;
        };
    };
    const auto receive = [&seen](const QString &value) { seen << value; };
    const auto done = [&seen](const QString &name) { seen << name + QStringLiteral(" done"); };
    runner.runReporting<QString, QString>(work(QStringLiteral("old")), receive, done, {});
    runner.runReporting<QString, QString>(work(QStringLiteral("new")), receive, done, {});
    release.release(); // the old job sends and returns now, after the new one started
    QTRY_VERIFY(seen.contains(QStringLiteral("new done")));
    QTest::qWait(100);
    QCOMPARE(seen, (QStringList{QStringLiteral("new 1"), QStringLiteral("new 2"),
                                QStringLiteral("new 3"), QStringLiteral("new done")}));
}

// stop() asks the job to stop but keeps it: a job that answers a stop with a value delivers it
// (cancel() would drop it).
void TestJobRunner::stopKeepsTheJobsAnswer()
{
    JobRunner runner;
    int result = 0;
    runner.run<int>(
        [](const RunControl &control) {
            while (!control.cancelRequested())
                QThread::msleep(1);
            return -1; // stopped
        },
        [&](int v) { result = v; }, {});
    runner.stop();
    QVERIFY(runner.isRunning()); // still the current job until it answers
    QTRY_COMPARE(result, -1);
    QVERIFY(!runner.isRunning());
}

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
