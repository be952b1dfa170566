package io.virtflux.hotplug;

import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.InterfaceXml;
import io.virtflux.operation.OperationKind;
import org.springframework.stereotype.Component;

/** DETACH_NIC: the NIC with a MAC, gone once the guest has released it. */
@Component
class DetachNicHandler
    extends DetachHandler<DetachNicHandler.DetachNic, DetachNicHandler.DetachNicResult> {

  /**
   * A DETACH_NIC.
   *
   * @param mac the NIC's MAC address, lower case
   */
  record DetachNic(String vm, String host, String mac, boolean liveOnly) implements HotplugCommand {

    @Override
    public OperationKind kind() {
      return OperationKind.DETACH_NIC;
    }
  }

  /**
   * The NIC detached.
   *
   * @param vm the VM
   * @param host its host
   * @param live whether it was removed from the running domain
   * @param persistent whether it was removed from the definition
   * @param removed always true: the operation fails unless the device is gone
   * @param waitedMs how long the detach and the guest's release took
   * @param mac the NIC's MAC address
   */
  record DetachNicResult(
      String vm,
      String host,
      boolean live,
      boolean persistent,
      boolean removed,
      long waitedMs,
      String mac) {}

  DetachNicHandler(
      HostRegistry hosts,
      VmDevicesReader reader,
      LibvirtGateway libvirt,
      DetachConfirmation confirmation) {
    super("detach-nic", OperationKind.DETACH_NIC, hosts, reader, libvirt, confirmation);
  }

  @Override
  void checkRules(DetachNic command, Host host) {
    DeviceNames.requireMac(command.mac());
  }

  @Override
  Detachable device(DetachNic command) {
    String mac = command.mac();
    return new Detachable("NIC " + mac, d -> d.interfaceByMac(mac).map(InterfaceXml::identity));
  }

  @Override
  DetachNicResult result(DetachNic command, Detached detached) {
    return new DetachNicResult(
        command.vm(),
        command.host(),
        detached.scope().live(),
        detached.scope().config(),
        true,
        detached.waitedMs(),
        command.mac());
  }
}
