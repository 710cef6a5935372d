#!/usr/bin/env python3
"""Generate S3 Express One Zone (directory bucket) signing vectors with botocore.

Run from the repository root:

    python3 test-vectors/botocore/generate_s3express.py

It rewrites test-vectors/botocore/s3express.json deterministically (same
botocore version => byte-identical output), offline. It needs botocore
1.43.11 (the version the other generators here pin) and nothing else.

How the vectors are made:

* Most cases go through a real botocore S3 client (default config, so
  botocore picks ``sigv4-s3express`` from the endpoint ruleset). Sending is
  stubbed with a ``before-send.s3`` handler: CreateSession gets a canned
  response carrying the *session* credentials (the AWS documentation example
  keys plus a session token containing ``/``, ``+`` and ``=``); every other
  request gets an empty 200. The client's own IAM credentials only sign
  CreateSession.
* The signing clock is frozen by replacing ``botocore.auth.get_current_datetime``
  (and ``botocore.signers.get_current_datetime`` for POST policy expiry), the
  retry invocation id by fixing ``uuid.uuid4`` in ``botocore.endpoint``.
* ``SigV4Auth.string_to_sign`` and ``SigV4Auth.add_auth`` are wrapped to
  record, for every signature botocore computes, its canonical request,
  string to sign, and the request's headers right after signing.
* A few cases call the auth classes directly (``S3ExpressQueryAuth`` with
  its class-default expiry, the smithy-rs reproductions, and the samples of
  the research notes), and the POST cases run botocore's own
  ``S3PostPresigner`` with a signer that uses ``S3ExpressPostAuth`` (the
  client's ``generate_presigned_post`` would go to the control endpoint).

Checks (the script stops if one fails): every case is re-derived from its
recorded fields by a small independent SigV4 implementation (canonical
request, string to sign and signature; the URL path from the key); URLs start
with the endpoint's ``url_prefix``; session-mode cases carry the session token
only as ``x-amz-s3session-token`` / ``X-Amz-S3session-Token`` and never
``X-Amz-Security-Token``; published and research signatures are reproduced.
"""

import base64
import datetime
import hashlib
import hmac
import inspect
import json
import os
import sys
import uuid
from urllib.parse import quote, unquote, urlsplit

for _name in list(os.environ):
    if _name.startswith("AWS_") or _name.startswith("BOTO_"):
        del os.environ[_name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import botocore  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.awsrequest  # noqa: E402
import botocore.config  # noqa: E402
import botocore.credentials  # noqa: E402
import botocore.endpoint  # noqa: E402
import botocore.endpoint_provider  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.loaders  # noqa: E402
import botocore.session  # noqa: E402
import botocore.signers  # noqa: E402
from botocore.awsrequest import AWSRequest, AWSResponse  # noqa: E402

BOTOCORE_VERSION = "1.43.11"
if botocore.__version__ != BOTOCORE_VERSION:
    sys.exit(f"botocore {botocore.__version__} found; these vectors pin {BOTOCORE_VERSION}")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "s3express.json")
UTC = datetime.timezone.utc

# --------------------------------------------------------------------------
# Frozen clock, fixed invocation id, capture of every signature
# --------------------------------------------------------------------------

_FROZEN = {"now": None}


def _frozen_now(remove_tzinfo=True):
    now = _FROZEN["now"]
    if now is None:
        raise RuntimeError("signing time not frozen")
    return now if remove_tzinfo else now.replace(tzinfo=UTC)


for _module in (botocore.auth, botocore.signers):
    if not hasattr(_module, "get_current_datetime"):
        sys.exit(f"{_module.__name__}.get_current_datetime not found; update the clock patch")
    _module.get_current_datetime = _frozen_now

# amz-sdk-invocation-id is sent (unsigned); fix it anyway so nothing varies.
botocore.endpoint.uuid = type("FixedUuid", (), {"uuid4": staticmethod(lambda: uuid.UUID(int=0))})

SIGNED = []  # one entry per signature computed, in order
_orig_sts = botocore.auth.SigV4Auth.string_to_sign
_orig_add_auth = botocore.auth.SigV4Auth.add_auth


def _capturing_sts(self, request, canonical_request):
    sts = _orig_sts(self, request, canonical_request)
    self._capture = {"canonical_request": canonical_request, "string_to_sign": sts}
    return sts


def _capturing_add_auth(self, request):
    self._capture = None
    result = _orig_add_auth(self, request)
    if self._capture is None:
        raise RuntimeError("string_to_sign not called")
    signed = self.headers_to_sign(request)
    SIGNED.append({
        "class": type(self).__name__,
        "service": self._service_name,
        "region": self._region_name,
        "credentials": self.credentials,
        "url": request.url,
        "method": request.method,
        "headers": [(n, _text(v)) for n, v in request.headers.items()],
        "signed_names": sorted(set(signed)),
        **self._capture,
    })
    return result


botocore.auth.SigV4Auth.string_to_sign = _capturing_sts
botocore.auth.SigV4Auth.add_auth = _capturing_add_auth


def _text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


# --------------------------------------------------------------------------
# Fixed inputs
# --------------------------------------------------------------------------

T2013 = datetime.datetime(2013, 5, 24, 0, 0, 0)
T2024 = datetime.datetime(2024, 2, 29, 23, 59, 59)
T2026 = datetime.datetime(2026, 11, 28, 12, 0, 0)
TIMES = [T2013, T2024, T2026]

DOC_AK = "AKIAIOSFODNN7EXAMPLE"
DOC_SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
# What CreateSession returns (session mode).
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE/S3Express+Session/Token0123456789+abc/XYZ=="
SESSION = (DOC_AK, DOC_SK, SESSION_TOKEN)
# What the session-mode client itself holds (signs CreateSession only).
CLIENT_IAM = ("AKIDEXAMPLECLIENTIAM", "client/IAM+secret=EXAMPLE", None)
# IAM mode: the doc keys, with and without an STS token.
IAM_TOKEN = "FwoGZXIvYXdzEXAMPLE/sts+token/with=equals+and/slash=="
IAM_NO_TOKEN = (DOC_AK, DOC_SK, None)
IAM_WITH_TOKEN = (DOC_AK, DOC_SK, IAM_TOKEN)

B_USE1 = "mybucket--use1-az4--x-s3"

