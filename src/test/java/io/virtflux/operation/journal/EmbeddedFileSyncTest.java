package io.virtflux.operation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedFileSyncTest {

  @TempDir Path dir;

  @Test
  void anH2FileUrlNamesTheFileItFlushes() {
    assertThat(
            EmbeddedFileSync.of("jdbc:h2:file:/data/journal;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"))
        .hasValueSatisfying(s -> assertThat(s.file()).isEqualTo(Path.of("/data/journal.mv.db")));
    assertThat(EmbeddedFileSync.of("jdbc:h2:file:/data/journal"))
        .hasValueSatisfying(s -> assertThat(s.file()).isEqualTo(Path.of("/data/journal.mv.db")));
  }

  @Test
  void postgresAndInMemoryH2FlushNothingHere() {
    assertThat(EmbeddedFileSync.of("jdbc:postgresql://127.0.0.70:15432/virtflux")).isEmpty();
    assertThat(EmbeddedFileSync.of("jdbc:h2:mem:journal;DB_CLOSE_DELAY=-1")).isEmpty();
  }

  @Test
  void flushesTheFileAgainAndAgain() throws IOException {
    Path file = Files.writeString(dir.resolve("journal.mv.db"), "committed");
    try (EmbeddedFileSync sync =
        EmbeddedFileSync.of("jdbc:h2:file:" + dir.resolve("journal")).orElseThrow()) {
      sync.force();
      Files.writeString(file, " and more", java.nio.file.StandardOpenOption.APPEND);
      sync.force();
    }
    assertThat(file).hasContent("committed and more");
  }

  @Test
  void aMissingFileIsAnError() {
    EmbeddedFileSync sync =
        EmbeddedFileSync.of("jdbc:h2:file:" + dir.resolve("none")).orElseThrow();
    assertThatThrownBy(sync::force).isInstanceOf(NoSuchFileException.class);
  }
}
