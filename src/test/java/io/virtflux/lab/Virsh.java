package io.virtflux.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code virsh} against a lab host: what an admin does behind the service's back. */
public final class Virsh {

  private Virsh() {}

  /** Runs {@code virsh -c <host> args…}; fails the test unless it exits 0. Returns its output. */
  public static String run(LabHost host, String... args) {
    List<String> command = new ArrayList<>(List.of("virsh", "-q", "-c", host.uri()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run virsh (libvirt-clients): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
