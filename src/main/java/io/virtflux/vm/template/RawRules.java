package io.virtflux.vm.template;

import io.virtflux.libvirt.xml.XmlElement;
import io.virtflux.libvirt.xml.XmlFragment;
import io.virtflux.libvirt.xml.XmlFragmentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.namespace.QName;
import org.jspecify.annotations.Nullable;

/**
 * Checks a template's RAW section: type {@code kvm}, well-formed XML, and (unless the caller is an
 * unrestricted admin) the element and attribute lists of {@link VmPolicy}.
 *
 * <p>A RAW "unit" is what the merge adds as a whole: each child of a top-level {@code <devices>},
 * and each other top-level element. Units must match the allow list; no element at any depth may
 * match the deny list or carry a denied attribute.
 */
final class RawRules {

  /** libvirt's QEMU namespace, written {@code qemu:} in element paths and patterns. */
  static final String QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";

  static final int MAX_DATA = 65536;

  private RawRules() {}

  static void check(
      VmTemplate.@Nullable Raw raw, VmPolicy policy, boolean unrestricted, Violations v) {
    if (raw == null) {
      return;
    }
    if (raw.type() != null
        && !TemplateVocabulary.RAW_TYPE.equals(raw.type().toLowerCase(Locale.ROOT))) {
      v.add("raw.type", "must be kvm");
    }
    String data = raw.data();
    if (data == null || data.isBlank()) {
      v.add("raw.data", "is required");
      return;
    }
    if (data.length() > MAX_DATA) {
      v.add("raw.data", "must be at most " + MAX_DATA + " characters");
      return;
    }
    List<XmlElement> elements;
    try {
      elements = XmlFragment.parse(data);
    } catch (XmlFragmentException ex) {
      v.add("raw.data", ex.getMessage());
      return;
    }
    if (!unrestricted) {
      new Walk(policy, v).top(elements);
    }
  }

  /** One pass over a parsed RAW section. */
  private static final class Walk {
    private final VmPolicy policy;
    private final Violations v;

    Walk(VmPolicy policy, Violations v) {
      this.policy = policy;
      this.v = v;
    }

    void top(List<XmlElement> elements) {
      for (XmlElement e : elements) {
        List<String> path = List.of(segment(e.name()));
        if (!"devices".equals(path.get(0))) {
          visit(e, path, true);
        } else if (!isDenied(path)) {
          checkAttributes(e, path);
          for (XmlElement device : e.children()) {
            visit(device, append(path, device), true);
          }
        }
      }
    }

    private void visit(XmlElement e, List<String> path, boolean unit) {
      if (isDenied(path)) {
        return;
      }
      if (unit
          && !policy.rawAllowedElements().isEmpty()
          && !matchesAny(policy.rawAllowedElements(), path)) {
        v.add("raw.data", "<" + String.join("/", path) + "> is not in the allowed RAW elements");
        return;
      }
      checkAttributes(e, path);
      for (XmlElement child : e.children()) {
        visit(child, append(path, child), false);
      }
    }

    /** Reports and returns whether {@code path} matches the deny list. */
    private boolean isDenied(List<String> path) {
      if (matchesAny(policy.rawDeniedElements(), path)) {
        v.add("raw.data", "<" + String.join("/", path) + "> is not allowed in RAW");
        return true;
      }
      return false;
    }

    private void checkAttributes(XmlElement e, List<String> path) {
      for (QName attribute : e.attributes().keySet()) {
        if (policy.rawDeniedAttributes().contains(attribute.getLocalPart())) {
          v.add(
              "raw.data",
              "attribute "
                  + attribute.getLocalPart()
                  + " of <"
                  + String.join("/", path)
                  + "> is not allowed in RAW (host paths and devices)");
        }
      }
    }
  }

  /** Whether any slash-separated pattern matches {@code path} or one of its ancestors. */
  static boolean matchesAny(List<String> patterns, List<String> path) {
    for (String pattern : patterns) {
      String[] parts = pattern.split("/");
      if (parts.length > path.size()) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < parts.length && all; i++) {
        all = segmentMatches(parts[i], path.get(i));
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static boolean segmentMatches(String pattern, String segment) {
    if (pattern.equals("*") || pattern.equals(segment)) {
      return true;
    }
    return pattern.endsWith(":*") && segment.startsWith(pattern.substring(0, pattern.length() - 1));
  }

  /** {@code cpu}, {@code qemu:commandline}, or {@code {uri}local} for other namespaces. */
  static String segment(QName name) {
    String ns = name.getNamespaceURI();
    if (ns.isEmpty()) {
      return name.getLocalPart();
    }
    if (QEMU_NS.equals(ns)) {
      return "qemu:" + name.getLocalPart();
    }
    return "{" + ns + "}" + name.getLocalPart();
  }

  private static List<String> append(List<String> path, XmlElement child) {
    List<String> out = new ArrayList<>(path);
    out.add(segment(child.name()));
    return out;
  }
}
