package io.virtflux.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Judges what the service sent to libvirt: every document parses with DTDs and external entities
 * off; no element or attribute carries a name from user input; element and attribute names outside
 * the RAW-writable parts are ones the service writes (its golden files and fixtures say which);
 * host paths lie strictly under the receiving host's datastores; NIC scripts and emulators are the
 * allowed ones.
 */
final class SentXml {

  /** Where RAW may put any element (libvirt validates those); names are still marker-free. */
  private static final List<String> RAW_SUBTREES =
      List.of(
          "domain/cpu",
          "domain/features",
          "domain/clock",
          "domain/pm",
          "domain/on_poweroff",
          "domain/on_reboot",
          "domain/on_crash",
          "domain/devices/serial",
          "domain/devices/console",
          "domain/devices/channel",
          "domain/devices/input",
          "domain/devices/graphics",
          "domain/devices/video",
          "domain/devices/sound",
          "domain/devices/audio",
          "domain/devices/watchdog",
          "domain/devices/panic",
          "domain/devices/rng",
          "domain/devices/controller",
          "domain/devices/memballoon");

  /** Files whose element and attribute names the service may send. */
  private static final List<String> VOCABULARY_SOURCES =
      List.of(
          "/xml/builder/full.xml",
          "/xml/builder/lab-guest.xml",
          "/xml/builder/minimal.xml",
          "/xml/disk-attach.xml",
          "/xml/disk-attach-iotune.xml",
          "/xml/nic-attach-bridge.xml",
          "/xml/hostdev-pci.xml",
          "/xml/domain-roundtrip.xml",
          "/xml/capabilities-kvm.xml",
          "/hostile/domain.xml");

  /** Names the golden files lack but the service writes (bandwidth of a NIC, the mark). */
  private static final Set<String> EXTRA_NAMES =
      Set.of(
          "bandwidth",
          "inbound",
          "outbound",
          "average",
          "peak",
          "burst",
          "script",
          "path",
          "deployment",
          "xmlns",
          "operation",
          "principal",
          "imported",
          "read_iops_sec",
          "write_iops_sec",
          "total_iops_sec",
          "read_bytes_sec",
          "write_bytes_sec",
          "total_bytes_sec",
          "cmdline",
          "machine",
          "loader",
          "cputune",
          "shares",
          "period",
          "quota",
          "rom");

  private final Set<String> vocabulary = new TreeSet<>(EXTRA_NAMES);
  private final Map<String, List<Path>> datastores;
  private final Set<String> emulators;
  private final Set<String> scripts;
  private final DocumentBuilderFactory factory;

