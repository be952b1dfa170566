package io.virtflux.it;

import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import io.virtflux.lab.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The service started against the real lab hosts: {@code it-a} has a single-action lane (TCP, but
 * parallel actions off), {@code it-b} is parallel-capable with 3 actions, {@code it-c} is a spare.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class LabServiceTest {

  static {
    // the service runs in this JVM: any blocking call on an event-loop thread fails the request.
    // Allowed: the JDK reading a resource bundle out of a jar the first time a validation message
    // is rendered (class-path loading, once per bundle).
    reactor.blockhound.BlockHound.builder()
        .allowBlockingCallsInside("java.util.ResourceBundle", "loadBundle")
        .install();
  }

  @LocalServerPort int port;

  WebTestClient web;

  /** The API with the admin token. */
  Api api;

  @BeforeEach
  void adminClient() {
    web = Api.clientFor("http://localhost:" + port);
    api = new Api(web);
  }

  /** How long a detach waits for the guest to let go (libvirt alone waits 5 s of it). */
  static final Duration DETACH_TIMEOUT = Duration.ofSeconds(8);

  static final String SINGLE = "it-a";
  static final String PARALLEL = "it-b";

  @DynamicPropertySource
  static void lab(DynamicPropertyRegistry registry) {
    List<LabHost> hosts = Lab.hosts();
    for (int i = 0; i < hosts.size(); i++) {
      LabHost h = hosts.get(i);
      String p = "virtflux.hosts[" + i + "].";
      registry.add(p + "name", h::name);
      registry.add(p + "uri", h::uri);
      registry.add(p + "parallel-actions", () -> h.name().equals(PARALLEL));
      registry.add(p + "max-actions", () -> h.name().equals(PARALLEL) ? 3 : 1);
    }
    // HostHangsIT: a sync of a frozen host ends at this timeout (a lab host's sync takes < 1 s)
    registry.add("virtflux.operations.timeouts.HOST_SYNC", () -> "6s");
    // the ITs submit in bursts from one token; RequestLimitsTest covers the limit itself
    registry.add("virtflux.limits.submissions-per-second", () -> 1000);
    registry.add("virtflux.hotplug.detach-timeout", () -> DETACH_TIMEOUT.toMillis() + "ms");
    registry.add("virtflux.datastores", () -> Lab.datastore() + "," + Lab.imagesDir());
    // a journal per application context, as each would be a service of its own: contexts the test
    // framework keeps alive side by side must not see (and, at start-up, end or run again) each
    // other's operations, nor each other's registered hosts. Computed once here: the supplier is
    // asked again for every property that refers to it.
    String journal = newJournalPath();
    registry.add("virtflux.journal.path", () -> journal);
    TestTokens.register(registry, 0, "it-admin", "ADMIN", Api.ADMIN_TOKEN);
    TestTokens.register(registry, 1, "it-operator", "OPERATOR", Api.OPERATOR_TOKEN);
    TestTokens.register(registry, 2, "it-viewer", "VIEWER", Api.VIEWER_TOKEN);
  }

  private static String newJournalPath() {
    try {
      return Files.createTempDirectory("virtflux-it-journal").resolve("journal").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
