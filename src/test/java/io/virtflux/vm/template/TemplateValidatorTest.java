package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per rule: a template that breaks it, and the field the violation names. */
class TemplateValidatorTest {

  private static final String DS = "/var/lib/virtflux/datastores/0";

  private static Arguments row(String rule, String json, String field) {
    return Arguments.of(rule, json, field);
  }

  private static String disks(String disks) {
    return "{name: 'a', memory: 64, disks: [" + disks + "]}";
  }

  private static String nics(String nics) {
    return "{name: 'a', memory: 64, nics: [" + nics + "]}";
  }

  private static String raw(String data) {
    return "{name: 'a', memory: 64, raw: {type: 'kvm', data: \"" + data + "\"}}";
  }

  static Stream<Arguments> badTemplates() {
    String disk = "{source: '" + DS + "/a.img'}";
    return Stream.of(
        row("markup in the name", "{name: \"a'/><evil/>\", memory: 64}", "name"),
        row("space in the name", "{name: 'my vm', memory: 64}", "name"),
        row("name too long", "{name: '" + "n".repeat(65) + "', memory: 64}", "name"),
        row("name starting with a dot", "{name: '.hidden', memory: 64}", "name"),
        row("no name", "{memory: 64}", "name"),
        row("no memory", "{name: 'a'}", "memory"),
        row("zero memory", "{name: 'a', memory: 0}", "memory"),
        row("cpu zero", "{name: 'a', memory: 64, cpu: 0}", "cpu"),
        row("cpu too large", "{name: 'a', memory: 64, cpu: 300}", "cpu"),
        row("vcpu zero", "{name: 'a', memory: 64, vcpu: 0}", "vcpu"),
        row("unknown domain type", "{name: 'a', memory: 64, domainType: 'xen'}", "domainType"),
        row("emulator not allowed", "{name: 'a', memory: 64, emulator: '/bin/sh'}", "emulator"),
        row("unsafe machine", "{name: 'a', memory: 64, os: {machine: 'pc;rm'}}", "os.machine"),
        row("unsafe arch", "{name: 'a', memory: 64, os: {arch: 'x86 64'}}", "os.arch"),
        row("relative kernel", "{name: 'a', memory: 64, os: {kernel: 'vmlinuz'}}", "os.kernel"),
        row(
            "kernel escaping the datastore with ..",
            "{name: 'a', memory: 64, os: {kernel: '" + DS + "/../../../../boot/vmlinuz'}}",
            "os.kernel"),
        row(
            "kernel outside the datastores",
            "{name: 'a', memory: 64, os: {kernel: '/boot/vmlinuz'}}",
            "os.kernel"),
        row(
            "kernel path with a double slash",
            "{name: 'a', memory: 64, os: {kernel: '" + DS + "//vmlinuz'}}",
            "os.kernel"),
        row(
            "NUL in the initrd path",
            "{name: 'a', memory: 64, os: {kernel: '" + DS + "/k', initrd: '" + DS + "/i\\u0000x'}}",
            "os.initrd"),
        row(
            "initrd without kernel",
            "{name: 'a', memory: 64, os: {initrd: '" + DS + "/i'}}",
            "os.initrd"),
        row(
            "kernel command line without kernel",
            "{name: 'a', memory: 64, os: {kernelCmd: 'quiet'}}",
            "os.kernelCmd"),
        row(
            "newline in the kernel command line",
            "{name: 'a', memory: 64, os: {kernel: '" + DS + "/k', kernelCmd: 'a\\nb'}}",
            "os.kernelCmd"),
        row(
            "root with a space",
            "{name: 'a', memory: 64, os: {kernel: '" + DS + "/k', root: 'vda1 init=/bin/sh'}}",
            "os.root"),
        row("unknown boot device", "{name: 'a', memory: 64, os: {boot: 'hd,usb'}}", "os.boot"),
        row(
            "os boot together with a disk boot order",
            "{name: 'a', memory: 64, os: {boot: 'hd'}, disks: [{source: '"
                + DS
                + "/a', bootOrder: 1}]}",
            "os.boot"),
        row(
            "disk source outside the datastores",
            disks("{source: '/etc/shadow'}"),
            "disks[0].source"),
        row("relative disk source", disks("{source: 'disk.img'}"), "disks[0].source"),
        row(
            "disk source escaping with ..",
            disks("{source: '" + DS + "/../../../../etc/shadow'}"),
            "disks[0].source"),
        row(
            "disk source equal to the datastore root",
            disks("{source: '" + DS + "'}"),
            "disks[0].source"),
        row("disk without source", disks("{}"), "disks[0].source"),
        row("null disk", disks("null"), "disks[0]"),
        row("unknown disk type", disks("{source: '" + DS + "/a', type: 'tape'}"), "disks[0].type"),
        row("unknown driver", disks("{source: '" + DS + "/a', driver: 'iso'}"), "disks[0].driver"),
        row("unknown cache", disks("{source: '" + DS + "/a', cache: 'fast'}"), "disks[0].cache"),
        row("unknown io", disks("{source: '" + DS + "/a', io: 'aio'}"), "disks[0].io"),
        row(
            "native io with host cache",
            disks("{source: '" + DS + "/a', io: 'native', cache: 'writeback'}"),
            "disks[0].io"),
        row(
            "unknown discard",
            disks("{source: '" + DS + "/a', discard: 'trim'}"),
            "disks[0].discard"),
        row(
            "unknown prefix",
            disks("{source: '" + DS + "/a', devPrefix: 'xvd'}"),
            "disks[0].devPrefix"),
        row(
            "target with a partition",
            disks("{source: '" + DS + "/a', target: 'sda1'}"),
            "disks[0].target"),
        row(
            "target not matching the prefix",
            disks("{source: '" + DS + "/a', devPrefix: 'vd', target: 'sda'}"),
            "disks[0].target"),
        row(
            "a fifth IDE disk",
            disks(
                String.join(
                    ",",
                    java.util.Collections.nCopies(5, "{source: '" + DS + "/a', devPrefix: 'hd'}"))),
            "disks[4].target"),
        row(
            "IDE on q35",
            "{name: 'a', memory: 64, os: {machine: 'q35'}, disks: [{source: '"
                + DS
                + "/a', devPrefix: 'hd'}]}",
            "disks[0].devPrefix"),
        row(
            "cdrom on virtio",
            disks("{source: '" + DS + "/a', type: 'cdrom', devPrefix: 'vd'}"),
            "disks[0].devPrefix"),
        row(
            "floppy on scsi",
            disks("{source: '" + DS + "/a', type: 'floppy', devPrefix: 'sd'}"),
            "disks[0].devPrefix"),
        row(
            "duplicate target",
            disks(
                "{source: '" + DS + "/a', target: 'sdb'}, {source: '" + DS + "/b', target: 'sdb'}"),
            "disks[1].target"),
        row(
            "duplicate boot order",
            disks("{source: '" + DS + "/a', bootOrder: 1}, {source: '" + DS + "/b', bootOrder: 1}"),
            "disks[1].bootOrder"),
        row("unknown NIC type", nics("{type: 'macvtap'}"), "nics[0].type"),
        row("bridge without source", nics("{type: 'bridge'}"), "nics[0].source"),
        row("unsafe bridge name", nics("{type: 'bridge', source: 'br0;reboot'}"), "nics[0].source"),
        row(
            "bridge name too long",
            nics("{type: 'bridge', source: 'bridge-name-too-long'}"),
            "nics[0].source"),
        row(
            "network name with a quote",
            nics("{type: 'network', source: \"lab'\"}"),
            "nics[0].source"),
        row("user NIC with a source", nics("{type: 'user', source: 'br0'}"), "nics[0].source"),
        row("unsafe tap name", nics("{type: 'ethernet', target: 'tap/0'}"), "nics[0].target"),
        row(
            "libvirt-reserved tap name",
            nics("{type: 'ethernet', target: 'vnet0'}"),
            "nics[0].target"),
        row("tap name on a user NIC", nics("{type: 'user', target: 'tap0'}"), "nics[0].target"),
        row(
            "duplicate tap name",
            nics("{type: 'ethernet', target: 'tap0'}, {type: 'ethernet', target: 'tap0'}"),
            "nics[1].target"),
        row(
            "unsafe filter",
            nics("{type: 'bridge', source: 'br0', filter: 'a b'}"),
            "nics[0].filter"),
        row(
            "filter on a user NIC",
            nics("{type: 'user', filter: 'clean-traffic'}"),
            "nics[0].filter"),
        row("unsafe model", nics("{model: '<virtio>'}"), "nics[0].model"),
        row("unknown model", nics("{model: 'rtl9999'}"), "nics[0].model"),
        row(
            "bandwidth on a user NIC",
            nics("{bandwidth: {inbound: {average: 10}}}"),
            "nics[0].bandwidth"),
        row(
            "peak below average",
            nics("{type: 'ethernet', bandwidth: {outbound: {average: 10, peak: 5}}}"),
            "nics[0].bandwidth.outbound.peak"),
        row(
            "total and read IOPS",
            disks("{source: '" + DS + "/a.img', iotune: {totalIopsSec: 5, readIopsSec: 1}}"),
            "disks[0].iotune.totalIopsSec"),
        row("empty PCI request", "{name: 'a', memory: 64, pci: [{}]}", "pci[0]"),
        row(
            "PCI vendor not hex",
            "{name: 'a', memory: 64, pci: [{vendor: 'nvid'}]}",
            "pci[0].vendor"),
        row(
            "PCI class too long",
            "{name: 'a', memory: 64, pci: [{class: '030000'}]}",
            "pci[0].class"),
        row("malformed MAC", nics("{mac: '52:54:00:12:34'}"), "nics[0].mac"),
        row("multicast MAC", nics("{mac: '01:00:5e:00:00:01'}"), "nics[0].mac"),
        row(
            "duplicate MAC",
            nics("{mac: '52:54:00:00:00:01'}, {mac: '52:54:00:00:00:01'}"),
            "nics[1].mac"),
        row(
            "script not allowed",
            nics("{type: 'ethernet', script: '/tmp/x.sh'}"),
            "nics[0].script"),
        row(
            "unknown graphics",
            "{name: 'a', memory: 64, graphics: {type: 'rdp'}}",
            "graphics.type"),
        row(
            "graphics listening on a host name",
            "{name: 'a', memory: 64, graphics: {type: 'vnc', listen: 'example.com'}}",
            "graphics.listen"),
        row(
            "graphics on a privileged port",
            "{name: 'a', memory: 64, graphics: {type: 'vnc', port: 80}}",
            "graphics.port"),
        row("unknown console", "{name: 'a', memory: 64, console: {type: 'tcp'}}", "console.type"),
        row(
            "console log outside the datastores",
            "{name: 'a', memory: 64, console: {path: '/etc/cron.d/x'}}",
            "console.path"),
        row(
            "pty console with a path",
            "{name: 'a', memory: 64, console: {type: 'pty', path: '" + DS + "/x'}}",
            "console.path"),
        row(
            "raw for another hypervisor",
            "{name: 'a', memory: 64, raw: {type: 'xen', data: '<cpu/>'}}",
            "raw.type"),
        row("raw without data", "{name: 'a', memory: 64, raw: {type: 'kvm'}}", "raw.data"),
        row("raw not well-formed", raw("<devices><serial>"), "raw.data"),
        row(
            "raw with an external entity",
            raw("<!DOCTYPE a [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><a>&e;</a>"),
            "raw.data"),
        row(
            "raw qemu command line",
            raw(
                "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:arg value='-S'/></qemu:commandline>"),
            "raw.data"),
        row(
            "raw in the qemu namespace under another prefix",
            raw("<q:capabilities xmlns:q='http://libvirt.org/schemas/domain/qemu/1.0'/>"),
            "raw.data"),
        row("raw emulator", raw("<devices><emulator>/bin/sh</emulator></devices>"), "raw.data"),
        row(
            "raw disk",
            raw("<devices><disk type='file'><source file='/etc/shadow'/></disk></devices>"),
            "raw.data"),
        row(
            "raw serial writing a host file",
            raw("<devices><serial type='file'><source path='/etc/cron.d/x'/></serial></devices>"),
            "raw.data"),
        row("raw element outside the allow list", raw("<iothreads>2</iothreads>"), "raw.data"),
        row("raw identity", raw("<uuid>00000000-0000-0000-0000-000000000001</uuid>"), "raw.data"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTemplates")
  void refusesTheTemplate(String rule, String json, String field) {
    List<Violation> violations =
        Fixtures.validator().validate(Fixtures.template(json), Fixtures.HOST, CallerRole.USER);
    assertThat(violations).extracting(Violation::field).contains(field);
  }

  @Test
  void aNullWhereAValueOfAListBelongsIsAViolationNotAnError() {
    // Set.of(...).contains(null) throws: these were 500s
    List<Violation> violations =
        Fixtures.validator()
            .validate(
                Fixtures.template(
                    "{name: 'a', memory: 64, graphics: {type: null, listen: '127.0.0.1'}}"),
                Fixtures.HOST,
                CallerRole.USER);
    assertThat(violations).extracting(Violation::field).contains("graphics.type");
  }

  @Test
  void acceptsAFullTemplate() {
    VmTemplate t = Fixtures.templateResource("xml/builder/full.json");
    assertThat(Fixtures.validator().validate(t, Fixtures.HOST, CallerRole.USER)).isEmpty();
  }

  @Test
  void reportsEveryViolationAtOnce() {
    List<Violation> violations =
        Fixtures.validator()
            .validate(
                Fixtures.template(
                    "{name: 'a b', memory: 0, disks: [{source: '/etc/shadow', cache: 'fast'}]}"),
                Fixtures.HOST,
                CallerRole.USER);
    assertThat(violations)
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("name", "memory", "disks[0].cache", "disks[0].source");
  }

  @Test
  void allowedNicScriptsPass() {
    TemplateValidator validator =
        new TemplateValidator(
            Fixtures.defaults(),
            Fixtures.policy(
                Map.of("virtflux.vm.policy.nic-scripts[0]", "/usr/local/libexec/ifup")));
    VmTemplate t =
        Fixtures.template(
            "{name: 'a', memory: 64, nics: [{type: 'ethernet', script: '/usr/local/libexec/ifup'}]}");
    assertThat(validator.validate(t, Fixtures.HOST, CallerRole.USER)).isEmpty();
  }

  @Test
  void unrestrictedRawIsForAdminsOnlyAndOnlyWhenConfigured() {
    VmTemplate qemuArgs =
        Fixtures.template(
            raw(
                "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:arg value='-S'/></qemu:commandline>"));
    TemplateValidator open =
        new TemplateValidator(
            Fixtures.defaults(),
            Fixtures.policy(Map.of("virtflux.vm.policy.raw-unrestricted-for-admin", "true")));

    assertThat(open.validate(qemuArgs, Fixtures.HOST, CallerRole.ADMIN)).isEmpty();
    assertThat(open.validate(qemuArgs, Fixtures.HOST, CallerRole.USER)).isNotEmpty();
    assertThat(Fixtures.validator().validate(qemuArgs, Fixtures.HOST, CallerRole.ADMIN))
        .isNotEmpty();
  }

  @Test
  void rawFromOpenNebulasKvmDriverGuideIsAllowed() {
    VmTemplate agent =
        Fixtures.template(
            raw(
                "<devices><channel type='unix'><source mode='bind'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel></devices>"));
    VmTemplate cpu =
        Fixtures.template(
            raw(
                "<cpu mode='host-model'/><features><acpi/><hyperv mode='passthrough'/></features>"));
    assertThat(Fixtures.validator().validate(agent, Fixtures.HOST, CallerRole.USER)).isEmpty();
    assertThat(Fixtures.validator().validate(cpu, Fixtures.HOST, CallerRole.USER)).isEmpty();
  }
}
