package io.virtflux.pci;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One argument of {@code lspci -d}: {@code [vendor]:[device][:class[:prog-if]]}, parsed and matched
 * as pciutils 3.10 and later do (lib/filter.c, {@code pci_filter_parse_id} and {@code
 * pci_filter_match}), but for their limit of 63 characters, the size of a buffer there.
 *
 * <p>Each part is a hexadecimal number, in either case, and may be empty or {@code *}: any value.
 * Vendor and device go up to {@code ffff}, the class (class and subclass, {@code 0300}) too, the
 * programming interface up to {@code ff}; leading zeros do not count towards that. A class digit
 * may be {@code x}, any digit ({@code 03xx}: every display controller). Vendor, device and
 * programming interface may start with {@code 0x}: pciutils before 3.8 read the numbers with
 * strtol, and 3.10 took the prefix back for the filters written that way. The class may not (as in
 * pciutils since 3.8), its {@code x} being a wildcard. A short number is a number, not a prefix:
 * class {@code 3} is {@code 0003}.
 *
 * @param vendor the vendor ID, or {@link #ANY}
 * @param device the device ID, or {@link #ANY}
 * @param pciClass class and subclass, or {@link #ANY}
 * @param classMask the class bits that must equal {@code pciClass} (0 where a digit was {@code x})
 * @param progIf the programming interface, or {@link #ANY}
 */
public record LspciId(int vendor, int device, int pciClass, int classMask, int progIf) {

  /** A part that was left out, empty or {@code *}. */
  public static final int ANY = -1;

  private static final int MAX_ID = 0xffff;
  private static final int MAX_PROG_IF = 0xff;

  /**
   * Parses one argument of {@code lspci -d}.
   *
   * @throws IllegalArgumentException saying which part lspci would refuse
   */
  public static LspciId parse(String text) {
    String[] fields = text.split(":", -1);
    if (fields.length < 2) {
      throw new IllegalArgumentException("one field, lspci needs two at least (10de:, ::0300)");
    }
    if (fields.length > 4) {
      throw new IllegalArgumentException("more than 4 fields");
    }
    Hex vendor = hex(fields[0], MAX_ID, false, "vendor ID");
    Hex device = hex(fields[1], MAX_ID, false, "device ID");
    Hex pciClass = fields.length > 2 ? hex(fields[2], MAX_ID, true, "class") : null;
    Hex progIf = fields.length > 3 ? hex(fields[3], MAX_PROG_IF, false, "prog-if") : null;
    return new LspciId(
        vendor == null ? ANY : vendor.value(),
        device == null ? ANY : device.value(),
        pciClass == null ? ANY : pciClass.value(),
        pciClass == null ? 0 : pciClass.mask(),
        progIf == null ? ANY : progIf.value());
  }

  /** Whether the device has every part given. */
  public boolean matches(PciDevice d) {
    return (vendor == ANY || vendor == number(d.vendor()))
        && (device == ANY || device == number(d.device()))
        && (pciClass == ANY || ((pciClass ^ number(d.pciClass())) & classMask) == 0)
        && (progIf == ANY || progIf == number(d.progIf()));
  }

  /** lspci's form, with 4 digits to each ID: {@code 10de::03xx}, {@code ::0c03:30}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder().append(id(vendor)).append(':').append(id(device));
    if (pciClass != ANY || progIf != ANY) {
      s.append(':');
      if (pciClass != ANY) {
        for (int shift = 12; shift >= 0; shift -= 4) {
          s.append(
              (classMask >> shift & 0xf) == 0
                  ? 'x'
                  : Character.forDigit(pciClass >> shift & 0xf, 16));
        }
      }
    }
    if (progIf != ANY) {
      s.append(':').append(String.format(Locale.ROOT, "%02x", progIf));
    }
    return s.toString();
  }

  private static String id(int value) {
    return value == ANY ? "" : String.format(Locale.ROOT, "%04x", value);
  }

  /** An inventory's hex digits (always well formed: they come from numbers). */
  private static int number(String hexDigits) {
    return Integer.parseInt(hexDigits, 16);
  }

  /** A field's value, and which of its bits count (all but those of {@code x} digits). */
  private record Hex(int value, int mask) {}

  /**
   * pciutils' {@code parse_hex_field}, digit by digit: the same digits, {@code 0x} prefix and
   * {@code x} wildcards, and the same bound (leading zeros and all), so that a filter means here
   * what it means to lspci.
   *
   * @return null for any value (empty or {@code *})
   */
  private static @Nullable Hex hex(String field, int max, boolean wildcards, String what) {
    if (field.isEmpty() || field.equals("*")) {
      return null;
    }
    String digits = field;
    if (!wildcards && (digits.startsWith("0x") || digits.startsWith("0X"))) {
      digits = digits.substring(2);
    }
    int value = 0;
    int mask = 0xffff;
    // the digits as written, an x counting as 1: what lspci checks against the bound
    int bound = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (wildcards && (c == 'x' || c == 'X')) {
        value <<= 4;
        bound = bound << 4 | 1;
        mask = mask << 4 & 0xffff;
      } else {
        int d = hexDigit(c);
        if (d < 0) {
          throw new IllegalArgumentException(
              what + " '" + field + "' is not hexadecimal" + (wildcards ? " (x: any digit)" : ""));
        }
        value = value << 4 | d;
        bound = bound << 4 | d;
        mask = (mask << 4 | 0xf) & 0xffff;
      }
      if (bound > max) {
        // the 0x that vendor, device and prog-if allow is the likely cause: say so
        boolean prefixed = wildcards && (field.startsWith("0x") || field.startsWith("0X"));
        throw new IllegalArgumentException(
            what
                + " '"
                + field
                + "' is more than "
                + Integer.toHexString(max)
                + (prefixed ? " (no 0x before a class: its x is any digit)" : ""));
      }
    }
    return new Hex(value, mask);
  }

  /** ASCII hex digits only: {@link Character#digit} would also take other scripts' digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
