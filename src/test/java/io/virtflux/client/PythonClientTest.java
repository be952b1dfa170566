package io.virtflux.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Python client that the build generates from the checked-in contract imports and parses an
 * operation with a typed result and a problem with libvirt's code (parse_with_python_client.py).
 * GeneratedClientIT has it parse the service's real answers too.
 */
class PythonClientTest {

  @Test
  void theGeneratedPythonClientParsesAnOperationAndAProblem() throws Exception {
    assertThat(PythonClient.run("parse_with_python_client.py")).contains("parsed");
  }
}
