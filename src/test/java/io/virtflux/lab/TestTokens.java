package io.virtflux.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Bearer tokens for tests, configured as the service wants them: by their SHA-256 only. */
public final class TestTokens {

  private TestTokens() {}

  /** Configures token number {@code index}: its holder's name, role, and the token's hash. */
  public static void register(
      DynamicPropertyRegistry registry, int index, String name, String role, String token) {
    String p = "virtflux.security.tokens[" + index + "].";
    registry.add(p + "name", () -> name);
    registry.add(p + "role", () -> role);
    registry.add(p + "sha256", () -> sha256(token));
  }

  /** Lowercase hex SHA-256 of {@code token}, as virtflux.security.tokens[].sha256 holds it. */
  public static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
