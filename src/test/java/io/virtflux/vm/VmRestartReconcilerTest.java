package io.virtflux.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.VmState;
import io.virtflux.operation.OperationKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What each kind of operation leaves behind on the host, as the restart reconciliation reads it.
 */
class VmRestartReconcilerTest {

  @Test
  void aKindIsDoneWhenTheDomainShowsItsEffect() {
    assertThat(done(OperationKind.DEPLOY, VmState.RUNNING)).isTrue();
    assertThat(done(OperationKind.DEPLOY, VmState.SHUTOFF)).isFalse();
    assertThat(done(OperationKind.DEPLOY, null)).isFalse();
    assertThat(done(OperationKind.MIGRATE, VmState.RUNNING)).isTrue();
    assertThat(done(OperationKind.SUSPEND, VmState.PAUSED)).isTrue();
    assertThat(done(OperationKind.SUSPEND, VmState.RUNNING)).isFalse();
    assertThat(done(OperationKind.SHUTDOWN, VmState.SHUTOFF)).isTrue();
    assertThat(done(OperationKind.SHUTDOWN, VmState.RUNNING)).isFalse();
    assertThat(done(OperationKind.SHUTDOWN, null)).isFalse();
    assertThat(done(OperationKind.DESTROY, null)).isTrue();
    assertThat(done(OperationKind.DESTROY, VmState.SHUTOFF)).isFalse();
  }

  @Test
  void theObservationSaysWhatTheHostShowed() {
    assertThat(
            VmRestartReconciler.seen(
                    OperationKind.DEPLOY, "web-1", "kvm1", Optional.of(VmState.SHUTOFF))
                .observation())
        .isEqualTo("VM web-1 is SHUTOFF on kvm1");
    assertThat(
            VmRestartReconciler.seen(OperationKind.DEPLOY, "web-1", "kvm1", Optional.empty())
                .observation())
        .isEqualTo("no VM web-1 on kvm1");
  }

  private static boolean done(OperationKind kind, VmState state) {
    return VmRestartReconciler.seen(kind, "vm", "host", Optional.ofNullable(state)).done();
  }
}
