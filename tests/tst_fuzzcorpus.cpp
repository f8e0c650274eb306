#include "fuzz/FuzzReaders.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTest>

#include <map>

using snn::fuzz::Reader;

namespace {

const QString kCorpus = QStringLiteral(SNN_SOURCE_DIR "/tests/fuzz/corpus");

using Expectations = std::map<std::pair<QString, QString>, QString>; // (file, reader) -> answer

// expected.tsv: "reader/file<TAB>message" (OK: accepted) for the seeds, written by
// tests/fuzz/make_corpus.py; crashes.tsv: "reader<TAB>crashes/file<TAB>message" for the files
// that crashed a reader, written by hand.
Expectations expectations()
{
    Expectations result;
    const auto lines = [](const QString &name) {
        QFile file(kCorpus + QLatin1Char('/') + name);
        return file.open(QIODevice::ReadOnly) ? file.readAll().split('\n') : QList<QByteArray>();
    };
    for (const QByteArray &line : lines(QStringLiteral("expected.tsv"))) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() == 2)
            result[{QString::fromUtf8(fields[0]),
                    QString::fromUtf8(fields[0]).section(QLatin1Char('/'), 0, 0)}] =
                QString::fromUtf8(fields[1]);
    }
    for (const QByteArray &line : lines(QStringLiteral("crashes.tsv"))) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() == 3)
            result[{QString::fromUtf8(fields[1]), QString::fromUtf8(fields[0])}] =
                QString::fromUtf8(fields[2]);
    }
    return result;
}

} // namespace

// Replays every file of the fuzz corpus (seeds and every file that ever crashed a reader)
// through every reader: no crash, no exception but snn::Error, every error one line; a seed's
// own reader gives exactly the answer in expected.tsv.
class TestFuzzCorpus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replay_data();
    void replay();
};

void TestFuzzCorpus::replay_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("reader");
    QTest::addColumn<QString>("expected"); // empty: any one-line answer
    const Expectations expected = expectations();
    const std::map<QString, Reader> readers = {{QStringLiteral("graph"), Reader::Graph},
                                               {QStringLiteral("nir"), Reader::Nir},
                                               {QStringLiteral("dataset"), Reader::Dataset},
                                               {QStringLiteral("simulate"), Reader::Sequence},
                                               {QStringLiteral("idx"), Reader::Idx}};
    int files = 0;
    QDirIterator it(kCorpus, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = QDir(kCorpus).relativeFilePath(path);
        if (!relative.contains(QLatin1Char('/')))
            continue; // expected.tsv, crashes.tsv
        ++files;
        for (const auto &[name, reader] : readers) {
            const auto e = expected.find({relative, name});
            const QString answer = e != expected.end() ? e->second : QString();
            QTest::addRow("%s as %s", qPrintable(relative), qPrintable(name))
                << path << int(reader) << answer;
        }
    }
    QVERIFY2(files >= 35, "the seed corpus is missing");
    QVERIFY(int(expected.size()) >= 38);
}

void TestFuzzCorpus::replay()
{
    QFETCH(QString, path);
    QFETCH(int, reader);
    QFETCH(QString, expected);
    QString message = snn::fuzz::readFile(Reader(reader), path);
    QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
    if (expected.isEmpty())
        return;
    // Data set messages name the path; the expectations name the file.
    message.replace(QFileInfo(path).absolutePath() + QLatin1Char('/'), QString());
    QCOMPARE(message, expected == QLatin1String("OK") ? QString() : expected);
}

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
