package io.virtflux.vm.template;

import static io.virtflux.libvirt.xml.XmlAssertions.assertSimilarXml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtflux.libvirt.xml.XmlAssertions;
import io.virtflux.libvirt.xml.XmlCodec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One device at a time, as hotplug builds it: defaults, rules, and the XML libvirt gets. */
class DeviceTemplatesTest {

  private final XmlCodec xml = new XmlCodec();
  private final DeviceTemplates templates =
      new DeviceTemplates(
          Fixtures.defaults(Map.of("virtflux.vm.defaults.default-attach-cache", "writethrough")),
          Fixtures.policy(Map.of("virtflux.vm.policy.nic-scripts", "/etc/virtflux/ifup")));

  private static VmTemplate.Disk disk(String json) {
    return Fixtures.JSON.readValue(json, VmTemplate.Disk.class);
  }

  private static VmTemplate.Nic nic(String json) {
    return Fixtures.JSON.readValue(json, VmTemplate.Nic.class);
  }

  private List<String> refusedFields(Runnable r) {
    try {
      r.run();
    } catch (TemplateViolationException e) {
      return e.violations().stream().map(Violation::field).toList();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void aDiskWithoutCacheGetsTheDefaultAttachCacheNotTheDeployDefault() {
    VmTemplate.Disk d =
        templates.disk(disk("{source: '/var/lib/virtflux/datastores/0/x.img'}"), roots(), null);
    assertThat(d.cache()).isEqualTo("writethrough");
    assertThat(d.devPrefix()).isEqualTo("sd");
    assertThat(d.target()).isNull();
    assertThat(
            templates
                .disk(
                    disk("{source: '/var/lib/virtflux/datastores/0/x.img', cache: 'unsafe'}"),
                    roots(),
                    null)
                .cache())
        .isEqualTo("unsafe");
  }

  @Test
  void aTargetImpliesItsPrefix() {
    VmTemplate.Disk d =
        templates.disk(
            disk("{source: '/var/lib/virtflux/datastores/0/x.img', target: 'vdc'}"), roots(), null);
    assertThat(d.devPrefix()).isEqualTo("vd");
  }

  @Test
  void aHotpluggedDiskWithIoLimitsMatchesTheGoldenFile() {
    VmTemplate.Disk d =
        templates.disk(
            disk(
                "{source: '/var/lib/virtflux/datastores/0/data.img', devPrefix: 'vd', cache:"
                    + " 'none', iotune: {totalBytesSec: 104857600, readIopsSec: 500,"
                    + " writeIopsSec: 200}}"),
            roots(),
            null);
    String out = xml.write(templates.diskXml(d.withTarget("vd", "vdb")));
    assertSimilarXml(out, XmlAssertions.resource("xml/disk-attach-iotune.xml"));
  }

  @Test
  void aBridgeNicWithFilterAndBandwidthMatchesTheGoldenFile() {
    VmTemplate.Nic n =
        templates.nic(
            nic(
                "{type: 'bridge', source: 'br0', model: 'e1000', mac: '52:54:00:12:34:56', filter:"
                    + " 'clean-traffic', bandwidth: {inbound: {average: 12800, peak: 25600,"
                    + " burst: 1024}, outbound: {average: 6400}}}"),
            Set.of());
    assertSimilarXml(
        xml.write(templates.nicXml(n)), XmlAssertions.resource("xml/nic-attach-bridge.xml"));
  }

  @Test
  void aNicWithoutMacGetsAFreshQemuMac() {
    Set<String> taken = Set.of("52:54:00:00:00:01", "52:54:00:00:00:02");
    VmTemplate.Nic n = templates.nic(nic("{type: 'user'}"), taken);
    assertThat(n.mac()).matches("52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}").isNotIn(taken);
    assertThat(n.model()).isEqualTo("virtio");
  }

  @Test
  void aGeneratedMacThatIsTakenIsDrawnAgain() {
    // the first draw is 52:54:00:00:00:01 (taken, in another case), the second 52:54:00:00:00:02
    java.util.Iterator<Integer> draws = java.util.List.of(0, 0, 1, 0, 0, 2).iterator();
    java.util.random.RandomGenerator scripted =
        new java.util.random.RandomGenerator() {
          @Override
          public long nextLong() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int nextInt(int bound) {
            return draws.next();
          }
        };
    assertThat(MacAddresses.random(scripted, Set.of("52:54:00:00:00:01".toUpperCase())))
        .isEqualTo("52:54:00:00:00:02");
  }

  @Test
  void badDevicesNameTheirOwnFields() {
    assertThat(refusedFields(() -> templates.disk(disk("{source: '/etc/shadow'}"), roots(), null)))
        .containsExactly("source");
    assertThat(
            refusedFields(
                () ->
                    templates.disk(
                        disk(
                            "{source: '/var/lib/virtflux/datastores/0/x', iotune: {totalIopsSec:"
                                + " 5, readIopsSec: 1}}"),
                        roots(),
                        null)))
        .containsExactly("iotune.totalIopsSec", "iotune.readIopsSec");
    assertThat(
            refusedFields(
                () ->
                    templates.disk(
                        disk("{source: '/var/lib/virtflux/datastores/0/x', devPrefix: 'hd'}"),
                        roots(),
                        "pc-q35-7.2")))
        .containsExactly("devPrefix");
    assertThat(refusedFields(() -> templates.nic(nic("{model: 'rtl9999'}"), Set.of())))
        .containsExactly("model");
    assertThat(
            refusedFields(
                () -> templates.nic(nic("{type: 'ethernet', script: '/tmp/x.sh'}"), Set.of())))
        .containsExactly("script");
    assertThat(
            refusedFields(
                () ->
                    templates.nic(
                        nic("{type: 'user', bandwidth: {inbound: {average: 10}}}"), Set.of())))
        .containsExactly("bandwidth");
    assertThat(refusedFields(() -> templates.nic(nic("{mac: '52:54:00:xx:00:01'}"), Set.of())))
        .containsExactly("mac");
    assertThat(
            templates
                .nic(nic("{type: 'ethernet', script: '/etc/virtflux/ifup'}"), Set.of())
                .script())
        .isEqualTo("/etc/virtflux/ifup");
    assertThatThrownBy(() -> templates.diskXml(disk("{source: '/x'}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<java.nio.file.Path> roots() {
    return Fixtures.HOST.datastoreRoots();
  }
}
