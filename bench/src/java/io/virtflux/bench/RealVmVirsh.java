package io.virtflux.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The baseline's tool: one new {@code virsh} process per call, as OpenNebula's shell driver runs
 * it, so the baseline pays the process start and the libvirt connection every time, as that driver
 * does.
 */
final class RealVmVirsh {

  private static final long LIMIT_SECONDS = 300;

  /**
   * Runs {@code virsh -q -c uri args…} and returns what it printed; fails when it exits non-zero.
   */
  String run(String uri, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    // drained meanwhile, so a long output can't block virsh on a full pipe, and a hung virsh
    // can't block this thread past the limit
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
    if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " still runs after 300 s");
    }
    String printed = output.join();
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " exited with "
              + process.exitValue()
              + ": "
              + printed.trim());
    }
    return printed;
  }

  private static String drain(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs it for cleanup: a failure (no such domain, already shut off) is what is expected. */
  void quietly(String uri, String... args) {
    try {
      run(uri, args);
    } catch (IOException | RuntimeException expected) {
      // nothing to clean up, or nothing more this run can do about it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
