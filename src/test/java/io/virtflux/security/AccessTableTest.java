package io.virtflux.security;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.TestTokens;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every route of the served OpenAPI document, against the role table: without a token (or with an
 * unknown one) 401, with a role below the route's 403, and from the route's role up neither (and
 * never a 5xx). A route missing from the table, or a table entry the document lacks, fails the
 * test, so a new endpoint cannot ship without a decision on who may call it. The run logs security
 * and web at DEBUG, and no token appears in its output.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "virtflux.limits.submissions-per-second=100000",
      "logging.level.org.springframework.security=DEBUG",
      "logging.level.org.springframework.web=DEBUG",
      "logging.level.io.virtflux=DEBUG"
    })
// 30 s, not 5: a new connection under this sandbox's epoll now and then wakes seconds late (issue
// 7)
@AutoConfigureWebTestClient(timeout = "30s")
@ExtendWith(OutputCaptureExtension.class)
class AccessTableTest {

  /** Who may call what: the least role of each route (each role includes those below it). */
  static final Map<String, Role> TABLE =
      Map.ofEntries(
          entry("GET /api/v1/events", Role.VIEWER),
          entry("GET /api/v1/hosts", Role.VIEWER),
          entry("POST /api/v1/hosts", Role.ADMIN),
          entry("DELETE /api/v1/hosts/{name}", Role.ADMIN),
          entry("GET /api/v1/hosts/{name}", Role.VIEWER),
          entry("POST /api/v1/hosts/{name}/disable", Role.ADMIN),
          entry("POST /api/v1/hosts/{name}/enable", Role.ADMIN),
          entry("GET /api/v1/hosts/{name}/pci-devices", Role.VIEWER),
          entry("POST /api/v1/hosts/{name}/sync", Role.ADMIN),
          entry("GET /api/v1/operations", Role.VIEWER),
          entry("DELETE /api/v1/operations/{id}", Role.OPERATOR),
          entry("GET /api/v1/operations/{id}", Role.VIEWER),
          entry("GET /api/v1/operations/{id}/events", Role.VIEWER),
          entry("GET /api/v1/vms", Role.VIEWER),
          entry("POST /api/v1/vms", Role.OPERATOR),
          entry("DELETE /api/v1/vms/{name}", Role.OPERATOR),
          entry("GET /api/v1/vms/{name}", Role.VIEWER),
          entry("POST /api/v1/vms/{name}/actions/{action}", Role.OPERATOR),
          entry("POST /api/v1/vms/{name}/disks", Role.OPERATOR),
          entry("DELETE /api/v1/vms/{name}/disks/{target}", Role.OPERATOR),
          entry("PUT /api/v1/vms/{name}/disks/{target}/media", Role.OPERATOR),
          entry("POST /api/v1/vms/{name}/import", Role.OPERATOR),
          entry("POST /api/v1/vms/{name}/migrations", Role.OPERATOR),
          entry("GET /api/v1/vms/{name}/migrations/check", Role.VIEWER),
          entry("POST /api/v1/vms/{name}/nics", Role.OPERATOR),
          entry("DELETE /api/v1/vms/{name}/nics/{mac}", Role.OPERATOR),
          entry("GET /api/v1/vms/{name}/xml", Role.VIEWER),
          entry("POST /api/v1/vms:render", Role.OPERATOR));

  private static final Map<Role, String> TOKENS =
      Map.of(
          Role.VIEWER, "access-viewer-7f1d0c9e4b2a",
          Role.OPERATOR, "access-operator-3c8e5a1f9d7b",
          Role.ADMIN, "access-admin-9a2b4c6d8e0f");
  private static final String UNKNOWN = "access-unknown-5e6f7a8b9c0d";

  /** What each path variable is filled with: well-formed, naming nothing that exists. */
  private static final Map<String, String> VARIABLES =
      Map.of(
          "name", "access-nothing",
          "id", "00000000-0000-4000-8000-000000000000",
          "action", "suspend",
          "target", "vdb",
          "mac", "52:54:00:00:00:01");

  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void config(DynamicPropertyRegistry registry) throws Exception {
    String journal = Files.createTempDirectory("virtflux-access").resolve("journal").toString();
    registry.add("virtflux.journal.path", () -> journal);
    int i = 0;
    for (Role role : Role.values()) {
      TestTokens.register(
          registry, i++, "access-" + role.name().toLowerCase(), role.name(), TOKENS.get(role));
    }
  }

