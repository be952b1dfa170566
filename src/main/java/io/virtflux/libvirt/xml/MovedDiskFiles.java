package io.virtflux.libvirt.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.xml.namespace.QName;
import org.jspecify.annotations.Nullable;

/**
 * A domain's XML with some disks' files moved, for a migration that copies storage to other paths
 * on the destination (libvirt's destination XML).
 *
 * <p>It edits the untyped tree ({@link XmlFragment}) of the XML libvirt gave, not the typed model:
 * the model reads only the elements it knows, and writing it back would drop the others (a RAW
 * watchdog, a second serial port, whatever a VM created elsewhere carries), which libvirt then
 * refuses as a different machine or, for a definition, silently forgets.
 */
public final class MovedDiskFiles {

  private static final QName TYPE = new QName("type");
  private static final QName DEV = new QName("dev");
  private static final QName FILE = new QName("file");

  private MovedDiskFiles() {}

  /**
   * {@code domain} with each disk whose target is a key of {@code byTarget} made a file disk with
   * that file as its source; everything else is kept as it was.
   */
  public static XmlElement in(XmlElement domain, Map<String, String> byTarget) {
    requireDomain(domain);
    return with(domain, mapChildren(domain, "devices", devices -> devices(devices, byTarget)));
  }

  /** The target devices of the domain's disks ({@code vda}, {@code sdb}), in document order. */
  public static List<String> diskTargets(XmlElement domain) {
    requireDomain(domain);
    List<String> targets = new ArrayList<>();
    for (XmlElement devices : children(domain, "devices")) {
      for (XmlElement disk : children(devices, "disk")) {
        String target = target(disk);
        if (target != null) {
          targets.add(target);
        }
      }
    }
    return List.copyOf(targets);
  }

  private static void requireDomain(XmlElement domain) {
    if (!"domain".equals(domain.localName()) || domain.isNamespaced()) {
      throw new IllegalArgumentException("not a domain's XML: <" + domain.localName() + ">");
    }
  }

  private static List<XmlElement> children(XmlElement parent, String name) {
    return parent.children().stream()
        .filter(c -> name.equals(c.localName()) && !c.isNamespaced())
        .toList();
  }

  private static XmlElement devices(XmlElement devices, Map<String, String> byTarget) {
    return with(
        devices,
        mapChildren(
            devices,
            "disk",
            disk -> {
              String path = byTarget.get(target(disk));
              return path == null ? disk : moved(disk, path);
            }));
  }

  private static XmlElement moved(XmlElement disk, String path) {
    Map<QName, String> attributes = new LinkedHashMap<>(disk.attributes());
    attributes.put(TYPE, "file");
    XmlElement source = new XmlElement(new QName("source"), Map.of(FILE, path), List.of(), null);
    List<XmlElement> children = new ArrayList<>();
    boolean placed = false;
    for (XmlElement c : disk.children()) {
      if ("source".equals(c.localName())) {
        continue; // a block device's or a network disk's source says nothing about the new file
      }
      if (!placed && "target".equals(c.localName())) {
        children.add(source);
        placed = true;
      }
      children.add(c);
    }
    if (!placed) {
      children.add(source);
    }
    return new XmlElement(disk.name(), attributes, children, null);
  }

  private static @Nullable String target(XmlElement disk) {
    for (XmlElement c : disk.children()) {
      if ("target".equals(c.localName())) {
        return c.attributes().get(DEV);
      }
    }
    return null;
  }

  private static List<XmlElement> mapChildren(
      XmlElement parent, String name, UnaryOperator<XmlElement> change) {
    return parent.children().stream()
        .map(c -> name.equals(c.localName()) && !c.isNamespaced() ? change.apply(c) : c)
        .toList();
  }

  private static XmlElement with(XmlElement e, List<XmlElement> children) {
    return new XmlElement(e.name(), e.attributes(), children, e.text());
  }
}
