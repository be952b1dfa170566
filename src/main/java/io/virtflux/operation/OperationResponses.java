package io.virtflux.operation;

import java.net.URI;
import org.springframework.http.ResponseEntity;

/** Answers for controllers that start operations. */
public final class OperationResponses {

  private OperationResponses() {}

  /** 202 Accepted, {@code Location: /api/v1/operations/{id}}, the operation as body. */
  public static ResponseEntity<Operation> accepted(Operation operation) {
    return ResponseEntity.accepted().location(location(operation)).body(operation);
  }

  public static URI location(Operation operation) {
    return URI.create(OperationController.PATH + "/" + operation.id());
  }
}
