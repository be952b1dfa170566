package io.virtflux.vm.template;

import static io.virtflux.vm.template.TemplateVocabulary.oneOf;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
      if (checkOne(f, nic, policy, v)) {
        if (nic.target() != null) {
          duplicate(Violations.at(f, "target"), nic.target(), i, targets, v);
        }
        if (nic.mac() != null && SafeNames.isUnicastMac(nic.mac())) {
          duplicate(Violations.at(f, "mac"), nic.mac().toLowerCase(Locale.ROOT), i, macs, v);
        }
      }
    }
  }

  /**
   * The rules of one NIC, reported under {@code f} ({@code nics[0]}, or empty for a hotplugged
   * NIC); false when its type is unknown (nothing else was checked).
   */
  static boolean checkOne(String f, VmTemplate.Nic nic, VmPolicy policy, Violations v) {
    String type = nic.type();
    if (!TemplateVocabulary.isOneOf(TemplateVocabulary.NIC_TYPES, type)) {
      v.add(Violations.at(f, "type"), oneOf(TemplateVocabulary.NIC_TYPES));
      return false;
    }
    boolean tap = TemplateVocabulary.isOneOf(TemplateVocabulary.TAP_NIC_TYPES, type);
    source(f, nic, v);
    if (nic.model() != null && !TemplateVocabulary.NIC_MODELS.contains(nic.model())) {
      v.add(Violations.at(f, "model"), oneOf(TemplateVocabulary.NIC_MODELS));
    }
    if (nic.filter() != null) {
      if (!tap) {
        v.add(Violations.at(f, "filter"), "needs a tap-backed NIC (network, bridge or ethernet)");
      }
      safeName(Violations.at(f, "filter"), nic.filter(), v);
    }
    if (nic.target() != null) {
      if (!tap) {
        v.add(Violations.at(f, "target"), "needs a tap-backed NIC (network, bridge or ethernet)");
      }
      tapName(Violations.at(f, "target"), nic.target(), v);
    }
    if (nic.script() != null) {
      if (!"ethernet".equals(type) && !"bridge".equals(type)) {
        v.add(Violations.at(f, "script"), "only ethernet and bridge NICs run a script");
      }
      if (!TemplateVocabulary.isOneOf(policy.nicScripts(), nic.script())) {
        v.add(Violations.at(f, "script"), "is not an allowed NIC script " + policy.nicScripts());
      }
    }
    bandwidth(f, nic, tap, v);
    if (nic.mac() != null) {
      if (!SafeNames.isUnicastMac(nic.mac())) {
        v.add(Violations.at(f, "mac"), "must be a unicast MAC address like 52:54:00:12:34:56");
      }
    }
    return true;
  }

  private static void bandwidth(String f, VmTemplate.Nic nic, boolean tap, Violations v) {
    VmTemplate.Bandwidth b = nic.bandwidth();
    if (b == null) {
      return;
    }
    if (!tap) {
      v.add(
          Violations.at(f, "bandwidth"),
          "needs a tap-backed NIC (network, bridge or ethernet): user networking has no tap to"
              + " shape");
    }
    rate(Violations.at(f, "bandwidth.inbound"), b.inbound(), v);
    rate(Violations.at(f, "bandwidth.outbound"), b.outbound(), v);
  }

  private static void rate(String field, VmTemplate.@Nullable Rate r, Violations v) {
    if (r == null) {
      return;
    }
    if (r.average() == null || r.average() < 1) {
      v.add(field + ".average", "is required: KiB/s, at least 1");
    } else if (r.peak() != null && r.peak() < r.average()) {
      v.add(field + ".peak", "must be at least the average");
    }
  }

  private static void source(String f, VmTemplate.Nic nic, Violations v) {
    boolean named = "network".equals(nic.type()) || "bridge".equals(nic.type());
    if (!named) {
      if (nic.source() != null) {
        v.add(Violations.at(f, "source"), "is only for network and bridge NICs");
      }
      return;
    }
    if (nic.source() == null) {
      v.add(Violations.at(f, "source"), "is required: the " + nic.type() + " name");
      return;
    }
    safeName(Violations.at(f, "source"), nic.source(), v);
    if ("bridge".equals(nic.type()) && nic.source().length() > IFNAME_MAX) {
      v.add(Violations.at(f, "source"), "a bridge name has at most " + IFNAME_MAX + " characters");
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