  SentXml(Map<String, List<Path>> datastores, Set<String> emulators, Set<String> scripts) {
    this.datastores = datastores;
    this.emulators = emulators;
    this.scripts = scripts;
    this.factory = DocumentBuilderFactory.newInstance();
    try {
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    } catch (javax.xml.parsers.ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
    factory.setExpandEntityReferences(false);
    factory.setXIncludeAware(false);
    factory.setNamespaceAware(false);
    for (String source : VOCABULARY_SOURCES) {
      collect(parse(resource(source)).getDocumentElement());
    }
  }

  private void collect(Element e) {
    vocabulary.add(e.getTagName());
    NamedNodeMap attributes = e.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      vocabulary.add(attributes.item(i).getNodeName());
    }
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element child) {
        collect(child);
      }
    }
  }

  /** What is wrong with one sent text; empty when nothing. */
  List<String> problems(RecordingGateway.Sent sent) {
    List<String> problems = new ArrayList<>();
    List<Path> roots = datastores.getOrDefault(sent.host(), List.of());
    if (!sent.xml()) {
      // save and restore: a host path, no XML
      String p = pathProblem(sent.text(), roots);
      if (p != null) {
        problems.add("path '" + sent.text() + "' " + p);
      }
      return problems;
    }
    Document doc;
    try {
      doc = parse(sent.text());
    } catch (RuntimeException e) {
      problems.add("does not parse safely: " + e.getMessage());
      return problems;
    }
    walk(doc.getDocumentElement(), doc.getDocumentElement().getTagName(), false, roots, problems);
    return problems;
  }

  private void walk(Element e, String at, boolean raw, List<Path> roots, List<String> problems) {
    String name = e.getTagName();
    boolean inRaw =
        raw || RAW_SUBTREES.stream().anyMatch(r -> at.equals(r) || at.startsWith(r + "/"));
    if (name.toLowerCase(Locale.ROOT).contains(HostileRequests.MARKER)) {
      problems.add("injected element <" + name + "> at " + at);
    } else if (!inRaw && !vocabulary.contains(name)) {
      problems.add("unexpected element <" + name + "> at " + at);
    }
    NamedNodeMap attributes = e.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      Attr a = (Attr) attributes.item(i);
      String an = a.getName();
      if (an.toLowerCase(Locale.ROOT).contains(HostileRequests.MARKER)) {
        problems.add("injected attribute " + an + " on " + at);
      } else if (!inRaw && !vocabulary.contains(an) && !an.startsWith("xmlns")) {
        problems.add("unexpected attribute " + an + " on " + at);
      }
    }
    String parent = at.contains("/") ? at.substring(0, at.lastIndexOf('/')) : "";
    String parentName =
        parent.contains("/") ? parent.substring(parent.lastIndexOf('/') + 1) : parent;
    // host files: disk, console and serial sources, logs, kernel and initrd, loader and nvram
    if (name.equals("source") && !parentName.equals("interface") && !parentName.equals("hostdev")) {
      for (String attr : List.of("file", "dev", "path", "dir", "socket")) {
        checkPath(e, attr, at, roots, problems);
      }
    }
    if (name.equals("log")) {
      checkPath(e, "file", at, roots, problems);
    }
    if (Set.of("kernel", "initrd", "loader", "nvram", "dtb").contains(name)) {
      String p = pathProblem(e.getTextContent(), roots);
      if (p != null) {
        problems.add(at + " '" + e.getTextContent() + "' " + p);
      }
    }
    if (name.equals("emulator") && !emulators.contains(e.getTextContent())) {
      problems.add("emulator '" + e.getTextContent() + "' is not an allowed one");
    }
    if (name.equals("script") && !scripts.contains(e.getAttribute("path"))) {
      problems.add("script '" + e.getAttribute("path") + "' is not an allowed one");
    }
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element child) {
        walk(child, at + "/" + child.getTagName(), inRaw, roots, problems);
      } else if (c.getNodeType() == Node.ENTITY_REFERENCE_NODE) {
        problems.add("entity reference &" + c.getNodeName() + "; at " + at);
      } else if (c.getNodeType() == Node.PROCESSING_INSTRUCTION_NODE) {
        problems.add("processing instruction <?" + c.getNodeName() + "?> at " + at);
      }
    }
  }

  private static void checkPath(
      Element e, String attr, String at, List<Path> roots, List<String> problems) {
    if (e.hasAttribute(attr)) {
      String p = pathProblem(e.getAttribute(attr), roots);
      if (p != null) {
        problems.add(at + "@" + attr + " '" + e.getAttribute(attr) + "' " + p);
      }
    }
  }

  /** Null when {@code path} is absolute, normalized and strictly below one of {@code roots}. */
  static String pathProblem(String path, List<Path> roots) {
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException e) {
      return "is not a path";
    }
    if (!p.isAbsolute() || !p.normalize().toString().equals(path)) {
      return "is not an absolute normalized path";
    }
    for (Path root : roots) {
      if (p.startsWith(root) && !p.equals(root)) {
        return null;
      }
    }
    return "is outside the host's datastores " + roots;
  }

  private Document parse(String xml) {
    try {
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setEntityResolver(
          (publicId, systemId) -> {
            throw new IllegalStateException("entity resolution attempted: " + systemId);
          });
      builder.setErrorHandler(null);
      return builder.parse(new InputSource(new StringReader(xml)));
    } catch (Exception e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = SentXml.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
