"""Parses what the service sends with the Python client generated from the contract (PythonClientTest).

Run with the generated package (target/virtflux-client-python) on PYTHONPATH; exits non-zero, with the
reason, when the package does not import or a model does not parse as the contract says.
"""
import json

from virtflux_client.models.operation import Operation
from virtflux_client.models.operation_kind import OperationKind
from virtflux_client.models.operation_phase import OperationPhase
from virtflux_client.models.problem import Problem
from virtflux_client.models.vm_deploy_result import VmDeployResult

# the fields every operation has (the contract's required ones), as the service sends them
COMMON = {"target": {"vm": "web-1", "hosts": ["lab-a"]}, "createdAt": "2026-12-07T12:00:00Z",
          "requestedBy": "admin"}

deployed = Operation.from_json(json.dumps({
    **COMMON, "id": "7f3c", "kind": "DEPLOY", "phase": "SUCCEEDED",
    "result": {"kind": "DEPLOY", "vm": "web-1", "host": "lab-a", "state": "RUNNING"},
}))
assert deployed.kind == OperationKind.DEPLOY, deployed.kind
assert deployed.phase == OperationPhase.SUCCEEDED, deployed.phase
result = deployed.result.actual_instance
assert isinstance(result, VmDeployResult), type(result)
assert result.host == "lab-a", result

failed = Operation.from_json(json.dumps({
    **COMMON, "id": "7f3e", "kind": "RESUME", "phase": "FAILED",
    "error": {"type": "urn:virtflux:problem:wrong-state", "title": "VM is in the wrong state",
              "status": 409, "libvirtCode": "VIR_ERR_OPERATION_INVALID"},
}))
assert failed.error.libvirt_code == "VIR_ERR_OPERATION_INVALID", failed.error

problem = Problem.from_json(json.dumps({
    "type": "urn:virtflux:problem:wrong-state", "title": "VM is in the wrong state", "status": 409,
    "libvirtCode": "VIR_ERR_OPERATION_INVALID", "libvirtMessage": "domain is not paused",
}))
assert problem.libvirt_code == "VIR_ERR_OPERATION_INVALID", problem
assert problem.status == 409, problem
print("virtflux_client: Operation with a typed result and Problem with libvirtCode parsed")
