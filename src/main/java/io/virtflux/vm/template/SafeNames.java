package io.virtflux.vm.template;

import java.util.HexFormat;
import java.util.regex.Pattern;

/** The string shapes a template may use where libvirt or the host takes a name or an address. */
public final class SafeNames {

  /** Domain, bridge, network, filter and model names: no spaces, quotes, slashes or markup. */
  static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

  /**
   * {@link #NAME_RULE} anchored, for the contract: OpenAPI patterns are ECMA regexes that match
   * anywhere in the value unless anchored, so a generated client would let {@code kvm1/../x} by.
   */
  public static final String NAME_PATTERN = "^" + NAME_RULE + "$";

  private static final Pattern NAME = Pattern.compile(NAME_RULE);
  private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final Pattern KERNEL_ROOT = Pattern.compile("[A-Za-z0-9/._=:-]{1,128}");

  private SafeNames() {}

  public static boolean isSafe(String name) {
    return NAME.matcher(name).matches();
  }

  /** Six colon-separated octets, unicast (libvirt refuses multicast MACs). */
  static boolean isUnicastMac(String mac) {
    return MAC.matcher(mac).matches() && (HexFormat.fromHexDigits(mac, 0, 2) & 1) == 0;
  }

  static boolean isMac(String mac) {
    return MAC.matcher(mac).matches();
  }

  /** An IPv4 or IPv6 literal; host names are refused (no DNS lookups at deploy time). */
  static boolean isIpLiteral(String address) {
    if (IPV4.matcher(address).matches()) {
      return true;
    }
    if (!IPV6.matcher(address).matches()) {
      return false;
    }
    try {
      // a string with ':' is parsed as an IPv6 literal, never resolved
      java.net.InetAddress.getByName(address);
      return true;
    } catch (java.net.UnknownHostException ex) {
      return false;
    }
  }

  /** A root device for {@code root=}: one command-line token. */
  static boolean isKernelRoot(String root) {
    return KERNEL_ROOT.matcher(root).matches();
  }

  /** Whether {@code s} contains NUL or another control character (tab and newline included). */
  static boolean hasControlCharacters(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }
}
