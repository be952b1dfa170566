package io.virtflux.operation.journal;

import io.virtflux.operation.HostOwnership;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** On the embedded journal, one replica owns every host for good: {@link HostOwnership#SOLE}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!(" + SharedJournal.CONDITION + ")")
class SoleReplica {

  @Bean
  HostOwnership soleOwner() {
    return HostOwnership.SOLE;
  }
}
