package io.virtflux.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.libvirt.Error.ErrorNumber;

/** Which of libvirt's errors mean "the host is gone" (OFFLINE, the connection is dropped). */
class LibvirtErrorsTest {

  @Test
  void aDeadOrSilentDaemonIsAConnectionLoss() {
    assertThat(
            LibvirtErrors.isConnectionLoss(
                ErrorNumber.VIR_ERR_INTERNAL_ERROR,
                "internal error: connection closed due to keepalive timeout"))
        .isTrue();
    assertThat(
            LibvirtErrors.isConnectionLoss(
                ErrorNumber.VIR_ERR_SYSTEM_ERROR, "Cannot recv data: Connection reset by peer"))
        .isTrue();
    assertThat(LibvirtErrors.isConnectionLoss(ErrorNumber.VIR_ERR_NO_CONNECT, "no connection"))
        .isTrue();
  }

  @Test
  void aGuestSideSystemErrorIsNot() {
    assertThat(
            LibvirtErrors.isConnectionLoss(
                ErrorNumber.VIR_ERR_SYSTEM_ERROR,
                "Cannot access storage file '/x.raw': No such file or directory"))
        .isFalse();
    assertThat(
            LibvirtErrors.isConnectionLoss(
                ErrorNumber.VIR_ERR_INTERNAL_ERROR,
                "internal error: process exited while connecting"))
        .isFalse();
  }

  @Test
  void aRefusedCertificateOrUnknownHostKeySaysSoOnOneLine() {
    assertThat(LibvirtErrors.withHint("Unable to read TLS confirmation: Input/output error"))
        .startsWith("Unable to read TLS confirmation: Input/output error (the host refused the")
        .contains("virtflux.libvirt.tls.pki-path");
    assertThat(
            LibvirtErrors.withHint(
                "Cannot recv data: No ED25519 host key is known for [h]:22 and you have requested"
                    + " strict checking.\r\nHost key verification failed.: Connection reset by peer"))
        .isEqualTo(
            "Cannot recv data: No ED25519 host key is known for [h]:22 and you have requested"
                + " strict checking. Host key verification failed.: Connection reset by peer"
                + " (the host's ssh key is not in the known_hosts file, or differs from it;"
                + " virtflux.libvirt.ssh.known-hosts)");
    assertThat(
            LibvirtErrors.withHint(
                "libssh transport error: No user interaction callback provided: Can't verify the"
                    + " session host key"))
        .contains("virtflux.libvirt.ssh.known-hosts");
    assertThat(
            LibvirtErrors.withHint("unable to connect to server at 'h:16509': Connection refused"))
        .isEqualTo("unable to connect to server at 'h:16509': Connection refused");
  }
}
