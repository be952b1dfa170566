package io.virtflux.hotplug;

import io.virtflux.api.Problems;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** How a request names an existing device: a disk by its target, a NIC by its MAC. */
final class DeviceNames {

  private static final Pattern TARGET = Pattern.compile("(sd|vd|hd|fd)[a-z]{1,3}");
  private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

  private DeviceNames() {}

  /** A 400 on {@code target} unless it is a disk target such as {@code vdb}. */
  static String requireTarget(String target) {
    if (!TARGET.matcher(target).matches()) {
      throw Problems.invalid(
          "target is not a disk target",
          List.of(
              Map.of(
                  "field",
                  "target",
                  "message",
                  "must be sd, vd, hd or fd and 1 to 3 letters a-z")));
    }
    return target;
  }

  /** The MAC in lower case; a 400 on {@code mac} unless it is one. */
  static String requireMac(String mac) {
    if (!MAC.matcher(mac).matches()) {
      throw Problems.invalid(
          "mac is not a MAC address",
          List.of(
              Map.of("field", "mac", "message", "must be a MAC address like 52:54:00:12:34:56")));
    }
    return mac.toLowerCase(Locale.ROOT);
  }
}
