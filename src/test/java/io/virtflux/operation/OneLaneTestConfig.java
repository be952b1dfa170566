package io.virtflux.operation;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Lanes of one on every host, whatever a host registry in the context would say. */
@TestConfiguration(proxyBeanMethods = false)
class OneLaneTestConfig {

  @Bean
  @Primary
  LaneLimits oneLanePerHost() {
    return LaneLimits.ONE_AT_A_TIME;
  }
}
