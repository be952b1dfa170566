package io.virtflux.security;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bearer tokens, configured by their SHA-256 so that the config never holds a usable secret.
 * Generate one with {@code openssl rand -hex 24} and configure {@code echo -n $TOKEN | sha256sum}.
 */
@Validated
@ConfigurationProperties("virtflux.security")
public record SecurityProperties(@DefaultValue List<Token> tokens) {

  /**
   * One token.
   *
   * @param name who holds it (the principal of operations it submits)
   * @param sha256 lowercase hex SHA-256 of the token
   */
  public record Token(
      @NotBlank String name,
      @NotNull Role role,
      @NotBlank @Pattern(regexp = "[0-9a-fA-F]{64}") String sha256) {}
}
