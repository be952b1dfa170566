package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Template attributes override defaults one by one; absent ones fall back. */
class TemplateDefaultsTest {

  private static VmTemplate resolve(String json) {
    return resolve(json, Fixtures.defaults());
  }

  private static VmTemplate resolve(String json, VmDefaults defaults) {
    return TemplateDefaults.apply(Fixtures.template(json), defaults, Fixtures.HOST);
  }

  @Test
  void absentAttributesComeFromTheDefaults() {
    VmTemplate t = resolve("{name: 'a', memory: 64}");

    assertThat(t.vcpu()).isEqualTo(1);
    assertThat(t.domainType()).isEqualTo("qemu");
    assertThat(t.emulator()).isEqualTo("/usr/bin/qemu-system-x86_64");
    assertThat(t.os().arch()).isEqualTo("x86_64");
    assertThat(t.os().boot()).containsExactly("hd");
    assertThat(t.features()).isEqualTo(new VmTemplate.Features(true, false, true, false));
    assertThat(t.console())
        .isEqualTo(new VmTemplate.Console("file", "/var/lib/virtflux/datastores/0/a.serial.log"));
    assertThat(t.graphics()).isNull();
    assertThat(t.cpu()).isNull();
  }

  @Test
  void templateAttributesOverrideTheDefaults() {
    VmTemplate t =
        resolve(
            """
            {name: 'a', memory: 64, vcpu: 4, domainType: 'kvm', emulator: '/usr/bin/kvm',
             os: {arch: 'i686', machine: 'q35', boot: ['cdrom', 'hd']},
             features: {acpi: false, pae: true},
             console: {type: 'pty'}}""");

    assertThat(t.vcpu()).isEqualTo(4);
    assertThat(t.domainType()).isEqualTo("kvm");
    assertThat(t.emulator()).isEqualTo("/usr/bin/kvm");
    assertThat(t.os().arch()).isEqualTo("i686");
    assertThat(t.os().machine()).isEqualTo("q35");
    assertThat(t.os().boot()).containsExactly("cdrom", "hd");
    // acpi and pae set, apic and guestAgent left to the defaults
    assertThat(t.features()).isEqualTo(new VmTemplate.Features(false, true, true, false));
    assertThat(t.console()).isEqualTo(new VmTemplate.Console("pty", null));
  }

  @Test
  void diskAttributesMergeOneByOne() {
    VmDefaults defaults =
        Fixtures.defaults(
            Map.of(
                "virtflux.vm.defaults.disk.driver", "qcow2",
                "virtflux.vm.defaults.disk.io", "native",
                "virtflux.vm.defaults.disk.discard", "unmap"));
    VmTemplate t =
        resolve(
            """
            {name: 'a', memory: 64, disks: [
              {source: '/var/lib/virtflux/datastores/0/a.img', cache: 'writeback', io: 'threads'},
              {source: '/var/lib/virtflux/datastores/0/a.iso', type: 'cdrom'},
              {source: '/var/lib/virtflux/datastores/0/a.fd', type: 'floppy'}]}""",
            defaults);

    VmTemplate.Disk disk = t.disks().get(0);
    assertThat(disk.type()).isEqualTo("disk");
    assertThat(disk.driver()).isEqualTo("qcow2");
    assertThat(disk.cache()).isEqualTo("writeback");
    assertThat(disk.io()).isEqualTo("threads");
    assertThat(disk.discard()).isEqualTo("unmap");
    assertThat(disk.readonly()).isFalse();

    VmTemplate.Disk cdrom = t.disks().get(1);
    assertThat(cdrom.driver()).as("ISO images are raw whatever the default").isEqualTo("raw");
    assertThat(cdrom.readonly()).isTrue();
    assertThat(cdrom.discard()).isNull();
    assertThat(cdrom.cache()).isEqualTo("none");

    VmTemplate.Disk floppy = t.disks().get(2);
    assertThat(floppy.devPrefix()).isEqualTo("fd");
    assertThat(floppy.target()).isEqualTo("fda");
  }

  @Test
  void nicFilterDefaultSkipsUserNetworking() {
    VmDefaults defaults =
        Fixtures.defaults(Map.of("virtflux.vm.defaults.nic.filter", "clean-traffic"));
    VmTemplate t =
        resolve(
            """
            {name: 'a', memory: 64, nics: [
              {}, {type: 'bridge', source: 'br0'}, {type: 'bridge', source: 'br0', filter: 'no-spoofing', model: 'e1000'}]}""",
            defaults);

    assertThat(t.nics().get(0))
        .isEqualTo(new VmTemplate.Nic("user", null, "virtio", null, null, null, null, null));
    assertThat(t.nics().get(1).filter()).isEqualTo("clean-traffic");
    assertThat(t.nics().get(2).filter()).isEqualTo("no-spoofing");
    assertThat(t.nics().get(2).model()).isEqualTo("e1000");
  }

  /**
   * openapi-generator's Java models send {@code []} for every list the caller left alone ({@code
   * "os": {"boot": []}, "disks": []}): the contract says {@code []} means what absent means.
   */
  @Test
  void emptyListsMeanWhatAbsentListsMean() {
    VmTemplate absent = resolve("{name: 'a', memory: 64}");
    VmTemplate empty =
        resolve("{name: 'a', memory: 64, os: {boot: []}, disks: [], nics: [], pci: []}");

    assertThat(empty).isEqualTo(absent);
    assertThat(empty.os().boot()).containsExactly("hd");
    assertThat(Fixtures.template("{name: 'a', memory: 64, os: {boot: []}}").os())
        .isEqualTo(Fixtures.template("{name: 'a', memory: 64, os: {}}").os());
  }

  @Test
  void perDeviceBootOrderDropsTheDefaultBootList() {
    VmTemplate t =
        resolve(
            "{name: 'a', memory: 64, disks: [{source: '/var/lib/virtflux/datastores/0/a', bootOrder: 1}]}");
    assertThat(t.os().boot()).isEmpty();
  }

  @Test
  void graphicsListenDefaultsToLoopback() {
    VmTemplate t = resolve("{name: 'a', memory: 64, graphics: {type: 'spice'}}");
    assertThat(t.graphics()).isEqualTo(new VmTemplate.Graphics("spice", "127.0.0.1", null));
  }
}
