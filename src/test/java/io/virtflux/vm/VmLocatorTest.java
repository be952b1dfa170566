package io.virtflux.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.host.HostConfig;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostsProperties;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.HostRef;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.UnsupportedGateway;
import io.virtflux.libvirt.VmState;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** A VM that no host that answered has is unknown (404); one a silent host may have is not. */
class VmLocatorTest {

  /** What each host answers to a status call: a VM name, or the failure it gives for any. */
  private static final class Answers extends UnsupportedGateway {
    private final Map<String, Object> byHost;

    Answers(Map<String, Object> byHost) {
      this.byHost = byHost;
    }

    @Override
    public Mono<DomainStatus> status(HostRef host, String vm) {
      Object answer = byHost.get(host.name());
      if (answer instanceof LibvirtFailure failure) {
        return Mono.error(failure);
      }
      if (vm.equals(answer)) {
        return Mono.just(new DomainStatus(vm, "u", VmState.RUNNING, 1, 1024, true, false, true));
      }
      return Mono.error(failure(HttpStatus.NOT_FOUND, LibvirtFailure.TYPE_UNKNOWN_VM, host));
    }
  }

  private static LibvirtFailure failure(HttpStatus status, URI type, HostRef host) {
    return new LibvirtFailure(status, type, "t", host.name(), "VIR_ERR_X", "m", null);
  }

  private static LibvirtFailure offline(String host) {
    return new LibvirtFailure(
        HttpStatus.SERVICE_UNAVAILABLE,
        LibvirtFailure.TYPE_HOST_OFFLINE,
        "Host offline",
        host,
        "VIR_ERR_NO_CONNECT",
        "no answer to connect within 5000 ms",
        null);
  }

  private static VmLocator locator(Map<String, Object> answers) {
    HostRegistry hosts =
        new HostRegistry(
            new HostsProperties(List.of(host("a"), host("b")), List.of("/ds"), 1, Duration.ZERO));
    return new VmLocator(hosts, new Answers(answers));
  }

  private static HostConfig host(String name) {
    return new HostConfig(name, "test:///default", null, null, null, null, null, null, null);
  }

  @Test
  void theHostThatHasTheVmIsFound() {
    StepVerifier.create(locator(Map.of("a", "x", "b", "web")).locate("web"))
        .assertNext(found -> assertThat(found.host().name()).isEqualTo("b"))
        .verifyComplete();
  }

  @Test
  void aVmNoHostHasIsUnknown() {
    StepVerifier.create(locator(Map.of("a", "x", "b", "y")).locate("web"))
        .expectErrorSatisfies(
            e -> {
              assertThat(((ErrorResponse) e).getStatusCode().value()).isEqualTo(404);
              assertThat(((ErrorResponse) e).getBody().getTitle()).isEqualTo("Unknown VM");
            })
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aVmThatASilentHostMayHaveIsThatHostsFailureNotA404() {
    StepVerifier.create(locator(Map.of("a", offline("a"), "b", "y")).locate("web"))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(LibvirtFailure.class);
              assertThat(((ErrorResponse) e).getStatusCode().value()).isEqualTo(503);
              assertThat(((ErrorResponse) e).getBody().getDetail()).contains("no answer");
            })
        .verify(Duration.ofSeconds(5));
  }
}
