package io.virtflux.bench;

import java.time.Instant;

/** Reads one top-level string field out of an operation's JSON without a full parse. */
final class JsonFields {

  private JsonFields() {}

  static String string(String json, String field) {
    String key = "\"" + field + "\":\"";
    int start = json.indexOf(key);
    if (start < 0) {
      return null;
    }
    start += key.length();
    return json.substring(start, json.indexOf('"', start));
  }

  /** An Instant field as epoch nanoseconds, or -1 when absent. */
  static long epochNanos(String json, String field) {
    String text = string(json, field);
    if (text == null) {
      return -1;
    }
    Instant at = Instant.parse(text);
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
