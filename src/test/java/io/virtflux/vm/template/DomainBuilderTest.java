package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtflux.libvirt.xml.ControllerXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.InterfaceXml;
import io.virtflux.libvirt.xml.XmlCodec;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DomainBuilderTest {

  private static DomainBuilder builder() {
    return builder(Fixtures.defaults(), Fixtures.validator());
  }

  private static DomainBuilder builder(VmDefaults defaults, TemplateValidator validator) {
    return new DomainBuilder(defaults, validator, new Random(7));
  }

  private static DomainXml build(String json) {
    return builder().build(Fixtures.template(json), Fixtures.HOST, CallerRole.USER);
  }

  @Test
  void refusesInvalidTemplatesWithTheViolations() {
    assertThatThrownBy(
            () -> build("{name: \"a'/><evil/>\", memory: 64, disks: [{source: '/etc/shadow'}]}"))
        .isInstanceOfSatisfying(
            TemplateViolationException.class,
            ex ->
                assertThat(ex.violations())
                    .extracting(Violation::field)
                    .containsExactly("name", "disks[0].source"));
  }

  @Test
  void markupInANameIsRefusedAndWouldBeEscapedAnyway() {
    String evil = "a'/><evil/>";
    assertThat(
            Fixtures.validator()
                .validate(
                    Fixtures.template("{name: \"a'/><evil/>\", memory: 64}"),
                    Fixtures.HOST,
                    CallerRole.USER))
        .containsExactly(new Violation("name", "must match " + SafeNames.NAME_RULE));

    // Had it got through, Jackson would have written it as text.
    DomainXml built = build("{name: 'a', memory: 64}");
    DomainXml forged =
        new DomainXml(
            built.type(),
            null,
            evil,
            null,
            built.memory(),
            null,
            built.vcpu(),
            null,
            built.os(),
            built.features(),
            null,
            null,
            null,
            null,
            null,
            built.devices(),
            java.util.List.of());
    String xml = new XmlCodec().write(forged);
    assertThat(xml).contains("<name>a'/>&lt;evil/></name>").doesNotContain("<evil");
  }

  @Test
  void generatesDistinctLocallyAdministeredMacs() {
    DomainXml d = build("{name: 'a', memory: 64, nics: [{}, {}, {}, {mac: '52:54:00:AB:CD:EF'}]}");
    assertThat(d.devicesOrEmpty().interfaces())
        .extracting(InterfaceXml::macAddress)
        .doesNotHaveDuplicates()
        .allMatch(mac -> mac.matches("52:54:00(:[0-9a-f]{2}){3}"))
        .endsWith("52:54:00:ab:cd:ef");
  }

  @Test
  void q35GuestsGetSpareRootPortsForHotplug() {
    DomainXml d = build("{name: 'a', memory: 64, os: {machine: 'q35'}}");
    assertThat(d.devicesOrEmpty().controllers())
        .filteredOn(c -> "pcie-root-port".equals(c.model()))
        .hasSize(8)
        .allMatch(c -> c.index() == null);
    assertThat(build("{name: 'a', memory: 64}").devicesOrEmpty().controllers())
        .extracting(ControllerXml::model)
        .containsExactly("virtio-scsi", "none");
  }

  @Test
  void hostCpuModeIsForKvmOnly() {
    VmDefaults defaults =
        Fixtures.defaults(Map.of("virtflux.vm.defaults.cpu-mode", "host-passthrough"));
    DomainBuilder b = builder(defaults, new TemplateValidator(defaults, Fixtures.policy()));

    DomainXml kvm =
        b.build(
            Fixtures.template("{name: 'a', memory: 64, domainType: 'kvm'}"),
            Fixtures.HOST,
            CallerRole.USER);
    DomainXml tcg =
        b.build(Fixtures.template("{name: 'a', memory: 64}"), Fixtures.HOST, CallerRole.USER);

    assertThat(kvm.type()).isEqualTo("kvm");
    assertThat(kvm.cpu().mode()).isEqualTo("host-passthrough");
    assertThat(tcg.type()).isEqualTo("qemu");
    assertThat(tcg.cpu()).isNull();
  }

  @Test
  void ptyConsoleAndSpiceGraphics() {
    DomainXml d =
        build(
            "{name: 'a', memory: 64, console: {type: 'pty'}, graphics: {type: 'spice', listen: '::1', port: 5930}}");
    assertThat(d.devicesOrEmpty().serials())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.type()).isEqualTo("pty");
              assertThat(s.source()).isNull();
            });
    assertThat(d.devicesOrEmpty().graphics())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.port()).isEqualTo(5930);
              assertThat(g.autoport()).isEqualTo("no");
              assertThat(g.listens().get(0).address()).isEqualTo("::1");
            });
  }

  @Test
  void defaultRawIsMergedBeforeTheTemplatesAndRawReplacesGeneratedSingletons() {
    VmDefaults defaults =
        Fixtures.defaults(
            Map.of("virtflux.vm.defaults.raw", "<devices><memballoon model='virtio'/></devices>"));
    DomainBuilder b = builder(defaults, new TemplateValidator(defaults, Fixtures.policy()));
    DomainXml d =
        b.build(
            Fixtures.template(
                "{name: 'a', memory: 64, raw: {data: \"<features><acpi/></features><cpu mode='host-model'/>\"}}"),
            Fixtures.HOST,
            CallerRole.USER);

    assertThat(d.devicesOrEmpty().memballoon()).as("replaced by the default RAW").isNull();
    assertThat(d.devicesOrEmpty().extra())
        .extracting(e -> e.localName())
        .containsExactly("memballoon");
    assertThat(d.features()).as("replaced by the template RAW").isNull();
    assertThat(d.extra()).extracting(e -> e.localName()).containsExactly("features", "cpu");

    String xml = new XmlCodec().write(d);
    assertThat(xml).containsOnlyOnce("<features>").containsOnlyOnce("<memballoon");
    assertThat(xml).contains("<memballoon model=\"virtio\"/>");
  }

  @Test
  void adminRawMayCarryQemuArgumentsWhenThePolicySaysSo() {
    VmPolicy open =
        Fixtures.policy(Map.of("virtflux.vm.policy.raw-unrestricted-for-admin", "true"));
    DomainBuilder b =
        builder(Fixtures.defaults(), new TemplateValidator(Fixtures.defaults(), open));
    VmTemplate t =
        Fixtures.template(
            "{name: 'a', memory: 64, raw: {data: \"<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:arg value='-no-hpet'/></qemu:commandline>\"}}");

    String xml = new XmlCodec().write(b.build(t, Fixtures.HOST, CallerRole.ADMIN));

    assertThat(xml)
        .contains("<qemu:commandline xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\">")
        .contains("<qemu:arg value=\"-no-hpet\"/>");
    assertThatThrownBy(() -> b.build(t, Fixtures.HOST, CallerRole.USER))
        .isInstanceOf(TemplateViolationException.class);
  }

  @Test
  void malformedDefaultRawFailsAtStartup() {
    VmDefaults defaults = Fixtures.defaults(Map.of("virtflux.vm.defaults.raw", "<devices>"));
    assertThatThrownBy(() -> builder(defaults, Fixtures.validator()))
        .isInstanceOf(io.virtflux.libvirt.xml.XmlFragmentException.class);
  }
}
