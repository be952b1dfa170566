package io.virtflux.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** libvirt's event loop keeps running: one that ends with an error is started again. */
class LibvirtEventLoopTest {

  @Test
  void aLoopThatFailsIsStartedAgainUntilTheThreadIsInterrupted() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(1);
    Thread loop =
        new Thread(
            () ->
                LibvirtEventLoop.runUntilInterrupted(
                    () -> {
                      if (runs.incrementAndGet() < 3) {
                        throw new IllegalStateException("boom " + runs.get());
                      }
                      third.countDown();
                      // a healthy loop: runs until interrupted
                      Thread.sleep(Long.MAX_VALUE);
                    }));
    loop.start();

    assertThat(third.await(10, TimeUnit.SECONDS)).as("started a third time").isTrue();
    loop.interrupt();
    loop.join(10_000);
    assertThat(loop.isAlive()).isFalse();
    assertThat(runs.get()).isEqualTo(3);
  }
}
