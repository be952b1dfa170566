package io.virtflux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of this package's test resources with python3 and the Python client the build
 * generates from the checked-in contract (pom.xml, execution python-client, into
 * target/virtflux-client-python) on its path, and fails with the script's output unless it exits 0.
 * Needs python3 with pydantic 2, python-dateutil and urllib3 2 (the generated package's
 * requirements): without them it fails, saying so; it never skips.
 */
public final class PythonClient {

  private static final Path PACKAGE = Path.of("target", "virtflux-client-python");

  private PythonClient() {}

  /** Runs {@code script} (a resource next to this class) with {@code args}; returns its output. */
  public static String run(String script, String... args) throws Exception {
    assertThat(PACKAGE.resolve("virtflux_client"))
        .as("the generated Python client (mvn generate-test-sources makes it)")
        .isDirectory();
    List<String> command = new ArrayList<>(List.of("python3", resource(script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder python = new ProcessBuilder(command).redirectErrorStream(true);
    python.environment().put("PYTHONPATH", PACKAGE.toAbsolutePath().toString());
    python.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process;
    try {
      process = python.start();
    } catch (IOException e) {
      throw new AssertionError(
          "python3 is not on PATH: the generated Python client needs python3 with pydantic 2", e);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("python3 did not finish within 60 s");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue())
        .as(
            "%s (PYTHONPATH=%s) failed; a ModuleNotFoundError means python3 lacks the generated"
                + " package's requirements (pydantic 2, python-dateutil, urllib3 2):%n%s",
            command, PACKAGE, output)
        .isZero();
    return output;
  }

  private static Path resource(String name) throws URISyntaxException {
    var url = PythonClient.class.getResource(name);
    assertThat(url).as("%s on the test class path", name).isNotNull();
    Path path = Path.of(url.toURI());
    assertThat(Files.isRegularFile(path)).isTrue();
    return path;
  }
}