# (id, bucket, region, fips, dualstack, endpoint_url, disable_session_auth)
ENDPOINTS = [
    ("use1-az4", B_USE1, "us-east-1", False, False, None, False),
    ("use1-az4-fips", B_USE1, "us-east-1", True, False, None, False),
    ("use1-az4-dualstack", B_USE1, "us-east-1", False, True, None, False),
    ("use1-az4-fips-dualstack", B_USE1, "us-east-1", True, True, None, False),
    ("usw2-az12", "mybucket--usw2-az12--x-s3", "us-west-2", False, False, None, False),
    ("usw2-az12-fips", "mybucket--usw2-az12--x-s3", "us-west-2", True, False, None, False),
    ("usw2-lax1-az1", "mybucket--usw2-lax1-az1--x-s3", "us-west-2", False, False, None, False),
    ("usw2-lax1-az1-dualstack", "mybucket--usw2-lax1-az1--x-s3", "us-west-2", False, True, None, False),
    ("use1-atl2-az10", "mybucket--use1-atl2-az10--x-s3", "us-east-1", False, False, None, False),
    ("use1-20-char-az", "mybucket--use1-abcdefghijk-az1--x-s3", "us-east-1", False, False, None, False),
    ("eun1-az1", "my-bucket-1--eun1-az1--x-s3", "eu-north-1", False, False, None, False),
    ("eun1-az1-fips-dualstack", "my-bucket-1--eun1-az1--x-s3", "eu-north-1", True, True, None, False),
    ("apne1-az4", "photos--apne1-az4--x-s3", "ap-northeast-1", False, False, None, False),
    ("cnn1-az1", "mybucket--cnn1-az1--x-s3", "cn-north-1", False, False, None, False),
    ("cnn1-az1-dualstack", "mybucket--cnn1-az1--x-s3", "cn-north-1", False, True, None, False),
    ("usgw1-az1", "mybucket--usgw1-az1--x-s3", "us-gov-west-1", False, False, None, False),
    ("usgw1-az1-fips", "mybucket--usgw1-az1--x-s3", "us-gov-west-1", True, False, None, False),
    ("az-region-mismatch", B_USE1, "us-west-2", False, False, None, False),
    ("shortest-name", "a--use1-az4--x-s3", "us-east-1", False, False, None, False),
    ("longest-name-63", "b" * 35 + "--use1-abcdefghijk-az1--x-s3", "us-east-1", False, False, None, False),
    ("access-point-xa-s3", "myap--use1-az4--xa-s3", "us-east-1", False, False, None, False),
    ("custom-https", B_USE1, "us-east-1", False, False, "https://example.com", False),
    ("custom-https-path-prefix", B_USE1, "us-east-1", False, False, "https://example.com/prefix", False),
    ("custom-ip-port", B_USE1, "us-east-1", False, False, "http://127.0.0.1:9000", False),
    ("iam-mode-use1-az4", B_USE1, "us-east-1", False, False, None, True),
    ("iam-mode-custom-ip-port", B_USE1, "us-east-1", False, False, "http://127.0.0.1:9000", True),
    # Refused by botocore.
    ("bad-az-length-11", "mybucket--use1-az1234--x-s3", "us-east-1", False, False, None, False),
    ("bad-az-length-10", "mybucket--usgw1-az12--x-s3", "us-gov-west-1", False, False, None, False),
    ("bad-az-length-11-eusc", "mybucket--euscde1-az1--x-s3", "eusc-de-east-1", False, False, None, False),
    ("bad-az-length-21", "mybucket--use1-abcdefghijkl-az1--x-s3", "us-east-1", False, False, None, False),
    ("no-az", "mybucket--x-s3", "us-east-1", False, False, None, False),
    ("uppercase", "MyBucket--use1-az4--x-s3", "us-east-1", False, False, None, False),
    ("too-long-64", "b" * 36 + "--use1-abcdefghijk-az1--x-s3", "us-east-1", False, False, None, False),
    ("dotted", "my.bucket--use1-az4--x-s3", "us-east-1", False, False, None, False),
    ("leading-dash", "-mybucket--use1-az4--x-s3", "us-east-1", False, False, None, False),
    ("cn-fips", "mybucket--cnn1-az1--x-s3", "cn-north-1", True, False, None, False),
    # botocore drops FIPS / dual-stack when endpoint_url is given (args.py),
    # though the ruleset alone refuses those combinations.
    ("custom-endpoint-fips", B_USE1, "us-east-1", True, False, "https://example.com", False),
    ("custom-endpoint-dualstack", B_USE1, "us-east-1", False, True, "https://example.com", False),
    ("custom-endpoint-uppercase", "MyBucket--use1-az4--x-s3", "us-east-1", False, False, "https://example.com", False),
]

# Object keys: (id-suffix, key).
KEYS = [
    ("simple", "obj.txt"),
    ("nested", "photos/2024/01/IMG_0001.JPG"),
    ("space", "my file.txt"),
    ("plus", "a+b.txt"),
    ("tilde", "~user/file~1"),
    ("double-slash", "a//b"),
    ("leading-slash", "/leading"),
    ("trailing-slash", "folder/"),
    ("dot-segments", "a/./b/../c"),
    ("percent", "100%"),
    ("percent-20-literal", "a%20b"),
    ("equals-ampersand", "a=b&c=d"),
    ("reserved", "!#$&'()*+,/:;=?@[]"),
    ("asterisk", "a*b"),
    ("accents", "café/über/niño.txt"),
    ("cjk", "中文/日本語.txt"),
    ("emoji", "😀.txt"),
    ("combining", "e\u0301te\u0301"),
    ("tab", "a\tb"),
    ("mixed", "dir one/sub+dir/ä ö=ü&?#%20~*'()!@$,;:[].txt"),
    ("long", "long/" + "abcdefghij" * 50),
]

METHODS = {"get_object": "GET", "put_object": "PUT", "head_object": "HEAD", "delete_object": "DELETE"}

SMITHY_RS = "smithy-lang/smithy-rs"
SMITHY_RS_EXPRESS_RS = {
    "repo": SMITHY_RS,
    "path": "aws/sdk/integration-tests/s3/tests/express.rs",
    "commit": "9dd0c23330ade2a25c5dda8cbdce4e9253a6cd5f",
    "test": "presigning",
}
SMITHY_RS_MIXED_AUTHS = {
    "repo": SMITHY_RS,
    "path": "aws/sdk/integration-tests/s3/tests/data/express/mixed-auths.json",
    "commit": "c91bc7734b8a3cd63020342e21d9a75d3ef06524",
    "test": "mixed_auths (express.rs)",
}

# --------------------------------------------------------------------------
# Clients with a stubbed transport
# --------------------------------------------------------------------------

SENT = []


class _Raw:
    def __init__(self, body):
        self._body = body

    def stream(self, **kwargs):
        yield self._body


def _create_session_xml(ak, sk, token):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials>'
        f"<SessionToken>{token}</SessionToken><SecretAccessKey>{sk}</SecretAccessKey>"
        f"<AccessKeyId>{ak}</AccessKeyId><Expiration>2099-01-01T00:00:00Z</Expiration>"
        "</Credentials></CreateSessionResult>"
    ).encode("utf-8")


def _on_send(request, **kwargs):
    SENT.append(request)
    body = b""
    if urlsplit(request.url).query == "session":
        body = _create_session_xml(*SESSION)
    return AWSResponse(request.url, 200, {}, _Raw(body))


_SESSION = botocore.session.get_session()
_CLIENTS = {}


def client_for(region, fips=False, dualstack=False, endpoint_url=None, mode="session",
               iam=None, **extra):
    """mode "session": default config (sigv4-s3express, CreateSession);
    mode "iam": disable_s3_express_session_auth, signature_version s3v4."""
    k = (region, fips, dualstack, endpoint_url, mode, iam, json.dumps(extra, sort_keys=True))
    if k not in _CLIENTS:
        cfg = dict(extra)
        if fips:
            cfg["use_fips_endpoint"] = True
        if dualstack:
            cfg["use_dualstack_endpoint"] = True
        if mode == "iam":
            cfg["signature_version"] = "s3v4"
            cfg["s3"] = {**cfg.get("s3", {}), "disable_s3_express_session_auth": True}
        ak, sk, token = iam or (CLIENT_IAM if mode == "session" else IAM_NO_TOKEN)
        c = _SESSION.create_client(
            "s3", region_name=region, endpoint_url=endpoint_url,
            aws_access_key_id=ak, aws_secret_access_key=sk, aws_session_token=token,
            config=botocore.config.Config(**cfg),
        )
        c.meta.events.register("before-send.s3", _on_send)
        _CLIENTS[k] = c
    return _CLIENTS[k]


