package io.virtflux.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.TestDriverNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Requests as openapi-generator's clients send them (issue 18): the literal body {@code null} for
 * an optional body the caller left out, {@code []} for every list the caller did not set, and
 * {@code Accept: text/plain} (the first type the contract lists) for the domain XML.
 */
@SpringBootTest(properties = "virtflux.probe-interval=0s")
@AutoConfigureWebTestClient
@WithMockUser(
    username = "alice",
    roles = {"VIEWER", "OPERATOR", "ADMIN"})
class GeneratedClientRequestsTest {

  private static final String BARE =
      """
      {"host": "t-one", "template": {"name": "gc-1", "memory": 128}}
      """;

  /** What the generated Java model serializes for the same template. */
  private static final String WITH_EMPTY_LISTS =
      """
      {"host": "t-one", "template": {"name": "gc-1", "memory": 128,
        "os": {"boot": []}, "disks": [], "nics": [], "pci": []}}
      """;

  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void hosts(DynamicPropertyRegistry registry) {
    Path dir = TestDriverNodes.copied("virtflux-generated-client");
    registry.add("virtflux.hosts[0].name", () -> "t-one");
    registry.add("virtflux.hosts[0].uri", () -> "test://" + dir.resolve("node-one.xml"));
    registry.add("virtflux.journal.path", () -> dir.resolve("journal").toString());
  }

  private EntityExchangeResult<String> render(String body, MediaType accept) {
    WebTestClient.RequestBodySpec request =
        web.post().uri("/api/v1/vms:render").contentType(MediaType.APPLICATION_JSON);
    if (accept != null) {
      request.accept(accept);
    }
    return request
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult();
  }

  @Test
  void theDomainXmlComesAsTextPlainByDefaultAndAsXmlWhenAsked() {
    EntityExchangeResult<String> text = render(BARE, MediaType.TEXT_PLAIN);
    EntityExchangeResult<String> byDefault = render(BARE, null);
    EntityExchangeResult<String> xml = render(BARE, MediaType.APPLICATION_XML);

    assertThat(text.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN))
        .isTrue();
    assertThat(text.getResponseBody()).startsWith("<domain");
    assertThat(
            byDefault.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN))
        .isTrue();
    assertThat(
            xml.getResponseHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_XML))
        .isTrue();
    assertThat(xml.getResponseBody()).isEqualTo(text.getResponseBody());
  }

  @Test
  void aClientAskingForTextPlainStillGetsTheProblemOfAnError() {
    web.get()
        .uri("/api/v1/vms/gc-ghost/xml")
        .accept(MediaType.TEXT_PLAIN)
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void emptyListsDeployWhatAbsentListsDeploy() {
    String bare = render(BARE, MediaType.TEXT_PLAIN).getResponseBody();
    String empty = render(WITH_EMPTY_LISTS, MediaType.TEXT_PLAIN).getResponseBody();

    // the generated MAC-free domain differs only in its uuid, if at all
    assertThat(withoutUuid(empty)).isEqualTo(withoutUuid(bare));
    assertThat(empty).contains("<boot dev=\"hd\"/>");
  }

  private static String withoutUuid(String xml) {
    return xml.replaceAll("<uuid>[^<]*</uuid>", "");
  }

  private HttpStatusCode statusOf(WebTestClient.RequestBodySpec request, String jsonBody) {
    WebTestClient.RequestHeadersSpec<?> sent =
        jsonBody == null
            ? request
            : request.contentType(MediaType.APPLICATION_JSON).bodyValue(jsonBody);
    return sent.exchange().returnResult(String.class).getStatus();
  }

  @Test
  void aLiteralNullBodyOfAnActionIsAnAbsentBody() {
    String uri = "/api/v1/vms/gc-ghost/actions/start";
    HttpStatusCode absent = statusOf(web.post().uri(uri), null);
    HttpStatusCode nullBody = statusOf(web.post().uri(uri), "null");
    HttpStatusCode emptyObject = statusOf(web.post().uri(uri), "{}");

    assertThat(absent.value()).isEqualTo(404);
    assertThat(nullBody).isEqualTo(absent);
    assertThat(emptyObject).isEqualTo(absent);
  }

  @Test
  void aLiteralNullBodyOfAMediaChangeIsAnAbsentBody() {
    String uri = "/api/v1/vms/gc-ghost/disks/sdb/media";
    HttpStatusCode absent = statusOf(web.put().uri(uri), null);
    HttpStatusCode nullBody = statusOf(web.put().uri(uri), "null");
    HttpStatusCode emptyObject = statusOf(web.put().uri(uri), "{}");

    assertThat(emptyObject.value()).isEqualTo(404);
    assertThat(nullBody).isEqualTo(emptyObject);
    assertThat(absent).isEqualTo(emptyObject);
  }
}
