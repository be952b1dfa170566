package io.virtflux.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import reactor.test.StepVerifier;

class TokenAuthenticationManagerTest {

  private static String hash(String token) {
    return HexFormat.of().formatHex(TokenAuthenticationManager.sha256(token));
  }

  private final TokenAuthenticationManager manager =
      new TokenAuthenticationManager(
          new SecurityProperties(
              List.of(
                  new SecurityProperties.Token("ops", Role.OPERATOR, hash("s3cret-operator")),
                  new SecurityProperties.Token("root", Role.ADMIN, hash("s3cret-admin")))));

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
