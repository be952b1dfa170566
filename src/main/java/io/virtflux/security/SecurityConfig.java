package io.virtflux.security;

import io.virtflux.api.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Who may do what: bearer tokens with roles. Every {@code /api/v1} route needs a token; health and
 * the Swagger UI page don't. Reads need VIEWER, changes to hosts ADMIN, every other change
 * OPERATOR; {@code AccessTableTest} checks every route of the OpenAPI document against that table.
 * Stateless: no session, no saved request. Spring Security's reactive defaults would create a web
 * session per request, and cost two thread hops, for clients that send their token every time.
 */
@Configuration
@EnableWebFluxSecurity
class SecurityConfig {

  /** Picked up by Spring Security's WebFilterChainProxy for what its firewall refuses. */
  @Bean
  ServerExchangeRejectedHandler problemForRejectedExchange(ProblemWriter problems) {
    return ProblemAuthenticationHandlers.rejected(problems);
  }

  @Bean
  SecurityWebFilterChain api(
      ServerHttpSecurity http, SecurityProperties properties, ProblemWriter problems) {
    AuthenticationWebFilter bearer =
        new AuthenticationWebFilter(new TokenAuthenticationManager(properties));
    bearer.setServerAuthenticationConverter(new BearerTokenConverter());
    bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    bearer.setAuthenticationFailureHandler(
        (exchange, e) ->
            ProblemAuthenticationHandlers.entryPoint(problems).commence(exchange.getExchange(), e));
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(ProblemAuthenticationHandlers.entryPoint(problems))
                    .accessDeniedHandler(ProblemAuthenticationHandlers.accessDenied(problems)))
        .authorizeExchange(
            auth ->
                auth.pathMatchers(
                        "/actuator/health",
                        "/actuator/health/**",
                        "/actuator/info",
                        "/swagger-ui.html",
                        "/swagger-ui/**",
                        "/v3/api-docs",
                        "/v3/api-docs.yaml",
                        "/v3/api-docs/**",
                        "/webjars/**",
                        "/index.html",
                        "/console/**",
                        "/")
                    .permitAll()
                    .pathMatchers(HttpMethod.GET, "/api/v1/**")
                    .hasRole("VIEWER")
                    // registering, removing, disabling, enabling and syncing hosts
                    .pathMatchers("/api/v1/hosts", "/api/v1/hosts/**")
                    .hasRole("ADMIN")
                    .pathMatchers("/api/v1/**")
                    .hasRole("OPERATOR")
                    .anyExchange()
                    .hasRole("VIEWER"))
        .build();
  }
}
