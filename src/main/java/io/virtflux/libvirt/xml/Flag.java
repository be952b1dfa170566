package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;

/**
 * An empty marker element such as {@code <acpi/>} or {@code <readonly/>}: present means on, absent
 * (a {@code null} component) means off.
 */
public record Flag() {

  /** The one instance worth having. */
  public static final Flag ON = new Flag();

  /** {@link #ON} when {@code on}, else {@code null} so that the element is left out. */
  public static @Nullable Flag of(boolean on) {
    return on ? ON : null;
  }

  /** Whether a marker element was present. */
  public static boolean isOn(@Nullable Flag flag) {
    return flag != null;
  }
}
