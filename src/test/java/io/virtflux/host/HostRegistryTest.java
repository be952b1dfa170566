package io.virtflux.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class HostRegistryTest {

  private static HostConfig host(String name, String uri, Boolean parallel, Integer max) {
    return new HostConfig(name, uri, parallel, max, null, null, null, null, null);
  }

  private final HostRegistry registry =
      new HostRegistry(
          new HostsProperties(
              List.of(
                  host("tcp-parallel", "qemu+tcp://127.0.0.21/system", true, 4),
                  host("tcp-serial", "qemu+tcp://127.0.0.22/system", false, 4),
                  host("ssh-parallel", "qemu+ssh://h/system", true, 4),
                  host("unix", "qemu+unix:///system?socket=/s", true, 4)),
              List.of("/var/lib/one/datastores"),
              3,
              Duration.ZERO));

  @Test
  void onlyTcpOrTlsHostsWithParallelActionsOnGetMoreThanOneSlot() {
    assertThat(registry.maxRunning("tcp-parallel")).isEqualTo(4);
    assertThat(registry.maxRunning("tcp-serial")).isEqualTo(1);
    assertThat(registry.maxRunning("ssh-parallel")).isEqualTo(1);
    assertThat(registry.maxRunning("unix")).isEqualTo(1);
    assertThat(registry.maxDeploys("tcp-parallel")).isEqualTo(3);
  }

  @Test
  void hostsInheritTheServiceWideDatastores() {
    assertThat(registry.require("unix").datastores())
        .extracting(Object::toString)
        .containsExactly("/var/lib/one/datastores");
  }

  @Test
  void duplicateNamesUnknownHostsAndBadUrisAreProblems() {
    assertThatThrownBy(() -> registry.add(host("unix", "qemu:///system", null, null)))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getStatusCode().value()).isEqualTo(409));
    assertThatThrownBy(() -> registry.require("nope"))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getStatusCode().value()).isEqualTo(404));
    assertThatThrownBy(() -> registry.add(host("x", "xen:///", null, null)))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
  }

  @Test
  void aSecondNameForTheSameLibvirtdIsAConflictButTestDriverHostsMayShare() {
    for (String same :
        List.of(
            "qemu+tcp://127.0.0.21/system",
            "qemu+tcp://127.0.0.21:16509/system",
            "QEMU+TCP://127.0.0.21/system/")) {
      assertThatThrownBy(() -> registry.add(host("again", same, null, null)))
          .isInstanceOfSatisfying(
              ErrorResponseException.class,
              e -> {
                assertThat(e.getStatusCode().value()).isEqualTo(409);
                assertThat(e.getBody().getDetail()).contains("tcp-parallel");
              });
    }
    registry.add(host("other-port", "qemu+tcp://127.0.0.21:16510/system", null, null));
    registry.add(host("t1", "test:///default", null, null));
    registry.add(host("t2", "test:///default", null, null));
    assertThat(registry.find("t2")).isPresent();
  }

  @Test
  void aNegativeReservedMemoryIsRefusedWhenTheHostIsAdded() {
    // the API validates its body; a host from the configuration is checked only here
    assertThatThrownBy(
            () ->
                registry.add(
                    new HostConfig(
                        "reserve",
                        "qemu+tcp://127.0.0.31/system",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        -1L)))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> {
              assertThat(e.getStatusCode().value()).isEqualTo(400);
              assertThat(e.getBody().getProperties().toString()).contains("reservedMemoryMiB");
            });
  }

  @Test
  void aPciFilterTheParserRefusesIsRefusedWhenTheHostIsAdded() {
    // a vendor ID above ffff passes the config pattern (it checks the shape only): it must fail
    // here, not at every GET
    assertThatThrownBy(
            () ->
                registry.add(
                    new HostConfig(
                        "pci",
                        "qemu+tcp://127.0.0.30/system",
                        null,
                        null,
                        null,
                        null,
                        null,
                        "10000::",
                        null)))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
  }

  @Test
  void aUriThatWouldRunAProgramIsRefusedAndSshHostsAreOpenedWithoutATerminal() {
    assertThatThrownBy(
            () -> registry.add(host("evil", "qemu+ssh://h/system?command=/bin/sh", null, null)))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> {
              assertThat(e.getStatusCode().value()).isEqualTo(400);
              assertThat(e.getBody().getDetail()).contains("'command'");
            });
    // the ref keeps the URI as configured (migrations hand it on), and opens it with no_tty=1
    assertThat(registry.require("ssh-parallel").ref())
        .isEqualTo(
            new io.virtflux.libvirt.HostRef(
                "ssh-parallel", "qemu+ssh://h/system", "qemu+ssh://h/system?no_tty=1"));
  }
}
