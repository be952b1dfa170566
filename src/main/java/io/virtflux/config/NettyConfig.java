package io.virtflux.config;

import io.netty.handler.flush.FlushConsolidationHandler;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP server's connections.
 *
 * <p>Flushes are consolidated: an SSE stream flushes after every event, and a thousand streams each
 * flushing every event cost a socket write per event per stream. Consolidated, the writes queued on
 * a connection in one event-loop turn go out in one syscall ({@code dev/bench}, "subscribers").
 */
@Configuration(proxyBeanMethods = false)
class NettyConfig {

  /** Flushes after this many writes at the latest, else at the end of the event-loop turn. */
  private static final int FLUSH_AFTER = 64;

  @Bean
  NettyServerCustomizer flushConsolidation() {
    return server ->
        server.doOnConnection(
            connection ->
                connection.addHandlerFirst(
                    "virtflux.flushConsolidation",
                    new FlushConsolidationHandler(FLUSH_AFTER, true)));
  }
}
