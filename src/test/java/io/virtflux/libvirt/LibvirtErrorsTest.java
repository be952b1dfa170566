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
}
