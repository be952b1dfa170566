package io.virtflux.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the run was measured on, for the result files and the README. */
final class Machine {

  private Machine() {}

  static Map<String, Object> describe(BenchContext ctx) {
    Map<String, Object> out = new LinkedHashMap<>();
    int cores = Runtime.getRuntime().availableProcessors();
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
    String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    long memGiB = memKb == null ? 0 : Long.parseLong(memKb.replaceAll("[^0-9]", "")) / 1024 / 1024;
    String os = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME");
    out.put("cores", cores);
    out.put("cpu", cpu);
    out.put("memoryGiB", memGiB);
    out.put("os", os == null ? null : os.replace("\"", ""));
    out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    if (ctx != null) {
      out.put("serviceJvmOptions", String.join(" ", ServiceJvm.options(ctx.repo)));
    }
    out.put(
        "summary",
        cores
            + " cores ("
            + cpu
            + "), "
            + memGiB
            + " GiB, "
            + out.get("os")
            + ", Java "
            + System.getProperty("java.version"));
    return out;
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        int sep = line.indexOf(line.contains("=") && !line.contains(":") ? '=' : ':');
        if (sep > 0 && line.substring(0, sep).trim().equals(key)) {
          return line.substring(sep + 1).trim();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
