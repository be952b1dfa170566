"""Parses answers the service really sent with the Python client generated from the contract.

Usage: parse_answers_with_python_client.py DIR. Every file DIR/<Model>.<n>.json holds one answer to
parse as the generated model <Model>; DIR/list.<Model>.<n>.json a JSON array of them. Exits non-zero,
naming the file, when one does not parse: the contract promised something the service does not send
(a required field it leaves out, a value outside an enum, a wrong type).
"""
import importlib
import json
import pathlib
import re
import sys


def model(name):
    module = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return getattr(importlib.import_module("virtflux_client.models." + module), name)


parsed = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    parts = path.name.split(".")
    listed = parts[0] == "list"
    cls = model(parts[1] if listed else parts[0])
    answer = json.loads(path.read_text())
    try:
        for item in answer if listed else [answer]:
            cls.from_dict(item)
            parsed += 1
    except Exception as e:  # noqa: BLE001 - the file's name and the error are the report
        sys.exit(f"{path.name} does not parse as {cls.__name__}: {e}")
print(f"virtflux_client: {parsed} answers of the service parsed")
