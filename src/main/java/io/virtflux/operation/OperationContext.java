package io.virtflux.operation;

import java.util.Map;

/** What running work may tell the pipeline while it runs. */
public interface OperationContext {

  String operationId();

  /** Replaces the operation's progress and publishes a progress event. */
  void progress(Map<String, Object> progress);
}
