package io.virtflux.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virtflux.client.model.EventType;
import io.virtflux.client.model.HistoryLostEvent;
import io.virtflux.client.model.HostEvent;
import io.virtflux.client.model.Operation;
import io.virtflux.client.model.VmEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Follows a virtflux event stream ({@code GET /api/v1/events}, {@code GET
 * /api/v1/operations/{id}/events}) with a client generated from the contract: the generated {@code
 * streamEvents()} reads the whole body before it returns, so it cannot follow a live stream. This
 * reader takes what the generated {@link ApiClient} is configured with (its HttpClient, base URI,
 * request interceptor, e.g. for the bearer token, and ObjectMapper) and parses each event's data
 * with the generated models by the event's name: {@code operation} → {@link Operation}, {@code vm}
 * → {@link VmEvent}, {@code host} → {@link HostEvent}, {@code history-lost} → {@link
 * HistoryLostEvent}, {@code overflow} → the last id sent, a {@link Long} (reconnect with it as
 * {@code lastEventId}). An event name a later service version adds arrives with type {@link
 * EventType#UNKNOWN_DEFAULT_OPEN_API} and its data as text.
 *
 * <p>The README's contract section points here: copy it into a client project as it is.
 */
public final class EventStreamReader implements AutoCloseable {

  /**
   * One event of the stream.
   *
   * @param id its id ({@code lastEventId} to resume after it); null for {@code history-lost} and
   *     {@code overflow}, which have none
   * @param type the event's name as the contract's {@link EventType}
   * @param name the event's name as sent (for a type this client does not know)
   * @param data the data parsed by type (see the class comment)
   */
  public record Event(@Nullable Long id, EventType type, String name, Object data) {

    /** The data as {@code type}, e.g. {@code event.data(Operation.class)}. */
    public <T> T data(Class<T> type) {
      return type.cast(data);
    }
  }

  /** What ends the queue: the stream ended (or failed) after the events before it. */
  private static final Object END = new Object();

  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final CountDownLatch connected = new CountDownLatch(1);
  private final ObjectMapper mapper;
  private final Stream<String> lines;
  private final Thread pump;

  private EventStreamReader(ObjectMapper mapper, Stream<String> lines) {
    this.mapper = mapper;
    this.lines = lines;
    this.pump = new Thread(this::pump, "virtflux-events");
    this.pump.setDaemon(true);
  }

  /**
   * Opens the stream at {@code pathAndQuery} (e.g. {@code /api/v1/events?vm=web-1}, or with {@code
   * lastEventId=N} to resume) and returns once the service said {@code :connected}: from then on no
   * event can be missed.
   *
   * @throws ApiException the service refused the stream (its problem is the body)
   */
  public static EventStreamReader open(ApiClient client, String pathAndQuery)
      throws ApiException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(client.getBaseUri() + pathAndQuery))
            .header("Accept", "text/event-stream")
            .GET();
    // no read timeout: an event stream stays open for as long as the service runs
    if (client.getRequestInterceptor() != null) {
      client.getRequestInterceptor().accept(request);
    }
    HttpResponse<Stream<String>> response;
    try {
      response = client.getHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new ApiException(e);
    }
    if (response.statusCode() != 200) {
      String body;
      try (Stream<String> lines = response.body()) {
        body = String.join("\n", (Iterable<String>) lines::iterator);
      }
      throw new ApiException(
          response.statusCode(), "event stream refused", response.headers(), body);
    }
    EventStreamReader reader = new EventStreamReader(client.getObjectMapper(), response.body());
    reader.pump.start();
    if (!reader.connected.await(10, TimeUnit.SECONDS)) {
      reader.close();
      throw new ApiException("the event stream did not say :connected within 10 s");
    }
    return reader;
  }

  /**
   * The next event, waiting at most {@code timeout}; empty when none came in time or the stream
   * ended (see {@link #ended()}).
   *
   * @throws UncheckedIOException an event's data did not parse as its type's model
   */
  public Optional<Event> next(Duration timeout) throws InterruptedException {
    Object next = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (next == END) {
      received.add(END); // every later call sees the end too
      return Optional.empty();
    }
    if (next instanceof UncheckedIOException unparsable) {
      throw unparsable;
    }
    return Optional.ofNullable((Event) next);
  }

  /** Whether the service ended the stream (e.g. after an operation's terminal event). */
  public boolean ended() {
    return received.peek() == END;
  }

  @Override
  public void close() {
    lines.close();
    pump.interrupt();
  }

  /**
   * Reads the lines as the SSE format says: {@code field: value} lines, an event per blank line,
   * comments starting with a colon.
   */
  private void pump() {
    Frame frame = new Frame();
    try {
      Iterator<String> it = lines.iterator();
      while (it.hasNext()) {
        String line = it.next();
        if (line.isEmpty()) {
          if (frame.data != null) {
            received.add(frame.parseOrFailure(mapper));
          }
          frame = new Frame();
        } else if (line.startsWith(":")) {
          if (line.substring(1).strip().equals("connected")) {
            connected.countDown();
          }
        } else {
          frame.field(line);
        }
      }
    } catch (UncheckedIOException e) {
      // the connection ended (or close() closed it): END tells the reader
    } finally {
      received.add(END);
      connected.countDown();
    }
  }

  /** The fields of the event being read. */
  private static final class Frame {
    private @Nullable String id;
    private String event = "message";
    private @Nullable StringBuilder data;

    void field(String line) {
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (name) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value);
          } else {
            data.append('\n').append(value);
          }
        }
        default -> {
          // retry and fields SSE does not define: nothing to keep
        }
      }
    }

    /** The event, or the failure to parse it (which {@link #next} throws). */
    Object parseOrFailure(ObjectMapper mapper) {
      EventType type = EventType.fromValue(event);
      String text = String.valueOf(data);
      try {
        Object parsed =
            switch (type) {
              case OPERATION -> mapper.readValue(text, Operation.class);
              case VM -> mapper.readValue(text, VmEvent.class);
              case HOST -> mapper.readValue(text, HostEvent.class);
              case HISTORY_LOST -> mapper.readValue(text, HistoryLostEvent.class);
              case OVERFLOW -> Long.valueOf(text.strip());
              default -> text;
            };
        return new Event(id == null ? null : Long.valueOf(id), type, event, parsed);
      } catch (IOException | NumberFormatException e) {
        return new UncheckedIOException(
            "event " + event + " " + id + ": " + text,
            e instanceof IOException io ? io : new IOException(e));
      }
    }
  }
}
