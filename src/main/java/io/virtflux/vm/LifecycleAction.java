package io.virtflux.vm;

import io.virtflux.api.Problems;
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

  /**
   * @throws org.springframework.web.ErrorResponseException 400 naming the actions that exist
   */
  public static LifecycleAction parse(String action) {
    for (LifecycleAction a : values()) {
      if (a.name().equalsIgnoreCase(action)) {
        return a;
      }
    }
    throw Problems.invalidField(
        "Unknown action",
        "action",
        "'"
            + action
            + "' is not an action; use one of "
            + java.util.Arrays.stream(values())
                .map(v -> v.name().toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(", ")));
  }
}
