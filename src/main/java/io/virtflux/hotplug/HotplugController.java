package io.virtflux.hotplug;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.virtflux.api.Caller;
import io.virtflux.operation.OperationResponses;
import io.virtflux.vm.template.SafeNames;
import io.virtflux.vm.template.VmTemplate;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Disk and NIC hotplug and cdrom media changes, each an operation on the VM's host lane. */
@RestController
@Tag(name = "hotplug")
class HotplugController {

  static final String VIRTIO_DISK =
      """
      {"source": "/var/lib/virtflux-lab/datastore/data.img", "devPrefix": "vd"}
      """;

  static final String SCSI_DISK =
      """
      {"source": "/var/lib/one/datastores/0/web-1/disk.2", "driver": "qcow2", "target": "sdc",
       "cache": "writeback", "discard": "unmap",
       "iotune": {"totalBytesSec": 104857600, "totalIopsSec": 2000}}
      """;

  static final String CDROM =
      """
      {"source": "/var/lib/one/datastores/0/web-1/context.iso", "type": "cdrom"}
      """;

  static final String USER_NIC =
      """
      {"type": "user", "model": "virtio"}
      """;

  static final String BRIDGE_NIC =
      """
      {"type": "bridge", "source": "br0", "model": "virtio", "filter": "clean-traffic",
       "bandwidth": {"inbound": {"average": 12800, "peak": 25600, "burst": 1024},
                     "outbound": {"average": 12800}}}
      """;

  private static final String LIVE_ONLY =
      "Change only the running domain, not its persistent definition: the change is gone after the"
          + " next shutdown. By default a running persistent VM gets both, and a shut-off VM its"
          + " definition.";

  private final HotplugService hotplug;

  HotplugController(HotplugService hotplug) {
    this.hotplug = hotplug;
  }

  @PostMapping(path = "/api/v1/vms/{name}/disks", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "attachDisk",
      summary = "Attach a disk",
      description =
          "Queues an ATTACH_DISK operation: virDomainAttachDeviceFlags with a <disk> built by the"
              + " template's disk rules. The bus follows devPrefix (sd = SCSI, the default; vd ="
              + " virtio; hd = IDE, which QEMU can't hotplug, so it is refused for a running VM);"
              + " without a target the next free one of the prefix is taken from the VM's XML (vdb"
              + " after vda). A disk without cache gets defaultAttachCache. The source must lie"
              + " under one of the host's datastores; a missing file fails the operation with"
              + " libvirt's message.")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> attachDisk(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      examples = {
                        @ExampleObject(
                            name = "virtio disk, next free vd target",
                            value = VIRTIO_DISK),
                        @ExampleObject(name = "SCSI disk with I/O limits", value = SCSI_DISK),
                        @ExampleObject(name = "cdrom", value = CDROM)
                      }))
          @Valid
          @RequestBody
          VmTemplate.Disk disk,
      @Parameter(description = LIVE_ONLY) @RequestParam(defaultValue = "false") boolean liveOnly,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> hotplug.attachDisk(name, disk, liveOnly, caller))
        .map(OperationResponses::accepted);
  }

  @DeleteMapping("/api/v1/vms/{name}/disks/{target}")
  @Operation(
      operationId = "detachDisk",
      summary = "Detach a disk",
      description =
          "Queues a DETACH_DISK operation: virDomainDetachDeviceFlags, then waits until the disk is"
              + " gone from the live domain XML (libvirt reports success before the guest has let"
              + " go). It stays RUNNING while the guest holds the disk and FAILS with 'Device not"
              + " released' after virtflux.hotplug.detach-timeout.")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> detachDisk(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      @Parameter(description = "The disk's target device, e.g. vdb or sdc") @PathVariable
          String target,
      @Parameter(description = LIVE_ONLY) @RequestParam(defaultValue = "false") boolean liveOnly,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> hotplug.detachDisk(name, target, liveOnly, caller))
        .map(OperationResponses::accepted);
  }

  @PutMapping(
      path = "/api/v1/vms/{name}/disks/{target}/media",
      consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "changeMedia",
      summary = "Change or eject a cdrom's medium",
      description =
          "Queues a CHANGE_MEDIA operation: virDomainUpdateDeviceFlags (with FORCE, like virsh"
              + " change-media --force) on a cdrom or floppy drive. {\"source\": path} inserts an"
              + " image from a datastore, {} ejects.")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> changeMedia(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      @PathVariable String target,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      examples = {
                        @ExampleObject(
                            name = "insert",
                            value = "{\"source\": \"/var/lib/one/datastores/0/install.iso\"}"),
                        @ExampleObject(name = "eject", value = "{}")
                      }))
          @Valid
          @RequestBody(required = false)
          @Nullable MediaRequest media,
      @Parameter(description = LIVE_ONLY) @RequestParam(defaultValue = "false") boolean liveOnly,
      ServerWebExchange exchange) {
    String source = media == null ? null : media.source();
    return Caller.of(exchange)
        .flatMap(caller -> hotplug.changeMedia(name, target, source, liveOnly, caller))
        .map(OperationResponses::accepted);
  }

  @PostMapping(path = "/api/v1/vms/{name}/nics", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "attachNic",
      summary = "Attach a NIC",
      description =
          "Queues an ATTACH_NIC operation: virDomainAttachDeviceFlags with an <interface> built by"
              + " the template's NIC rules. Without a mac one is generated (52:54:00:xx:xx:xx) and"
              + " returned in the operation's result. A script must be on"
              + " virtflux.vm.policy.nic-scripts; filter becomes <filterref> (e.g."
              + " clean-traffic).")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> attachNic(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      examples = {
                        @ExampleObject(name = "user networking", value = USER_NIC),
                        @ExampleObject(name = "bridge, filter, bandwidth", value = BRIDGE_NIC)
                      }))
          @Valid
          @RequestBody
          VmTemplate.Nic nic,
      @Parameter(description = LIVE_ONLY) @RequestParam(defaultValue = "false") boolean liveOnly,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> hotplug.attachNic(name, nic, liveOnly, caller))
        .map(OperationResponses::accepted);
  }

  @DeleteMapping("/api/v1/vms/{name}/nics/{mac}")
  @Operation(
      operationId = "detachNic",
      summary = "Detach a NIC",
      description =
          "Queues a DETACH_NIC operation: virDomainDetachDeviceFlags, then waits until the NIC is"
              + " gone from the live domain XML, as for disks.")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> detachNic(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      @Parameter(
              description = "The NIC's MAC address, e.g. 52:54:00:12:34:56",
              schema = @Schema(pattern = "^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$"))
          @PathVariable
          String mac,
      @Parameter(description = LIVE_ONLY) @RequestParam(defaultValue = "false") boolean liveOnly,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> hotplug.detachNic(name, mac, liveOnly, caller))
        .map(OperationResponses::accepted);
  }
}
