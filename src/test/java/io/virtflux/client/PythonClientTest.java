package io.virtflux.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python client that the build generates from the checked-in contract (pom.xml, execution
 * python-client, into target/virtflux-client-python) imports and parses an operation with a typed
 * result and a problem with libvirt's code (parse_with_python_client.py). Needs python3 with
 * pydantic 2, python-dateutil and urllib3 2 (the generated package's requirements): without them
 * the test fails, saying so; it never skips.
 */
class PythonClientTest {

  private static final Path PACKAGE = Path.of("target", "virtflux-client-python");

  @Test
  void theGeneratedPythonClientParsesAnOperationAndAProblem() throws Exception {
    assertThat(PACKAGE.resolve("virtflux_client"))
        .as("the generated Python client (mvn generate-test-sources makes it)")
        .isDirectory();
    ProcessBuilder python =
        new ProcessBuilder("python3", script().toString()).redirectErrorStream(true);
    python.environment().put("PYTHONPATH", PACKAGE.toAbsolutePath().toString());
    python.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process;
    try {
      process = python.start();
    } catch (IOException e) {
      throw new AssertionError(
          "python3 is not on PATH: this test needs python3 with pydantic 2 to import the"
              + " generated Python client",
          e);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("python3 did not finish within 60 s");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue())
        .as(
            "python3 %s (PYTHONPATH=%s) failed; a ModuleNotFoundError means python3 lacks the"
                + " generated package's requirements (pydantic 2, python-dateutil, urllib3 2):%n%s",
            script(), PACKAGE, output)
        .isZero();
  }

  private static Path script() throws URISyntaxException {
    var url = PythonClientTest.class.getResource("parse_with_python_client.py");
    assertThat(url).as("parse_with_python_client.py on the test class path").isNotNull();
    Path path = Path.of(url.toURI());
    assertThat(Files.isRegularFile(path)).isTrue();
    return path;
  }
}
