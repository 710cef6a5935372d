"""Drives examples/s3_server.rs with boto3, as a user would: every operation
must succeed and read back byte for byte, and forged, tampered and expired
requests must get S3's error codes. One line per check; exit 1 on a failure.

    python3 boto3_client.py ENDPOINT_URL   (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
"""
import hashlib
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request

import boto3
import botocore
import urllib3
from botocore.config import Config
from boto3.s3.transfer import TransferConfig

ENDPOINT = sys.argv[1]
FAILED = []


def check(name, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} boto3 {name}{': ' + detail if detail and not ok else ''}")
    if not ok:
        FAILED.append(name)


def client(secret=None, **config):
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=secret or os.environ["AWS_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **config),
    )


def error_code(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    return None


def http(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def code_of(body):
    text = body.decode("utf-8", "replace")
    return text.split("<Code>")[1].split("</Code>")[0] if "<Code>" in text else text[:80]


s3 = client()
# Presigned URLs and POST forms in SigV4 (botocore's default presigns S3 in SigV2).
v4 = client(signature_version="s3v4")
s3.create_bucket(Bucket="bkt")
check("create_bucket and list_buckets", "bkt" in [b["Name"] for b in s3.list_buckets()["Buckets"]])

data = os.urandom(300_000)
s3.put_object(Bucket="bkt", Key="dir/a b+c.bin", Body=data)  # default checksums: over plain http, a CRC header (botocore sends aws-chunked trailers over https only)
got = s3.get_object(Bucket="bkt", Key="dir/a b+c.bin")["Body"].read()
check("put_object then get_object, byte for byte", got == data)
check("head_object", s3.head_object(Bucket="bkt", Key="dir/a b+c.bin")["ContentLength"] == len(data))
keys = [o["Key"] for o in s3.list_objects_v2(Bucket="bkt", Prefix="dir/").get("Contents", [])]
check("list_objects_v2", keys == ["dir/a b+c.bin"], repr(keys))
signed_body = client(request_checksum_calculation="when_required")
signed_body.put_object(Bucket="bkt", Key="plain.txt", Body=b"hello")
check("put_object with its body's hash", s3.get_object(Bucket="bkt", Key="plain.txt")["Body"].read() == b"hello")

with tempfile.TemporaryDirectory() as tmp:
    big = os.path.join(tmp, "big.bin")
    with open(big, "wb") as f:
        f.write(os.urandom(12 * 1024 * 1024))
    transfer = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    try:
        s3.upload_file(big, "bkt", "big.bin", Config=transfer)
    except Exception as e:  # noqa: BLE001 - reported as the check's detail
        print("upload_file:", repr(e))
    back = os.path.join(tmp, "back.bin")
    s3.download_file("bkt", "big.bin", back)
    with open(big, "rb") as a, open(back, "rb") as b:
        check("upload_file multipart, download_file", hashlib.sha256(a.read()).digest() == hashlib.sha256(b.read()).digest())

url = v4.generate_presigned_url("get_object", Params={"Bucket": "bkt", "Key": "plain.txt"}, ExpiresIn=60)
status, body = http("GET", url)
check("presigned GET", (status, body) == (200, b"hello"), f"{status} {body[:200]!r}")
put_url = v4.generate_presigned_url("put_object", Params={"Bucket": "bkt", "Key": "up.txt"}, ExpiresIn=60)
status, _ = http("PUT", put_url, b"uploaded")
check("presigned PUT", status == 200 and s3.get_object(Bucket="bkt", Key="up.txt")["Body"].read() == b"uploaded")

post = v4.generate_presigned_post("bkt", "form/${filename}", Conditions=[["content-length-range", 1, 1000]], ExpiresIn=60)
fields = dict(post["fields"])
fields["file"] = ("cat.txt", b"meow", "text/plain")
body, content_type = urllib3.encode_multipart_formdata(list(fields.items()))
status, reply = http("POST", post["url"], body, {"Content-Type": content_type})
check("POST form upload", status in (200, 204) and s3.get_object(Bucket="bkt", Key="form/cat.txt")["Body"].read() == b"meow", f"{status} {reply[:300]!r}")
fields["key"] = "elsewhere/cat.txt"
body, content_type = urllib3.encode_multipart_formdata(list(fields.items()))
status, reply = http("POST", post["url"], body, {"Content-Type": content_type})
check("POST form with another key refused", status == 403, f"{status} {reply[:200]!r}")

s3.delete_object(Bucket="bkt", Key="up.txt")
check("delete_object", error_code(lambda: s3.head_object(Bucket="bkt", Key="up.txt")) in ("404", "NoSuchKey"))

forged = client(secret="not-the-secret")
check("a forged signature gets SignatureDoesNotMatch", error_code(lambda: forged.list_objects_v2(Bucket="bkt")) == "SignatureDoesNotMatch")
status, body = http("GET", url.replace("plain.txt", "other.txt"))
check("a tampered URL gets SignatureDoesNotMatch", (status, code_of(body)) == (403, "SignatureDoesNotMatch"), f"{status} {body[:200]!r}")
short = v4.generate_presigned_url("get_object", Params={"Bucket": "bkt", "Key": "plain.txt"}, ExpiresIn=1)
time.sleep(2)
status, body = http("GET", short)
check("an expired URL gets AccessDenied", (status, code_of(body)) == (403, "AccessDenied") and b"Request has expired" in body, f"{status} {body[:200]!r}")
status, body = http("GET", ENDPOINT + "/bkt/plain.txt")
check("an anonymous request gets AccessDenied", (status, code_of(body)) == (403, "AccessDenied"))

sys.exit(1 if FAILED else 0)
