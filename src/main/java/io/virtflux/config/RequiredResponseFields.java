package io.virtflux.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Lists, in every schema that is only ever an answer (reached from responses and never from a
 * request body or parameter), the fields every answer has as {@code required}. Request schemas are
 * left alone: there a field the service defaults must stay optional. Runs after the customizers
 * that add schemas, and leaves a schema that already says what it requires alone.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class RequiredResponseFields implements OpenApiCustomizer {

  private static final String REF = "#/components/schemas/";

  private final RecordFieldPresence presence;

  RequiredResponseFields(RecordFieldPresence presence) {
    this.presence = presence;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void customise(OpenAPI api) {
    Map<String, Schema> schemas = api.getComponents().getSchemas();
    if (schemas == null || api.getPaths() == null) {
      return;
    }
    List<Schema> answers = new ArrayList<>();
    List<Schema> asked = new ArrayList<>();
    api.getPaths()
        .values()
        .forEach(
            item ->
                item.readOperations()
                    .forEach(
                        op -> {
                          if (op.getResponses() != null) {
                            op.getResponses().values().stream()
                                .map(r -> r.getContent())
                                .forEach(c -> answers.addAll(schemasOf(c)));
                          }
                          if (op.getRequestBody() != null) {
                            asked.addAll(schemasOf(op.getRequestBody().getContent()));
                          }
                          if (op.getParameters() != null) {
                            op.getParameters().stream()
                                .map(p -> p.getSchema())
                                .filter(Objects::nonNull)
                                .forEach(asked::add);
                          }
                        }));
    Set<String> answered = reachable(answers, schemas);
    answered.removeAll(reachable(asked, schemas));
    for (String name : answered) {
      Schema schema = schemas.get(name);
      if (schema == null || schema.getProperties() == null || schema.getRequired() != null) {
        continue;
      }
      List<String> present =
          presence.alwaysPresent(name).stream()
              .filter(field -> schema.getProperties().containsKey(field))
              .toList();
      if (!present.isEmpty()) {
        schema.setRequired(new ArrayList<>(present));
      }
    }
  }

  @SuppressWarnings("rawtypes")
  private static List<Schema> schemasOf(Content content) {
    if (content == null) {
      return List.of();
    }
    return content.values().stream().map(m -> m.getSchema()).filter(Objects::nonNull).toList();
  }

  /** The names of the component schemas that {@code roots} refer to, directly or not. */
  @SuppressWarnings("rawtypes")
  private static Set<String> reachable(Collection<Schema> roots, Map<String, Schema> schemas) {
    Set<String> names = new HashSet<>();
    Deque<Schema> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      Schema schema = todo.pop();
      String ref = schema.get$ref();
      if (ref != null && ref.startsWith(REF)) {
        String name = ref.substring(REF.length());
        if (names.add(name) && schemas.get(name) != null) {
          todo.push(schemas.get(name));
        }
        continue;
      }
      children(schema).filter(Objects::nonNull).forEach(todo::push);
    }
    return names;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Stream<Schema> children(Schema schema) {
    List<Schema> out = new ArrayList<>();
    if (schema.getProperties() != null) {
      out.addAll(schema.getProperties().values());
    }
    if (schema.getItems() != null) {
      out.add(schema.getItems());
    }
    if (schema.getAdditionalProperties() instanceof Schema more) {
      out.add(more);
    }
    Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())
        .filter(Objects::nonNull)
        .forEach(list -> out.addAll((List<Schema>) list));
    if (schema.getContentSchema() != null) {
      out.add(schema.getContentSchema());
    }
    return out.stream();
  }
}