  @Test
  void everyRouteAnswers401WithoutAToken403BelowItsRoleAndServesItsRoleAndAbove(
      CapturedOutput output) {
    Map<String, Boolean> routes = routes();
    assertThat(new TreeSet<>(routes.keySet()))
        .as("every route of /v3/api-docs has a role, and every role entry a route")
        .isEqualTo(new TreeSet<>(TABLE.keySet()));

    List<String> wrong = new ArrayList<>();
    int requests = 0;
    for (var route : routes.entrySet()) {
      String key = route.getKey();
      boolean body = route.getValue();
      Role least = TABLE.get(key);
      requests += 2;
      expect(wrong, key, null, body, 401);
      expect(wrong, key, UNKNOWN, body, 401);
      for (Role role : Role.values()) {
        requests++;
        if (role.compareTo(least) < 0) {
          expect(wrong, key, TOKENS.get(role), body, 403);
        } else {
          int status = status(key, TOKENS.get(role), body);
          if (status == 401 || status == 403 || status >= 500) {
            wrong.add(key + " as " + role + ": " + status + ", expected it served");
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(requests).isEqualTo(TABLE.size() * (2 + Role.values().length));

    String logs = output.getAll();
    // the DEBUG run did log the requests (JSON lines: the quotes are escaped)
    assertThat(logs).contains("HTTP GET \\\"/api/v1/hosts\\\"");
    for (String token : TOKENS.values()) {
      assertThat(logs).as("the logs never hold a token").doesNotContain(token);
    }
    assertThat(logs).doesNotContain(UNKNOWN);
  }

  private void expect(List<String> wrong, String key, String token, boolean body, int expected) {
    int status = status(key, token, body);
    if (status != expected) {
      wrong.add(
          key + (token == null ? " without a token" : " with " + holder(token)) + ": " + status);
    }
  }

  /** The route's status for this token (none when null); event streams are closed at once. */
  private int status(String key, String token, boolean body) {
    try {
      return exchange(key, token, body);
    } catch (IllegalStateException e) {
      throw new AssertionError(key + " with " + holder(token) + ": no answer", e);
    }
  }

  private int exchange(String key, String token, boolean body) {
    String method = key.substring(0, key.indexOf(' '));
    String path = key.substring(key.indexOf(' ') + 1);
    for (var v : VARIABLES.entrySet()) {
      path = path.replace("{" + v.getKey() + "}", v.getValue());
    }
    WebTestClient.RequestBodySpec request =
        web.method(HttpMethod.valueOf(method)).uri(path).accept(MediaType.ALL);
    if (token != null) {
      request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    if (body) {
      request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}");
    }
    if (path.endsWith("/events")) {
      FluxExchangeResult<DataBuffer> stream = request.exchange().returnResult(DataBuffer.class);
      stream.getResponseBody().subscribe().dispose();
      return stream.getStatus().value();
    }
    return request.exchange().expectBody().returnResult().getStatus().value();
  }

  /** "METHOD path" of every /api/v1 operation in the served document, and whether it has a body. */
  private Map<String, Boolean> routes() {
    byte[] doc =
        web.get().uri("/v3/api-docs").exchange().expectBody().returnResult().getResponseBody();
    JsonNode paths = JsonMapper.builder().build().readTree(doc).get("paths");
    Map<String, Boolean> routes = new java.util.LinkedHashMap<>();
    for (var path : paths.properties()) {
      if (!path.getKey().startsWith("/api/v1")) {
        continue;
      }
      for (var operation : path.getValue().properties()) {
        routes.put(
            operation.getKey().toUpperCase() + " " + path.getKey(),
            operation.getValue().has("requestBody"));
      }
    }
    return routes;
  }

  /** Whose token it is, for messages: the test's own output holds no token either. */
  private static String holder(String token) {
    return TOKENS.entrySet().stream()
        .filter(e -> e.getValue().equals(token))
        .map(e -> "the " + e.getKey() + " token")
        .findFirst()
        .orElse("an unknown token");
  }
}
