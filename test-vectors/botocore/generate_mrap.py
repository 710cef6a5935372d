#!/usr/bin/env python3
"""Writes s3-mrap-presign.json: presigned URLs for S3 Multi-Region Access
Points, made by botocore 1.43.11 with the CRT (awscrt), which signs them with
SigV4a (AWS4-ECDSA-P256-SHA256).

ECDSA signatures from the CRT are random, so the vectors record botocore's
URL whole: a test compares everything but X-Amz-Signature, and verifies the
signature itself.

    python3 -m venv /tmp/crtenv && /tmp/crtenv/bin/pip install botocore==1.43.11 awscrt==0.38.1
    /tmp/crtenv/bin/python test-vectors/botocore/generate_mrap.py

It removes AWS_* variables from its own environment and points the config
and credentials files at /dev/null, so the output depends only on the
versions; the clock is frozen per case.
"""

import datetime
import json
import os
import sys

for name in list(os.environ):
    if name.startswith("AWS_"):
        del os.environ[name]
os.environ["AWS_CONFIG_FILE"] = "/dev/null"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"

import awscrt  # noqa: E402
import botocore  # noqa: E402
import botocore.auth  # noqa: E402  (imports botocore.crt.auth itself: the other order is circular)
import botocore.crt.auth  # noqa: E402
import botocore.session  # noqa: E402

UTC = datetime.timezone.utc
NOW = [datetime.datetime(2015, 8, 30, 12, 36, 0, tzinfo=UTC)]


def _frozen_now(remove_tzinfo=True):
    now = NOW[0]
    return now.replace(tzinfo=None) if remove_tzinfo else now


# botocore.crt.auth binds get_current_datetime by name: patch that name.
if not hasattr(botocore.crt.auth, "get_current_datetime"):
    sys.exit("botocore.crt.auth.get_current_datetime not found; update the clock patch")
botocore.crt.auth.get_current_datetime = _frozen_now

KEY_ID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXm/+="
ARN = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap"

QUERY_NAMES = {
    "VersionId": "versionId",
    "ResponseContentDisposition": "response-content-disposition",
    "ResponseContentType": "response-content-type",
}

OPERATIONS = {"GET": "get_object", "PUT": "put_object", "HEAD": "head_object", "DELETE": "delete_object"}

CASES = [
    {"method": "GET", "key": "photos/cat.jpg"},
    {"method": "PUT", "key": "uploads/report.pdf"},
    {"method": "HEAD", "key": "a"},
    {"method": "DELETE", "key": "old/file.txt"},
    {"method": "GET", "key": "spaces and+plus.txt"},
    {"method": "GET", "key": "unicode/\u00e9t\u00e9 \u2603.txt"},
    {"method": "GET", "key": "reserved !$&'()*,;=:@[]~.txt"},
    {"method": "GET", "key": "//double//slashes/"},
    {"method": "GET", "key": "dots/../and/./dots"},
    {"method": "GET", "key": "percent%20already"},
    {"method": "GET", "key": "photos/cat.jpg", "expires": 60},
    {"method": "GET", "key": "photos/cat.jpg", "expires": 604800},
    {"method": "GET", "key": "photos/cat.jpg", "token": True},
    {"method": "PUT", "key": "photos/cat.jpg", "token": True},
    {"method": "GET", "key": "photos/cat.jpg", "params": {"VersionId": "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"}},
    {"method": "GET", "key": "photos/cat.jpg", "params": {"ResponseContentDisposition": "attachment; filename=\"cat.jpg\"", "ResponseContentType": "image/jpeg"}},
    {"method": "GET", "key": "photos/cat.jpg", "time": "2026-12-01T23:59:59Z"},
    {"method": "GET", "key": "photos/cat.jpg", "arn": "arn:aws:s3::210987654321:accesspoint/abcdefghijklm.mrap"},
]


def generate(case):
    time = case.get("time", "2015-08-30T12:36:00Z")
    NOW[0] = datetime.datetime.strptime(time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    arn = case.get("arn", ARN)
    expires = case.get("expires", 3600)
    session = botocore.session.get_session()
    client = session.create_client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        aws_session_token=TOKEN if case.get("token") else None,
    )
    params = {"Bucket": arn, "Key": case["key"]}
    params.update(case.get("params", {}))
    url = client.generate_presigned_url(OPERATIONS[case["method"]], Params=params, ExpiresIn=expires)
    return {
        "method": case["method"],
        "arn": arn,
        "key": case["key"],
        # The query parameters botocore writes for the operation's parameters.
        "query": {QUERY_NAMES[name]: value for name, value in case.get("params", {}).items()},
        "session_token": TOKEN if case.get("token") else None,
        "time": time,
        "expires_in": expires,
        "url": url,
    }


def main():
    out = {
        "about": "S3 Multi-Region Access Point presigned URLs from botocore with the CRT (SigV4a). "
        "Signatures are random ECDSA: compare all but X-Amz-Signature, and verify it.",
        "botocore": botocore.__version__,
        "awscrt": awscrt.__version__,
        "access_key_id": KEY_ID,
        "secret_access_key": SECRET,
        "cases": [generate(case) for case in CASES],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "s3-mrap-presign.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(out['cases'])} cases to {path}")


if __name__ == "__main__":
    main()
