package io.virtflux.operation;

import org.jspecify.annotations.Nullable;

/**
 * Which operations (or their events) a client wants; a null field matches everything.
 *
 * @param host operations whose target includes this host
 */
public record OperationFilter(
    @Nullable String host,
    @Nullable String vm,
    @Nullable OperationKind kind,
    @Nullable Phase phase) {

  public static final OperationFilter ALL = new OperationFilter(null, null, null, null);

  public boolean matches(Operation operation) {
    return (host == null || operation.target().hosts().contains(host))
        && (vm == null || vm.equals(operation.target().vm()))
        && (kind == null || kind == operation.kind())
        && (phase == null || phase == operation.phase());
  }
}
