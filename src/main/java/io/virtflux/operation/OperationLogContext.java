package io.virtflux.operation;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.util.context.Context;

/**
 * Puts an operation's id, kind, VM and host on every log line written while its work runs,
 * whichever thread that is (event loop, libvirt scheduler, timers): the fields ride in the Reactor
 * context and Micrometer's context propagation copies them into SLF4J's MDC at each thread hop.
 * With structured logging ({@code logging.structured.format.console}) they become JSON fields.
 */
final class OperationLogContext {

  static final String OPERATION_ID = "operationId";
  static final String KIND = "operationKind";
  static final String HOST = "host";
  static final String VM = "vm";

  static {
    // Reactor's automatic propagation itself is on from start-up
    // (spring.reactor.context-propagation=auto); these are the MDC keys it carries
    ContextRegistry.getInstance()
        .registerThreadLocalAccessor(new Slf4jThreadLocalAccessor(OPERATION_ID, KIND, HOST, VM));
  }

  private OperationLogContext() {}

  /** The Reactor context that carries {@code op}'s log fields. */
  static Context of(Operation op) {
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put(OPERATION_ID, op.id());
    mdc.put(KIND, op.kind().name());
    mdc.put(HOST, String.join(",", op.target().hosts()));
    if (op.target().vm() != null) {
      mdc.put(VM, op.target().vm());
    }
    return Context.of(Slf4jThreadLocalAccessor.KEY, Map.copyOf(mdc));
  }
}
