package io.virtflux.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virtflux.client.model.AttachDiskResult;
import io.virtflux.client.model.Operation;
import io.virtflux.client.model.OperationKind;
import io.virtflux.client.model.OperationPhase;
import io.virtflux.client.model.Problem;
import org.junit.jupiter.api.Test;

/**
 * The Java client generated from the checked-in contract reads what the service sends, including
 * what a later version of the service may send: values it does not know yet.
 */
class GeneratedModelsTest {

  private final ObjectMapper mapper = new ApiClient().getObjectMapper();

  @Test
  void aResultIsTypedByTheOperationsKind() throws Exception {
    Operation op =
        mapper.readValue(
            """
            {"id": "7f3c", "kind": "ATTACH_DISK", "phase": "SUCCEEDED",
             "result": {"kind": "ATTACH_DISK", "vm": "web-1", "target": "vdb", "live": true}}
            """,
            Operation.class);
    assertThat(op.getKind()).isEqualTo(OperationKind.ATTACH_DISK);
    assertThat(op.getResult().getActualInstance()).isInstanceOf(AttachDiskResult.class);
    assertThat(op.getResult().getAttachDiskResult().getTarget()).isEqualTo("vdb");
  }

  @Test
  void aKindAndPhaseAddedLaterParseAsUnknown() throws Exception {
    Operation op =
        mapper.readValue(
            """
            {"id": "7f3d", "kind": "SOMETHING_NEW", "phase": "SOMEWHERE_NEW",
             "target": {"vm": "web-1"}, "result": {"kind": "SOMETHING_NEW", "answer": 42}}
            """,
            Operation.class);
    assertThat(op.getKind()).isEqualTo(OperationKind.UNKNOWN_DEFAULT_OPEN_API);
    assertThat(op.getPhase()).isEqualTo(OperationPhase.UNKNOWN_DEFAULT_OPEN_API);
    assertThat(op.getTarget().getVm()).isEqualTo("web-1");
    // the result parses too, but as the first schema it fits (all fields are optional but kind):
    // a client reads a result's type only for an operation kind it knows
    assertThat(op.getResult()).isNotNull();
  }

  @Test
  void aFailedOperationsErrorIsAProblemWithLibvirtsCode() throws Exception {
    Operation op =
        mapper.readValue(
            """
            {"id": "7f3e", "kind": "RESUME", "phase": "FAILED",
             "error": {"type": "urn:virtflux:problem:wrong-state", "title": "VM is in the wrong state",
                       "status": 409, "detail": "domain is not paused", "host": "lab-a",
                       "libvirtCode": "VIR_ERR_OPERATION_INVALID",
                       "libvirtMessage": "Requested operation is not valid: domain is not paused"}}
            """,
            Operation.class);
    Problem error = op.getError();
    assertThat(String.valueOf(error.getType())).isEqualTo("urn:virtflux:problem:wrong-state");
    assertThat(error.getStatus()).isEqualTo(409);
    assertThat(error.getLibvirtCode()).isEqualTo("VIR_ERR_OPERATION_INVALID");
    assertThat(error.getHost()).isEqualTo("lab-a");
  }
}
