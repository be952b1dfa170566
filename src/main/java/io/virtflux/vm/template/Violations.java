package io.virtflux.vm.template;

import java.util.ArrayList;
import java.util.List;

/** Collects violations while the rules run. */
final class Violations {

  private final List<Violation> found = new ArrayList<>();

  /** The field {@code name} under {@code prefix} ({@code disks[0].source}), or {@code name}. */
  static String at(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  void add(String field, String message) {
    found.add(new Violation(field, message));
  }

  List<Violation> list() {
    return List.copyOf(found);
  }
}
