package io.virtflux.vm.template;

import java.util.ArrayList;
import java.util.List;

/** Collects violations while the rules run. */
final class Violations {

  private final List<Violation> found = new ArrayList<>();

  void add(String field, String message) {
    found.add(new Violation(field, message));
  }

  List<Violation> list() {
    return List.copyOf(found);
  }
}
