package io.virtflux.security;

import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** What a token may do. Each role includes the ones below it. */
public enum Role {
  /** Reads hosts, VMs, operations and events. */
  VIEWER,
  /** Also submits and cancels operations. */
  OPERATOR,
  /** Also registers hosts and may use RAW domain XML. */
  ADMIN;

  /** The role's authority and those of every role it includes. */
  public List<GrantedAuthority> authorities() {
    return java.util.Arrays.stream(values())
        .filter(r -> r.ordinal() <= ordinal())
        .<GrantedAuthority>map(r -> new SimpleGrantedAuthority("ROLE_" + r.name()))
        .toList();
  }
}
