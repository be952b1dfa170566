package io.virtflux.vm;

import io.virtflux.api.Caller;
import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.operation.Operation;
import io.virtflux.operation.Operations;
import io.virtflux.vm.template.DatastorePaths;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Accepts what is done to an existing VM: lifecycle actions, its removal and its import. Each is
 * submitted as a command on the VM's current host ({@link VmLocator}); its handler ({@link
 * LifecycleActions}, {@link VmRemoval}, {@link VmImport}) checks it before it is queued and again
 * when it runs.
 */
@Service
class VmActions {

  private final VmLocator locator;
  private final Operations operations;

  VmActions(VmLocator locator, Operations operations) {
    this.locator = locator;
    this.operations = operations;
  }

  /**
   * Queues a lifecycle action on the VM's current host; SAVE and RESTORE with their state file
   * resolved now ({@code path}, or the default under the host's first datastore).
   */
  Mono<Operation> act(String vm, LifecycleAction action, @Nullable String path, Caller caller) {
    return locator
        .locate(vm)
        .flatMap(
            found -> {
              Host host = found.host();
              String statePath =
                  action == LifecycleAction.SAVE || action == LifecycleAction.RESTORE
                      ? statePath(host, vm, path)
                      : null;
              return operations.submit(
                  new LifecycleActions.Lifecycle(host.name(), vm, action, statePath),
                  caller.idempotencyKey(),
                  caller.name());
            });
  }

  /**
   * The save file: the caller's, if it lies under one of the host's datastores, else {@code <first
   * datastore>/<vm>.save}.
   */
  private static String statePath(Host host, String vm, @Nullable String requested) {
    if (requested == null || requested.isBlank()) {
      if (host.datastores().isEmpty()) {
        throw Problems.of(
            HttpStatus.CONFLICT,
            "No datastore",
            "host '" + host.name() + "' has no datastore to save to: give a path");
      }
      return host.datastores().get(0).resolve(vm + ".save").toString();
    }
    String problem = DatastorePaths.problem(requested, host.datastores());
    if (problem != null) {
      throw Problems.invalid(
          "path " + problem, List.of(Map.of("field", "path", "message", problem)));
    }
    return requested;
  }

  /** Queues the VM's removal (DESTROY): destroyed when it runs, then undefined. */
  Mono<Operation> remove(String vm, Caller caller) {
    return locator
        .locate(vm)
        .flatMap(
            found ->
                operations.submit(
                    new VmRemoval.Removal(found.host().name(), vm),
                    caller.idempotencyKey(),
                    caller.name()));
  }

  /** Queues the IMPORT of a VM created elsewhere, which makes it managed. */
  Mono<Operation> importVm(String vm, Caller caller) {
    return locator
        .locate(vm)
        .flatMap(
            found ->
                operations.submit(
                    new VmImport.Import(found.host().name(), vm, caller.name()),
                    caller.idempotencyKey(),
                    caller.name()));
  }
}
