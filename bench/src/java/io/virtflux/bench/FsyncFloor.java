package io.virtflux.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The floor under a durable commit: 512 bytes appended to a file and forced to the disk ({@code
 * fdatasync}), on the file system the journal lives on, timed in the same run as the commits it is
 * compared with (a disk's flush time changes with what else the machine writes).
 */
final class FsyncFloor implements AutoCloseable {

  final Samples samples = new Samples();
  private final FileChannel file;
  private final ByteBuffer block = ByteBuffer.allocate(512);

  FsyncFloor(Path dir) throws IOException {
    this.file =
        FileChannel.open(
            dir.resolve("fsync-floor"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /** One write and flush, kept when {@code record}. */
  void sample(boolean record) throws IOException {
    block.clear();
    long start = System.nanoTime();
    file.write(block);
    file.force(false);
    if (record) {
      samples.add(System.nanoTime() - start);
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
