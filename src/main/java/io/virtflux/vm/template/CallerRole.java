package io.virtflux.vm.template;

/** Who submits a template; decides whether the RAW policy applies ({@link VmPolicy}). */
public enum CallerRole {
  /** An ordinary caller: RAW is checked against the allow and deny lists. */
  USER,
  /** An administrator: RAW is unrestricted if {@link VmPolicy#rawUnrestrictedForAdmin()}. */
  ADMIN
}
