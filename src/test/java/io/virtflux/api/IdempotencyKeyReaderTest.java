package io.virtflux.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** What makes two requests the same for an Idempotency-Key, and which keys are refused. */
class IdempotencyKeyReaderTest {

  private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theFingerprintChangesWithMethodPathQueryAndBodyOnly() {
    String same = fingerprint(HttpMethod.POST, "/api/v1/vms/a/disks", BODY);

    assertThat(fingerprint(HttpMethod.POST, "/api/v1/vms/a/disks", BODY.clone())).isEqualTo(same);
    assertThat(fingerprint(HttpMethod.PUT, "/api/v1/vms/a/disks", BODY)).isNotEqualTo(same);
    assertThat(fingerprint(HttpMethod.POST, "/api/v1/vms/b/disks", BODY)).isNotEqualTo(same);
    assertThat(fingerprint(HttpMethod.POST, "/api/v1/vms/a/disks?liveOnly=true", BODY))
        .isNotEqualTo(same);
    assertThat(fingerprint(HttpMethod.POST, "/api/v1/vms/a/disks", "{\"a\": 1}".getBytes()))
        .isNotEqualTo(same);
    assertThat(fingerprint(HttpMethod.POST, "/api/v1/vms/a/disks", new byte[0]))
        .isNotEqualTo(same)
        .hasSize(64)
        .matches("[0-9a-f]+");
  }

  @Test
  void keysOfOneTo255PrintableAsciiCharactersAreAccepted() {
    assertThat(IdempotencyKeyReader.refusal("8e03978e-40d5-43e8-bc93-6894a57f9324")).isNull();
    assertThat(IdempotencyKeyReader.refusal("\"quoted, as a structured field\"")).isNull();
    assertThat(IdempotencyKeyReader.refusal("k".repeat(255))).isNull();

    assertThat(IdempotencyKeyReader.refusal("")).isEqualTo("is empty");
    assertThat(IdempotencyKeyReader.refusal("k".repeat(256))).contains("longer than 255");
    assertThat(IdempotencyKeyReader.refusal("a\u0000b")).contains("U+0000 at position 1");
    assertThat(IdempotencyKeyReader.refusal("a\tb")).contains("U+0009");
    assertThat(IdempotencyKeyReader.refusal("a\u007fb")).contains("U+007F");
    assertThat(IdempotencyKeyReader.refusal("clé")).contains("U+00E9");
  }

  private static String fingerprint(HttpMethod method, String uri, byte[] body) {
    return IdempotencyKeyReader.fingerprint(
        MockServerHttpRequest.method(method, uri).build(), body);
  }
}
