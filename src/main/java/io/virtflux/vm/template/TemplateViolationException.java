package io.virtflux.vm.template;

import java.util.List;

/** A template that {@link DomainBuilder} refused; the violations say why. */
public class TemplateViolationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  public TemplateViolationException(List<Violation> violations) {
    super("invalid VM template: " + violations);
    this.violations = List.copyOf(violations);
  }

  /** What is wrong, one entry per field and rule. */
  public List<Violation> violations() {
    return violations;
  }
}
