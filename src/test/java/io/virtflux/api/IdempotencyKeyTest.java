package io.virtflux.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.TestDriverNodes;
import io.virtflux.lab.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The {@code Idempotency-Key} header (draft-ietf-httpapi-idempotency-key-header) through the whole
 * web stack, on a host of libvirt's test driver: the same key with the same request answers the
 * first operation; with another body, path or query it is a 422 naming the key and nothing is
 * queued; each token has its own keys; a malformed key is a 400 before anything is read. (Expiry:
 * {@code IdempotencyKeyExpiryTest}.)
 */
@SpringBootTest
@AutoConfigureWebTestClient(timeout = "30s")
class IdempotencyKeyTest {

  private static final String ALICE = "idem-alice-token-0123456789abcdef";
  private static final String BOB = "idem-bob-token-0123456789abcdefgh";
  private static final String HOST = "idem-h";

  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void config(DynamicPropertyRegistry registry) throws Exception {
    String journal = Files.createTempDirectory("virtflux-idem").resolve("journal").toString();
    registry.add("virtflux.journal.path", () -> journal);
    // a node file, not test:///default: each connection gets its own state, shared with no other
    // test
    Path node = TestDriverNodes.copied("virtflux-idem").resolve("node-one.xml");
    registry.add("virtflux.hosts[0].name", () -> HOST);
    registry.add("virtflux.hosts[0].uri", () -> "test://" + node);
    // admin: also syncs hosts, so one principal can send one key to two routes
    TestTokens.register(registry, 0, "idem-alice", "ADMIN", ALICE);
    TestTokens.register(registry, 1, "idem-bob", "ADMIN", BOB);
  }

  @Test
  void theSameKeyWithTheSameRequestAnswersTheFirstOperation() {
    String key = key();
    Map<String, Object> body = deploy(vm(), 64);

    EntityExchangeResult<Map> first = send(ALICE, key, "/api/v1/vms", body);
    EntityExchangeResult<Map> again = send(ALICE, key, "/api/v1/vms", body);

    assertThat(first.getStatus().value()).isEqualTo(202);
    assertThat(again.getStatus().value()).isEqualTo(202);
    assertThat(again.getResponseBody().get("id")).isEqualTo(first.getResponseBody().get("id"));
    assertThat(again.getResponseHeaders().getLocation())
        .isEqualTo(first.getResponseHeaders().getLocation());
  }

  @Test
  void aPlacedDeployRepeatedWithItsKeyAnswersTheFirstOperation() {
    String key = key();
    Map<String, Object> placed = Map.of("template", Map.of("name", vm(), "memory", 64));

    EntityExchangeResult<Map> first = send(ALICE, key, "/api/v1/vms", placed);
    EntityExchangeResult<Map> again = send(ALICE, key, "/api/v1/vms", placed);

    assertThat(first.getStatus().value()).as("%s", first.getResponseBody()).isEqualTo(202);
    assertThat(again.getStatus().value()).as("%s", again.getResponseBody()).isEqualTo(202);
    assertThat(again.getResponseBody().get("id")).isEqualTo(first.getResponseBody().get("id"));
  }

