package io.virtflux.pci;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A template's {@code pci} request: vendor, device and class, each 4 hex digits or absent (any), as
 * lspci prints them. A host's PCI filter takes all of {@code lspci -d}'s syntax instead ({@link
 * LspciId}): a request names the device a VM gets, so it stays a plain, exact selector.
 */
public record PciMatch(
    @Nullable String vendor, @Nullable String device, @Nullable String pciClass) {

  private static final Pattern HEX4 = Pattern.compile("[0-9a-f]{4}");

  /**
   * @throws IllegalArgumentException when a part is not 4 hex digits, or every part is absent
   */
  public PciMatch {
    vendor = part("vendor", vendor);
    device = part("device", device);
    pciClass = part("class", pciClass);
    if (vendor == null && device == null && pciClass == null) {
      throw new IllegalArgumentException("give at least one of vendor, device, class");
    }
  }

  public boolean matches(PciDevice d) {
    return (vendor == null || vendor.equals(d.vendor()))
        && (device == null || device.equals(d.device()))
        && (pciClass == null || pciClass.equals(d.pciClass()));
  }

  /** {@code 10de::0300}. */
  @Override
  public String toString() {
    return orEmpty(vendor) + ":" + orEmpty(device) + ":" + orEmpty(pciClass);
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static @Nullable String part(String what, @Nullable String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    String v = value.toLowerCase(Locale.ROOT);
    if (v.startsWith("0x")) {
      v = v.substring(2);
    }
    if (!HEX4.matcher(v).matches()) {
      throw new IllegalArgumentException(what + " '" + value + "' is not 4 hex digits");
    }
    return v;
  }
}
