package io.virtflux.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hosts on libvirt's test driver ({@code test:///path/node.xml}), each connection with its own
 * private state. Every host gets its own node file with one running domain, {@code vm-<host>}, so
 * VM names are unique across hosts as they are in a real cloud.
 */
final class TestHosts {

  final List<String> names = new ArrayList<>();
  final List<String> uris = new ArrayList<>();

  /** Writes {@code count} node files under {@code dir}: hosts t0000…, VMs vm-t0000…. */
  static TestHosts write(Path dir, int count) throws IOException {
    TestHosts hosts = new TestHosts();
    Files.createDirectories(dir);
    for (int i = 0; i < count; i++) {
      String name = String.format("t%04d", i);
      Path node = dir.resolve(name + ".xml");
      Files.writeString(node, nodeXml(vmOf(name)));
      hosts.names.add(name);
      hosts.uris.add("test://" + node.toAbsolutePath());
    }
    return hosts;
  }

  static String vmOf(String host) {
    return "vm-" + host;
  }

  private static String nodeXml(String vm) {
    return """
        <node>
          <cpu><mhz>2000</mhz><model>x86_64</model><active>2</active><nodes>1</nodes>\
        <sockets>1</sockets><cores>2</cores><threads>1</threads></cpu>
          <memory>8388608</memory>
          <domain type='test'>
            <name>%s</name>
            <memory unit='MiB'>128</memory>
            <vcpu>1</vcpu>
            <os><type>hvm</type></os>
          </domain>
        </node>
        """
        .formatted(vm);
  }

  /** The {@code virtflux:} config block with these hosts (lane limit 1 each) and a datastore. */
  String yaml(Path datastore) {
    StringBuilder out = new StringBuilder("virtflux:\n  datastores: ").append(datastore);
    out.append("\n  hosts:\n");
    for (int i = 0; i < names.size(); i++) {
      out.append("    - name: ").append(names.get(i)).append('\n');
      out.append("      uri: ").append(uris.get(i)).append('\n');
    }
    return out.toString();
  }

  int size() {
    return names.size();
  }
}
