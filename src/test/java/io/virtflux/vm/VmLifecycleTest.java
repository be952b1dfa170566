package io.virtflux.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.host.Host;
import io.virtflux.host.HostConfig;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostsProperties;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.HostRef;
import io.virtflux.libvirt.UnsupportedGateway;
import io.virtflux.libvirt.VmState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponse;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The shutdown rules of OpenNebula's KVM driver guide, as pure logic over a fake gateway (the real
 * ACPI shutdown is proven against a real host in DeployLifecycleIT): SHUTDOWN_TIMEOUT,
 * FORCE_DESTROY, CANCEL_NO_ACPI.
 */
class VmLifecycleTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A guest that powers off after {@code offAfterPolls} state reads, or never (-1). */
  static final class FakeGateway extends UnsupportedGateway {
    final List<DomainAction> actions = new CopyOnWriteArrayList<>();
    final int offAfterPolls;
    final Duration readTakes;
    int polls;

    FakeGateway(int offAfterPolls) {
      this(offAfterPolls, Duration.ZERO);
    }

    FakeGateway(int offAfterPolls, Duration readTakes) {
      this.offAfterPolls = offAfterPolls;
      this.readTakes = readTakes;
    }

    @Override
    public Mono<Void> act(HostRef host, String vm, DomainAction action) {
      return Mono.fromRunnable(() -> actions.add(action));
    }

    @Override
    public Mono<DomainStatus> status(HostRef host, String vm) {
      Mono<Long> busy = readTakes.isZero() ? Mono.just(0L) : Mono.delay(readTakes);
      return busy.then(
          Mono.fromSupplier(
              () -> {
                polls++;
                boolean off =
                    actions.contains(DomainAction.DESTROY)
                        || (offAfterPolls >= 0 && polls > offAfterPolls);
                return new DomainStatus(
                    vm, "u", off ? VmState.SHUTOFF : VmState.RUNNING, 1, 1024, true, false, true);
              }));
    }
  }

  private static final Host HOST =
      new HostRegistry(
              new HostsProperties(
                  List.of(
                      new HostConfig(
                          "h", "test:///default", null, null, null, null, null, null, null)),
                  List.of("/ds"),
                  1,
                  Duration.ZERO))
          .require("h");

  private static VmLifecycle lifecycle(FakeGateway g, boolean forceDestroy, boolean cancelNoAcpi) {
    return new VmLifecycle(
        g, new LifecycleProperties(TIMEOUT, forceDestroy, cancelNoAcpi, Duration.ofMillis(250)));
  }

  @Test
  void aGuestThatPowersOffEndsTheShutdownWithoutDestroy() {
    FakeGateway g = new FakeGateway(3);
    StepVerifier.withVirtualTime(() -> lifecycle(g, false, false).shutdown(HOST, "vm", true))
        .thenAwait(Duration.ofSeconds(2))
        .assertNext(r -> assertThat(r.action()).isEqualTo("acpi shutdown"))
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    assertThat(g.actions).containsExactly(DomainAction.SHUTDOWN);
  }

  @Test
  void aHostSlowerToAnswerThanThePollIntervalOnlyDelaysThePolls() {
    // a loaded libvirtd: each state read takes 1 s, four poll intervals. Ticks that come while a
    // read runs are skipped, not an error ("could not emit tick") that failed the shutdown
    FakeGateway g = new FakeGateway(3, Duration.ofSeconds(1));
    StepVerifier.withVirtualTime(() -> lifecycle(g, false, false).shutdown(HOST, "vm", true))
        .thenAwait(Duration.ofSeconds(10))
        .assertNext(r -> assertThat(r.action()).isEqualTo("acpi shutdown"))
        .expectComplete()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void aGuestThatIgnoresAcpiFailsAfterTheTimeoutWhenForceDestroyIsOff() {
    FakeGateway g = new FakeGateway(-1);
    StepVerifier.withVirtualTime(() -> lifecycle(g, false, false).shutdown(HOST, "vm", true))
        .expectSubscription()
        .expectNoEvent(TIMEOUT.minusSeconds(1))
        .thenAwait(Duration.ofSeconds(2))
        .expectErrorSatisfies(
            e -> {
              assertThat(((ErrorResponse) e).getStatusCode().value()).isEqualTo(504);
              assertThat(((ErrorResponse) e).getBody().getTitle()).isEqualTo("Shutdown timed out");
            })
        .verify(Duration.ofSeconds(10));
    assertThat(g.actions).containsExactly(DomainAction.SHUTDOWN);
  }

  @Test
  void forceDestroyPullsThePlugAfterTheTimeout() {
    FakeGateway g = new FakeGateway(-1);
    StepVerifier.withVirtualTime(() -> lifecycle(g, true, false).shutdown(HOST, "vm", true))
        .thenAwait(TIMEOUT.plusSeconds(1))
        .assertNext(
            r -> {
              assertThat(r.state()).isEqualTo("SHUTOFF");
              assertThat(r.action()).contains("forceDestroy");
            })
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    assertThat(g.actions).containsExactly(DomainAction.SHUTDOWN, DomainAction.DESTROY);
  }

  @Test
  void cancelNoAcpiDestroysAVmWithoutAcpiAtOnce() {
    FakeGateway g = new FakeGateway(-1);
    StepVerifier.create(lifecycle(g, false, true).shutdown(HOST, "vm", false))
        .assertNext(r -> assertThat(r.action()).contains("no ACPI"))
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    assertThat(g.actions).containsExactly(DomainAction.DESTROY);
  }

  @Test
  void withoutCancelNoAcpiAVmWithoutAcpiStillGetsTheShutdownRequest() {
    FakeGateway g = new FakeGateway(1);
    StepVerifier.withVirtualTime(() -> lifecycle(g, false, false).shutdown(HOST, "vm", false))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(1)
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    assertThat(g.actions).containsExactly(DomainAction.SHUTDOWN);
  }
}
