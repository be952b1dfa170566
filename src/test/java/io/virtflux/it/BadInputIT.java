package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;

/**
 * Bad input answers 400 with a problem, is never queued, and never reaches libvirt: the VM it names
 * does not appear on the host.
 */
class BadInputIT extends LabServiceTest {

  static Stream<Arguments> badTemplates() {
    return Stream.of(
        bad("unknown field", t -> t.put("memroy", 128)),
        bad("unsafe name", t -> t.put("name", "a'/><evil/>")),
        bad("name with a slash", t -> t.put("name", "../etc")),
        bad(
            "disk outside the datastores",
            t -> t.put("disks", List.of(Map.of("source", "/etc/shadow", "devPrefix", "vd")))),
        bad(
            "disk escaping the datastore",
            t ->
                t.put(
                    "disks",
                    List.of(
                        Map.of(
                            "source",
                            Lab.datastore() + "/../../../../etc/passwd",
                            "devPrefix",
                            "vd")))),
        bad(
            "kernel outside the datastores",
            t -> t.put("os", Map.of("kernel", "/boot/vmlinuz", "initrd", Lab.initrd().toString()))),
        bad("emulator not allowed", t -> t.put("emulator", "/bin/sh")),
        bad(
            "nic script not allowed",
            t -> t.put("nics", List.of(Map.of("type", "ethernet", "script", "/tmp/evil.sh")))),
        bad(
            "raw not well-formed",
            t -> t.put("raw", Map.of("type", "kvm", "data", "<devices><serial>"))),
        bad(
            "raw qemu:commandline",
            t ->
                t.put(
                    "raw",
                    Map.of(
                        "type",
                        "kvm",
                        "data",
                        "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>"
                            + "<qemu:arg value='-foo'/></qemu:commandline>"))),
        bad(
            "bad cache mode",
            t ->
                t.put(
                    "disks",
                    List.of(Map.of("source", Lab.datastore() + "/x.raw", "cache", "sometimes")))),
        bad("negative memory", t -> t.put("memory", -5)));
  }

  private static Arguments bad(String why, Consumer<Map<String, Object>> change) {
    return Arguments.of(why, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTemplates")
  void badTemplatesAre400ProblemsAndReachNoHost(String why, Consumer<Map<String, Object>> change) {
    Map<String, Object> template = new HashMap<>(Guests.template("it-bad", 1));
    change.accept(template);
    Map<?, ?> problem =
        web.post()
            .uri("/api/v1/vms")
            .header("Authorization", "Bearer " + Api.OPERATOR_TOKEN)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("host", SINGLE, "template", template))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    assertThat(problem.get("status")).as(why).isEqualTo(400);
    assertThat(problem.get("detail")).as(why).isNotNull();
    api.client()
        .get()
        .uri("/api/v1/vms/" + template.get("name"))
        .exchange()
        .expectStatus()
        .value(s -> assertThat(s).as(why).isIn(400, 404));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTemplates")
  void renderRefusesTheSameTemplates(String why, Consumer<Map<String, Object>> change) {
    Map<String, Object> template = new HashMap<>(Guests.template("it-bad", 1));
    change.accept(template);
    web.post()
        .uri("/api/v1/vms:render")
        .header("Authorization", "Bearer " + Api.OPERATOR_TOKEN)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("host", SINGLE, "template", template))
        .exchange()
        .expectStatus()
        .isBadRequest();
  }
}
