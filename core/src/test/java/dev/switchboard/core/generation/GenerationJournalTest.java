package dev.switchboard.core.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationJournalTest {
    @TempDir
    Path dir;

    private static List<GenerationRecord> records(List<GenerationJournal.Recovered> recovered) {
        return recovered.stream().map(GenerationJournal.Recovered::record).toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".journal"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void recordsNotYetStoredAreRecoveredInOrderByTheNextOpen() {
        List<GenerationRecord> written = List.of(
                InMemoryGenerationStore.record("gen-1"),
                GenerationRecordJsonTest.FULL,
                InMemoryGenerationStore.record("gen-3"));
        try (GenerationJournal journal = GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES)) {
            assertThat(journal.recover()).isEmpty();
            written.forEach(r -> assertThat(journal.append(r)).isNotNull());
        }

        try (GenerationJournal journal = GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES)) {
            assertThat(records(journal.recover())).isEqualTo(written);
        }
    }

    @Test
    void aSegmentWhoseRecordsAreAllStoredIsDeletedAndAGracefulStopLeavesNone() throws IOException {
        try (GenerationJournal journal = GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES)) {
            journal.recover();
            GenerationJournal.Segment first = journal.append(InMemoryGenerationStore.record("gen-1"));
            GenerationJournal.Segment second = journal.append(InMemoryGenerationStore.record("gen-2"));
            journal.stored(first);
            journal.stored(second);
            assertThat(segments())
                    .as("the current segment stays while the journal is open")
                    .hasSize(1);
        }

        assertThat(segments()).isEmpty();
    }

    @Test
    void fullSegmentsAreReplacedAndDeletedOnceTheirRecordsAreStored() throws IOException {
        List<GenerationJournal.Segment> written = new ArrayList<>();
        try (GenerationJournal journal = GenerationJournal.open(dir, 1024)) {
            journal.recover();
            for (int i = 0; i < 12; i++) {
                written.add(journal.append(InMemoryGenerationStore.record("gen-" + i)));
            }
            int files = segments().size();
            assertThat(files).isGreaterThan(3);

            for (int i = 0; i < 6; i++) {
                journal.stored(written.get(i));
            }

            assertThat(segments()).hasSizeLessThan(files);
        }
        try (GenerationJournal journal = GenerationJournal.open(dir, 1024)) {
            assertThat(records(journal.recover()))
                    .extracting(GenerationRecord::id)
                    .containsExactly("gen-6", "gen-7", "gen-8", "gen-9", "gen-10", "gen-11");
        }
    }

    @Test
    void aTornLastEntryIsLeftOutAndTheEntriesBeforeItAreRecovered() throws IOException {
        try (GenerationJournal journal = GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES)) {
            journal.recover();
            for (int i = 0; i < 3; i++) {
                journal.append(InMemoryGenerationStore.record("gen-" + i));
            }
        }
        Path segment = segments().getFirst();
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            file.truncate(file.size() - 5);
        }

        try (GenerationJournal journal = GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES)) {
            assertThat(records(journal.recover()))
                    .extracting(GenerationRecord::id)
                    .containsExactly("gen-0", "gen-1");
        }
    }

    @Test
    void anEntryWhoseChecksumDoesNotMatchEndsItsSegment() throws IOException {
        try (GenerationJournal journal = GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES)) {
            journal.recover();
            for (int i = 0; i < 3; i++) {
                journal.append(InMemoryGenerationStore.record("gen-" + i));
            }
        }
        Path segment = segments().getFirst();
        long entry = Files.size(segment) / 3;
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            file.read(one, entry + 40);
            one.put(0, (byte) (one.get(0) ^ 0x20)).rewind();
            file.write(one, entry + 40);
        }

        try (GenerationJournal journal = GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES)) {
            assertThat(records(journal.recover()))
                    .extracting(GenerationRecord::id)
                    .containsExactly("gen-0");
        }
    }

    @Test
    void aSecondJournalOnTheSameDirectoryIsRefused() {
        try (GenerationJournal journal = GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES)) {
            assertThatThrownBy(() -> GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another process");
        }
        GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES).close();
    }

    @Test
    void aLogStoresWhatTheJournalRecoveredAndThenReleasesIt() throws IOException {
        try (GenerationJournal journal = GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES)) {
            journal.recover();
            journal.append(InMemoryGenerationStore.record("gen-a"));
            journal.append(InMemoryGenerationStore.record("gen-b"));
        }
        InMemoryGenerationStore store = InMemoryGenerationStore.working();
        store.insertAll(List.of(InMemoryGenerationStore.record("gen-a")));

        try (GenerationLog log = new GenerationLog(
                store,
                GenerationLog.Limits.defaults(),
                GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES))) {
            assertThat(log.find("gen-b")).isPresent();
            log.record(InMemoryGenerationStore.record("gen-c"));
        }

        assertThat(store.find("gen-b")).isPresent();
        assertThat(store.find("gen-c")).isPresent();
        assertThat(store.size()).isEqualTo(3);
        assertThat(segments()).isEmpty();
    }

    @Test
    void aLogJournalsEveryRecordBeforeItIsStored() throws IOException {
        InMemoryGenerationStore store = InMemoryGenerationStore.gated();
        GenerationLog log = new GenerationLog(
                store,
                GenerationLog.Limits.defaults(),
                GenerationJournal.open(dir, GenerationJournal.DEFAULT_SEGMENT_BYTES));
        log.record(InMemoryGenerationStore.record("gen-1"));

        assertThat(segments()).hasSize(1);
        assertThat(Files.size(segments().getFirst())).isPositive();

        store.open();
        log.close();
        assertThat(segments()).isEmpty();
    }
}
