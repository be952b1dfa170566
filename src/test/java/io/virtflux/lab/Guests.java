package io.virtflux.lab;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The lab guest seen from outside: its files in the datastore and what its console prints. */
public final class Guests {

  private Guests() {}

  /** The serial console log of {@code vm} (the guest prints READY, device changes, heartbeats). */
  public static Path serialLog(String vm) {
    return Lab.datastore().resolve(vm + ".serial.log");
  }

  /** A fresh raw disk image of {@code mib} MiB in the datastore. */
  public static Path rawDisk(String fileName, int mib) {
    Path p = Lab.datastore().resolve(fileName);
    try {
      Files.createDirectories(p.getParent());
      Files.deleteIfExists(p);
      try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
        f.setLength((long) mib << 20);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  public static String console(String vm) {
    try {
      Path p = serialLog(vm);
      return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until the console shows {@code line}; fails with the console's tail otherwise. */
  public static void awaitConsole(String vm, String line, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (console(vm).contains(line)) {
        return;
      }
      sleep(100);
    }
    String c = console(vm);
    throw new AssertionError(
        "guest "
            + vm
            + " did not print '"
            + line
            + "' within "
            + timeout
            + "; console tail:\n"
            + c.substring(Math.max(0, c.length() - 2000)));
  }

  /** A template for the lab guest: direct kernel boot, one raw virtio disk, a user NIC. */
  public static Map<String, Object> template(String vm, double cpu) {
    return template(vm, cpu, "console=ttyS0 panic=-1");
  }

  /**
   * {@link #template} for a guest booted with {@code acpi=off}: it never hears the power button, so
   * a shutdown of it keeps running (until its timeout, or until something else ends it).
   */
  public static Map<String, Object> ignoringAcpi(String vm, double cpu) {
    return template(vm, cpu, "console=ttyS0 panic=-1 acpi=off");
  }

  private static Map<String, Object> template(String vm, double cpu, String kernelCmd) {
    rawDisk(vm + "-vda.raw", 16);
    Path log = serialLog(vm);
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", vm);
    t.put("memory", 192);
    t.put("cpu", cpu);
    t.put("vcpu", 1);
    t.put(
        "os",
        Map.of(
            "kernel", Lab.kernel().toString(),
            "initrd", Lab.initrd().toString(),
            "kernelCmd", kernelCmd));
    t.put(
        "disks",
        List.of(
            Map.of(
                "source",
                Lab.datastore().resolve(vm + "-vda.raw").toString(),
                "driver",
                "raw",
                "devPrefix",
                "vd")));
    t.put("nics", List.of(Map.of("type", "user", "model", "virtio")));
    t.put("console", Map.of("type", "file", "path", log.toString()));
    return t;
  }

  /** The number of the guest's last heartbeat line (-1 before the first). */
  public static int heartbeat(String vm) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("LABGUEST: heartbeat (\\d+)").matcher(console(vm));
    int n = -1;
    while (m.find()) {
      n = Integer.parseInt(m.group(1));
    }
    return n;
  }

  /** Waits for a heartbeat newer than {@code seen}: the guest still runs (wherever it is now). */
  public static void awaitHeartbeatAfter(String vm, int seen) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (heartbeat(vm) <= seen) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no heartbeat of " + vm + " after " + seen + " within 30 s");
      }
      sleep(200);
    }
  }

  /**
   * The guest's block and network devices as its last READY or "devices" line lists them ({@code
   * blk=[vda vdb] net=[eth0 lo]}), e.g. {@code [vda, vdb, eth0, lo]}; empty before READY.
   */
  public static java.util.Set<String> devices(String vm) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("blk=\\[([^\\]]*)] net=\\[([^\\]]*)]").matcher(console(vm));
    java.util.Set<String> last = java.util.Set.of();
    while (m.find()) {
      java.util.Set<String> now = new java.util.TreeSet<>();
      for (String part : (m.group(1) + " " + m.group(2)).trim().split("\\s+")) {
        if (!part.isEmpty()) {
          now.add(part);
        }
      }
      last = now;
    }
    return last;
  }

  /** Waits until the guest lists {@code device} (or, when {@code present} is false, no longer). */
  public static void awaitDevice(String vm, String device, boolean present) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (devices(vm).contains(device) != present) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "guest "
                + vm
                + (present ? " never saw " : " still has ")
                + device
                + ": "
                + devices(vm));
      }
      sleep(50);
    }
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
