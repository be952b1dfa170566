package io.virtflux.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import reactor.test.StepVerifier;

class TokenAuthenticationManagerTest {

  // printf %s s3cret-operator | sha256sum; the admin one in upper case, as configs may hold it
  private static final String OPERATOR_SHA256 =
      "c472ca61cf64c27f85de394cbeb3324bcd446e4f1060c0a9d7ef4fc762bbc759";
  private static final String ADMIN_SHA256 =
      "77A4E206296282B0C1ACEBC0BEBFF60856CF558F731762D241CB9BE07B60119A";

  private final TokenAuthenticationManager manager =
      new TokenAuthenticationManager(
          new SecurityProperties(
              List.of(
                  new SecurityProperties.Token("ops", Role.OPERATOR, OPERATOR_SHA256),
                  new SecurityProperties.Token("root", Role.ADMIN, ADMIN_SHA256))));

  @Test
  void aKnownTokenAuthenticatesWithItsRoleAndTheRolesBelowIt() {
    StepVerifier.create(
            manager.authenticate(
                UsernamePasswordAuthenticationToken.unauthenticated("bearer", "s3cret-operator")))
        .assertNext(
            a -> {
              assertThat(a.getName()).isEqualTo("ops");
              assertThat(a.getAuthorities())
                  .extracting(GrantedAuthority::getAuthority)
                  .containsExactlyInAnyOrder("ROLE_VIEWER", "ROLE_OPERATOR");
            })
        .verifyComplete();
  }

  @Test
  void anUnknownTokenIsRefused() {
    StepVerifier.create(
            manager.authenticate(
                UsernamePasswordAuthenticationToken.unauthenticated("bearer", "guess")))
        .expectError(BadCredentialsException.class)
        .verify();
  }
}
