package io.virtflux.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab guest's serial console, a file in the datastore: the guest's init prints {@code LABGUEST:
 * READY … blk=[vda]} once booted and {@code LABGUEST: devices at … blk=[vda vdb]} whenever its
 * block devices change (it looks every 0.2 s). With {@code labguest.quiet=1} nothing else is
 * printed, so the last {@code blk=[…]} is what the guest sees now.
 */
final class RealVmConsole {

  private static final Pattern BLK = Pattern.compile("blk=\\[([^]]*)]");
  private static final int TAIL_BYTES = 4096;
  private static final long POLL_MILLIS = 5;

  private final Path log;

  RealVmConsole(Path log) {
    this.log = log;
  }

  /** Waits until the guest has booted (its READY line). */
  void awaitReady(Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!tail().contains("LABGUEST: READY")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the guest never said READY within " + limit + " in " + log);
      }
      Thread.sleep(50);
    }
  }

  /** Waits until the guest lists block device {@code dev} (or, with present false, no longer). */
  void awaitDisk(String dev, boolean present, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (devices().contains(dev) != present) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the guest's block devices are still "
                + devices()
                + " after "
                + limit
                + " (waited for "
                + dev
                + (present ? " to appear)" : " to go)"));
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** The block devices of the guest's last report, e.g. [vda, vdb]; empty before its first. */
  List<String> devices() throws IOException {
    Matcher m = BLK.matcher(tail());
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return last == null || last.isBlank() ? List.of() : List.of(last.trim().split("\\s+"));
  }

  /**
   * The end of the log: enough for the last report, and cheap to read every few milliseconds. A
   * line QEMU is still writing has no closing bracket yet, so it is not mistaken for a report.
   */
  private String tail() throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int size = (int) Math.min(TAIL_BYTES, length);
      byte[] bytes = new byte[size];
      file.seek(length - size);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }
}
