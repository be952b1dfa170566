package io.virtflux.operation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an operation acts on: a VM (when there is one) and the hosts whose lanes it occupies. A
 * migration names two hosts; it holds both lanes for its whole run.
 */
public record OperationTarget(@Nullable String vm, List<String> hosts) {

  public OperationTarget {
    hosts = List.copyOf(hosts);
  }

  public static OperationTarget vmOn(String vm, String host) {
    return new OperationTarget(vm, List.of(host));
  }

  public static OperationTarget host(String host) {
    return new OperationTarget(null, List.of(host));
  }
}
