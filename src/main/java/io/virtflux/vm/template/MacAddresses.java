package io.virtflux.vm.template;

import java.util.Collection;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Random guest MAC addresses in QEMU's locally administered range {@code 52:54:00:xx:xx:xx} (the
 * {@code 0x02} bit of {@code 52} marks it local, and it is unicast), as libvirt generates them.
 */
public final class MacAddresses {

  /** The prefix QEMU and libvirt use for generated MACs. */
  public static final String QEMU_PREFIX = "52:54:00";

  private MacAddresses() {}

  /** A random MAC not in {@code taken} (compared case-insensitively). */
  public static String random(RandomGenerator random, Collection<String> taken) {
    while (true) {
      String mac =
          String.format(
              Locale.ROOT,
              "%s:%02x:%02x:%02x",
              QEMU_PREFIX,
              random.nextInt(256),
              random.nextInt(256),
              random.nextInt(256));
      if (taken.stream().noneMatch(mac::equalsIgnoreCase)) {
        return mac;
      }
    }
  }
}
