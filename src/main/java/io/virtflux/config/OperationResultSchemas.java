package io.virtflux.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Gives {@code Operation.result} its types in the contract: each command handler's result record
 * becomes a schema whose {@code kind} lists the operation kinds it is the result of, and {@code
 * result} is {@code OperationResult}, any of them with a discriminator on {@code kind} (every
 * result starts with its operation's kind). springdoc sees only the {@code Object} the operation
 * carries; a client generated from the contract would otherwise get an untyped value.
 *
 * <p>{@code anyOf}, not {@code oneOf}: openapi-generator's clients pick an {@code anyOf} member by
 * the discriminator, or else take the first that parses, where {@code oneOf} refuses a value that
 * parses as two members, and results of several kinds have the same optional fields. Only {@code
 * kind} is required: a result reconciled after a restart has {@code reconciledAfterRestart} and no
 * other field.
 */
@Component
class OperationResultSchemas implements OpenApiCustomizer {

  static final String RESULT = "OperationResult";

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
    Map<String, TreeSet<OperationKind>> kindsBySchema = new TreeMap<>();
    handlers
        .orderedStream()
        .sorted(Comparator.comparing(CommandHandler::name))
        .forEach(
            handler ->
                kindsBySchema
                    .computeIfAbsent(
                        ComponentSchemas.register(api, handler.resultType()), n -> new TreeSet<>())
                    .addAll(handler.kinds()));
    List<Schema> anyOf = new ArrayList<>();
    Map<String, String> mapping = new LinkedHashMap<>();
    kindsBySchema.forEach(
        (name, kinds) -> {
          typeByKind(api.getComponents().getSchemas().get(name), kinds);
          anyOf.add(ComponentSchemas.ref(name));
          kinds.forEach(kind -> mapping.put(kind.name(), "#/components/schemas/" + name));
        });
    api.getComponents()
        .addSchemas(
            RESULT,
            new Schema()
                .anyOf(anyOf)
                .discriminator(
                    new Discriminator()
                        .propertyName(Operation.RESULT_KIND)
                        .mapping(new TreeMap<>(mapping)))
                .description(
                    "What an operation produced, once SUCCEEDED: the schema its kind maps to."
                        + " A result of a kind added in a later version of the contract has that"
                        + " kind and fields of its own; a client that does not know the kind keeps"
                        + " it untyped."));
    operation
        .getProperties()
        .put("result", ComponentSchemas.ref(RESULT).description("once SUCCEEDED"));
  }

  /** Adds {@code kind} (those kinds only) and {@code reconciledAfterRestart} to a result schema. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void typeByKind(Schema result, TreeSet<OperationKind> kinds) {
    Map<String, Schema> properties = new LinkedHashMap<>();
    StringSchema kind = new StringSchema();
    kinds.forEach(k -> kind.addEnumItem(k.name()));
    properties.put(
        Operation.RESULT_KIND, kind.description("the operation's kind, which this result is of"));
    if (result.getProperties() != null) {
      properties.putAll(result.getProperties());
    }
    properties.put(
        Operation.RECONCILED_AFTER_RESTART,
        new StringSchema()
            .description(
                "Only when the operation was RUNNING when the service stopped and its host"
                    + " showed it done at the next start: what the host showed. The result then"
                    + " has no other field than kind."));
    result.setProperties(properties);
    result.setRequired(new ArrayList<>(List.of(Operation.RESULT_KIND)));
  }
}
