package io.virtflux.vm.template;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Arrays;
import java.util.List;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.stereotype.Component;

/**
 * Publishes {@code default: []} for list properties annotated {@code @Schema(defaultValue = "[]")}:
 * swagger-core leaves array defaults out. The default matters to generated clients, whose models
 * send {@code []} for every list the caller did not set: the contract must say that {@code []}
 * means what an absent list means.
 */
@Component
class EmptyListDefaults implements PropertyCustomizer {

  static final String EMPTY = "[]";

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Schema customize(Schema property, AnnotatedType type) {
    if (property == null || type.getCtxAnnotations() == null) {
      return property;
    }
    boolean emptyDefault =
        Arrays.stream(type.getCtxAnnotations())
            .filter(io.swagger.v3.oas.annotations.media.Schema.class::isInstance)
            .map(io.swagger.v3.oas.annotations.media.Schema.class::cast)
            .anyMatch(s -> EMPTY.equals(s.defaultValue()));
    if (emptyDefault && property.getItems() != null) {
      property.setDefault(List.of());
    }
    return property;
  }
}
