package io.virtflux.pci;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * OpenNebula's PCI filter: comma-separated items, each what {@code lspci -d} accepts ({@code
 * [vendor]:[device][:class[:prog-if]]}, see {@link LspciId}), and a device passes when any item
 * matches it. {@code ::0300} is every VGA controller, {@code 10de::0300} every NVIDIA one, {@code
 * ::03xx} every display controller, {@code ::0c03:30} every USB xHCI controller, {@code
 * 8086::0300,::0106} a union (the comma is OpenNebula's, not lspci's). Empty: every device.
 */
public record PciFilter(List<LspciId> items) {

  public static final PciFilter ALL = new PciFilter(List.of());

  public PciFilter {
    items = List.copyOf(items);
  }

  /**
   * Parses a filter.
   *
   * @throws IllegalArgumentException naming the malformed item
   */
  public static PciFilter parse(String text) {
    if (text.isBlank()) {
      return ALL;
    }
    List<LspciId> items = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      String trimmed = item.trim();
      try {
        items.add(LspciId.parse(trimmed));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'"
                + trimmed
                + "' is not [vendor]:[device][:class[:prog-if]] as lspci -d takes it: "
                + e.getMessage(),
            e);
      }
    }
    return new PciFilter(items);
  }

  public boolean matches(PciDevice d) {
    return items.isEmpty() || items.stream().anyMatch(m -> m.matches(d));
  }

  @Override
  public String toString() {
    return items.stream().map(LspciId::toString).collect(Collectors.joining(","));
  }
}
