package io.virtflux.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UriParametersTest {

  private static void check(String uri) {
    UriParameters.check(Transport.of(uri), uri);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "qemu:///system",
        "qemu+unix:///system?socket=/run/x/libvirt-sock",
        "qemu+unix:///system?socket=/run/x/libvirt-sock&mode=legacy",
        "qemu+tcp://127.0.0.21:16521/system",
        "qemu+tls://kvm1.example/system",
        "qemu://kvm1.example/system",
        "qemu+tls://[fd00::1]:16514/system",
        "qemu+ssh://root@kvm1.example:2222/system?mode=direct&proxy=native",
        "qemu+libssh://virtflux@kvm1.example/system?sshauth=privkey,agent",
        "qemu+libssh2://kvm1.example/system?socket=/var/run/libvirt/libvirt-sock",
        "test:///default"
      })
  void harmlessUrisPass(String uri) {
    assertThatCode(() -> check(uri)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "qemu+ssh://h/system?command=/bin/sh | a program of the URI author's choosing",
        "qemu+ssh://h/system?netcat=rm%20-rf | a program of the URI author's choosing",
        "qemu+libssh://h/system?NetCat=x | 'netcat'",
        // libvirt unescapes names: %63ommand is command
        "qemu+ssh://h/system?%63ommand=/bin/sh | 'command'",
        // and splits at ; as at &
        "qemu+ssh://h/system?mode=auto;command=/bin/sh | 'command'",
        "qemu+ssh://h/system?keyfile=/etc/shadow | credential files are its configuration",
        "qemu+libssh://h/system?known_hosts=/dev/null | 'known_hosts'",
        "qemu+tls://h/system?pkipath=/tmp/mine | 'pkipath'",
        "qemu+tls://h/system?no_verify=1 | how certificates and host keys are checked",
        "qemu+tls://h/system?tls_priority=NONE | 'tls_priority'",
        "qemu+ssh://h/system?no_verify=1 | 'no_verify'",
        "qemu+libssh://h/system?known_hosts_verify=ignore | 'known_hosts_verify'",
        "qemu+tcp://h/system?socket=/s | this URI takes no parameters",
        "qemu+tls://h/system?name=qemu:///session | 'name' is not accepted",
        "qemu+ssh://h/system?socket=/s;x | 'x' is not accepted (this URI takes: mode, proxy",
        "qemu+ssh://h/system?socket=../x | must match",
        "qemu+unix:///system?socket=/s%0Aevil | must match",
        "qemu+ssh://h/system?proxy=socat | must match",
        "qemu+ssh://-oProxyCommand=x/system | not a host name",
        "qemu+ssh://-x@h/system | plain user name",
        "qemu+ssh://u:secret@h/system | plain user name",
        "qemu+tcp://h/system#x | fragment"
      })
  void dangerousUrisAreRefusedSayingWhy(String uri, String why) {
    assertThatThrownBy(() -> check(uri.strip()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why.strip());
  }

  @ParameterizedTest
  @CsvSource({"a%2Fb, a/b", "%63ommand, command", "100%, 100%", "a+b, a+b", "%zz, %zz"})
  void unescapesAsLibvirtDoes(String in, String out) {
    assertThat(UriParameters.unescape(in)).isEqualTo(out);
  }
}
