#!/usr/bin/env python3
"""Prints an awsQuery response as the AWS CLI's JSON output would show it.

Usage: botocore_cli_json.py BOTOCORE_MODELS_DIR SERVICE OPERATION RESPONSE.xml

botocore's QueryParser reads the XML against the operation's output shape in
botocore's own model (BOTOCORE_MODELS_DIR/SERVICE/service-2.json), then the
result is written as the AWS CLI v1 writes it (awscli/formatter.py,
JSONFormatter): ResponseMetadata removed, json.dump with indent=4,
ensure_ascii=False and awscli.utils.json_encoder as default (datetime ->
isoformat(), e.g. 2024-01-02T03:04:05.123000+00:00; bytes -> base64).
The workspace test tests/tests/serde.rs reads this output with serde_json.
"""

import base64
import datetime
import json
import os
import sys

import botocore.model
import botocore.parsers


def cli_json_default(obj):
    """The AWS CLI's json_encoder (awscli.utils), restated so awscli is not needed."""
    if isinstance(obj, datetime.datetime):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("utf-8")
    raise TypeError(f"no JSON form for {type(obj).__name__}")


def main(argv):
    if len(argv) != 5:
        sys.exit(f"usage: {argv[0]} BOTOCORE_MODELS_DIR SERVICE OPERATION RESPONSE.xml")
    models_dir, service, operation, response = argv[1:]
    with open(os.path.join(models_dir, service, "service-2.json"), encoding="utf-8") as f:
        model = botocore.model.ServiceModel(json.load(f), service_name=service)
    with open(response, "rb") as f:
        body = f.read()
    parsed = botocore.parsers.QueryParser().parse(
        {"body": body, "headers": {}, "status_code": 200},
        model.operation_model(operation).output_shape,
    )
    parsed.pop("ResponseMetadata", None)
    json.dump(parsed, sys.stdout, indent=4, default=cli_json_default, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
