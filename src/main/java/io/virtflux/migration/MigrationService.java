package io.virtflux.migration;

import io.virtflux.api.Caller;
import io.virtflux.operation.Operation;
import io.virtflux.operation.Operations;
import io.virtflux.vm.VmLocator;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Accepts migrations: finds the VM's host, refuses what the request itself gets wrong, and submits
 * a {@link Migrate} for {@link MigrationHandler} to check and run.
 */
@Service
public class MigrationService {

  private final Operations operations;
  private final VmLocator locator;

  MigrationService(Operations operations, VmLocator locator) {
    this.operations = operations;
    this.locator = locator;
  }

  /**
   * Queues a MIGRATE operation of {@code vm} from the host it is on now; what the hosts must allow
   * (409/422) is checked by the pipeline before it is queued.
   */
  public Mono<Operation> migrate(String vm, MigrationRequest request, Caller caller) {
    return locator
        .locate(vm)
        .flatMap(
            found -> {
              MigrationPreconditions.requireStorageCopyForDiskPaths(request);
              return operations.submit(
                  new Migrate(vm, found.host().name(), request.destination(), request),
                  caller.idempotencyKey(),
                  caller.name());
            });
  }
}
