package io.virtflux.vm;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.virtflux.api.Caller;
import io.virtflux.host.HostNames;
import io.virtflux.operation.OperationResponses;
import io.virtflux.vm.template.SafeNames;
import jakarta.validation.Valid;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** VMs: deploy from a template, lifecycle actions, and what libvirt says about them. */
@RestController
@Tag(name = "vms")
class VmController {

  /** Boots on dev/run's lab as is: the lab's kernel and initrd, console in the datastore. */
  static final String LAB_GUEST =
      """
      {"host": "lab-a",
       "template": {"name": "demo", "memory": 192, "cpu": 0.5, "vcpu": 1,
         "os": {"kernel": "/var/lib/virtflux-lab/images/vmlinuz",
                "initrd": "/var/lib/virtflux-lab/images/initrd.gz",
                "kernelCmd": "console=ttyS0 panic=-1"},
         "nics": [{"type": "user", "model": "virtio"}]}}
      """;

  /**
   * The domain XML is published as text/plain only: openapi-generator's clients read a text/plain
   * string as is, while its Java client parses an application/xml string as JSON and its Python
   * client refuses application/xml, and a contract listing both makes them ask for application/xml
   * (the contract's keys are sorted). application/xml is still served to whoever asks for it.
   */
  private static final String XML_BODY =
      "The domain XML document, as text/plain (the default); send Accept: application/xml to get"
          + " it labelled application/xml.";

  static final String FULL =
      """
      {"host": "kvm1",
       "template": {"name": "web-1", "memory": 2048, "cpu": 1.5, "vcpu": 2,
         "os": {"arch": "x86_64", "machine": "q35", "boot": ["hd", "cdrom"]},
         "features": {"acpi": true, "apic": true, "guestAgent": true},
         "disks": [
           {"source": "/var/lib/one/datastores/0/web-1/disk.0", "driver": "qcow2",
            "cache": "none", "io": "native", "devPrefix": "vd"},
           {"source": "/var/lib/one/datastores/0/web-1/context.iso", "type": "cdrom",
            "devPrefix": "sd"}],
         "nics": [
           {"type": "bridge", "source": "br0", "model": "virtio", "filter": "clean-traffic"},
           {"type": "network", "source": "private", "mac": "52:54:00:12:34:56"}],
         "graphics": {"type": "vnc", "listen": "127.0.0.1"},
         "pci": [{"vendor": "10de", "class": "0302"}]}}
      """;

  /** No host: placed where the memory and a free matching PCI device are. */
  static final String PLACED =
      """
      {"template": {"name": "gpu-1", "memory": 4096, "vcpu": 4,
         "disks": [{"source": "/var/lib/one/datastores/0/gpu-1/disk.0", "devPrefix": "vd"}],
         "pci": [{"vendor": "10de", "device": "1eb8"}]}}
      """;

  private final VmDeploys deploys;
  private final VmActions actions;
  private final VmQueries queries;

  VmController(VmDeploys deploys, VmActions actions, VmQueries queries) {
    this.deploys = deploys;
    this.actions = actions;
    this.queries = queries;
  }

