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

  /**
   * An operation event when its operation matches; a VM event when its host and VM match and no
   * kind or phase is asked for (VM events have neither); a host event when its host matches and no
   * VM, kind or phase is asked for.
   */
  boolean matches(JournalEvent event) {
    if (event.operation() != null) {
      return matches(event.operation());
    }
    HostEvent h = event.hostEvent();
    if (h != null) {
      return kind == null && phase == null && vm == null && (host == null || host.equals(h.host()));
    }
    VmEvent e = event.vm();
    return e != null
        && kind == null
        && phase == null
        && (host == null || host.equals(e.host()))
        && (vm == null || vm.equals(e.vm()));
  }

  public boolean matches(Operation operation) {
    return (host == null || operation.target().hosts().contains(host))
        && (vm == null || vm.equals(operation.target().vm()))
        && (kind == null || kind == operation.kind())
        && (phase == null || phase == operation.phase());
  }
}
