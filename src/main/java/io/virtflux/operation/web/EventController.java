package io.virtflux.operation.web;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.virtflux.api.Problems;
import io.virtflux.operation.OperationFilter;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationService;
import io.virtflux.operation.events.OperationEventStreams;
import io.virtflux.operation.events.SseFrame;
import io.virtflux.operation.journal.JournalEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;

/**
 * Operation events as server-sent events: {@code event: operation}, {@code id:} the journal's seq,
 * {@code data:} the operation as it is after the change.
 */
@RestController
@Tag(name = "events")
class EventController {

  /** The values of the {@code type} parameter, in the order the contract lists them. */
  private static final List<String> EVENT_TYPES =
      List.of(JournalEvent.OPERATION, JournalEvent.VM, JournalEvent.HOST);

  private final OperationEventStreams streams;
  private final OperationService operations;

  EventController(OperationEventStreams streams, OperationService operations) {
    this.streams = streams;
    this.operations = operations;
  }

  @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @io.swagger.v3.oas.annotations.Operation(
      operationId = "streamEvents",
      summary = "Stream events",
      description =
          "Server-sent events of every operation (event: operation), of libvirt's VM"
              + " lifecycle (event: vm) and of hosts' state changes (event: host), with ids from"
              + " one sequence; Last-Event-ID (header or query) replays what came after it from"
              + " the journal, then continues live. A generated client's method for this"
              + " operation cannot follow a live stream: read it with an SSE reader (see the"
              + " README) and parse each event's data with the models ServerSentEvent names.")
  @ApiResponse(
      responseCode = "200",
      description =
          "`event: operation`: every phase change and progress update of the matching operations;"
              + " `event: vm`: libvirt's lifecycle events of VMs on every host (defined, undefined,"
              + " started, suspended, resumed, stopped, shutdown, crashed, with libvirt's detail),"
              + " including changes made outside the service; `event: host`: a host's new state"
              + " (ONLINE, OFFLINE with its reason, ERROR, …) whenever it changes. All share one id"
              + " sequence. With"
              + " Last-Event-ID,"
              + " the events after it are replayed from the journal first. When the journal's"
              + " retention already deleted events after that id, the stream starts with `event:"
              + " history-lost` (no id), data `{\"lastEventId\":L,\"keptFrom\":N}`: events after L"
              + " and before N may be gone (those of operations still unfinished are kept and"
              + " replayed), every event from N on follows; a replay is never silently partial."
              + " A subscriber that reads"
              + " too slowly gets a final `event: overflow` whose data is the last id it was sent"
              + " (0 if none), and should reconnect with that as Last-Event-ID. Once the"
              + " `:connected` comment arrived, no later event can be missed.",
      content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
  Flux<DataBuffer> events(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String host,
      @RequestParam(required = false) @Nullable String vm,
      @RequestParam(required = false) @Nullable OperationKind kind,
      @Parameter(
              description =
                  "which events: operation (phase changes and progress of operations), vm"
                      + " (libvirt's lifecycle events of VMs: started, stopped, crashed, …), host"
                      + " (hosts' state changes); all when absent. kind selects operation events"
                      + " only; vm excludes host events.",
              array =
                  @ArraySchema(
                      schema =
                          @Schema(
                              allowableValues = {
                                JournalEvent.OPERATION,
                                JournalEvent.VM,
                                JournalEvent.HOST
                              })))
          @RequestParam(name = "type", required = false)
          @Nullable List<String> types,
      // the SSE standard's header, which a browser's EventSource sends when it reconnects; left
      // out of the contract because a generated client would get two parameters of one name
      @Parameter(hidden = true) @RequestHeader(name = "Last-Event-ID", required = false)
          @Nullable Long lastEventIdHeader,
      @Parameter(
              description =
                  "the last event id seen: replays what came after it. The Last-Event-ID header"
                      + " (which EventSource sends when it reconnects) does the same and wins"
                      + " when both are sent.")
          @RequestParam(name = "lastEventId", required = false)
          @Nullable Long lastEventId) {
    OperationFilter filter = new OperationFilter(host, vm, kind, null);
    boolean all = types == null || types.isEmpty();
    if (!all && !EVENT_TYPES.containsAll(types)) {
      // thrown, not a Flux error: the answer is then a problem, not an event stream
      throw Problems.invalidField(
          "Invalid request", "type", "must be one of " + String.join(", ", EVENT_TYPES));
    }
    return written(
        exchange,
        streams.all(
            filter,
            all || types.contains(JournalEvent.OPERATION),
            all || types.contains(JournalEvent.VM),
            all || types.contains(JournalEvent.HOST),
            lastEventIdHeader != null ? lastEventIdHeader : lastEventId,
            DeliveryThreads.of(exchange)));
  }

  @GetMapping(path = "/api/v1/operations/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @io.swagger.v3.oas.annotations.Operation(
      operationId = "streamOperationEvents",
      summary = "Stream one operation's events",
      description = "Its events from the first; the stream completes after its terminal one.")
  @ApiResponse(
      responseCode = "200",
      description =
          "`event: operation` with the operation as data, from its first event; the stream ends"
              + " after its terminal one",
      content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
  @ApiResponse(responseCode = "404", description = "no such operation")
  Flux<DataBuffer> operationEvents(ServerWebExchange exchange, @PathVariable String id) {
    return written(
        exchange, operations.find(id).thenMany(streams.of(id, DeliveryThreads.of(exchange))));
  }

  /**
   * The batches of frames as the response body, one buffer per batch. A {@code Flux<DataBuffer>} is
   * written without a flush per element (unlike {@code ServerSentEvent}s): Reactor Netty flushes
   * once per run of whatever is ready. The frames' bytes, shared by every subscriber, are wrapped
   * and joined (a composite on Netty), not copied.
   */
  private static Flux<DataBuffer> written(
      ServerWebExchange exchange, Flux<List<SseFrame>> batches) {
    DataBufferFactory buffers = exchange.getResponse().bufferFactory();
    return batches.map(
        batch -> buffers.join(batch.stream().map(frame -> buffers.wrap(frame.bytes())).toList()));
  }
}
