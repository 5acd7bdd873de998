"""Independent SigV4 reference: botocore signs a request described on stdin.

Input (JSON): method, url, headers (list of [name, value]), body, access_key,
secret_key, token (or null), region, service, timestamp (YYYYMMDDTHHMMSSZ).
Output (JSON): the headers botocore adds (Authorization, X-Amz-Date, and the
security token header when a token is given).
"""
import datetime
import json
import sys

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

spec = json.load(sys.stdin)
fixed = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
# Sign for the given instant instead of the clock.
botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed

request = AWSRequest(
    method=spec["method"],
    url=spec["url"],
    data=spec["body"].encode("utf-8"),
    headers=dict(spec["headers"]),
)
credentials = Credentials(spec["access_key"], spec["secret_key"], spec.get("token"))
SigV4Auth(credentials, spec["service"], spec["region"]).add_auth(request)
added = {
    name: request.headers[name]
    for name in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token")
    if name in request.headers
}
json.dump(added, sys.stdout)
