package io.virtflux.operation.web;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.virtflux.api.Caller;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationFilter;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationPage;
import io.virtflux.operation.OperationResponses;
import io.virtflux.operation.OperationService;
import io.virtflux.operation.Phase;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Operations as resources: list, read, cancel. */
@RestController
@RequestMapping(OperationResponses.PATH)
@Tag(name = "operations")
class OperationController {

  private final OperationService operations;

  OperationController(OperationService operations) {
    this.operations = operations;
  }

  @GetMapping
  @io.swagger.v3.oas.annotations.Operation(
      operationId = "listOperations",
      summary = "List operations",
      description =
          "Operations from the journal, newest first, filtered by host, VM, kind and phase, a page"
              + " at a time.")
  @ApiResponse(responseCode = "200", description = "matching operations, newest first")
  Mono<OperationPage> list(
      @RequestParam(required = false) @Nullable String host,
      @RequestParam(required = false) @Nullable String vm,
      @RequestParam(required = false) @Nullable OperationKind kind,
      @RequestParam(required = false) @Nullable Phase phase,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @Parameter(description = "at most " + OperationPage.MAX_SIZE)
          @RequestParam(defaultValue = "20")
          @Min(1)
          @Max(OperationPage.MAX_SIZE)
          int size) {
    return operations.list(new OperationFilter(host, vm, kind, phase), page, size);
  }

  @GetMapping("/{id}")
  @io.swagger.v3.oas.annotations.Operation(
      operationId = "getOperation",
      summary = "Show an operation",
      description =
          "Its phase (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED), progress, and exactly one of"
              + " result or error (an RFC 9457 problem, with libvirt's code and message when"
              + " libvirt refused). An operation survives a restart of the service: a RUNNING one"
              + " is checked on its host and ends (result.reconciledAfterRestart, or the problem"
              + " \"Service restarted\"); a QUEUED one keeps its id and runs on the new process"
              + " (or ends CANCELLED \"Interrupted by restart\" when"
              + " virtflux.operations.on-restart.queued is cancel).")
  @ApiResponse(responseCode = "200", description = "the operation")
  @ApiResponse(responseCode = "404", description = "no such operation")
  Mono<Operation> get(@PathVariable String id) {
    return operations.find(id);
  }

  @DeleteMapping("/{id}")
  @io.swagger.v3.oas.annotations.Operation(
      operationId = "cancelOperation",
      summary = "Cancel an operation",
      description =
          "A QUEUED operation ends CANCELLED at once. A RUNNING migration is aborted"
              + " (virDomainAbortJob) and ends CANCELLED; other running kinds can't be"
              + " interrupted safely and answer 409.")
  @ApiResponse(responseCode = "200", description = "the QUEUED operation is now CANCELLED")
  @ApiResponse(
      responseCode = "202",
      description =
          "the RUNNING operation is aborting; it ends CANCELLED (watch its events); Location: the"
              + " operation")
  @ApiResponse(responseCode = "404", description = "no such operation")
  @ApiResponse(
      responseCode = "409",
      description = "the operation already ended, or its kind cannot be aborted while running")
  Mono<ResponseEntity<Operation>> cancel(@PathVariable String id, ServerWebExchange exchange) {
    return Caller.of(exchange)
        .map(Caller::name)
        .flatMap(principal -> operations.cancel(id, principal))
        .map(
            operation ->
                operation.phase() == Phase.CANCELLED
                    ? ResponseEntity.ok(operation)
                    : OperationResponses.accepted(operation));
  }
}