def amz_date(t):
    return t.strftime("%Y%m%dT%H%M%SZ")


# --------------------------------------------------------------------------
# Endpoints
# --------------------------------------------------------------------------

ENDPOINT_RECORDS = []
_EP = {}


def resolve_endpoints():
    for (eid, bucket, region, fips, dualstack, endpoint_url, disable) in ENDPOINTS:
        mode = "iam" if disable else "session"
        rec = {
            "id": eid, "bucket": bucket, "region": region, "use_fips": fips,
            "use_dualstack": dualstack, "endpoint_url": endpoint_url,
            "disable_s3express_session_auth": disable,
        }
        try:
            client = client_for(region, fips, dualstack, endpoint_url, mode)
            om = client.meta.service_model.operation_model("GetObject")
            ep = client._ruleset_resolver.construct_endpoint(
                operation_model=om, call_args={"Bucket": bucket, "Key": "k"}, request_context={})
        except Exception as e:  # noqa: BLE001 - the message is the record
            rec["error"] = " ".join(str(e).split())
            rec["error_type"] = type(e).__name__
            # The full client refuses it the same way.
            _FROZEN["now"] = T2013
            try:
                client_for(region, fips, dualstack, endpoint_url, mode).generate_presigned_url(
                    "get_object", Params={"Bucket": bucket, "Key": "k"})
            except Exception as e2:  # noqa: BLE001
                if " ".join(str(e2).split()) != rec["error"]:
                    raise SystemExit(f"endpoint {eid}: client error {e2!r} != resolver {rec['error']!r}")
            else:
                raise SystemExit(f"endpoint {eid}: resolver refused, client accepted")
            finally:
                _FROZEN["now"] = None
        else:
            props = ep.properties
            scheme = props["authSchemes"][0]
            if props.get("backend") != "S3Express":
                raise SystemExit(f"endpoint {eid}: backend {props.get('backend')}")
            if scheme.get("disableDoubleEncoding") is not True:
                raise SystemExit(f"endpoint {eid}: disableDoubleEncoding not true")
            rec["host"] = urlsplit(ep.url).netloc
            rec["url_prefix"] = ep.url.rstrip("/")
            rec["auth"] = scheme["name"]
            rec["signing_name"] = scheme["signingName"]
            rec["signing_region"] = scheme["signingRegion"]
            raw, raw_error = _raw_ruleset(bucket, region, fips, dualstack, endpoint_url, disable)
            if raw_error is not None:
                rec["ruleset_error"] = raw_error
                rec["note"] = ("botocore's client sets UseFIPS/UseDualStack to false when "
                               "endpoint_url is given (args.py), so it does not raise the "
                               "ruleset's error")
                if endpoint_url is None:
                    raise SystemExit(f"endpoint {eid}: ruleset refuses, client accepts: {raw_error}")
            elif raw != ep.url:
                raise SystemExit(f"endpoint {eid}: ruleset {raw} != client {ep.url}")
            want_auth = "sigv4" if disable else "sigv4-s3express"
            if rec["auth"] != want_auth or rec["signing_name"] != "s3express":
                raise SystemExit(f"endpoint {eid}: auth {scheme}")
        ENDPOINT_RECORDS.append(rec)
        _EP[eid] = rec


_PROVIDER = None


def _raw_ruleset(bucket, region, fips, dualstack, endpoint_url, disable):
    """The S3 ruleset alone, with the parameters as given (no client)."""
    global _PROVIDER
    if _PROVIDER is None:
        loader = botocore.loaders.create_loader()
        _PROVIDER = botocore.endpoint_provider.EndpointProvider(
            loader.load_service_model("s3", "endpoint-rule-set-1"), loader.load_data("partitions"))
    params = {"Bucket": bucket, "Key": "k", "Region": region, "UseFIPS": fips,
              "UseDualStack": dualstack, "DisableS3ExpressSessionAuth": disable}
    if endpoint_url is not None:
        params["Endpoint"] = endpoint_url
    try:
        return _PROVIDER.resolve_endpoint(**params).url, None
    except botocore.exceptions.EndpointResolutionError as e:
        return None, " ".join(str(e).split())


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

CASES = []
_IDS = set()


def _new_id(cid):
    if cid in _IDS:
        raise SystemExit(f"duplicate case id: {cid}")
    _IDS.add(cid)


def _creds_json(c):
    if hasattr(c, "access_key"):
        ak, sk, tok = c.access_key, c.secret_key, c.token
    else:
        ak, sk, tok = c
    return {"access_key_id": ak, "secret_access_key": sk, "session_token": tok}


def _common(cid, form, mode, creds, ep, key, method, t, expires):
    return {
        "id": cid, "form": form, "mode": mode, "credentials": _creds_json(creds),
        "region": ep["region"], "signing_region": ep["signing_region"], "bucket": ep["bucket"],
        "key": key, "method": method, "time": amz_date(t), "expires": expires,
        "use_fips": ep["use_fips"], "use_dualstack": ep["use_dualstack"],
        "endpoint_url": ep["endpoint_url"], "endpoint": ep["id"],
    }


SIGNER_ADDED = {"host", "x-amz-date", "x-amz-content-sha256", "x-amz-s3session-token",
                "x-amz-security-token", "authorization"}


def presign(cid, ep_id, client_method="get_object", key="obj.txt", expires=300, t=T2013,
            params=None, mode="session", iam=None, client_default_expiry=False, **extra):
    """generate_presigned_url through a real client."""
    _new_id(cid)
    ep = _EP[ep_id]
    client = client_for(ep["region"], ep["use_fips"], ep["use_dualstack"], ep["endpoint_url"],
                        mode, iam, **extra)
    p = {"Bucket": ep["bucket"], "Key": key, **(params or {})}
    _FROZEN["now"] = t
    del SIGNED[:]
    try:
        if client_default_expiry:
            url = client.generate_presigned_url(client_method, Params=p)
        else:
            url = client.generate_presigned_url(client_method, Params=p, ExpiresIn=expires)
    finally:
        _FROZEN["now"] = None
    sig = SIGNED[-1]
    want_cls = "S3ExpressQueryAuth" if mode == "session" else "S3SigV4QueryAuth"
    if sig["class"] != want_cls or sig["url"] != url:
        raise SystemExit(f"{cid}: signed by {sig['class']}, not {want_cls}")
    if client_default_expiry:
        expires = int(dict(_query_pairs(url))["X-Amz-Expires"])
    creds = sig["credentials"]
    case = _common(cid, "presign", mode, creds, ep, key, METHODS[client_method], t, expires)
    case["via"] = "client.generate_presigned_url"
    case["client_params"] = {k: v for k, v in (params or {}).items()}
    case["headers"] = [[n.lower(), v] for n, v in sig["headers"]
                       if n.lower() in sig["signed_names"] and n.lower() != "host"]
    _finish(case, sig, url)
    return case


