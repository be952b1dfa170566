package io.virtflux.operation;

import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of the journal's columns and of the events' snapshots. Built from the application's
 * mapper so that a snapshot sent over SSE reads exactly like the same operation from the REST API.
 */
@Component
public final class JournalJson {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JsonMapper mapper;

  JournalJson(JsonMapper applicationMapper) {
    // explicit, so that problems keep their flat RFC 9457 shape whatever the web layer configures
    this.mapper =
        applicationMapper
            .rebuild()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
            .build();
  }

  public String write(Object value) {
    return mapper.writeValueAsString(value);
  }

  public Operation readOperation(String json) {
    return mapper.readValue(json, Operation.class);
  }

  public VmEvent readVmEvent(String json) {
    return mapper.readValue(json, VmEvent.class);
  }

  public HostEvent readHostEvent(String json) {
    return mapper.readValue(json, HostEvent.class);
  }

  public Map<String, Object> readMap(String json) {
    return mapper.readValue(json, MAP);
  }

  public ProblemDetail readProblem(String json) {
    return mapper.readValue(json, ProblemDetail.class);
  }

  JournaledCommand readCommand(String json) {
    return mapper.readValue(json, JournaledCommand.class);
  }

  /** Plain JSON data (as {@link #readCommand} leaves a command's fields) as {@code type}. */
  <T> T convert(Object plain, Class<T> type) {
    return mapper.convertValue(plain, type);
  }

  public Object readValue(String json) {
    return mapper.readValue(json, Object.class);
  }

  /**
   * The value as plain JSON data (maps, lists, scalars). Done once when the work ends, so that a
   * result which cannot be serialised fails the operation instead of its journal write.
   */
  Object plain(Object value) {
    return mapper.convertValue(value, Object.class);
  }

  Map<String, Object> plainMap(Map<String, ?> value) {
    return mapper.convertValue(value, MAP);
  }
}
