package io.virtflux.vm;

import io.virtflux.operation.OperationKind;
import java.util.Locale;

/** The actions of {@code POST /api/v1/vms/{name}/actions/{action}}, each an operation kind. */
public enum LifecycleAction {
  START(OperationKind.START),
  SHUTDOWN(OperationKind.SHUTDOWN),
  CANCEL(OperationKind.CANCEL),
  REBOOT(OperationKind.REBOOT),
  RESET(OperationKind.RESET),
  SUSPEND(OperationKind.SUSPEND),
  RESUME(OperationKind.RESUME),
  SAVE(OperationKind.SAVE),
  RESTORE(OperationKind.RESTORE);

  private final OperationKind kind;

  LifecycleAction(OperationKind kind) {
    this.kind = kind;
  }

  public OperationKind kind() {
    return kind;
  }

  public static LifecycleAction parse(String action) {
    return valueOf(action.toUpperCase(Locale.ROOT));
  }
}
