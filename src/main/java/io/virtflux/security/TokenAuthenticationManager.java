package io.virtflux.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;

/**
 * Checks a bearer token against the configured SHA-256 hashes: the presented token is hashed, and
 * compared with every configured hash in constant time ({@link MessageDigest#isEqual}), so neither
 * the token's content nor which entry matched shows in the time taken. The token itself is never
 * stored or logged.
 */
class TokenAuthenticationManager implements ReactiveAuthenticationManager {

  private record Known(SecurityProperties.Token token, byte[] hash) {}

  private final List<Known> known;

  TokenAuthenticationManager(SecurityProperties properties) {
    this.known =
        properties.tokens().stream()
            .map(t -> new Known(t, HexFormat.of().parseHex(t.sha256().toLowerCase())))
            .toList();
  }

  @Override
  public Mono<Authentication> authenticate(Authentication authentication) {
    byte[] presented = sha256(String.valueOf(authentication.getCredentials()));
    // every entry is compared, match or not: the time taken says nothing about which one matched
    Known match = null;
    for (Known k : known) {
      if (MessageDigest.isEqual(k.hash(), presented) && match == null) {
        match = k;
      }
    }
    if (match != null) {
      return Mono.just(
          UsernamePasswordAuthenticationToken.authenticated(
              match.token().name(), null, match.token().role().authorities()));
    }
    return Mono.error(new BadCredentialsException("unknown bearer token"));
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
