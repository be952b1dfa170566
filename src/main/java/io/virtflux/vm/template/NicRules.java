package io.virtflux.vm.template;

import static io.virtflux.vm.template.TemplateVocabulary.oneOf;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks the NICs of a template with defaults applied. */
final class NicRules {

  /** Linux interface names are at most 15 bytes (IFNAMSIZ - 1). */
  private static final int IFNAME_MAX = 15;

  /** libvirt treats these tap name prefixes as its own and regenerates such names. */
  private static final List<String> RESERVED_TAP_PREFIXES =
      List.of("vnet", "vif", "macvtap", "macvlan");

  private NicRules() {}

  static void check(List<VmTemplate.Nic> nics, VmPolicy policy, Violations v) {
    Map<String, Integer> macs = new HashMap<>();
    Map<String, Integer> targets = new HashMap<>();
    for (int i = 0; i < nics.size(); i++) {
      String f = "nics[" + i + "]";
      VmTemplate.Nic nic = nics.get(i);
      if (nic == null) {
        v.add(f, "must not be null");
        continue;
      }
      String type = nic.type();
      if (!TemplateVocabulary.NIC_TYPES.contains(type)) {
        v.add(f + ".type", oneOf(TemplateVocabulary.NIC_TYPES));
        continue;
      }
      boolean tap = TemplateVocabulary.TAP_NIC_TYPES.contains(type);
      source(f, nic, v);
      safeName(f + ".model", nic.model(), v);
      if (nic.filter() != null) {
        if (!tap) {
          v.add(f + ".filter", "needs a tap-backed NIC (network, bridge or ethernet)");
        }
        safeName(f + ".filter", nic.filter(), v);
      }
      if (nic.target() != null) {
        if (!tap) {
          v.add(f + ".target", "needs a tap-backed NIC (network, bridge or ethernet)");
        }
        tapName(f + ".target", nic.target(), v);
        duplicate(f + ".target", nic.target(), i, targets, v);
      }
      if (nic.script() != null) {
        if (!"ethernet".equals(type) && !"bridge".equals(type)) {
          v.add(f + ".script", "only ethernet and bridge NICs run a script");
        }
        if (!policy.nicScripts().contains(nic.script())) {
          v.add(f + ".script", "is not an allowed NIC script " + policy.nicScripts());
        }
      }
      if (nic.mac() != null) {
        if (!SafeNames.isUnicastMac(nic.mac())) {
          v.add(f + ".mac", "must be a unicast MAC address like 52:54:00:12:34:56");
        } else {
          duplicate(f + ".mac", nic.mac().toLowerCase(Locale.ROOT), i, macs, v);
        }
      }
    }
  }

  private static void source(String f, VmTemplate.Nic nic, Violations v) {
    boolean named = "network".equals(nic.type()) || "bridge".equals(nic.type());
    if (!named) {
      if (nic.source() != null) {
        v.add(f + ".source", "is only for network and bridge NICs");
      }
      return;
    }
    if (nic.source() == null) {
      v.add(f + ".source", "is required: the " + nic.type() + " name");
      return;
    }
    safeName(f + ".source", nic.source(), v);
    if ("bridge".equals(nic.type()) && nic.source().length() > IFNAME_MAX) {
      v.add(f + ".source", "a bridge name has at most " + IFNAME_MAX + " characters");
    }
  }

  private static void tapName(String field, String name, Violations v) {
    if (!SafeNames.isSafe(name) || name.length() > IFNAME_MAX) {
      v.add(field, "must be an interface name of at most " + IFNAME_MAX + " safe characters");
      return;
    }
    for (String reserved : RESERVED_TAP_PREFIXES) {
      if (name.startsWith(reserved)) {
        v.add(field, "must not start with " + reserved + " (libvirt reserves it)");
      }
    }
  }

  private static void safeName(String field, String name, Violations v) {
    if (name != null && !SafeNames.isSafe(name)) {
      v.add(field, "must match " + SafeNames.NAME_RULE);
    }
  }

  private static void duplicate(
      String field, String value, int index, Map<String, Integer> seen, Violations v) {
    Integer other = seen.putIfAbsent(value, index);
    if (other != null) {
      v.add(field, "same as nics[" + other + "]");
    }
  }
}
