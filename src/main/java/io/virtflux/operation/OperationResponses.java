package io.virtflux.operation;

import java.net.URI;
import org.springframework.http.ResponseEntity;

/** Answers for controllers that start operations. */
public final class OperationResponses {

  /**
   * Where operations are served as resources. Kept here, with the answers that point there, rather
   * than on the controller: features build their Location headers from it, and the API they use
   * must not depend on the controller that serves it.
   */
  public static final String PATH = "/api/v1/operations";

  private OperationResponses() {}

  /** 202 Accepted, {@code Location: /api/v1/operations/{id}}, the operation as body. */
  public static ResponseEntity<Operation> accepted(Operation operation) {
    return ResponseEntity.accepted().location(location(operation)).body(operation);
  }

  public static URI location(Operation operation) {
    return URI.create(PATH + "/" + operation.id());
  }
}
