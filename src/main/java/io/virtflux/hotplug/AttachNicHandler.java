package io.virtflux.hotplug;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.hotplug.VmDevicesReader.Documents;
import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.InterfaceXml;
import io.virtflux.operation.OperationKind;
import io.virtflux.vm.template.DeviceTemplates;
import io.virtflux.vm.template.VmTemplate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ATTACH_NIC: virDomainAttachDeviceFlags of an interface built by the template's NIC rules, with
 * the MAC asked for (refused when the VM has it) or a generated one that it does not have.
 */
@Component
class AttachNicHandler
    extends PlannedAttach<AttachNicHandler.AttachNic, AttachNicHandler.AttachNicResult> {

  /**
   * An ATTACH_NIC.
   *
   * @param nic the NIC asked for, with the template's defaults applied and its MAC (asked for, or
   *     generated when the request was accepted)
   * @param scope where the plan applies it; absent until planned
   */
  record AttachNic(
      String vm, String host, VmTemplate.Nic nic, boolean liveOnly, @Nullable DeviceScope scope)
      implements HotplugCommand {

    static AttachNic asked(String vm, String host, VmTemplate.Nic nic, boolean liveOnly) {
      return new AttachNic(vm, host, nic, liveOnly, null);
    }

    @Override
    public OperationKind kind() {
      return OperationKind.ATTACH_NIC;
    }
  }

  /**
   * The NIC attached.
   *
   * @param vm the VM
   * @param host its host
   * @param live whether the running domain got it
   * @param persistent whether its definition got it (it survives a restart)
   * @param mac its MAC address, generated when none was asked for
   * @param type user, bridge, network, ethernet
   * @param model the emulated card ({@code virtio})
   * @param source the bridge or network, when it has one
   */
  record AttachNicResult(
      String vm,
      String host,
      boolean live,
      boolean persistent,
      @Nullable String mac,
      String type,
      @Nullable String model,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String source) {}

  private final LibvirtGateway libvirt;
  private final DeviceTemplates templates;

  AttachNicHandler(
      HostRegistry hosts,
      VmDevicesReader reader,
      LibvirtGateway libvirt,
      DeviceTemplates templates) {
    super("attach-nic", OperationKind.ATTACH_NIC, hosts, reader);
    this.libvirt = libvirt;
    this.templates = templates;
  }

  /**
   * The XML the NIC goes into, and for a MAC asked for both documents of a running persistent VM:
   * libvirt accepts a MAC that the definition has already, and the VM would start with it twice. A
   * generated MAC avoids those of the running domain; that it hits one only in the definition is
   * left to chance (one in 16 million per NIC).
   */
  @Override
  Documents documents(AttachNic asked, DomainStatus status) {
    return asked.nic().mac() != null ? Documents.BOTH : Documents.CURRENT;
  }

  @Override
  AttachNic plan(AttachNic asked, VmDevices devices) {
    Set<String> taken = devices.macs();
    VmTemplate.Nic nic = byTemplateRules(() -> templates.nic(asked.nic(), taken));
    String mac = nic.mac();
    if (mac != null && taken.stream().anyMatch(mac::equalsIgnoreCase)) {
      throw Problems.invalid(
          "mac is in use",
          List.of(
              Map.of(
                  "field",
                  "mac",
                  "message",
                  mac + " is already in use by VM '" + devices.vm() + "'")));
    }
    return new AttachNic(
        asked.vm(), asked.host(), nic, asked.liveOnly(), devices.scopeFor(asked.liveOnly()));
  }

  /** The NIC's rules still hold for the service's policy (allowed scripts, models). */
  @Override
  void checkRules(AttachNic command, Host host) {
    byTemplateRules(() -> templates.nic(command.nic(), Set.of()));
  }

  @Override
  Mono<AttachNicResult> attach(AttachNic planned) {
    VmTemplate.Nic nic = planned.nic();
    DeviceScope scope = resolved(planned.scope(), planned);
    InterfaceXml element = templates.nicXml(nic);
    return Mono.defer(
            () ->
                libvirt.attachDevice(
                    hosts.require(planned.host()).ref(), planned.vm(), element, scope))
        .then(
            Mono.fromSupplier(
                () ->
                    new AttachNicResult(
                        planned.vm(),
                        planned.host(),
                        scope.live(),
                        scope.config(),
                        element.macAddress(),
                        element.type(),
                        nic.model(),
                        nic.source())));
  }
}
