package io.virtflux.vm;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Locale;

/**
 * The {@code {action}} path segment as the contract publishes it (the component {@code
 * LifecycleAction}): the lower-case name of each {@link LifecycleAction}. A separate enum because
 * {@link LifecycleAction} keeps its upper-case JSON form, which journaled commands store; the path
 * itself is parsed case-insensitively by {@link LifecycleAction#parse}.
 */
@Schema(name = "LifecycleAction", enumAsRef = true)
enum LifecycleActionName {
  START(LifecycleAction.START),
  SHUTDOWN(LifecycleAction.SHUTDOWN),
  CANCEL(LifecycleAction.CANCEL),
  REBOOT(LifecycleAction.REBOOT),
  RESET(LifecycleAction.RESET),
  SUSPEND(LifecycleAction.SUSPEND),
  RESUME(LifecycleAction.RESUME),
  SAVE(LifecycleAction.SAVE),
  RESTORE(LifecycleAction.RESTORE);

  private final LifecycleAction action;

  LifecycleActionName(LifecycleAction action) {
    this.action = action;
  }

  /** The path segment: {@code start}, {@code shutdown}, … */
  @JsonValue
  String wire() {
    return action.name().toLowerCase(Locale.ROOT);
  }
}
