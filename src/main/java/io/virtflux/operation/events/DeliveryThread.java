package io.virtflux.operation.events;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * The thread a subscriber's live events are delivered on, which runs a tail's drain now or a little
 * later, and whether the subscriber's connection takes more. On a server it is the Netty event loop
 * of the subscriber's connection, used directly: a Reactor {@link Scheduler} around it would
 * capture and restore every thread-local of the scheduling thread (context propagation) for each
 * drain, which cost more than the drain itself with a thousand subscribers ({@code dev/bench},
 * "subscribers").
 */
public interface DeliveryThread {

  /** Runs the task as soon as the thread gets to it. */
  void execute(Runnable task);

  /** Runs the task after the delay. */
  void schedule(Runnable task, long delayNanos);

  /** This thread's clock, in nanoseconds. */
  long nanoTime();

  /**
   * Whether the connection takes more now: false while what was written to it waits in its outbound
   * buffer above the high-water mark (a subscriber that does not read). Events then wait in the
   * subscriber's bounded queue, where falling too far behind is noticed, rather than in unbounded
   * buffers.
   */
  boolean writable();

  /** A connection's event loop, and the connection's channel's writability. */
  static DeliveryThread of(Channel channel) {
    EventLoop loop = channel.eventLoop();
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

      @Override
      public boolean writable() {
        return channel.isWritable();
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

      @Override
      public boolean writable() {
        return true;
      }
    };
  }
}
