"""botocore against the generated fake server (tests/tests/fake_server.rs).

Input (JSON on stdin): endpoint, access_key, secret_key.
Output (JSON): for each call, {"ok": <the response botocore parsed, without
ResponseMetadata>} or {"error": {"code", "message", "status"}}. Timestamps are
printed with str() (`2026-01-01 12:00:00+00:00`). botocore retries nothing here,
so each call is one request.
"""
import json
import sys

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

spec = json.load(sys.stdin)
session = botocore.session.get_session()


def client(secret_key):
    return session.create_client(
        "elasticache",
        region_name="us-east-1",
        endpoint_url=spec["endpoint"],
        aws_access_key_id=spec["access_key"],
        aws_secret_access_key=secret_key,
        config=Config(retries={"total_max_attempts": 1}),
    )


def call(elasticache, operation, **params):
    try:
        response = getattr(elasticache, operation)(**params)
    except ClientError as error:
        return {
            "error": {
                "code": error.response["Error"].get("Code"),
                "message": error.response["Error"].get("Message"),
                "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
            }
        }
    response.pop("ResponseMetadata", None)
    return {"ok": response}


good = client(spec["secret_key"])
endpoints = [{"Address": "10.0.0.1", "Port": 6379}]
results = {
    "create": call(
        good,
        "create_replication_group",
        ReplicationGroupId="rg-boto",
        ReplicationGroupDescription="made by botocore & <friends>",
        Engine="valkey",
        NumCacheClusters=2,
        AuthToken="botocore-secret-token-1234",
        Tags=[{"Key": "team", "Value": "cache"}],
    ),
    "describe": call(good, "describe_replication_groups", ReplicationGroupId="rg-boto"),
    "describe_all": call(good, "describe_replication_groups"),
    "migrate": call(
        good, "start_migration", ReplicationGroupId="rg-boto", CustomerNodeEndpointList=endpoints
    ),
    "migrate_missing": call(
        good, "start_migration", ReplicationGroupId="rg-none", CustomerNodeEndpointList=endpoints
    ),
    "not_implemented": call(good, "delete_replication_group", ReplicationGroupId="rg-boto"),
    "bad_signature": call(client("not-the-secret"), "describe_replication_groups"),
}
print(json.dumps(results, default=str, sort_keys=True))
