package io.virtflux.operation.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Makes the embedded H2 journal's commits durable. H2 writes a commit to its file before the commit
 * returns ({@code WRITE_DELAY=0}), so a killed process loses nothing it acknowledged, but H2 leaves
 * the data in the operating system's cache: a power loss or a kernel crash could still lose
 * acknowledged operations. PostgreSQL flushes its write-ahead log at each commit ({@code
 * synchronous_commit = on}); for H2 the writer forces the file once after each committed batch, so
 * the writes that queued up meanwhile share one flush (a group commit), and a lone write pays one.
 *
 * <p>{@code fdatasync} through a descriptor of its own: Linux flushes a file's dirty pages whoever
 * wrote them, so H2's own channel need not be reached. H2 rewrites its file in place (it never
 * swaps in a new one while open), so the descriptor stays the file's.
 */
final class EmbeddedFileSync implements AutoCloseable {

  private final Path file;
  private @Nullable FileChannel channel;

  private EmbeddedFileSync(Path file) {
    this.file = file;
  }

  /** For an H2 file URL ({@code jdbc:h2:file:<path>;…}): its {@code <path>.mv.db}; else empty. */
  static Optional<EmbeddedFileSync> of(String jdbcUrl) {
    String prefix = "jdbc:h2:file:";
    if (!jdbcUrl.startsWith(prefix)) {
      return Optional.empty(); // PostgreSQL flushes itself; an in-memory H2 has no file
    }
    String path = jdbcUrl.substring(prefix.length());
    int options = path.indexOf(';');
    if (options >= 0) {
      path = path.substring(0, options);
    }
    return Optional.of(new EmbeddedFileSync(Path.of(path + ".mv.db")));
  }

  /** The file that is forced. */
  Path file() {
    return file;
  }

  /** Forces what was committed to the disk; the file exists once H2 opened the database. */
  void force() throws IOException {
    FileChannel c = channel;
    if (c == null || !c.isOpen()) {
      c = FileChannel.open(file, StandardOpenOption.READ);
      channel = c;
    }
    c.force(false);
  }

  @Override
  public void close() throws IOException {
    FileChannel c = channel;
    channel = null;
    if (c != null) {
      c.close();
    }
  }
}
