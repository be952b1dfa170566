package io.virtflux.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.SilentListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

/**
 * The invariant that keeps libvirt 9.0's client from crashing the JVM: no two calls are ever inside
 * one connection at the same time (see {@link HostConnection}). Against libvirt's in-process test
 * driver, through the real library.
 */
class HostConnectionTest {

  private static final int AT_ONCE = 4;
  private static final int KEPT_IDLE = 2;
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

  private final List<String> losses = new CopyOnWriteArrayList<>();
  private final ExecutorService notifier =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "loss-notifier"));
  private final HostConnection host =
      new HostConnection(
          new HostRef("t", "test:///default"),
          new LibvirtProperties(AT_ONCE, 100, 5, 3, KEPT_IDLE, CONNECT_TIMEOUT, true),
          (name, reason) -> losses.add(Thread.currentThread().getName() + ": " + reason),
          notifier,
          (name, vm, event, detail) -> {},
          // pooled as a remote host is: test:///default keeps one state for all its connections
          false);
  private final ExecutorService threads = Executors.newFixedThreadPool(AT_ONCE);

  @AfterEach
  void close() {
    threads.shutdownNow();
    notifier.shutdownNow();
    host.close();
  }

  @Test
  void aHostThatAcceptsButNeverAnswersIsOfflineWithinTheConnectTimeoutAndHoldsOneThread()
      throws Exception {
    try (SilentListener silent = new SilentListener()) {
      HostConnection blackhole =
          new HostConnection(
              new HostRef("silent", silent.uri()),
              new LibvirtProperties(AT_ONCE, 100, 5, 3, KEPT_IDLE, CONNECT_TIMEOUT, true),
              (name, reason) -> {},
              Runnable::run,
              (name, vm, event, detail) -> {});
      try {
        long start = System.nanoTime();
        LibvirtFailure first = callFailing(blackhole);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(first.hostOffline()).isTrue();
        assertThat(first.getBody().getDetail()).contains("no answer to connect within 500 ms");
        assertThat(took).isLessThan(CONNECT_TIMEOUT.multipliedBy(4));

        // later calls (probes, operations) fail at once and open nothing more
        start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
          assertThat(callFailing(blackhole).getBody().getDetail()).contains("still waits");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CONNECT_TIMEOUT);
        assertThat(silent.accepted()).isEqualTo(1);
      } finally {
        blackhole.dispose();
      }
    }
  }

  private static LibvirtFailure callFailing(HostConnection on) {
    try {
      on.call(c -> c.getLibVersion());
    } catch (LibvirtFailure expected) {
      return expected;
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void aConnectionClosedWhileACallIsInsideIsReleasedWhenTheCallReturnsNotKeptIdle()
      throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Future<Connect> call =
        threads.submit(
            () ->
                host.call(
                    c -> {
                      inside.countDown();
                      assertThat(awaitQuietly(closed)).isTrue();
                      return c;
                    }));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    host.close();
    closed.countDown();
    Connect used = call.get(10, TimeUnit.SECONDS);

    assertThat(isOpen(used)).as("the connection close() marked while a call was inside").isFalse();
    Connect next = host.call(c -> c);
    assertThat(next).isNotSameAs(used);
  }

  @Test
  void aLostConnectionIsReportedOffTheCallingThreadAndNeverReused() throws Exception {
    Connect lost =
        threads
            .submit(
                () -> {
                  try {
                    return host.call(
                        c -> {
                          // what a dead daemon leaves: a connection libvirt no longer counts open
                          c.close();
                          c.getLibVersion();
                          return c;
                        });
                  } catch (LibvirtFailure expected) {
                    assertThat(expected.hostOffline()).as("%s", expected).isTrue();
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    assertThat(lost).isNull();
    notifier.submit(() -> {}).get(10, TimeUnit.SECONDS);

    assertThat(losses).singleElement().asString().startsWith("loss-notifier: ");
    Connect next = host.call(c -> c);
    assertThat(isOpen(next)).isTrue();
  }

  @Test
  void callsInsideAtTheSameTimeEachHaveAConnectionOfTheirOwn() throws Exception {
    List<Connect> used = connectionsOfOverlappingCalls(host);

    assertThat(identitySet(used)).hasSize(AT_ONCE);
    // afterwards only KEPT_IDLE stay open, and the next calls reuse them
    Set<Connect> reused = identitySet(List.of());
    for (int i = 0; i < AT_ONCE; i++) {
      reused.add(host.call(c -> c));
    }
    assertThat(reused).hasSize(1);
    assertThat(used).anyMatch(c -> c == reused.iterator().next());
    assertThat(used.stream().filter(c -> isOpen(c)).count()).isEqualTo(KEPT_IDLE);
  }

  @Test
  void anInProcessHostSharesOneConnectionForEveryCall() throws Exception {
    HostConnection testDriver =
        new HostConnection(
            new HostRef("f", "test:///default"),
            new LibvirtProperties(AT_ONCE, 100, 5, 3, KEPT_IDLE, CONNECT_TIMEOUT, true),
            (name, reason) -> {},
            Runnable::run,
            (name, vm, event, detail) -> {});
    try {
      // one connection, so one state even for a file-backed test driver (a state per connection)
      assertThat(identitySet(connectionsOfOverlappingCalls(testDriver))).hasSize(1);
    } finally {
      testDriver.close();
    }
  }

  /** Runs AT_ONCE calls that all stay inside until every one is, and returns their connections. */
  private List<Connect> connectionsOfOverlappingCalls(HostConnection on) throws Exception {
    CountDownLatch allInside = new CountDownLatch(AT_ONCE);
    List<Future<Connect>> calls = new ArrayList<>();
    for (int i = 0; i < AT_ONCE; i++) {
      calls.add(
          threads.submit(
              () ->
                  on.call(
                      c -> {
                        c.getLibVersion();
                        allInside.countDown();
                        assertThat(awaitQuietly(allInside)).isTrue();
                        return c;
                      })));
    }
    List<Connect> used = new ArrayList<>();
    for (Future<Connect> call : calls) {
      used.add(call.get(20, TimeUnit.SECONDS));
    }
    return used;
  }

  /** By identity: libvirt-java's Connect.equals compares URIs. */
  private static Set<Connect> identitySet(List<Connect> connections) {
    Set<Connect> set = Collections.newSetFromMap(new IdentityHashMap<>());
    set.addAll(connections);
    return set;
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean isOpen(Connect c) {
    try {
      return c.isConnected();
    } catch (org.libvirt.LibvirtException closed) {
      return false;
    }
  }
}
