package io.virtflux.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * The codecs buffer up to {@code virtflux.limits.max-body-size} (Spring's default is 256 KiB), so
 * that a body {@link BodySizeLimit} lets through is never refused by a codec, and one knob sets the
 * limit.
 */
@Configuration(proxyBeanMethods = false)
class BodySizeCodecs implements WebFluxConfigurer {

  private final RequestLimitProperties limits;

  BodySizeCodecs(RequestLimitProperties limits) {
    this.limits = limits;
  }

  @Override
  public void configureHttpMessageCodecs(ServerCodecConfigurer codecs) {
    codecs
        .defaultCodecs()
        .maxInMemorySize((int) Math.min(Integer.MAX_VALUE, limits.maxBodySize().toBytes()));
  }
}
