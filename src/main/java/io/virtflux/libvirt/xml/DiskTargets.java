package io.virtflux.libvirt.xml;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * libvirt's disk target names: a bus prefix ({@code sd}, {@code vd}, {@code hd}, {@code fd}) and a
 * letter index in bijective base 26 ({@code a}=0 … {@code z}=25, {@code aa}=26), as in libvirt's
 * {@code virDiskNameToIndex}. Used to assign targets at deploy time and to find the next free one
 * for hotplug.
 */
public final class DiskTargets {

  /** Three letters reach index 18277 ({@code zzz}); libvirt accepts no more. */
  private static final int MAX_LETTERS = 3;

  private DiskTargets() {}

  /**
   * The target name for {@code index} under {@code prefix}: ({@code "sd"}, 27) gives {@code sdab}.
   */
  public static String name(String prefix, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("negative disk index: " + index);
    }
    StringBuilder letters = new StringBuilder();
    int i = index;
    do {
      letters.insert(0, (char) ('a' + i % 26));
      i = i / 26 - 1;
    } while (i >= 0);
    if (letters.length() > MAX_LETTERS) {
      throw new IllegalArgumentException("disk index too large: " + index);
    }
    return prefix + letters;
  }

  /**
   * The index of {@code dev} under {@code prefix} ({@code sdab} → 27), or -1 when {@code dev} is
   * not {@code prefix} followed by one to three lowercase letters.
   */
  public static int index(String prefix, String dev) {
    if (!dev.startsWith(prefix)) {
      return -1;
    }
    String letters = dev.substring(prefix.length());
    if (letters.isEmpty() || letters.length() > MAX_LETTERS) {
      return -1;
    }
    int index = 0;
    for (int i = 0; i < letters.length(); i++) {
      char c = letters.charAt(i);
      if (c < 'a' || c > 'z') {
        return -1;
      }
      index = index * 26 + (c - 'a' + 1);
    }
    return index - 1;
  }

  /** The lowest-index target under {@code prefix} not in {@code used}. */
  public static String nextFree(String prefix, Collection<String> used) {
    Set<Integer> taken = new HashSet<>();
    for (String dev : used) {
      int i = index(prefix, dev);
      if (i >= 0) {
        taken.add(i);
      }
    }
    int i = 0;
    while (taken.contains(i)) {
      i++;
    }
    return name(prefix, i);
  }
}
