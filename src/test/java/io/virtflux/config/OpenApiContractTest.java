package io.virtflux.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code openapi/virtflux.yaml} is the published contract: it must be exactly what the service
 * serves at {@code /v3/api-docs.yaml}. After an intended API change, regenerate it with {@code
 * ./mvnw test -Dtest=OpenApiContractTest -Dopenapi.write=true} and commit it with the change.
 */
@SpringBootTest
@AutoConfigureWebTestClient
class OpenApiContractTest {

  static final Path CONTRACT = Path.of("openapi/virtflux.yaml");

  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void journal(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("virtflux-contract");
    registry.add("virtflux.journal.path", () -> dir.resolve("journal").toString());
  }

  @Test
  void theServedDocumentIsTheCheckedInContract() throws IOException {
    String served =
        web.get()
            .uri("/v3/api-docs.yaml")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    String checkedIn = Files.readString(CONTRACT, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("openapi.write") && !served.equals(checkedIn)) {
      Files.writeString(CONTRACT, served, StandardCharsets.UTF_8);
      // a build run with the flag must not pass as if nothing had changed
      throw new AssertionError(CONTRACT + " rewritten: review the change and commit it");
    }
    assertThat(served)
        .as(
            "the API differs from %s; if the change is intended, run ./mvnw test"
                + " -Dtest=OpenApiContractTest -Dopenapi.write=true and commit the file",
            CONTRACT)
        .isEqualTo(checkedIn);
  }
}
