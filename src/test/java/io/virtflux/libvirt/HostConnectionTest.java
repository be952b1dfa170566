package io.virtflux.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
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

  private final HostConnection host =
      new HostConnection(
          new HostRef("t", "test:///default"),
          new LibvirtProperties(AT_ONCE, 100, 5, 3, KEPT_IDLE),
          (name, reason) -> {},
          (name, vm, event, detail) -> {},
          // pooled as a remote host is: test:///default keeps one state for all its connections
          false);
  private final ExecutorService threads = Executors.newFixedThreadPool(AT_ONCE);

  @AfterEach
  void close() {
    threads.shutdownNow();
    host.close();
  }

  @Test
  void callsInsideAtTheSameTimeEachHaveAConnectionOfTheirOwn() throws Exception {
    // by identity: libvirt-java's Connect.equals compares URIs
    Set<Connect> inside = identitySet();
    CountDownLatch allInside = new CountDownLatch(AT_ONCE);
    List<Future<Connect>> calls = new ArrayList<>();
    for (int i = 0; i < AT_ONCE; i++) {
      calls.add(
          threads.submit(
              () ->
                  host.call(
                      c -> {
                        c.getLibVersion();
                        inside.add(c);
                        allInside.countDown();
                        // stay inside until every call is: they overlap for sure
                        assertThat(awaitQuietly(allInside)).isTrue();
                        return c;
                      })));
    }
    List<Connect> used = new ArrayList<>();
    for (Future<Connect> call : calls) {
      used.add(call.get(20, TimeUnit.SECONDS));
    }

    assertThat(inside).hasSize(AT_ONCE);
    // afterwards only KEPT_IDLE stay open, and the next calls reuse them
    Set<Connect> reused = identitySet();
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
            new LibvirtProperties(AT_ONCE, 100, 5, 3, KEPT_IDLE),
            (name, reason) -> {},
            (name, vm, event, detail) -> {});
    try {
      Set<Connect> inside = identitySet();
      CountDownLatch allInside = new CountDownLatch(AT_ONCE);
      List<Future<Object>> calls = new ArrayList<>();
      for (int i = 0; i < AT_ONCE; i++) {
        calls.add(
            threads.submit(
                () ->
                    testDriver.call(
                        c -> {
                          inside.add(c);
                          allInside.countDown();
                          return awaitQuietly(allInside);
                        })));
      }
      for (Future<Object> call : calls) {
        assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo(true);
      }
      // a file-backed test driver keeps a state per connection: one connection, one state
      assertThat(inside).hasSize(1);
    } finally {
      testDriver.close();
    }
  }

  private static Set<Connect> identitySet() {
    return Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
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
