package io.virtflux.config;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Map;

/**
 * Adds schemas of types no controller method names (command results, event data) to the contract's
 * components, for the customizers that refer to them.
 */
final class ComponentSchemas {

  private ComponentSchemas() {}

  /** Adds {@code type}'s schema (and those it refers to) and returns its name. */
  @SuppressWarnings("rawtypes")
  static String register(OpenAPI api, Class<?> type) {
    ResolvedSchema resolved =
        ModelConverters.getInstance(true)
            .resolveAsResolvedSchema(new AnnotatedType(type).resolveAsRef(false));
    Map<String, Schema> referenced = resolved.referencedSchemas;
    if (referenced != null) {
      referenced.forEach(
          (name, schema) -> api.getComponents().getSchemas().putIfAbsent(name, schema));
    }
    String name = type.getSimpleName();
    api.getComponents().getSchemas().putIfAbsent(name, resolved.schema);
    return name;
  }

  /** A reference to the component schema {@code name}. */
  @SuppressWarnings("rawtypes")
  static Schema ref(String name) {
    return new Schema().$ref("#/components/schemas/" + name);
  }
}