  @Test
  void theSameKeyWithAnotherBodyIs422NamingTheKeyAndQueuesNothing() {
    String key = key();
    String vm = vm();
    EntityExchangeResult<Map> first = send(ALICE, key, "/api/v1/vms", deploy(vm, 64));

    // same route, kind and target as the first: only the body (the memory) differs
    EntityExchangeResult<Map> other = send(ALICE, key, "/api/v1/vms", deploy(vm, 128));

    assertThat(first.getStatus().value()).isEqualTo(202);
    assertReused(other, key);
    web.get()
        .uri("/api/v1/operations?vm={vm}", vm)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + ALICE)
        .exchange()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(1);
  }

  @Test
  void theSameKeyOnAnotherPathOrQueryIs422() {
    String key = key();
    EntityExchangeResult<Map> first = send(ALICE, key, "/api/v1/vms", deploy(vm(), 64));
    assertThat(first.getStatus().value()).isEqualTo(202);

    assertReused(send(ALICE, key, "/api/v1/hosts/" + HOST + "/sync", null), key);

    String syncKey = key();
    assertThat(send(ALICE, syncKey, "/api/v1/hosts/" + HOST + "/sync", null).getStatus().value())
        .isEqualTo(202);
    // the same kind and target (a sync of the host), asked differently
    assertReused(send(ALICE, syncKey, "/api/v1/hosts/" + HOST + "/sync?force=true", null), syncKey);
  }

  @Test
  void twoTokensSendingOneKeyGetAnOperationEach() {
    String key = key();
    String path = "/api/v1/hosts/" + HOST + "/sync";

    Object alices = send(ALICE, key, path, null).getResponseBody().get("id");
    Object bobs = send(BOB, key, path, null).getResponseBody().get("id");

    assertThat(bobs).isNotNull().isNotEqualTo(alices);
    // and each token's repeat finds its own
    assertThat(send(ALICE, key, path, null).getResponseBody().get("id")).isEqualTo(alices);
    assertThat(send(BOB, key, path, null).getResponseBody().get("id")).isEqualTo(bobs);
  }

  @Test
  void aKeyOfTheColumnsLengthIsAccepted() {
    String key = "k".repeat(IdempotencyKey.MAX_LENGTH - 36) + UUID.randomUUID();
    String path = "/api/v1/hosts/" + HOST + "/sync";

    Object first = send(ALICE, key, path, null).getResponseBody().get("id");

    assertThat(first).isNotNull();
    assertThat(send(ALICE, key, path, null).getResponseBody().get("id")).isEqualTo(first);
  }

  @Test
  void aKeyTooLongOrNotAsciiIs400NamingTheHeader() {
    for (String key : new String[] {"k".repeat(IdempotencyKey.MAX_LENGTH + 1), "ключ"}) {
      badKey(key)
          .jsonPath("$.type")
          .isEqualTo("urn:virtflux:problem:invalid-idempotency-key")
          .jsonPath("$.errors[0].field")
          .isEqualTo(IdempotencyKey.HEADER)
          .jsonPath("$.detail")
          .value(detail -> assertThat((String) detail).startsWith(IdempotencyKey.HEADER));
    }
  }

  @Test
  void aKeyWithControlCharactersIs400() {
    // before IdempotencyKeyReader they were queued (202); now Spring Security's firewall, which
    // checks a header value when it is read, or the reader's own check refuses them
    for (String key : new String[] {"a\u0001b", "a\tb", "a\u007fb"}) {
      badKey(key).jsonPath("$.status").isEqualTo(400);
    }
  }

  private WebTestClient.BodyContentSpec badKey(String key) {
    return web.post()
        .uri("/api/v1/hosts/" + HOST + "/sync")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + ALICE)
        .header(IdempotencyKey.HEADER, key)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody();
  }

  private void assertReused(EntityExchangeResult<Map> result, String key) {
    assertThat(result.getStatus().value()).as("%s", result.getResponseBody()).isEqualTo(422);
    assertThat(result.getResponseHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    Map<?, ?> problem = result.getResponseBody();
    assertThat(problem.get("type")).isEqualTo("urn:virtflux:problem:idempotency-key-reused");
    assertThat(problem.get("idempotencyKey")).isEqualTo(key);
    assertThat((String) problem.get("detail")).contains(key);
  }

  @SuppressWarnings("rawtypes")
  private EntityExchangeResult<Map> send(
      String token, String key, String path, Map<String, Object> body) {
    var request =
        web.post()
            .uri(path)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .header(IdempotencyKey.HEADER, key);
    var sent =
        body == null
            ? request.exchange()
            : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    return sent.expectBody(Map.class).returnResult();
  }

  private static Map<String, Object> deploy(String vm, long memory) {
    return Map.of("host", HOST, "template", Map.of("name", vm, "memory", memory));
  }

  private static String key() {
    return "key-" + UUID.randomUUID();
  }

  private static String vm() {
    return "idem-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