def header(cid, ep_id, op="get_object", key="obj.txt", t=T2013, params=None, mode="session",
           iam=None, body=None, **extra):
    """A real client call (transport stubbed); records the operation's signature."""
    _new_id(cid)
    ep = _EP[ep_id]
    client = client_for(ep["region"], ep["use_fips"], ep["use_dualstack"], ep["endpoint_url"],
                        mode, iam, **extra)
    p = dict(params or {})
    if op not in ("list_objects_v2", "delete_objects"):
        p.setdefault("Key", key)
    else:
        key = None
    p["Bucket"] = ep["bucket"]
    if body is not None:
        p["Body"] = body
    _FROZEN["now"] = t
    del SIGNED[:]
    del SENT[:]
    try:
        getattr(client, op)(**p)
    finally:
        _FROZEN["now"] = None
    sig = SIGNED[-1]
    want_cls = "S3ExpressAuth" if mode == "session" else "S3SigV4Auth"
    if sig["class"] != want_cls:
        raise SystemExit(f"{cid}: signed by {sig['class']}, not {want_cls}")
    sent = SENT[-1]
    if sent.url != sig["url"]:
        raise SystemExit(f"{cid}: sent {sent.url} != signed {sig['url']}")
    method = sig["method"]
    case = _common(cid, "header", mode, sig["credentials"], ep, key, method, t, None)
    case["via"] = f"client.{op}"
    case["client_params"] = {k: (v if not isinstance(v, bytes) else v.decode("utf-8"))
                             for k, v in p.items() if k not in ("Bucket", "Key")}
    _header_fields(case, sig)
    _finish(case, sig, sig["url"])
    return case


def _header_fields(case, sig):
    signed = sig["signed_names"]
    case["headers"] = [[n.lower(), v] for n, v in sig["headers"]
                       if n.lower() in signed and n.lower() not in SIGNER_ADDED]
    case["signed_headers"] = [[n, v] for n, v in sig["headers"]
                              if n.lower() in signed or n.lower() == "authorization"]
    unsigned = [[n, v] for n, v in sig["headers"]
                if n.lower() not in signed and n.lower() not in ("authorization", "user-agent")]
    if unsigned:
        case["unsigned_headers"] = unsigned
    case["payload_hash"] = dict((n.lower(), v) for n, v in sig["headers"])["x-amz-content-sha256"]


def _finish(case, sig, url):
    case["url"] = url
    # Every query param but the X-Amz-* auth ones, percent-decoded, in URL order.
    case["query"] = [[n, v] for n, v in _query_pairs(url) if not n.startswith("X-Amz-")]
    case["canonical_request"] = sig["canonical_request"]
    case["string_to_sign"] = sig["string_to_sign"]
    if case["form"] == "presign":
        case["signature"] = dict(_query_pairs(url))["X-Amz-Signature"]
    else:
        auth = dict((n.lower(), v) for n, v in sig["headers"])["authorization"]
        case["signature"] = auth.rsplit("Signature=", 1)[1]
    if sig["service"] != "s3express" or sig["region"] != case["signing_region"]:
        raise SystemExit(f"{case['id']}: scope {sig['region']}/{sig['service']}")
    check_case(case)
    CASES.append(case)


# ---- direct auth-class cases ---------------------------------------------


def direct_presign(cid, url, creds, region, t, method="GET", expires=None, headers=None,
                   cls=botocore.auth.S3ExpressQueryAuth, ep=None, key=None, bucket=None,
                   source=None, expected=None):
    _new_id(cid)
    c = botocore.credentials.Credentials(*creds)
    req = AWSRequest(method=method, url=url, headers=headers or {})
    kw = {}
    if cls is botocore.auth.S3ExpressQueryAuth:
        kw["identity_cache"] = None
    if expires is not None:
        kw["expires"] = expires
    _FROZEN["now"] = t
    del SIGNED[:]
    try:
        cls(c, "s3express", region, **kw).add_auth(req)
    finally:
        _FROZEN["now"] = None
    sig = SIGNED[-1]
    mode = "session" if cls is botocore.auth.S3ExpressQueryAuth else "iam"
    epr = ep or _adhoc_ep(url, region, bucket)
    got_expires = int(dict(_query_pairs(req.url))["X-Amz-Expires"])
    case = _common(cid, "presign", mode, creds, epr, key, method, t, got_expires)
    case["via"] = f"botocore.auth.{cls.__name__}" + ("" if expires is not None else " (class default expires)")
    if source:
        case["source"] = source
    case["headers"] = [[n.lower(), v] for n, v in sig["headers"]
                       if n.lower() in sig["signed_names"] and n.lower() != "host"]
    _finish(case, sig, req.url)
    if expected and case["signature"] != expected:
        raise SystemExit(f"{cid}: signature {case['signature']} != published {expected}")
    return case


def direct_header(cid, url, creds, region, t, method="GET", headers=None, data=b"",
                  cls=botocore.auth.S3ExpressAuth, ep=None, key=None, bucket=None,
                  source=None, expected=None):
    _new_id(cid)
    c = botocore.credentials.Credentials(*creds)
    req = AWSRequest(method=method, url=url, headers=headers or {}, data=data)
    kw = {"identity_cache": None} if cls is botocore.auth.S3ExpressAuth else {}
    _FROZEN["now"] = t
    del SIGNED[:]
    try:
        cls(c, "s3express", region, **kw).add_auth(req)
    finally:
        _FROZEN["now"] = None
    sig = SIGNED[-1]
    mode = "session" if cls is botocore.auth.S3ExpressAuth else "iam"
    epr = ep or _adhoc_ep(url, region, bucket)
    case = _common(cid, "header", mode, creds, epr, key, method, t, None)
    case["via"] = f"botocore.auth.{cls.__name__}"
    if source:
        case["source"] = source
    if data:
        case["body"] = data.decode("utf-8")
    _header_fields(case, sig)
    _finish(case, sig, url)
    if expected and case["signature"] != expected:
        raise SystemExit(f"{cid}: signature {case['signature']} != published {expected}")
    return case


def _adhoc_ep(url, region, bucket):
    return {"id": None, "region": region, "signing_region": region, "bucket": bucket,
            "use_fips": False, "use_dualstack": False, "endpoint_url": None}


# ---- POST ---------------------------------------------------------------


class _ExpressPostSigner:
    """Stands in for the client's RequestSigner: S3PostPresigner calls
    sign('PutObject', request, region_name, 'presign-post'); this signs with
    S3ExpressPostAuth (what 'v4-s3express' + '-presign-post' maps to)."""

    def __init__(self, creds, region):
        self._creds = botocore.credentials.Credentials(*creds)
        self._region = region

    def sign(self, operation_name, request, region_name=None, signing_type="standard"):
        if signing_type != "presign-post":
            raise RuntimeError(signing_type)
        cls = botocore.auth.AUTH_TYPE_MAPS["v4-s3express-presign-post"]
        if cls is not botocore.auth.S3ExpressPostAuth:
            raise SystemExit("v4-s3express-presign-post is not S3ExpressPostAuth")
        cls(self._creds, "s3express", region_name or self._region, identity_cache=None).add_auth(request)


