package io.virtflux.host;

/** The shape of a host's name, wherever the API takes one (body field, path, query). */
public final class HostNames {

  /**
   * 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit. Anchored: the
   * contract's patterns are ECMA regexes, which match anywhere in the value unless anchored, so a
   * generated client would otherwise let {@code kvm1/../x} by.
   */
  public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";

  private HostNames() {}
}
