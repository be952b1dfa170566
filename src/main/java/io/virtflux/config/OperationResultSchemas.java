package io.virtflux.config;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.ReconciledAfterRestart;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Gives {@code Operation.result} its types in the contract: each command handler's result record
 * becomes a schema, and {@code result} is any of them, with the kind each belongs to in the
 * description ({@code anyOf}, not {@code oneOf}: results share fields such as {@code vm} and {@code
 * state}, and a generated client refuses a value that matches two {@code oneOf} schemas). springdoc
 * sees only the {@code Object} the operation carries; a client generated from the contract would
 * otherwise get an untyped value.
 */
@Component
class OperationResultSchemas implements OpenApiCustomizer {

  private final ObjectProvider<CommandHandler<?, ?>> handlers;

  OperationResultSchemas(ObjectProvider<CommandHandler<?, ?>> handlers) {
    this.handlers = handlers;
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public void customise(OpenAPI api) {
    Schema operation = api.getComponents().getSchemas().get("Operation");
    if (operation == null || operation.getProperties() == null) {
      return;
    }
    Map<String, List<OperationKind>> kindsBySchema = new TreeMap<>();
    handlers
        .orderedStream()
        .sorted(Comparator.comparing(CommandHandler::name))
        .forEach(
            handler -> {
              String name = register(api, handler.resultType());
              kindsBySchema
                  .computeIfAbsent(name, n -> new ArrayList<>())
                  .addAll(handler.kinds().stream().sorted().toList());
            });
    String reconciled = register(api, ReconciledAfterRestart.class);
    List<Schema> anyOf = new ArrayList<>();
    kindsBySchema.keySet().forEach(name -> anyOf.add(ref(name)));
    anyOf.add(ref(reconciled));
    String byKind =
        kindsBySchema.entrySet().stream()
            .map(
                e ->
                    e.getValue().stream().map(Enum::name).collect(Collectors.joining(", "))
                        + ": "
                        + e.getKey())
            .collect(Collectors.joining("; "));
    Schema result =
        new Schema()
            .anyOf(anyOf)
            .description(
                "What the operation produced, once SUCCEEDED; by kind: "
                    + byKind
                    + ". An operation that was RUNNING when the service stopped, and that its"
                    + " host showed done at the next start, has "
                    + reconciled
                    + ".");
    operation.getProperties().put("result", result);
  }

  /** Adds {@code type}'s schema (and those it refers to) and returns its name. */
  @SuppressWarnings("rawtypes")
  private static String register(OpenAPI api, Class<?> type) {
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

  @SuppressWarnings("rawtypes")
  private static Schema ref(String name) {
    return new Schema().$ref("#/components/schemas/" + name);
  }
}
