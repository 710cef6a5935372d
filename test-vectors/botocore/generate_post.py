#!/usr/bin/env python3
"""Generate presigned POST (browser upload) vectors with botocore as the oracle.

Run from the repository root:

    python3 test-vectors/botocore/generate_post.py

It rewrites test-vectors/botocore/s3-post.json deterministically (same
botocore version => byte-identical output), offline. For every case a real
botocore S3 client calls ``generate_presigned_post`` with the clock frozen;
the case records the inputs (credentials, region, endpoint, addressing,
bucket, key, fields, conditions, expiry, time) and botocore's output (the
form's URL and its fields, the base64 policy and its signature among them).
Each signature is checked again here from the recorded policy alone.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import sys

for _name in list(os.environ):
    if _name.startswith("AWS_") or _name.startswith("BOTO_"):
        del os.environ[_name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import botocore  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.config  # noqa: E402
import botocore.session  # noqa: E402
import botocore.signers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "s3-post.json")
GENERATOR = "test-vectors/botocore/generate_post.py"
UTC = datetime.timezone.utc

_FROZEN = {"now": None}


def _frozen_now(remove_tzinfo=True):
    now = _FROZEN["now"]
    if now is None:
        raise RuntimeError("signing time not frozen")
    return now if remove_tzinfo else now.replace(tzinfo=UTC)


# Both the policy's expiration (signers.py) and x-amz-date (auth.py) read
# the clock through the name each module imported.
for module in (botocore.auth, botocore.signers):
    if not hasattr(module, "get_current_datetime"):
        sys.exit(f"{module.__name__}.get_current_datetime not found; update the clock patch")
    module.get_current_datetime = _frozen_now

CREDS = {
    "aws-doc": ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None),
    "sts": (
        "ASIAIOSFODNN7EXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAe"
        "MicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZ"
        "ampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr"
        "7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR"
        "/oLxBA==",
    ),
    "minio": ("minioadmin", "minioadmin", None),
}

TIMES = ["2015-12-29T00:00:00Z", "2024-02-29T23:59:59Z", "2026-12-01T12:00:00Z"]

# (label, key, fields, conditions, expires_in)
SHAPES = [
    ("plain", "user/user1/photo.jpg", {}, [], 3600),
    ("filename", "user/user1/${filename}", {}, [], 3600),
    (
        "doc-like",
        "user/user1/${filename}",
        {
            "acl": "public-read",
            "success_action_redirect": "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html",
            "Content-Type": "image/jpeg",
            "x-amz-meta-uuid": "14365123651274",
            "x-amz-server-side-encryption": "AES256",
            "x-amz-meta-tag": "",
        },
        [
            {"acl": "public-read"},
            {"success_action_redirect": "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
            ["starts-with", "$Content-Type", "image/"],
            {"x-amz-meta-uuid": "14365123651274"},
            {"x-amz-server-side-encryption": "AES256"},
            ["starts-with", "$x-amz-meta-tag", ""],
        ],
        86400,
    ),
    (
        "range-status",
        "uploads/a.bin",
        {"success_action_status": "201"},
        [{"success_action_status": "201"}, ["content-length-range", 1, 10485760]],
        600,
    ),
    (
        "escapes",
        'k/"quoted"\\back\tslash/ünïcode €.txt',
        {"x-amz-meta-note": 'say "hi"\n\u2603', "Cache-Control": "max-age=60, private"},
        [
            {"x-amz-meta-note": 'say "hi"\n\u2603'},
            ["starts-with", "$Cache-Control", "max-age="],
        ],
        60,
    ),
    (
        "eq-array-and-tagging",
        "t/file.txt",
        {"tagging": "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>"},
        [["eq", "$tagging", "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>"]],
        604800,
    ),
    (
        "checksum-and-disposition",
        "c/sum.txt",
        {
            "x-amz-checksum-sha256": "aTL9MeXa9HObn6eP93eygxsJlcwdCwCTysgGAZAgE7w=",
            "Content-Disposition": 'attachment; filename="sum.txt"',
        },
        [
            {"x-amz-checksum-sha256": "aTL9MeXa9HObn6eP93eygxsJlcwdCwCTysgGAZAgE7w="},
            ["starts-with", "$Content-Disposition", "attachment"],
        ],
        3600,
    ),
]

# (label, region, endpoint_url, addressing_style)
PLACES = [
    ("us-east-1", "us-east-1", None, None),
    ("eu-west-1-virtual", "eu-west-1", None, "virtual"),
    ("eu-west-1-path", "eu-west-1", None, "path"),
    ("cn", "cn-north-1", None, None),
    ("custom", "us-east-1", "http://127.0.0.1:9000", None),
    ("custom-prefix", "eu-central-1", "https://storage.example.com:8443/s3", "path"),
]

BUCKETS = ["sigv4examplebucket", "my.dotted.bucket"]


def signing_key(secret, date, region):
    key = ("AWS4" + secret).encode()
    for part in (date, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def generate():
    cases = []
    session = botocore.session.get_session()
    for time_text in TIMES:
        now = datetime.datetime.strptime(time_text, "%Y-%m-%dT%H:%M:%SZ")
        for creds_label, (access_key, secret, token) in CREDS.items():
            for place_label, region, endpoint_url, style in PLACES:
                for bucket in BUCKETS:
                    for shape_label, key, fields, conditions, expires_in in SHAPES:
                        # Keep the set small: every shape for the doc
                        # credentials; one shape for the others.
                        if creds_label != "aws-doc" and shape_label not in ("plain", "doc-like"):
                            continue
                        if bucket != BUCKETS[0] and place_label not in ("us-east-1", "custom", "eu-west-1-path"):
                            continue
                        s3 = {}
                        if style:
                            s3["addressing_style"] = style
                        config = botocore.config.Config(signature_version="s3v4", s3=s3 or None)
                        client = session.create_client(
                            "s3",
                            region_name=region,
                            endpoint_url=endpoint_url,
                            aws_access_key_id=access_key,
                            aws_secret_access_key=secret,
                            aws_session_token=token,
                            config=config,
                        )
                        _FROZEN["now"] = now
                        post = client.generate_presigned_post(
                            bucket,
                            key,
                            Fields=dict(fields),
                            Conditions=json.loads(json.dumps(conditions)),
                            ExpiresIn=expires_in,
                        )
                        _FROZEN["now"] = None
                        out_fields = [[k, v] for k, v in post["fields"].items()]
                        got = dict(out_fields)
                        date = got["x-amz-date"][:8]
                        scope_region = got["x-amz-credential"].split("/")[2]
                        want = hmac.new(
                            signing_key(secret, date, scope_region),
                            got["policy"].encode(),
                            hashlib.sha256,
                        ).hexdigest()
                        if want != got["x-amz-signature"]:
                            raise RuntimeError(f"signature does not re-derive for {shape_label}")
                        case_id = "/".join([time_text[:10], creds_label, place_label, bucket, shape_label])
                        cases.append(
                            {
                                "id": case_id,
                                "time": time_text,
                                "access_key_id": access_key,
                                "secret_access_key": secret,
                                "session_token": token,
                                "region": region,
                                "signing_region": scope_region,
                                "endpoint_url": endpoint_url,
                                "addressing_style": style,
                                "bucket": bucket,
                                "key": key,
                                "fields": [[k, v] for k, v in fields.items()],
                                "conditions": conditions,
                                "expires_in": expires_in,
                                "url": post["url"],
                                "form": out_fields,
                                "policy_json": base64.b64decode(got["policy"]).decode("utf-8"),
                            }
                        )
    return cases


def main():
    cases = generate()
    doc = {
        "generator": GENERATOR,
        "botocore_version": botocore.__version__,
        "description": (
            "botocore S3Client.generate_presigned_post with the clock frozen: inputs and the "
            "form botocore returns (url, fields in order, the base64 policy and its signature)."
        ),
        "cases": cases,
    }
    with open(OUT_PATH, "w", encoding="utf-8") as out:
        json.dump(doc, out, indent=1, ensure_ascii=False, sort_keys=False)
        out.write("\n")
    print(f"wrote {len(cases)} cases to {OUT_PATH}")


if __name__ == "__main__":
    main()