def post(cid, ep_id, key, fields=None, conditions=None, expires_in=3600, t=T2013, creds=SESSION,
         expected=None):
    _new_id(cid)
    ep = _EP[ep_id]
    bucket = ep["bucket"]
    fields = dict(fields or {})
    user_fields = dict(fields)
    conditions = json.loads(json.dumps(conditions or []))
    # What client.generate_presigned_post adds (signers.py), minus its
    # CreateBucket-based URL: bucket and key conditions, the key field.
    user_conditions = json.loads(json.dumps(conditions))
    conditions.append({"bucket": bucket})
    if key.endswith("${filename}"):
        conditions.append(["starts-with", "$key", key[: -len("${filename}")]])
    else:
        conditions.append({"key": key})
    fields["key"] = key
    request_dict = {
        "url_path": "/", "query_string": {}, "method": "POST", "headers": {}, "body": b"",
        "context": {},
    }
    botocore.awsrequest.prepare_request_dict(request_dict, endpoint_url=ep["url_prefix"])
    presigner = botocore.signers.S3PostPresigner(_ExpressPostSigner(creds, ep["signing_region"]))
    _FROZEN["now"] = t
    try:
        out = presigner.generate_presigned_post(
            request_dict, fields=fields, conditions=conditions, expires_in=expires_in)
    finally:
        _FROZEN["now"] = None
    got = out["fields"]
    policy_json = base64.b64decode(got["policy"]).decode("utf-8")
    policy = json.loads(policy_json)
    case = _common(cid, "post", "session", creds, ep, key, "POST", t, expires_in)
    case["via"] = "botocore.signers.S3PostPresigner + botocore.auth.S3ExpressPostAuth"
    case["headers"] = []
    case["post_url"] = out["url"]
    case["user_fields"] = user_fields
    case["user_conditions"] = user_conditions
    case["fields"] = dict(got)
    case["policy_expiration"] = policy["expiration"]
    case["policy_conditions"] = policy["conditions"]
    case["policy"] = policy_json
    case["signature"] = got["x-amz-signature"]
    # Independent check: HMAC(signing key, base64 policy).
    want = hmac.new(signing_key(creds[1], amz_date(t)[:8], ep["signing_region"]),
                    got["policy"].encode("utf-8"), hashlib.sha256).hexdigest()
    if want != case["signature"]:
        raise SystemExit(f"{cid}: POST signature does not re-derive")
    if got.get("X-Amz-S3session-Token") != creds[2] or "x-amz-security-token" in {k.lower() for k in got}:
        raise SystemExit(f"{cid}: session token field")
    if {"X-Amz-S3session-Token": creds[2]} not in policy["conditions"]:
        raise SystemExit(f"{cid}: session token condition")
    # Like botocore's own presigned POST: "<virtual host>/", or the path-style
    # URL without a trailing slash (IP endpoints).
    prefix = ep["url_prefix"]
    if out["url"] != (prefix if urlsplit(prefix).path else prefix + "/"):
        raise SystemExit(f"{cid}: post url {out['url']}")
    if expected and case["signature"] != expected:
        raise SystemExit(f"{cid}: signature {case['signature']} != expected {expected}")
    CASES.append(case)
    return case


# --------------------------------------------------------------------------
# Independent checks
# --------------------------------------------------------------------------


def _query_pairs(url):
    q = urlsplit(url).query
    if not q:
        return []
    return [(unquote(n), unquote(v)) for n, _, v in (p.partition("=") for p in q.split("&"))]


def signing_key(secret, date, region, service="s3express"):
    k = ("AWS4" + secret).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        k = hmac.new(k, part.encode("utf-8"), hashlib.sha256).digest()
    return k


def _host(url):
    parts = urlsplit(url)
    host = parts.hostname
    if parts.port is not None and parts.port != {"http": 80, "https": 443}[parts.scheme]:
        host = f"{host}:{parts.port}"
    return host


def check_case(case):
    """Re-derive the canonical request, string to sign and signature from
    the recorded fields alone, and check the session-token rules."""
    cid = case["id"]
    url = case["url"]
    parts = urlsplit(url)
    enc = lambda s: quote(s.encode("utf-8"), safe="-_.~")  # noqa: E731
    creds = case["credentials"]
    token = creds["session_token"]
    date = case["time"]
    scope = f"{date[:8]}/{case['signing_region']}/s3express/aws4_request"
    pairs = _query_pairs(url)
    names = [n for n, _ in pairs]
    if case["form"] == "presign":
        amz = dict(pairs)
        if not url.endswith("&X-Amz-Signature=" + case["signature"]):
            raise SystemExit(f"{cid}: X-Amz-Signature is not last")
        if amz["X-Amz-Credential"] != f"{creds['access_key_id']}/{scope}":
            raise SystemExit(f"{cid}: credential {amz['X-Amz-Credential']}")
        if amz["X-Amz-Date"] != date or amz["X-Amz-Expires"] != str(case["expires"]):
            raise SystemExit(f"{cid}: date/expires")
        if case["mode"] == "session":
            if amz.get("X-Amz-S3session-Token") != token or "X-Amz-Security-Token" in amz:
                raise SystemExit(f"{cid}: session token query param")
            # Auth params follow the operation params, in this order.
            want = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                    "X-Amz-SignedHeaders", "X-Amz-S3session-Token", "X-Amz-Signature"]
        else:
            if "X-Amz-S3session-Token" in amz or amz.get("X-Amz-Security-Token") != token:
                raise SystemExit(f"{cid}: IAM token query param")
            want = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                    "X-Amz-SignedHeaders"] + (["X-Amz-Security-Token"] if token else []) + ["X-Amz-Signature"]
        if names[-len(want):] != want or any(n.startswith("X-Amz-") for n in names[:-len(want)]):
            raise SystemExit(f"{cid}: query order {names}")
        cq_pairs = [(n, v) for n, v in pairs if n != "X-Amz-Signature"]
        hdrs = {n: v for n, v in case["headers"]}
        payload = "UNSIGNED-PAYLOAD"
        signed_list = amz["X-Amz-SignedHeaders"]
    else:
        cq_pairs = pairs
        sent = {n.lower(): v for n, v in case["signed_headers"]}
        if case["mode"] == "session":
            if sent.get("x-amz-s3session-token") != token or "x-amz-security-token" in sent:
                raise SystemExit(f"{cid}: session token header")
        else:
            if "x-amz-s3session-token" in sent or sent.get("x-amz-security-token") != token:
                raise SystemExit(f"{cid}: IAM token header")
        if sent["x-amz-date"] != date:
            raise SystemExit(f"{cid}: x-amz-date")
        hdrs = {n: v for n, v in sent.items() if n != "authorization"}
        payload = case["payload_hash"]
        if "body" in case and payload not in ("UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"):
            if payload != hashlib.sha256(case["body"].encode("utf-8")).hexdigest():
                raise SystemExit(f"{cid}: payload hash")
        # Caller headers + what the signer adds = what was signed.
        added = {n for n in hdrs if n in SIGNER_ADDED}
        if set(hdrs) != {n for n, _ in case["headers"]} | added:
            raise SystemExit(f"{cid}: header split")
        signed_list = ";".join(sorted(set(hdrs) | {"host"}))
        auth = sent["authorization"]
        want_auth = (f"AWS4-HMAC-SHA256 Credential={creds['access_key_id']}/{scope}, "
                     f"SignedHeaders={signed_list}, Signature={case['signature']}")
        if auth != want_auth:
            raise SystemExit(f"{cid}: authorization {auth!r} != {want_auth!r}")
    # Canonical query: every param re-encoded with quote(safe="-_.~"), sorted.
    cq = "&".join(f"{n}={v}" for n, v in sorted((enc(n), enc(v)) for n, v in cq_pairs))
    hdrs = {n.lower(): " ".join(v.split()) for n, v in hdrs.items()}
    hdrs.setdefault("host", _host(url))
    if hdrs["host"] != _host(url):
        raise SystemExit(f"{cid}: host header")
    if ";".join(sorted(hdrs)) != signed_list:
        raise SystemExit(f"{cid}: signed headers {signed_list} vs {sorted(hdrs)}")
    ch = "".join(f"{n}:{hdrs[n]}\n" for n in sorted(hdrs))
    creq = "\n".join([case["method"], parts.path, cq, ch, signed_list, payload])
    if creq != case["canonical_request"]:
        raise SystemExit(f"{cid}: canonical request differs:\n{creq}\n---\n{case['canonical_request']}")
    sts = "\n".join(["AWS4-HMAC-SHA256", date, scope,
                     hashlib.sha256(creq.encode("utf-8")).hexdigest()])
    if sts != case["string_to_sign"]:
        raise SystemExit(f"{cid}: string to sign differs")
    sig = hmac.new(signing_key(creds["secret_access_key"], date[:8], case["signing_region"]),
                   sts.encode("utf-8"), hashlib.sha256).hexdigest()
    if sig != case["signature"]:
        raise SystemExit(f"{cid}: independent signature {sig} != botocore {case['signature']}")
    # The URL is <url_prefix>/<key quoted with safe "/~"> for object requests.
    ep = _EP.get(case["endpoint"]) if case.get("endpoint") else None
    if ep is not None:
        base = url.split("?", 1)[0]
        if case["key"] is not None:
            want = ep["url_prefix"] + "/" + quote(case["key"].encode("utf-8"), safe="/~")
        else:
            want = ep["url_prefix"] + "/"
        if base != want and base != ep["url_prefix"]:
            raise SystemExit(f"{cid}: URL {base} != {want}")


