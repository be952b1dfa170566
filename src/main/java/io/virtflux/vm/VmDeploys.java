package io.virtflux.vm;

import io.virtflux.api.Caller;
import io.virtflux.api.Problems;
import io.virtflux.host.MemoryPromises;
import io.virtflux.operation.MemoryClaim;
import io.virtflux.operation.NoMemory;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationRequest;
import io.virtflux.operation.OperationTarget;
import io.virtflux.operation.Operations;
import io.virtflux.pci.PciMatch;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * Accepts deploys: chooses the host (the one named, or by {@link Placement}), promises the VM's
 * memory there and submits a DEPLOY command, which {@link VmDeployer} checks (template, name, PCI
 * devices) before anything is queued (a 4xx at once) and runs in the host's lane. A repeated
 * request (same Idempotency-Key) returns the first operation.
 */
@Service
class VmDeploys {

  /** How many times a deploy is placed when the journal refuses the host it was placed on. */
  private static final int PLACEMENTS = 3;

  private final Operations operations;
  private final DeployPlanner planner;
  private final DeployPromises promises;

  VmDeploys(Operations operations, DeployPlanner planner, DeployPromises promises) {
    this.operations = operations;
    this.planner = planner;
    this.promises = promises;
  }

  /**
   * Queues a DEPLOY of {@code request}. The VM's memory is promised on the host until the deploy
   * ends (see {@link MemoryPromises}): placement refuses a host without the memory, counting these
   * promises. A deploy to a host the caller named is not refused for memory (the caller chose; as
   * OpenNebula's {@code onevm deploy} without {@code --enforce}), but its promise counts for the
   * placed ones.
   */
  Mono<Operation> deploy(DeployRequest request, Caller caller) {
    // answered before placement: a repeated request (same key, same body) is the same request
    // whichever host placement would choose now, and the first one's VM takes the name
    String vm = request.template().name();
    OperationTarget target =
        request.host() == null
            ? new OperationTarget(vm, List.of())
            : OperationTarget.vmOn(vm, request.host());
    OperationRequest first =
        new OperationRequest(OperationKind.DEPLOY, target, caller.idempotencyKey(), caller.name());
    return operations.earlier(first).switchIfEmpty(Mono.defer(() -> submit(request, caller)));
  }

  private Mono<Operation> submit(DeployRequest request, Caller caller) {
    return submit(request, caller, 1);
  }

  /**
   * Places the deploy and submits it. With several replicas the journal may refuse the placed host
   * ({@link NoMemory}: other deploys took its memory since the placement read the figures): it is
   * placed again with the figures as they are now, a few times, then refused as no host fitting.
   */
  private Mono<Operation> submit(DeployRequest request, Caller caller, int attempt) {
    List<PciMatch> pci = DeployPlanner.pciRequests(request.template());
    long memoryMiB = request.template().memory();
    return planner
        .host(request)
        .flatMap(
            placed -> {
              VmDeployer.Deploy deploy =
                  new VmDeployer.Deploy(
                      placed.host().name(),
                      request.template(),
                      DeployPlanner.roleOf(caller),
                      pci,
                      placed.explanation(),
                      caller.name());
              if (placed.promise() != null) {
                promises.hold(deploy, placed.promise());
              } else {
                promises.promiseAnyway(deploy);
              }
              // from here the operation's end (or its refusal) ends the promise: VmDeployer.ended
              MemoryClaim claim =
                  placed.claim() != null ? placed.claim() : MemoryClaim.named(memoryMiB);
              return operations
                  .submit(deploy, caller.idempotencyKey(), caller.name(), claim)
                  .onErrorResume(
                      NoMemory.class,
                      full ->
                          attempt < PLACEMENTS
                              ? submit(request, caller, attempt + 1)
                              : Mono.error(noHost(full)));
            });
  }

  private static ErrorResponseException noHost(NoMemory full) {
    return Problems.of(
        HttpStatus.CONFLICT, "No host fits", "no host can take the VM: " + full.getMessage());
  }
}
