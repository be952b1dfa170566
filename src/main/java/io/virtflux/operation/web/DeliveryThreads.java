package io.virtflux.operation.web;

import io.virtflux.operation.events.DeliveryThread;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The thread an event stream's live events are delivered on: the event loop of the stream's own
 * connection. Every write to a Netty channel runs on its event loop, so delivering there saves the
 * second thread hop a shared pool would add (writer → pool → event loop), which costs more than the
 * delivery itself on this kind of machine ({@code dev/bench}, "subscribers"). Outside Netty (tests
 * bound to a mock server) it is Reactor's parallel scheduler.
 */
final class DeliveryThreads {

  private static final DeliveryThread PARALLEL = DeliveryThread.of(Schedulers.parallel());

  private DeliveryThreads() {}

  static DeliveryThread of(ServerWebExchange exchange) {
    if (nativeRequest(exchange.getRequest()) instanceof Connection connection) {
      return DeliveryThread.of(connection.channel());
    }
    return PARALLEL;
  }

  private static @Nullable Object nativeRequest(ServerHttpRequest request) {
    try {
      return ServerHttpRequestDecorator.getNativeRequest(request);
    } catch (IllegalStateException mock) {
      // a mock request (WebTestClient bound to the application) has none
      return null;
    }
  }
}
