package dev.switchboard.core.byok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the master key comes from: configured, a configured file, or a file of its own made on first use. */
class MasterKeysTest {
    @TempDir
    Path dir;

    @Test
    void makesTheDefaultFileOnlyWhenAKeyIsFirstNeededReadableByItsOwnerAlone() throws Exception {
        MasterKeys keys = MasterKeys.load(Optional.empty(), Optional.empty(), List.of(), dir);
        Path file = dir.resolve(MasterKeys.DEFAULT_FILE);

        assertThat(file).doesNotExist();
        assertThat(keys.describeCurrent()).isEqualTo("none yet");
        MasterKey made = keys.current();

        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(MasterKeys.load(Optional.empty(), Optional.empty(), List.of(), dir)
                        .current()
                        .id())
                .as("the next start reads the same key")
                .isEqualTo(made.id());
    }

    @Test
    void aConfiguredKeyWinsAndPreviousKeysOnlyOpen() {
        MasterKey configured = MasterKey.generate(new SecureRandom());
        MasterKey previous = MasterKey.generate(new SecureRandom());

        MasterKeys keys =
                MasterKeys.load(Optional.of(configured.encoded()), Optional.empty(), List.of(previous.encoded()), dir);

        assertThat(keys.current().id()).isEqualTo(configured.id());
        assertThat(keys.find(previous.id())).isPresent();
        assertThat(keys.isCurrent(previous.id())).isFalse();
        assertThat(dir.resolve(MasterKeys.DEFAULT_FILE)).doesNotExist();
    }

    @Test
    void aConfiguredFileMustExistAndHoldAKey() throws Exception {
        Path missing = dir.resolve("missing.key");
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "sk-not-a-master-key");

        IllegalStateException absent = catchThrowableOfType(
                IllegalStateException.class,
                () -> MasterKeys.load(Optional.empty(), Optional.of(missing), List.of(), dir));
        IllegalStateException wrong = catchThrowableOfType(
                IllegalStateException.class,
                () -> MasterKeys.load(Optional.empty(), Optional.of(garbage), List.of(), dir));

        assertThat(absent.getMessage()).contains(missing.toString()).contains("does not exist");
        assertThat(wrong.getMessage()).contains(garbage.toString()).doesNotContain("sk-not-a-master-key");
    }
}
