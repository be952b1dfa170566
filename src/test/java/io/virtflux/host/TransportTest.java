package io.virtflux.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransportTest {

  @ParameterizedTest
  @CsvSource({
    "qemu:///system, LOCAL, false",
    "qemu+unix:///system?socket=/run/x/libvirt-sock, UNIX, false",
    "qemu+tcp://127.0.0.21:16521/system, TCP, true",
    "qemu+tls://kvm1.example/system, TLS, true",
    "qemu://kvm1.example/system, TLS, true",
    "qemu+ssh://root@kvm1.example/system, SSH, false",
    "test:///default, TEST, true"
  })
  void transportAndParallelCapabilityFollowTheUriScheme(
      String uri, Transport transport, boolean parallel) {
    assertThat(Transport.of(uri)).isEqualTo(transport);
    assertThat(Transport.of(uri).parallelCapable()).isEqualTo(parallel);
  }

  @ParameterizedTest
  @CsvSource({"xen:///system", "lxc:///", "qemu+ext:///system?command=/bin/sh", "not a uri"})
  void otherDriversAndTransportsAreRefused(String uri) {
    assertThatThrownBy(() -> Transport.of(uri)).isInstanceOf(IllegalArgumentException.class);
  }
}
