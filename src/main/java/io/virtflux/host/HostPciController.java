package io.virtflux.host;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.virtflux.api.Problems;
import io.virtflux.pci.PciDevice;
import io.virtflux.pci.PciFilter;
import io.virtflux.pci.PciInventory;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The PCI devices of hosts (a host sub-resource; the matching logic is in the pci package). */
@RestController
@Tag(name = "pci")
class HostPciController {

  private final HostProber prober;
  private final PciInventory inventory;

  HostPciController(HostProber prober, PciInventory inventory) {
    this.prober = prober;
    this.inventory = inventory;
  }

  @GetMapping("/api/v1/hosts/{name}/pci-devices")
  @Operation(
      operationId = "listPciDevices",
      summary = "List a host's PCI devices",
      description =
          "libvirt's node devices of capability pci (virNodeListDevices,"
              + " virNodeDeviceGetXMLDesc), each with vendor, device and class (4 hex digits),"
              + " programming interface (progIf, 2 hex digits), OpenNebula's TYPE"
              + " (VENDOR:DEVICE:CLASS), names when libvirt knows them, the bound"
              + " driver, the IOMMU group, and the VM that has it (from every domain's XML on the"
              + " host), empty when free. Without filter, the host's configured pci-filter"
              + " applies.")
  Mono<List<PciDevice>> list(
      @Parameter(description = "The host's name", schema = @Schema(pattern = HostNames.PATTERN))
          @PathVariable
          String name,
      @Parameter(
              description =
                  "Comma-separated items, each what lspci -d takes:"
                      + " [vendor]:[device][:class[:prog-if]], hexadecimal, any part empty or *"
                      + " (any), x for any digit of the class: ::0300 (all VGA), 10de::0300"
                      + " (NVIDIA VGA), 10de:11bf:0300, ::03xx (every display controller),"
                      + " ::0c03:30 (USB xHCI), 8086::0300,::0106 (a union); an empty value lists"
                      + " every device",
              example = "::0300")
          @RequestParam(required = false)
          @Nullable String filter) {
    return prober
        .probed(name)
        .flatMap(
            host -> {
              PciFilter f = filter != null ? parse(filter) : host.pciFilter();
              return inventory
                  .devices(host.ref())
                  .map(all -> all.stream().filter(f::matches).toList());
            });
  }

  private static PciFilter parse(String text) {
    try {
      return PciFilter.parse(text);
    } catch (IllegalArgumentException e) {
      throw Problems.invalid(
          "filter " + e.getMessage(),
          List.of(Map.of("field", "filter", "message", String.valueOf(e.getMessage()))));
    }
  }
}
