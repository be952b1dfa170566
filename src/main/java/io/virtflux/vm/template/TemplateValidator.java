package io.virtflux.vm.template;

import static io.virtflux.vm.template.TemplateVocabulary.oneOf;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Checks a template, with defaults applied, against what libvirt accepts and what {@link VmPolicy}
 * allows, and returns every violation found (empty when the template is fine). Escaping already
 * makes XML injection impossible; these rules keep names libvirt-safe and keep templates from
 * naming host files, binaries or scripts outside the configured lists.
 */
@Component
public final class TemplateValidator {

  private static final long MAX_MEMORY_MIB = 16L * 1024 * 1024;
  private static final int MIN_VNC_PORT = 5900;

  private final VmDefaults defaults;
  private final VmPolicy policy;

  public TemplateValidator(VmDefaults defaults, VmPolicy policy) {
    this.defaults = defaults;
    this.policy = policy;
  }

  /** Every violation of {@code template} on {@code host} for a caller in {@code role}. */
  public List<Violation> validate(VmTemplate template, HostFacts host, CallerRole role) {
    Violations v = new Violations();
    if (template.name() == null) {
      v.add("name", "is required");
    } else if (!SafeNames.isSafe(template.name())) {
      v.add("name", "must match " + SafeNames.NAME_RULE);
    }
    VmTemplate t = TemplateDefaults.apply(template, defaults, host);
    sizes(t, v);
    if (!TemplateVocabulary.isOneOf(TemplateVocabulary.DOMAIN_TYPES, t.domainType())) {
      v.add("domainType", oneOf(TemplateVocabulary.DOMAIN_TYPES));
    }
    if (!TemplateVocabulary.isOneOf(policy.emulators(), t.emulator())) {
      v.add("emulator", "is not an allowed emulator " + policy.emulators());
    }
    List<Path> roots = host.datastoreRoots();
    os(t.os(), roots, v);
    boolean perDeviceBoot = t.disks().stream().anyMatch(d -> d != null && d.bootOrder() != null);
    if (perDeviceBoot && template.os() != null && !template.os().boot().isEmpty()) {
      v.add("os.boot", "cannot be combined with a disk bootOrder");
    }
    DiskRules.check(t.disks(), t.os().machine(), roots, v);
    NicRules.check(t.nics(), policy, v);
    graphics(t.graphics(), v);
    console(template.console(), t.console(), roots, v);
    boolean unrestricted = role == CallerRole.ADMIN && policy.rawUnrestrictedForAdmin();
    RawRules.check(t.raw(), policy, unrestricted, v);
    pci(t.pci(), v);
    return v.list();
  }

  private static void sizes(VmTemplate t, Violations v) {
    if (t.memory() == null) {
      v.add("memory", "is required (MiB)");
    } else if (t.memory() < 1 || t.memory() > MAX_MEMORY_MIB) {
      v.add("memory", "must be between 1 and " + MAX_MEMORY_MIB + " MiB");
    }
    Double cpu = t.cpu();
    if (cpu != null && (cpu.isNaN() || cpu < 0.001 || cpu > 256)) {
      v.add("cpu", "must be between 0.001 and 256");
    }
    if (t.vcpu() == null || t.vcpu() < 1) {
      v.add("vcpu", "must be at least 1");
    }
  }

  private static void os(VmTemplate.Os os, List<Path> roots, Violations v) {
    safeName("os.arch", os.arch(), v);
    safeName("os.machine", os.machine(), v);
    path("os.kernel", os.kernel(), roots, v);
    path("os.initrd", os.initrd(), roots, v);
    if (os.kernel() == null) {
      if (os.initrd() != null) {
        v.add("os.initrd", "needs os.kernel");
      }
      if (os.kernelCmd() != null || os.root() != null) {
        v.add("os.kernelCmd", "a kernel command line or root needs os.kernel");
      }
    }
    if (os.kernelCmd() != null && SafeNames.hasControlCharacters(os.kernelCmd())) {
      v.add("os.kernelCmd", "must not contain control characters");
    }
    if (os.root() != null && !SafeNames.isKernelRoot(os.root())) {
      v.add("os.root", "must be a device like vda1 or /dev/vda1");
    }
    for (String dev : os.boot()) {
      if (!TemplateVocabulary.isOneOf(TemplateVocabulary.BOOT_DEVICES, dev)) {
        v.add("os.boot", oneOf(TemplateVocabulary.BOOT_DEVICES));
      }
    }
  }

  private static final java.util.regex.Pattern HEX4 =
      java.util.regex.Pattern.compile("[0-9a-fA-F]{4}");

  /**
   * The violations of a template's PCI requests alone. A deploy matches them to host devices
   * ({@code PciMatch}) before the host, and so the rest of the validation, is known: checked first,
   * a malformed selector is a 400 naming it, not an exception from the matcher.
   */
  public static List<Violation> pciViolations(List<VmTemplate.Pci> requests) {
    Violations v = new Violations();
    pci(requests, v);
    return v.list();
  }

  private static void pci(List<VmTemplate.Pci> requests, Violations v) {
    for (int i = 0; i < requests.size(); i++) {
      String f = "pci[" + i + "]";
      VmTemplate.Pci p = requests.get(i);
      if (p == null) {
        v.add(f, "must not be null");
        continue;
      }
      if (p.vendor() == null && p.device() == null && p.pciClass() == null) {
        v.add(f, "give at least one of vendor, device, class");
      }
      hex4(f + ".vendor", p.vendor(), v);
      hex4(f + ".device", p.device(), v);
      hex4(f + ".class", p.pciClass(), v);
    }
  }

  private static void hex4(String field, @Nullable String value, Violations v) {
    if (value != null && !HEX4.matcher(value).matches()) {
      v.add(field, "must be 4 hex digits, as lspci prints them (10de, 0300)");
    }
  }

  private static void graphics(VmTemplate.@Nullable Graphics g, Violations v) {
    if (g == null) {
      return;
    }
    if (!TemplateVocabulary.isOneOf(TemplateVocabulary.GRAPHICS_TYPES, g.type())) {
      v.add("graphics.type", oneOf(TemplateVocabulary.GRAPHICS_TYPES));
    }
    if (!SafeNames.isIpLiteral(g.listen())) {
      v.add("graphics.listen", "must be an IPv4 or IPv6 address");
    }
    if (g.port() != null && (g.port() < MIN_VNC_PORT || g.port() > 65535)) {
      v.add("graphics.port", "must be between " + MIN_VNC_PORT + " and 65535");
    }
  }

  private static void console(
      VmTemplate.@Nullable Console asked, VmTemplate.Console c, List<Path> roots, Violations v) {
    if (!TemplateVocabulary.isOneOf(TemplateVocabulary.CONSOLE_TYPES, c.type())) {
      v.add("console.type", oneOf(TemplateVocabulary.CONSOLE_TYPES));
      return;
    }
    boolean pathAsked = asked != null && asked.path() != null;
    if ("pty".equals(c.type()) && pathAsked) {
      v.add("console.path", "a pty console has no path");
    } else if (pathAsked) {
      path("console.path", c.path(), roots, v);
    }
  }

  private static void path(String field, @Nullable String path, List<Path> roots, Violations v) {
    if (path != null) {
      String problem = DatastorePaths.problem(path, roots);
      if (problem != null) {
        v.add(field, problem);
      }
    }
  }

  private static void safeName(String field, @Nullable String name, Violations v) {
    if (name != null && !SafeNames.isSafe(name)) {
      v.add(field, "must match " + SafeNames.NAME_RULE);
    }
  }
}
