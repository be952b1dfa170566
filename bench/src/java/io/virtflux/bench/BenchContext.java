package io.virtflux.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every scenario gets: the mode, the service jar, a scratch directory and the lab's
 * environment ({@code dev/lab env}, for the scenario on real hosts).
 */
final class BenchContext {

  final BenchMode mode;
  final Path repo;
  final Path jar;
  final Path work;
  final Map<String, String> env;

  BenchContext(BenchMode mode, Path repo, Path work, Map<String, String> env) {
    this.mode = mode;
    this.repo = repo;
    this.jar = repo.resolve("target/virtflux.jar");
    this.work = work;
    this.env = env;
  }

  /** A fresh directory under the run's scratch directory. */
  Path dir(String name) throws IOException {
    Path dir = work.resolve(name);
    Files.createDirectories(dir);
    return dir;
  }

  /** A lab variable such as VIRTFLUX_LAB_DATASTORE, or null when the lab isn't set up. */
  String lab(String name) {
    return env.get(name);
  }
}
