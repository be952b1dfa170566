package io.virtflux.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service's runtime as the image has it: the jar extracted (no nested-jar class loading), a
 * class-data-sharing archive from a training run, and the JVM options of {@code
 * docker/jvm.options}. Prepared once under {@code target/bench-runtime}, again when the jar
 * changes.
 */
final class ServiceJvm {

  private ServiceJvm() {}

  /** The options of docker/jvm.options, or BENCH_JAVA_OPTS when set. */
  static List<String> options(Path repo) {
    String override = System.getenv("BENCH_JAVA_OPTS");
    if (override != null) {
      return override.isBlank() ? List.of() : List.of(override.trim().split("\\s+"));
    }
    try {
      return Files.readAllLines(repo.resolve("docker/jvm.options")).stream()
          .map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("docker/jvm.options unreadable", e);
    }
  }

  /**
   * BENCH_SERVICE_OPTS: options for the measured services only, not for the training run, e.g. a
   * profiler's {@code -agentpath} (the JVM refuses to dump a CDS archive with a native agent).
   */
  private static List<String> measuredOnly() {
    String extra = System.getenv("BENCH_SERVICE_OPTS");
    return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
  }

  /** The command up to (and including) the jar: java, options, CDS archive, -jar. */
  static synchronized List<String> command(BenchContext ctx) throws Exception {
    Path dir = ctx.repo.resolve("target/bench-runtime");
    Path jar = dir.resolve("virtflux.jar");
    Path archive = dir.resolve("virtflux.jsa");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    boolean stale =
        !Files.exists(archive)
            || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(ctx.jar)) < 0;
    if (stale) {
      prepare(ctx, java, dir, jar, archive);
    }
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options(ctx.repo));
    command.add("-XX:SharedArchiveFile=" + archive);
    command.addAll(measuredOnly());
    command.add("-jar");
    command.add(jar.toString());
    return command;
  }

  private static void prepare(BenchContext ctx, String java, Path dir, Path jar, Path archive)
      throws Exception {
    deleteTree(dir);
    run(
        List.of(
            java,
            "-Djarmode=tools",
            "-jar",
            ctx.jar.toString(),
            "extract",
            "--destination",
            dir.toString()),
        ctx.dir("runtime-extract"));
    // the training run: start the context, then exit; the JVM writes the classes it loaded
    Path training = ctx.dir("runtime-training");
    List<String> train = new ArrayList<>();
    train.add(java);
    train.addAll(options(ctx.repo));
    train.add("-XX:ArchiveClassesAtExit=" + archive);
    train.add("-Dspring.context.exit=onRefresh");
    train.add("-jar");
    train.add(jar.toString());
    train.add("--virtflux.journal.path=" + training.resolve("journal"));
    train.add("--virtflux.datastores=" + training);
    train.add("--server.port=0");
    run(train, training);
    if (!Files.exists(archive)) {
      throw new IllegalStateException("the training run wrote no " + archive);
    }
  }

  private static void run(List<String> command, Path logDir) throws Exception {
    Path log = logDir.resolve("output.log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command) + " failed; see " + log + ":\n" + Files.readString(log));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
