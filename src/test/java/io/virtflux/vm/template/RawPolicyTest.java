package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RAW allow and deny lists, and their pattern language. */
class RawPolicyTest {

  /** The default deny list with the allow list switched off. */
  private static final TemplateValidator DENY_ONLY =
      new TemplateValidator(
          Fixtures.defaults(),
          Fixtures.policy(Map.of("virtflux.vm.policy.raw-allowed-elements", "")));

  private static List<String> messages(TemplateValidator validator, String data) {
    VmTemplate t = Fixtures.template("{name: 'a', memory: 64, raw: {data: \"" + data + "\"}}");
    return validator.validate(t, Fixtures.HOST, CallerRole.USER).stream()
        .map(Violation::message)
        .toList();
  }

  @Test
  void denyListAppliesEvenWithoutAnAllowList() {
    assertThat(
            messages(
                DENY_ONLY,
                "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'/>"))
        .containsExactly("<qemu:commandline> is not allowed in RAW");
    assertThat(messages(DENY_ONLY, "<devices><emulator>/bin/sh</emulator></devices>"))
        .containsExactly("<devices/emulator> is not allowed in RAW");
    assertThat(messages(DENY_ONLY, "<iothreads>2</iothreads>")).isEmpty();
  }

  @Test
  void deniedAttributesAreFoundAtAnyDepth() {
    assertThat(
            messages(
                Fixtures.validator(),
                "<devices><channel type='unix'><source mode='bind' path='/root/.ssh/x'/></channel></devices>"))
        .containsExactly(
            "attribute path of <devices/channel/source> is not allowed in RAW (host paths and devices)");
  }

  @Test
  void typeDefaultsToKvmAndIgnoresCase() {
    VmTemplate t =
        Fixtures.template(
            "{name: 'a', memory: 64, raw: {type: 'KVM', data: \"<cpu mode='host-model'/>\"}}");
    assertThat(Fixtures.validator().validate(t, Fixtures.HOST, CallerRole.USER)).isEmpty();
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "devices/serial, devices/serial, true",
    "devices/serial, devices/serial/source, true",
    "devices/serial, devices, false",
    "devices/*, devices/disk, true",
    "qemu:*, qemu:commandline, true",
    "qemu:*, qemu:commandline/qemu:arg, true",
    "qemu:*, commandline, false",
    "cpu, cputune, false"
  })
  void patternsMatchAnElementAndWhatIsBelowIt(String pattern, String path, boolean matches) {
    assertThat(RawRules.matchesAny(List.of(pattern), List.of(path.split("/")))).isEqualTo(matches);
  }
}
