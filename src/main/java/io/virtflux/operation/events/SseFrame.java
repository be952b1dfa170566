package io.virtflux.operation.events;

import io.virtflux.operation.journal.JournalEvent;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One server-sent event (or comment) with its bytes on the wire, encoded once: a live event goes to
 * every subscriber as the same frame, instead of being encoded again for each of them.
 *
 * <p>The wire format is that of Spring's {@code ServerSentEventHttpMessageWriter} ({@code
 * id:…\nevent:…\ndata:…\n\n}); a data value with line breaks becomes one {@code data:} line per
 * line, as the SSE specification reassembles it.
 */
public final class SseFrame {

  private final @Nullable String id;
  private final @Nullable String event;
  private final @Nullable String data;
  private final @Nullable String comment;
  private final byte[] bytes;

  private SseFrame(
      @Nullable String id,
      @Nullable String event,
      @Nullable String data,
      @Nullable String comment) {
    this.id = id;
    this.event = event;
    this.data = data;
    this.comment = comment;
    this.bytes = encode(id, event, data, comment);
  }

  /** A journaled event: its seq as id, its type as event name, its JSON as data. */
  static SseFrame of(JournalEvent event) {
    return new SseFrame(Long.toString(event.seq()), event.type(), event.json(), null);
  }

  /** An event without id. */
  static SseFrame named(String event, String data) {
    return new SseFrame(null, event, data, null);
  }

  /** A comment line, which clients ignore: {@code :text}. */
  static SseFrame comment(String text) {
    return new SseFrame(null, null, null, text);
  }

  @Nullable String id() {
    return id;
  }

  @Nullable String event() {
    return event;
  }

  @Nullable String data() {
    return data;
  }

  @Nullable String comment() {
    return comment;
  }

  /** The frame as sent, shared by every subscriber: never to be written to. */
  public byte[] bytes() {
    return bytes;
  }

  private static byte[] encode(
      @Nullable String id,
      @Nullable String event,
      @Nullable String data,
      @Nullable String comment) {
    StringBuilder frame = new StringBuilder(64 + (data == null ? 0 : data.length()));
    if (id != null) {
      field(frame, "id:", id);
    }
    if (event != null) {
      field(frame, "event:", event);
    }
    if (data != null) {
      field(frame, "data:", data);
    }
    if (comment != null) {
      field(frame, ":", comment);
    }
    return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One line per line of the value, each with the prefix: a value can't end the frame early. */
  private static void field(StringBuilder frame, String prefix, String value) {
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r') {
        frame.append(prefix).append(value, start, i).append('\n');
        if (c == '\r' && i + 1 < value.length() && value.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    frame.append(prefix).append(value, start, value.length()).append('\n');
  }
}
