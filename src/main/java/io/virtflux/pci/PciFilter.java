package io.virtflux.pci;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * OpenNebula's PCI filter: comma-separated {@code [vendor]:[device][:class]} items, each part
 * optional, and a device passes when any item matches it. {@code ::0300} is every VGA controller,
 * {@code 10de::0300} every NVIDIA one, {@code 8086::0300,::0106} a union. Empty: every device.
 */
public record PciFilter(List<PciMatch> items) {

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
    List<PciMatch> items = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      String trimmed = item.trim();
      String[] parts = trimmed.split(":", -1);
      if (parts.length < 2 || parts.length > 3) {
        throw new IllegalArgumentException(
            "'" + trimmed + "' is not [vendor]:[device][:class] (e.g. 10de::0300)");
      }
      try {
        items.add(new PciMatch(parts[0], parts[1], parts.length == 3 ? parts[2] : null));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + trimmed + "': " + e.getMessage(), e);
      }
    }
    return new PciFilter(items);
  }

  public boolean matches(PciDevice d) {
    return items.isEmpty() || items.stream().anyMatch(m -> m.matches(d));
  }

  @Override
  public String toString() {
    return items.stream().map(PciMatch::toString).collect(Collectors.joining(","));
  }
}
