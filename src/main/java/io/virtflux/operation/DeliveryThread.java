package io.virtflux.operation;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * The thread a subscriber's live events are delivered on, which runs a tail's drain now or a little
 * later. On a server it is the Netty event loop of the subscriber's connection, used directly: a
 * Reactor {@link Scheduler} around it would capture and restore every thread-local of the
 * scheduling thread (context propagation) for each drain, which cost more than the drain itself
 * with a thousand subscribers ({@code dev/bench}, "subscribers").
 */
interface DeliveryThread {

  /** Runs the task as soon as the thread gets to it. */
  void execute(Runnable task);

  /** Runs the task after the delay. */
  void schedule(Runnable task, long delayNanos);

  /** This thread's clock, in nanoseconds. */
  long nanoTime();

  /** A connection's event loop. */
  static DeliveryThread of(EventLoop loop) {
    return new DeliveryThread() {
      @Override
      public void execute(Runnable task) {
        loop.execute(task);
      }

      @Override
      public void schedule(Runnable task, long delayNanos) {
        loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }
    };
  }

  /** A Reactor scheduler: where there is no connection (mock requests), and in tests. */
  static DeliveryThread of(Scheduler scheduler) {
    return new DeliveryThread() {
      @Override
      public void execute(Runnable task) {
        scheduler.schedule(task);
      }

      @Override
      public void schedule(Runnable task, long delayNanos) {
        scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public long nanoTime() {
        return scheduler.now(TimeUnit.NANOSECONDS);
      }
    };
  }
}
