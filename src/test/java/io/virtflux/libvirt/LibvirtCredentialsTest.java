package io.virtflux.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibvirtCredentialsTest {

  @TempDir Path dir;

  private Path pki() throws IOException {
    Path pki = Files.createDirectories(dir.resolve("pki"));
    for (String f : LibvirtCredentials.PKI_FILES) {
      Files.writeString(pki.resolve(f), "PEM");
    }
    return pki;
  }

  private Path file(String name) throws IOException {
    return Files.writeString(dir.resolve(name), "x");
  }

  private LibvirtCredentials credentials(Path pki, Path key, Path knownHosts) throws IOException {
    return new LibvirtCredentials(
        new LibvirtCredentialsProperties(
            new LibvirtCredentialsProperties.Tls(pki),
            new LibvirtCredentialsProperties.Ssh(key, knownHosts)),
        Files.createDirectories(dir.resolve("script")));
  }

  @Test
  void withoutFilesOnlySshGetsNoTty() {
    LibvirtCredentials none = LibvirtCredentials.none();
    assertThat(none.connectUri("qemu+tls://h/system")).isEqualTo("qemu+tls://h/system");
    assertThat(none.connectUri("qemu+tcp://h/system")).isEqualTo("qemu+tcp://h/system");
    assertThat(none.connectUri("qemu+ssh://h/system")).isEqualTo("qemu+ssh://h/system?no_tty=1");
    assertThat(none.connectUri("qemu+libssh://h/system")).isEqualTo("qemu+libssh://h/system");
  }

  @Test
  void eachTransportGetsTheParametersOfItsFiles() throws IOException {
    Path pki = pki();
    Path key = file("id_ed25519");
    Path known = file("known_hosts");
    LibvirtCredentials c = credentials(pki, key, known);
    assertThat(c.connectUri("qemu+tls://h:16514/system"))
        .isEqualTo("qemu+tls://h:16514/system?pkipath=" + pki);
    assertThat(c.connectUri("qemu://h/system")).isEqualTo("qemu://h/system?pkipath=" + pki);
    assertThat(c.connectUri("qemu:///system")).isEqualTo("qemu:///system");
    assertThat(c.connectUri("qemu+unix:///system?socket=/s"))
        .isEqualTo("qemu+unix:///system?socket=/s");
    assertThat(c.connectUri("test:///default")).isEqualTo("test:///default");
    assertThat(c.connectUri("qemu+libssh://root@h:22/system?sshauth=privkey"))
        .isEqualTo(
            "qemu+libssh://root@h:22/system?sshauth=privkey&keyfile="
                + key
                + "&known_hosts="
                + known);
    assertThat(c.connectUri("qemu+libssh2://h/system"))
        .isEqualTo("qemu+libssh2://h/system?keyfile=" + key + "&known_hosts=" + known);
    Path script = dir.resolve("script/ssh");
    assertThat(c.connectUri("qemu+ssh://root@h/system"))
        .isEqualTo("qemu+ssh://root@h/system?no_tty=1&keyfile=" + key + "&command=" + script);
  }

  @Test
  void theSshScriptChecksHostKeysAgainstTheConfiguredFileOnly() throws IOException {
    Path known = file("known_hosts");
    credentials(null, file("key"), known);
    Path script = dir.resolve("script/ssh");
    assertThat(Files.getPosixFilePermissions(script))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.readString(script))
        .startsWith("#!/bin/sh\n")
        .contains("-o 'UserKnownHostsFile=" + known + "'")
        .contains("-o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes")
        .contains("-o IdentitiesOnly=yes")
        .endsWith(" \"$@\"\n");
  }

  @Test
  void valuesAreEscaped() {
    assertThat(LibvirtCredentials.escape("/a&b;c?d=e#f")).isEqualTo("/a%26b%3Bc%3Fd%3De%23f");
    assertThat(LibvirtCredentials.escape("/ü")).isEqualTo("/%C3%BC");
  }

  @Test
  void missingOrUnreadableFilesStopTheStartSayingWhich() throws IOException {
    Path pki = pki();
    Files.delete(pki.resolve("clientkey.pem"));
    assertThatThrownBy(() -> credentials(pki, null, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("virtflux.libvirt.tls.pki-path=")
        .hasMessageContaining("clientkey.pem is missing");
    assertThatThrownBy(() -> credentials(dir.resolve("nope"), null, null))
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> credentials(null, dir.resolve("nokey"), null))
        .hasMessageContaining("virtflux.libvirt.ssh.key-file=")
        .hasMessageContaining("no such file");
    assertThatThrownBy(() -> credentials(null, null, dir))
        .hasMessageContaining("virtflux.libvirt.ssh.known-hosts=")
        .hasMessageContaining("not a file");
    Path spaced = Files.writeString(dir.resolve("known hosts"), "x");
    assertThatThrownBy(() -> credentials(null, null, spaced))
        .hasMessageContaining("blanks, quotes and % are not supported");
    Path unreadable = file("secret");
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
    if (!Files.isReadable(unreadable)) { // root reads everything
      assertThatThrownBy(() -> credentials(null, unreadable, null))
          .hasMessageContaining("not readable");
    }
  }
}
