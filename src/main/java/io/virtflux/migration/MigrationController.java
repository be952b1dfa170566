package io.virtflux.migration;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.virtflux.api.Caller;
import io.virtflux.host.HostNames;
import io.virtflux.operation.OperationResponses;
import io.virtflux.vm.template.SafeNames;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Migrations of a VM to another host, and their dry run. */
@RestController
@Tag(name = "migrations")
class MigrationController {

  static final String EXAMPLE =
      """
      {"destination": "lab-b", "live": true, "mode": "peer-to-peer", "unsafe": true,
       "persistent": true, "bandwidthMiBps": 100, "maxDowntimeMs": 300,
       "timeoutSeconds": 120, "onTimeout": "abort"}
      """;

  private final MigrationService migrations;
  private final MigrationChecker checker;

  MigrationController(MigrationService migrations, MigrationChecker checker) {
    this.migrations = migrations;
    this.checker = checker;
  }

  @PostMapping("/api/v1/vms/{name}/migrations")
  @Operation(
      operationId = "migrateVm",
      summary = "Migrate a VM",
      description =
          "Queues a MIGRATE operation that holds the source and destination lanes. peer-to-peer:"
              + " the source libvirtd migrates to the destination's URI"
              + " (virDomainMigrateToURI3); managed: the service drives both connections"
              + " (virDomainMigrate3). While it runs, the operation's progress is read from"
              + " virDomainGetJobStats every second; DELETE /api/v1/operations/{id} aborts it"
              + " (virDomainAbortJob) and the VM keeps running on the source.")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> migrate(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(examples = @ExampleObject(name = "live", value = EXAMPLE)))
          @Valid
          @RequestBody
          MigrationRequest request,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> migrations.migrate(name, request, caller))
        .map(OperationResponses::accepted);
  }

  @GetMapping("/api/v1/vms/{name}/migrations/check")
  @Operation(
      operationId = "checkMigration",
      summary = "Check a migration (dry run)",
      description =
          "Says whether a live migration to the destination would be allowed now and why not:"
              + " destination unknown, offline or the same host, VM not running, a domain of"
              + " that name on the destination, PCI passthrough devices, and disks that need"
              + " unsafe or copyStorage.")
  Mono<MigrationCheck> check(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      @Parameter(
              description = "The destination host's name",
              schema = @Schema(pattern = HostNames.PATTERN))
          @RequestParam
          String destination) {
    return checker.check(name, destination);
  }
}
