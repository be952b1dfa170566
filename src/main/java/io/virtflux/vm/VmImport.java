package io.virtflux.vm;

import io.swagger.v3.oas.annotations.media.Schema;
import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.DeploymentMarkXml;
import io.virtflux.operation.Command;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Runs an IMPORT: makes a VM created elsewhere managed by putting the deployment mark on it
 * (virDomainSetMetadata, live and persistent), marked as imported. Lifecycle, hotplug and migration
 * work on it as on a deployed VM, except shutdown (OpenNebula's "Poweroff").
 */
@Component
class VmImport implements CommandHandler<VmImport.Import, VmImport.VmImportResult> {

  /**
   * The import of {@code vm}.
   *
   * @param host the host the VM is on
   * @param vm the VM
   * @param requestedBy the caller, written into the deployment mark
   */
  record Import(String host, String vm, String requestedBy) implements Command {

    @Override
    public OperationKind kind() {
      return OperationKind.IMPORT;
    }

    @Override
    public OperationTarget target() {
      return OperationTarget.vmOn(vm, host);
    }
  }

  /**
   * An imported VM.
   *
   * @param vm the VM's name
   * @param host the host it is on
   * @param state its state
   * @param managed whether libvirt now shows it managed (it carries the mark)
   * @param imported always true: it was created elsewhere and imported
   */
  record VmImportResult(
      String vm,
      String host,
      @Schema(implementation = VmState.class) String state,
      boolean managed,
      boolean imported) {}

  private final HostRegistry hosts;
  private final LibvirtGateway libvirt;

  VmImport(HostRegistry hosts, LibvirtGateway libvirt) {
    this.hosts = hosts;
    this.libvirt = libvirt;
  }

  @Override
  public String name() {
    // not "vm-import": that name kept inputs without the caller, which the mark now takes from here
    return "vm-import-v2";
  }

  @Override
  public Set<OperationKind> kinds() {
    return Set.of(OperationKind.IMPORT);
  }

  /** The host is still registered (404 otherwise) and the VM not managed already (409). */
  @Override
  public Mono<Void> check(Import command) {
    return Mono.defer(
        () ->
            libvirt
                .status(hosts.require(command.host()).ref(), command.vm())
                .filter(DomainStatus::managed)
                .flatMap(
                    status ->
                        Mono.error(
                            Problems.of(
                                HttpStatus.CONFLICT,
                                "Already managed",
                                "VM '" + command.vm() + "' is already managed by virtflux")))
                .then());
  }

  @Override
  public Mono<VmImportResult> run(Import command, OperationContext context) {
    Host host = hosts.require(command.host());
    String vm = command.vm();
    return libvirt
        .mark(
            host.ref(),
            vm,
            DeploymentMarkXml.imported(context.operationId(), command.requestedBy()))
        .then(libvirt.status(host.ref(), vm))
        .map(s -> new VmImportResult(vm, host.name(), s.state().name(), s.managed(), true));
  }
}