# --------------------------------------------------------------------------
# The vectors
# --------------------------------------------------------------------------


def build():
    resolve_endpoints()

    # ---- published: smithy-rs --------------------------------------------
    smithy_host = "https://s3express-test-bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com"
    smithy_creds = ("ASIARTESTID", "TESTSECRETKEY", "TESTSESSIONTOKEN")
    direct_presign(
        "published-smithy-rs-express-presigning", smithy_host + "/ferris.png?x-id=GetObject",
        smithy_creds, "us-west-2", datetime.datetime(2009, 2, 13, 23, 31, 31), expires=30,
        key="ferris.png", bucket="s3express-test-bucket--usw2-az1--x-s3", source=SMITHY_RS_EXPRESS_RS,
        expected="c09c93c7878184492cb960d59e148af932dff6b19609e63e3484599903d97e44")
    ua = "aws-sdk-rust/0.123.test api/test-service/0.123 os/windows/XPSP3 lang/rust/1.50.0"
    direct_header(
        "published-smithy-rs-mixed-auths-list-objects-v2-usw2-az1", smithy_host + "/?list-type=2",
        smithy_creds, "us-west-2", datetime.datetime(2009, 2, 13, 23, 31, 30),
        headers={"x-amz-user-agent": ua}, bucket="s3express-test-bucket--usw2-az1--x-s3",
        source=SMITHY_RS_MIXED_AUTHS,
        expected="d1765aa7ec005607ba94fdda08c6739228d5ee14eb8316e80264c35649661a19")
    direct_header(
        "published-smithy-rs-mixed-auths-list-objects-v2-usw2-az3",
        "https://s3express-test-bucket-2--usw2-az3--x-s3.s3express-usw2-az3.us-west-2.amazonaws.com/?list-type=2",
        smithy_creds, "us-west-2", datetime.datetime(2009, 2, 13, 23, 31, 30),
        headers={"x-amz-user-agent": ua}, bucket="s3express-test-bucket-2--usw2-az3--x-s3",
        source=SMITHY_RS_MIXED_AUTHS,
        expected="53848e132e259d7dbc06eb3063d5a32a243525f4fbf2cd015d45ff03f354d6f1")

    # ---- the research notes' samples (simple token), auth classes directly
    research_creds = (DOC_AK, DOC_SK, "EXAMPLESESSIONTOKEN")
    ep = _EP["use1-az4"]
    obj = ep["url_prefix"] + "/obj.txt"
    direct_presign("research-presign-get-class-default-expires", obj, research_creds, "us-east-1",
                   T2013, ep=ep, key="obj.txt",
                   expected="52b64d4fafa7ea863cc1e165f0bf83941a01ceaf407b60bbad65ccc101e818b5")
    direct_presign("research-presign-get-expires-86400", obj, research_creds, "us-east-1", T2013,
                   expires=86400, ep=ep, key="obj.txt",
                   expected="51a3da23a3ca3d96308b45357c72e132e85a7a332582f8b0652b8ff098f45447")
    direct_header("research-header-get-bare", obj, research_creds, "us-east-1", T2013, ep=ep,
                  key="obj.txt",
                  expected="8facb56d8573ce9146a499fa2d02b368c72b3d02fce0cbf9b9c41a3c4816d814")
    direct_header("research-header-put-hello", obj, research_creds, "us-east-1", T2013,
                  method="PUT", data=b"hello", ep=ep, key="obj.txt",
                  expected="679cd870a9770ad11942fb796d0e546f91dd55f56f9a9bef3d761d380fe90ca9")
    direct_header("research-iam-header-get-sts-token", obj, research_creds, "us-east-1", T2013,
                  cls=botocore.auth.S3SigV4Auth, ep=_EP["iam-mode-use1-az4"], key="obj.txt",
                  expected="f7ca1de0d6ba988e04e816aef49393d54ec1c3cd3314ac4d6752ad89ee140b6b")
    direct_presign("research-iam-presign-get-sts-token", obj, research_creds, "us-east-1", T2013,
                   expires=300, cls=botocore.auth.S3SigV4QueryAuth, ep=_EP["iam-mode-use1-az4"],
                   key="obj.txt",
                   expected="ccd2205f870bc2a5b7670d399e69724ff45659447822970be96c39d500375487")
    post("research-post-obj-txt", "use1-az4", "obj.txt", expires_in=600, creds=research_creds,
         expected="e7531e03e3667d6eaf32093ad17ebeb9b49a36a44c7dd8deb291462a204b6ea5")

    # ---- session presign: the class default, the client default ----------
    direct_presign("session-presign-get-class-default-expires-300", obj, SESSION, "us-east-1",
                   T2024, ep=ep, key="obj.txt")
    presign("session-presign-get-client-default-expires-3600", "use1-az4", t=T2024,
            client_default_expiry=True)

    # ---- session presign: methods x expiries ------------------------------
    for i, cm in enumerate(METHODS):
        for j, exp in enumerate((1, 300, 3600, 604800)):
            presign(f"session-presign-{METHODS[cm].lower()}-expires-{exp}", "use1-az4",
                    client_method=cm, key="dir/file name.txt", expires=exp, t=TIMES[(i + j) % 3])

    # ---- session presign + header: keys -----------------------------------
    for i, (name, key) in enumerate(KEYS):
        presign(f"session-presign-get-key-{name}", "use1-az4", key=key, t=TIMES[i % 3],
                expires=300)
        header(f"session-header-get-key-{name}", "usw2-az12", key=key, t=TIMES[(i + 1) % 3])
    for i, name in enumerate(["simple", "space", "plus", "tilde", "double-slash", "accents",
                              "emoji", "mixed"]):
        key = dict(KEYS)[name]
        presign(f"session-presign-put-key-{name}", "usw2-lax1-az1", client_method="put_object",
                key=key, t=TIMES[i % 3], expires=900)

    # ---- session presign: signed headers ----------------------------------
    presign("session-presign-put-content-type", "use1-az4", client_method="put_object",
            key="upload/report.pdf", expires=300, params={"ContentType": "application/pdf"})
    presign("session-presign-put-content-type-charset", "eun1-az1", client_method="put_object",
            key="a b+c.txt", expires=3600, t=T2024,
            params={"ContentType": "text/plain; charset=utf-8"})
    presign("session-presign-put-content-type-and-metadata", "apne1-az4",
            client_method="put_object", key="写真/cat.png", expires=600, t=T2026,
            params={"ContentType": "image/png", "Metadata": {"Owner": "alice  smith"}})
    presign("session-presign-put-content-type-session-custom-ip", "custom-ip-port",
            client_method="put_object", key="up/load.bin", expires=300, t=T2026,
            params={"ContentType": "application/octet-stream"})
    presign("session-presign-get-response-content-type", "use1-az4", key="report.csv",
            expires=300, t=T2024,
            params={"ResponseContentType": "text/csv", "ResponseContentDisposition": 'attachment; filename="r.csv"'})
    presign("session-presign-get-range", "use1-az4", key="big.bin", expires=300, t=T2026,
            params={"Range": "bytes=0-1023"})

    # ---- every accepted endpoint: presign GET + header GET ----------------
    for i, rec in enumerate(ENDPOINT_RECORDS):
        if "error" in rec or "ruleset_error" in rec or rec["disable_s3express_session_auth"]:
            continue
        t = TIMES[i % 3]
        if not rec["bucket"].endswith("--xa-s3"):
            presign(f"session-presign-get-endpoint-{rec['id']}", rec["id"],
                    key="dir/file name.txt", expires=300, t=t)
            presign(f"session-presign-put-endpoint-{rec['id']}", rec["id"],
                    client_method="put_object", key="k+1~.txt", expires=3600,
                    t=TIMES[(i + 1) % 3], params={"ContentType": "text/plain"})
        else:
            # botocore's generate_presigned_url only exempts names ending in
            # --x-s3 from its aws-global presign rewrite (handlers.py,
            # utils.is_s3express_bucket), so it presigns --xa-s3 names on
            # s3express-<az>.aws-global.amazonaws.com. Keep that bug out of
            # the vectors, but fail loudly if it is ever fixed.
            _FROZEN["now"] = t
            try:
                url = client_for(rec["region"]).generate_presigned_url(
                    "get_object", Params={"Bucket": rec["bucket"], "Key": "k"}, ExpiresIn=300)
            finally:
                _FROZEN["now"] = None
            if ".aws-global." not in urlsplit(url).netloc:
                raise SystemExit(f"botocore no longer presigns {rec['bucket']} on aws-global: {url}")
        header(f"session-header-get-endpoint-{rec['id']}", rec["id"], key="dir/file name.txt", t=t)

    # ---- session header: other operations and payload modes --------------
    header("session-header-head-object", "use1-az4", op="head_object", key="a b.txt", t=T2024)
    header("session-header-delete-object", "use1-az4", op="delete_object", key="a+b.txt", t=T2026)
    header("session-header-get-object-no-checksum-mode", "use1-az4", key="obj.txt",
           response_checksum_validation="when_required")
    header("session-header-get-object-range-version", "usw2-az12", key="obj.txt", t=T2024,
           params={"Range": "bytes=0-99", "VersionId": "null"})
    header("session-header-put-object-default-aws-chunked", "use1-az4", op="put_object",
           key="hello.txt", body=b"hello")
    header("session-header-put-object-body-sha256", "use1-az4", op="put_object",
           key="hello.txt", body=b"hello", request_checksum_calculation="when_required")
    header("session-header-put-object-body-sha256-content-type", "eun1-az1", op="put_object",
           key="dir/über.json", body='{"a": "ü"}'.encode("utf-8"), t=T2024,
           params={"ContentType": "application/json"}, request_checksum_calculation="when_required")
    header("session-header-put-object-empty-body", "use1-az4", op="put_object",
           key="empty", body=b"", t=T2026, request_checksum_calculation="when_required")
    header("session-header-put-object-content-md5-unsigned-payload", "use1-az4", op="put_object",
           key="hello.txt", body=b"hello", params={"ContentMD5": "XUFAKrxLKna5cZ2REBfFkg=="},
           request_checksum_calculation="when_required")
    header("session-header-put-object-http-custom-ip-crc32", "custom-ip-port", op="put_object",
           key="hello.txt", body=b"hello", t=T2024)
    header("session-header-put-object-https-custom-payload-signing", "custom-https", op="put_object",
           key="hello.txt", body=b"hello", t=T2026, s3={"payload_signing_enabled": True})
    header("session-header-list-objects-v2", "use1-az4", op="list_objects_v2")
    header("session-header-list-objects-v2-params", "usw2-az12", op="list_objects_v2", t=T2024,
           params={"Prefix": "photos/2024 jan/", "Delimiter": "/", "MaxKeys": 10,
                   "ContinuationToken": "1a/B+c=d==", "StartAfter": "photos/ä~x"})
    header("session-header-list-objects-v2-custom-ip", "custom-ip-port", op="list_objects_v2",
           t=T2026, params={"Prefix": "a b"})
    header("session-header-list-objects-v2-fips-dualstack", "use1-az4-fips-dualstack",
           op="list_objects_v2", t=T2024)
    header("session-header-delete-objects", "use1-az4", op="delete_objects", t=T2024,
           params={"Delete": {"Objects": [{"Key": "a"}, {"Key": "b c"}], "Quiet": True}})

    # ---- IAM mode (DisableS3ExpressSessionAuth): plain SigV4, s3express --
    for tok_name, iam in (("no-token", IAM_NO_TOKEN), ("sts-token", IAM_WITH_TOKEN)):
        for i, cm in enumerate(METHODS):
            params = {"ContentType": "text/plain"} if cm == "put_object" else None
            presign(f"iam-presign-{METHODS[cm].lower()}-{tok_name}", "iam-mode-use1-az4",
                    client_method=cm, key="dir/file name+1.txt", expires=[300, 3600, 1, 604800][i],
                    t=TIMES[i % 3], params=params, mode="iam", iam=iam)
        presign(f"iam-presign-get-custom-ip-{tok_name}", "iam-mode-custom-ip-port", key="a~b",
                expires=300, t=T2024, mode="iam", iam=iam)
        header(f"iam-header-get-{tok_name}", "iam-mode-use1-az4", key="dir/file name+1.txt",
               mode="iam", iam=iam)
        header(f"iam-header-put-body-sha256-{tok_name}", "iam-mode-use1-az4", op="put_object",
               key="hello.txt", body=b"hello", t=T2024, mode="iam", iam=iam,
               request_checksum_calculation="when_required")
        header(f"iam-header-list-objects-v2-{tok_name}", "iam-mode-use1-az4", op="list_objects_v2",
               t=T2026, params={"Prefix": "x/"}, mode="iam", iam=iam)
        header(f"iam-header-get-custom-ip-{tok_name}", "iam-mode-custom-ip-port", key="a~b",
               t=T2024, mode="iam", iam=iam)
    # CreateSession itself: plain SigV4 (s3express) with the client's IAM
    # credentials, even on a session-mode client.
    for i, eid in enumerate(("use1-az4", "usw2-az12-fips", "custom-ip-port")):
        for tok_name, iam in (("no-token", IAM_NO_TOKEN), ("sts-token", IAM_WITH_TOKEN)):
            create_session(f"iam-header-create-session-{eid}-{tok_name}", eid, iam, t=TIMES[i % 3])

    # ---- POST via S3ExpressPostAuth --------------------------------------
    post("session-post-plain", "use1-az4", "uploads/photo.jpg", expires_in=300)
    post("session-post-filename", "usw2-az12", "user/alice/${filename}", expires_in=3600, t=T2024)
    post("session-post-fields-and-conditions", "eun1-az1", "docs/a b+c.txt",
         fields={"Content-Type": "text/plain", "success_action_status": "201",
                 "x-amz-meta-owner": "ålice"},
         conditions=[["starts-with", "$Content-Type", "text/"], {"success_action_status": "201"},
                     ["content-length-range", 1, 10485760], {"x-amz-meta-owner": "ålice"}],
         expires_in=600, t=T2026)
    post("session-post-fips-dualstack", "use1-az4-fips-dualstack", "k", expires_in=60, t=T2024)
    post("session-post-custom-ip", "custom-ip-port", "k/${filename}", expires_in=604800, t=T2026)
    post("session-post-cn", "cnn1-az1", "中文.txt", expires_in=3600)