  @PostMapping(path = "/api/v1/vms", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "deployVm",
      summary = "Deploy a VM",
      description =
          "Validates the template, builds the domain XML (defaults from configuration, template"
              + " overrides), and queues a DEPLOY operation on the host's lane, which chooses and"
              + " reserves free PCI devices for the template's pci requests, defines the domain"
              + " (virDomainDefineXML) and starts it (virDomainCreate). Without host, the service"
              + " places the VM on an ONLINE host with the memory and the PCI devices (the most"
              + " memory left wins) and explains the choice in result.placement. Memory left is"
              + " the host's memory less its reservedMemoryMiB, the memory of its domains and the"
              + " memory promised to deploys accepted and not yet counted by its readings (never"
              + " more than its free memory less those promises): the deploy's memory is promised"
              + " when it is accepted, so deploys placed at the same time never share it. When no"
              + " host fits, the request is refused at once with 409 'No host fits', naming what"
              + " each host lacks; nothing is queued. A deploy to a named host is not refused for"
              + " memory, but its memory is promised too. Answers 202 with the operation; follow"
              + " it at its Location or on the event stream.")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> deploy(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      examples = {
                        @ExampleObject(name = "lab guest", value = LAB_GUEST),
                        @ExampleObject(name = "disks, NICs, guest agent, VNC, PCI", value = FULL),
                        @ExampleObject(name = "placed by the service (no host)", value = PLACED)
                      }))
          @Valid
          @RequestBody
          DeployRequest request,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> deploys.deploy(request, caller))
        .map(OperationResponses::accepted);
  }

  @PostMapping(
      path = "/api/v1/vms:render",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_XML_VALUE})
  @ApiResponse(
      responseCode = "200",
      description = XML_BODY,
      content = @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string")))
  @Operation(
      operationId = "renderVm",
      summary = "Render a deploy's domain XML (dry run)",
      description =
          "Returns the domain XML that POST /api/v1/vms would define for this request, without"
              + " sending anything to libvirt.")
  Mono<String> render(@Valid @RequestBody DeployRequest request, ServerWebExchange exchange) {
    return Caller.of(exchange).flatMap(caller -> queries.render(request, caller));
  }

  @GetMapping("/api/v1/vms")
  @Operation(
      operationId = "listVms",
      summary = "List VMs",
      description =
          "Every domain on every reachable host (virConnectListAllDomains), or on one host;"
              + " VMs created elsewhere are listed too, with managed=false.")
  Mono<List<VmSummary>> list(
      @Parameter(
              description = "Only the VMs of this host",
              schema = @Schema(pattern = HostNames.PATTERN))
          @RequestParam(required = false)
          @Nullable String host) {
    return queries.list(host).collectList();
  }

  @GetMapping("/api/v1/vms/{name}")
  @Operation(
      operationId = "getVm",
      summary = "Show a VM",
      description = "Where the VM runs, its state, and its disks and NICs from its live XML.")
  Mono<VmDetail> get(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name) {
    return queries.get(name);
  }

  @GetMapping(
      path = "/api/v1/vms/{name}/xml",
      produces = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_XML_VALUE})
  @ApiResponse(
      responseCode = "200",
      description = XML_BODY,
      content = @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string")))
  @Operation(
      operationId = "getVmXml",
      summary = "Show a VM's domain XML",
      description = "virDomainGetXMLDesc: the live XML, or the persistent definition (inactive).")
  Mono<String> xml(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      @RequestParam(defaultValue = "false") boolean inactive) {
    return queries.domainXml(name, inactive);
  }

  @PostMapping("/api/v1/vms/{name}/actions/{action}")
  @Operation(
      operationId = "runVmAction",
      summary = "Run a lifecycle action",
      description =
          "start (virDomainCreate), shutdown (ACPI, then destroy after shutdownTimeout if"
              + " forceDestroy; not offered for imported VMs: 409), cancel (virDomainDestroy), reboot, reset, suspend, resume, save"
              + " (virDomainSave to a file under a datastore), restore (virDomainRestore).")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> act(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      @Parameter(schema = @Schema(implementation = LifecycleActionName.class)) @PathVariable
          String action,
      @Valid @RequestBody(required = false) @Nullable ActionRequest body,
      ServerWebExchange exchange) {
    LifecycleAction parsed = LifecycleAction.parse(action);
    return Caller.of(exchange)
        .flatMap(caller -> actions.act(name, parsed, body == null ? null : body.path(), caller))
        .map(OperationResponses::accepted);
  }

  @PostMapping("/api/v1/vms/{name}/import")
  @Operation(
      operationId = "importVm",
      summary = "Import a VM created elsewhere",
      description =
          "Queues an IMPORT operation that marks a domain this service did not deploy as managed"
              + " (virDomainSetMetadata in virtflux's namespace, live and persistent). Lifecycle,"
              + " hotplug and migration then work on it; shutdown (OpenNebula's \"Poweroff\") is"
              + " not offered for imported VMs and answers 409. 409 when it is managed already.")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> importVm(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> actions.importVm(name, caller))
        .map(OperationResponses::accepted);
  }

  @DeleteMapping("/api/v1/vms/{name}")
  @Operation(
      operationId = "deleteVm",
      summary = "Delete a VM",
      description = "Destroys the VM if it runs, then undefines it (with managed-save image).")
  Mono<ResponseEntity<io.virtflux.operation.Operation>> delete(
      @Parameter(description = "The VM's name", schema = @Schema(pattern = SafeNames.NAME_PATTERN))
          @PathVariable
          String name,
      ServerWebExchange exchange) {
    return Caller.of(exchange)
        .flatMap(caller -> actions.remove(name, caller))
        .map(OperationResponses::accepted);
  }
}
