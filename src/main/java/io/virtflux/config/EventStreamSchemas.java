package io.virtflux.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.virtflux.operation.HostEvent;
import io.virtflux.operation.VmEvent;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Describes the event streams ({@code text/event-stream}) as a sequence of {@code ServerSentEvent}s
 * rather than a JSON document: one event's {@code event} name, {@code id} and {@code data}, with
 * the schema of the data for each event name, so that a client can parse what it reads. Each SSE
 * response of the API gets that schema.
 */
@Component
class EventStreamSchemas implements OpenApiCustomizer {

  static final String EVENT = "ServerSentEvent";
  static final String EVENT_TYPE = "EventType";
  static final String HISTORY_LOST = "HistoryLostEvent";
  private static final String SSE = "text/event-stream";

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public void customise(OpenAPI api) {
    String vm = ComponentSchemas.register(api, VmEvent.class);
    String host = ComponentSchemas.register(api, HostEvent.class);
    api.getComponents().addSchemas(HISTORY_LOST, historyLost());
    api.getComponents().addSchemas(EVENT_TYPE, eventType());
    List<Schema> data = new ArrayList<>();
    data.add(ComponentSchemas.ref("Operation"));
    data.add(ComponentSchemas.ref(vm));
    data.add(ComponentSchemas.ref(host));
    data.add(ComponentSchemas.ref(HISTORY_LOST));
    data.add(new IntegerSchema().format("int64").description("overflow: the last id sent"));
    Schema frame =
        new ObjectSchema()
            .description(
                "One event of a text/event-stream answer, which is not JSON: each event is the"
                    + " lines `id: …`, `event: …` and `data: …`, then an empty line; a line"
                    + " starting with `:` is a comment (`:connected` once the subscription is live,"
                    + " then keep-alives). The data is JSON, by event: operation → Operation, vm →"
                    + " VmEvent, host → HostEvent, history-lost → HistoryLostEvent, overflow → the"
                    + " last id sent (a number). Skip events whose name you do not know: later"
                    + " versions may add some.")
            .addProperty(
                "id",
                new StringSchema()
                    .description(
                        "the event's place in the one sequence of ids (a number); send the last"
                            + " one you saw as lastEventId (or Last-Event-ID) to resume after it."
                            + " Absent on history-lost and overflow"))
            .addProperty("event", ComponentSchemas.ref(EVENT_TYPE))
            .addProperty(
                "data",
                new StringSchema()
                    .contentMediaType("application/json")
                    .contentSchema(new Schema().oneOf(data))
                    .description("JSON, whose schema the event name says"));
    frame.setRequired(new ArrayList<>(List.of("event", "data")));
    api.getComponents().addSchemas(EVENT, frame);
    // what springdoc made of the methods' Flux<DataBuffer>, which no answer refers to any more
    api.getComponents().getSchemas().remove("DataBuffer");
    if (api.getPaths() == null) {
      return;
    }
    api.getPaths().values().stream()
        .flatMap(item -> item.readOperations().stream())
        .filter(op -> op.getResponses() != null)
        .flatMap(op -> op.getResponses().values().stream())
        .filter(response -> response.getContent() != null)
        .forEach(
            response -> {
              MediaType stream = response.getContent().get(SSE);
              if (stream != null) {
                stream.setSchema(ComponentSchemas.ref(EVENT));
              }
            });
  }

  @SuppressWarnings("rawtypes")
  private static Schema eventType() {
    StringSchema type = new StringSchema();
    List.of("operation", "vm", "host", "history-lost", "overflow").forEach(type::addEnumItem);
    return type.description(
        "The name of an event on a stream. Later versions may add names: skip an event whose name"
            + " you do not know.");
  }

  @SuppressWarnings("rawtypes")
  private static Schema historyLost() {
    Schema lost =
        new ObjectSchema()
            .description(
                "The first event of a stream resumed after an id whose following events the"
                    + " journal's retention already deleted: events after lastEventId and before"
                    + " keptFrom may be missing (those of unfinished operations are kept); every"
                    + " event from keptFrom on follows.")
            .addProperty("lastEventId", new IntegerSchema().format("int64"))
            .addProperty("keptFrom", new IntegerSchema().format("int64"));
    lost.setRequired(new ArrayList<>(List.of("lastEventId", "keptFrom")));
    return lost;
  }
}
