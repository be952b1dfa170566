package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBindingTest {

  @Test
  void defaultsMirrorVmmExecKvmConfWhenNothingIsConfigured() {
    VmDefaults d = Fixtures.defaults();

    assertThat(d.emulator()).isEqualTo("/usr/bin/qemu-system-x86_64");
    assertThat(d.vcpu()).isEqualTo(1);
    assertThat(d.os().arch()).isEqualTo("x86_64");
    assertThat(d.os().machine()).isNull();
    assertThat(d.os().boot()).containsExactly("hd");
    assertThat(d.features().acpi()).isTrue();
    assertThat(d.features().apic()).isTrue();
    assertThat(d.features().pae()).isFalse();
    assertThat(d.features().guestAgent()).isFalse();
    assertThat(d.cpuMode()).isNull();
    assertThat(d.disk().driver()).isEqualTo("raw");
    assertThat(d.disk().cache()).isEqualTo("none");
    assertThat(d.disk().devPrefix()).isEqualTo("sd");
    assertThat(d.nic().type()).isEqualTo("user");
    assertThat(d.nic().model()).isEqualTo("virtio");
    assertThat(d.nic().filter()).isNull();
    assertThat(d.graphics().listen()).isEqualTo("127.0.0.1");
    assertThat(d.consoleType()).isEqualTo("file");
    assertThat(d.memballoon()).isEqualTo("none");
    assertThat(d.pcieRootPorts()).isEqualTo(8);
    assertThat(d.raw()).isNull();
    assertThat(d.defaultAttachCache()).isEqualTo("none");
  }

  @Test
  void configurationOverridesDefaultsOneByOne() {
    VmDefaults d =
        Fixtures.defaults(
            Map.of(
                "virtflux.vm.defaults.disk.cache", "writeback",
                "virtflux.vm.defaults.os.boot", "hd,cdrom",
                "virtflux.vm.defaults.nic.filter", "clean-traffic",
                "virtflux.vm.defaults.default-attach-cache", "writethrough"));

    assertThat(d.disk().cache()).isEqualTo("writeback");
    assertThat(d.disk().driver()).isEqualTo("raw");
    assertThat(d.os().boot()).containsExactly("hd", "cdrom");
    assertThat(d.nic().filter()).isEqualTo("clean-traffic");
    assertThat(d.nic().model()).isEqualTo("virtio");
    assertThat(d.defaultAttachCache()).isEqualTo("writethrough");
  }

  @Test
  void policyDefaultsAllowTheUsualEmulatorsAndNoScripts() {
    VmPolicy p = Fixtures.policy();

    assertThat(p.emulators()).containsExactly("/usr/bin/qemu-system-x86_64", "/usr/bin/kvm");
    assertThat(p.nicScripts()).isEmpty();
    assertThat(p.rawDeniedElements()).contains("qemu:*", "devices/emulator", "devices/disk");
    assertThat(p.rawAllowedElements()).contains("devices/serial", "features", "cpu");
    assertThat(p.rawDeniedAttributes()).contains("path", "file");
    assertThat(p.rawUnrestrictedForAdmin()).isFalse();
  }

  @Test
  void policyListsAreConfigurable() {
    VmPolicy p =
        Fixtures.policy(
            Map.of(
                "virtflux.vm.policy.nic-scripts[0]", "/usr/local/libexec/ifup",
                "virtflux.vm.policy.raw-unrestricted-for-admin", "true"));
    assertThat(p.nicScripts()).containsExactly("/usr/local/libexec/ifup");
    assertThat(p.rawUnrestrictedForAdmin()).isTrue();
  }
}