def create_session(cid, ep_id, iam, t=T2013):
    """CreateSession is signed with the client's IAM credentials (plain
    SigV4, s3express) even on a session-mode client: an IAM-mode case."""
    op = "create_session"
    _new_id(cid)
    ep = _EP[ep_id]
    client = client_for(ep["region"], ep["use_fips"], ep["use_dualstack"], ep["endpoint_url"],
                        "session", iam)
    _FROZEN["now"] = t
    del SIGNED[:]
    try:
        getattr(client, op)(Bucket=ep["bucket"])
    finally:
        _FROZEN["now"] = None
    sig = SIGNED[-1]
    if sig["class"] != "S3SigV4Auth":
        raise SystemExit(f"{cid}: signed by {sig['class']}")
    ak, sk, tok = iam
    if (sig["credentials"].access_key, sig["credentials"].token) != (ak, tok):
        raise SystemExit(f"{cid}: CreateSession not signed with the client's credentials")
    case = _common(cid, "header", "iam", iam, ep, None, sig["method"], t, None)
    case["via"] = f"client.{op}"
    case["client_params"] = {}
    _header_fields(case, sig)
    _finish(case, sig, sig["url"])
    if urlsplit(case["url"]).query != "session":
        raise SystemExit(f"{cid}: {case['url']}")
    return case


