package io.virtflux.libvirt.xml;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A host PCI function address, {@code 0000:06:12.2} in lspci notation.
 *
 * <p>Note on the {@code 0x} prefix: libvirt parses address parts with {@code strtoul(..., 0)}, so
 * {@code bus='10'} means bus 10 decimal (0x0a), not 0x10. Nova hit this; we always write the {@code
 * 0x} prefix ({@link #toSourceAddress()}), formatted as libvirt formats it. Node device XML, in
 * contrast, gives the parts as plain decimal elements ({@code <bus>6</bus>}).
 *
 * @param domain PCI segment, 0–0xffff
 * @param bus 0–0xff
 * @param slot 0–0x1f
 * @param function 0–7
 */
public record PciAddress(int domain, int bus, int slot, int function) {

  private static final Pattern LSPCI =
      Pattern.compile(
          "(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])",
          Pattern.CASE_INSENSITIVE);

  public PciAddress {
    check("domain", domain, 0xffff);
    check("bus", bus, 0xff);
    check("slot", slot, 0x1f);
    check("function", function, 7);
  }

  /** Same as the constructor; reads better next to {@link #parse(String)}. */
  public static PciAddress of(int domain, int bus, int slot, int function) {
    return new PciAddress(domain, bus, slot, function);
  }

  /**
   * Parses lspci notation: {@code 0000:06:12.2}, or {@code 06:12.2} for domain 0.
   *
   * @throws IllegalArgumentException when {@code text} is not such an address
   */
  public static PciAddress parse(String text) {
    Matcher m = LSPCI.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a PCI address (dddd:bb:ss.f): " + text);
    }
    int domain = m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16);
    return new PciAddress(
        domain,
        Integer.parseInt(m.group(2), 16),
        Integer.parseInt(m.group(3), 16),
        Integer.parseInt(m.group(4)));
  }

  /**
   * Parses one address part as libvirt does ({@code strtoul} base 0): {@code 0x} hex, a leading
   * {@code 0} octal, else decimal.
   */
  static int parseNumber(@Nullable String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("missing PCI address part");
    }
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("0x")) {
      return Integer.parseInt(s.substring(2), 16);
    }
    if (s.length() > 1 && s.startsWith("0")) {
      return Integer.parseInt(s.substring(1), 8);
    }
    return Integer.parseInt(s);
  }

  /**
   * The untyped {@code <address domain='0x0000' bus='0x06' slot='0x12' function='0x2'/>} of a
   * hostdev {@code <source>}, in libvirt's own format.
   */
  public DeviceAddress toSourceAddress() {
    return address(null);
  }

  /** A guest-side {@code <address type='pci' .../>}, for pinning a device to a guest slot. */
  public DeviceAddress toGuestAddress() {
    return address("pci");
  }

  private DeviceAddress address(@Nullable String type) {
    HexFormat hex = HexFormat.of();
    return new DeviceAddress(
        type,
        "0x" + hex.toHexDigits((short) domain),
        "0x" + hex.toHexDigits((byte) bus),
        "0x" + hex.toHexDigits((byte) slot),
        "0x" + function,
        null,
        null,
        null,
        null,
        null);
  }

  /** The node device name libvirt gives this function: {@code pci_0000_06_12_2}. */
  public String nodeDeviceName() {
    return String.format(Locale.ROOT, "pci_%04x_%02x_%02x_%x", domain, bus, slot, function);
  }

  /** lspci notation, {@code 0000:06:12.2}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%04x:%02x:%02x.%x", domain, bus, slot, function);
  }

  private static void check(String part, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(
          "PCI " + part + " out of range 0.." + Integer.toHexString(max) + ": " + value);
    }
  }
}
