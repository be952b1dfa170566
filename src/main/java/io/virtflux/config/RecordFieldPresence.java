package io.virtflux.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Remembers, for every record springdoc turns into a schema, the fields its JSON always has: the
 * components that are not {@code @Nullable} (the codebase is {@code @NullMarked}), not ignored and
 * not left out when empty. {@link RequiredResponseFields} makes them {@code required} where the
 * schema is only ever an answer, so that a generated client's getters of those fields are not
 * nullable. Swagger sees neither JSpecify nor what Jackson leaves out.
 */
@Component
class RecordFieldPresence implements ModelConverter {

  private final Map<String, List<String>> alwaysPresent = new ConcurrentHashMap<>();

  @Override
  @SuppressWarnings("rawtypes")
  public @Nullable Schema resolve(
      AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
    Schema resolved = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
    if (type.getType() != null) {
      Class<?> raw = TypeFactory.defaultInstance().constructType(type.getType()).getRawClass();
      if (raw.isRecord()) {
        alwaysPresent.computeIfAbsent(schemaName(raw), name -> presentFields(raw));
      }
    }
    return resolved;
  }

  /** The fields of the record schema {@code name} that every answer has; empty if unknown. */
  List<String> alwaysPresent(String name) {
    return alwaysPresent.getOrDefault(name, List.of());
  }

  private static String schemaName(Class<?> record) {
    io.swagger.v3.oas.annotations.media.Schema named =
        record.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
    return named != null && !named.name().isEmpty() ? named.name() : record.getSimpleName();
  }

  private static List<String> presentFields(Class<?> record) {
    JsonInclude.Include classInclusion =
        Optional.ofNullable(record.getAnnotation(JsonInclude.class))
            .map(JsonInclude::value)
            .orElse(JsonInclude.Include.ALWAYS);
    List<String> present = new ArrayList<>();
    for (RecordComponent component : record.getRecordComponents()) {
      JsonInclude include = component.getAnnotation(JsonInclude.class);
      JsonInclude.Include inclusion = include != null ? include.value() : classInclusion;
      boolean mayBeLeftOut =
          component.isAnnotationPresent(JsonIgnore.class)
              || component.getAnnotatedType().isAnnotationPresent(Nullable.class)
              || component.getType() == Optional.class
              || !(inclusion == JsonInclude.Include.ALWAYS
                  || inclusion == JsonInclude.Include.NON_NULL
                  || inclusion == JsonInclude.Include.USE_DEFAULTS);
      if (!mayBeLeftOut) {
        JsonProperty renamed = component.getAnnotation(JsonProperty.class);
        present.add(
            renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName());
      }
    }
    return List.copyOf(present);
  }
}