NOTES = (
    "S3 Express One Zone (directory bucket) vectors from botocore 1.43.11, offline, clock frozen. "
    "endpoints: what botocore's endpoint ruleset gives for a data-plane GetObject (host, url_prefix, "
    "authSchemes[0]), or the error botocore raises. "
    "mode 'session': sigv4-s3express with the CreateSession credentials; the session token is sent as "
    "the signed header x-amz-s3session-token (header form) or the signed query param "
    "X-Amz-S3session-Token (presign form, placed after X-Amz-SignedHeaders in the URL, sorted before "
    "it in the canonical query because '3' < 'i'); X-Amz-Security-Token is never sent. "
    "mode 'iam': DisableS3ExpressSessionAuth (sigv4 auth scheme): plain S3 SigV4 with signing name "
    "s3express and the IAM credentials, token as X-Amz-Security-Token; CreateSession is always signed "
    "this way. Presign in IAM mode needs Config(signature_version='s3v4') in botocore: with the "
    "default config botocore presigns IAM-mode directory-bucket URLs with SigV2 (AWSAccessKeyId/"
    "Signature/Expires). "
    "Expiry defaults: S3ExpressQueryAuth.DEFAULT_EXPIRES = 300 (used only when the class is built "
    "without expires), client.generate_presigned_url ExpiresIn default = 3600. "
    "Presigned URLs sign UNSIGNED-PAYLOAD and only host plus request headers botocore moves into the "
    "signature (content-type, x-amz-meta-*, range); no x-amz-content-sha256. "
    "Header form: 'headers' are the request headers the caller signs (everything signed except host, "
    "x-amz-date, x-amz-content-sha256, x-amz-s3session-token, x-amz-security-token); 'signed_headers' "
    "are all headers on the request right after signing, with botocore's name casing, including "
    "Authorization; 'unsigned_headers' are headers present but excluded by botocore's blacklist "
    "(Expect, Transfer-Encoding); User-Agent (machine dependent, never signed), and amz-sdk-invocation-id "
    "/ amz-sdk-request / Content-Length (added after signing, unsigned) are not recorded. payload_hash "
    "is x-amz-content-sha256: the body's SHA-256, or UNSIGNED-PAYLOAD (https + Content-MD5 on a "
    "streaming operation), or STREAMING-UNSIGNED-PAYLOAD-TRAILER (botocore 1.43's default PutObject "
    "over https: aws-chunked body with an unsigned CRC32 trailer). The client adds "
    "x-amz-checksum-mode: ENABLED to GetObject unless response_checksum_validation='when_required'. "
    "canonical_request and string_to_sign are botocore's own (captured from SigV4Auth.string_to_sign). "
    "POST: botocore's client.generate_presigned_post builds its request from the CreateBucket model "
    "(UseS3ExpressControlEndpoint=true), so for a directory bucket it targets "
    "https://s3express-control.REGION.amazonaws.com/BUCKET signed with IAM credentials; the post cases "
    "here therefore run botocore.signers.S3PostPresigner (the same policy code) with S3ExpressPostAuth "
    "directly, posting to the zonal url_prefix + '/' (or to url_prefix itself, path style, for an IP endpoint, as botocore does for ordinary buckets). Its fields: key, x-amz-algorithm, "
    "x-amz-credential, x-amz-date, X-Amz-S3session-Token (this casing), policy, x-amz-signature; the "
    "policy gets a {\"X-Amz-S3session-Token\": token} condition. Whether S3 accepts POST uploads to "
    "zonal endpoints is not documented. "
    "Cases with 'source' reproduce published smithy-rs vectors exactly (the presign one includes the "
    "Rust SDK's x-id=GetObject query param, which botocore does not add). 'research-*' cases pin the "
    "samples of the research notes (token EXAMPLESESSIONTOKEN). 'via' says which botocore entry point "
    "made the case. 'query' lists the non-auth query params of 'url', percent-decoded, in order "
    "(botocore adds encoding-type=url to ListObjectsV2; CreateSession is '?session', canonical 'session=')."
)


def main():
    build()
    counts = {}
    for c in CASES:
        counts[f"{c['form']}/{c['mode']}"] = counts.get(f"{c['form']}/{c['mode']}", 0) + 1
    doc = {
        "generator": "generate_s3express.py",
        "botocore": botocore.__version__,
        "notes": NOTES,
        "defaults": {
            "S3ExpressQueryAuth.DEFAULT_EXPIRES": botocore.auth.S3ExpressQueryAuth.DEFAULT_EXPIRES,
            "SigV4QueryAuth.DEFAULT_EXPIRES": botocore.auth.SigV4QueryAuth.DEFAULT_EXPIRES,
            "generate_presigned_url.ExpiresIn": inspect.signature(
                botocore.signers.generate_presigned_url).parameters["ExpiresIn"].default,
        },
        "counts": dict(sorted(counts.items())),
        "endpoints": ENDPOINT_RECORDS,
        "cases": CASES,
    }
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    size = len(text.encode("utf-8"))
    if size > 1_500_000:
        raise SystemExit(f"output too large: {size} bytes")
    with open(OUT_PATH, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {len(ENDPOINT_RECORDS)} endpoints and {len(CASES)} cases "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))}) to {OUT_PATH} ({size} bytes)")


if __name__ == "__main__":
    main()
