#!/usr/bin/env python3
"""Generate S3 SigV4 presigned-URL test vectors using botocore as the oracle.

Run from the repository root:

    python3 test-vectors/botocore/generate.py

It rewrites test-vectors/botocore/s3-presign.json deterministically (same
botocore version => byte-identical output). No network access is needed:
presigning is a purely local computation.

For every case a real botocore S3 client is created and
``client.generate_presigned_url`` is called with the signing clock frozen.
The headers botocore actually signed are captured by wrapping
``botocore.auth.S3SigV4QueryAuth.add_auth``.  Every case is then
independently re-signed from the recorded JSON fields alone (see
``resign``), which proves the recorded ``query``/``headers`` are complete.
"""

import datetime
import hashlib
import hmac
import json
import os
import sys
from urllib.parse import quote, unquote, urlsplit

# Isolate from the caller's AWS environment / config files so output only
# depends on the botocore version (e.g. AWS_ENDPOINT_URL_S3, AWS_CONFIG_FILE
# with s3 addressing_style, AWS_USE_FIPS_ENDPOINT would otherwise leak in).
for _name in list(os.environ):
    if _name.startswith("AWS_") or _name.startswith("BOTO_"):
        del os.environ[_name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import botocore  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.config  # noqa: E402
import botocore.endpoint_provider  # noqa: E402
import botocore.session  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "s3-presign.json")
GENERATOR = "test-vectors/botocore/generate.py"
UTC = datetime.timezone.utc

# --------------------------------------------------------------------------
# Frozen clock + header capture
# --------------------------------------------------------------------------

_FROZEN = {"now": None}


def _frozen_now(remove_tzinfo=True):
    now = _FROZEN["now"]
    if now is None:
        raise RuntimeError("signing time not frozen")
    return now if remove_tzinfo else now.replace(tzinfo=datetime.timezone.utc)


# botocore.auth does `from botocore.compat import get_current_datetime`, so
# the name to patch is the one bound inside botocore.auth.
if not hasattr(botocore.auth, "get_current_datetime"):
    sys.exit("botocore.auth.get_current_datetime not found; update the clock patch")
botocore.auth.get_current_datetime = _frozen_now

_CAPTURE = {}
_orig_add_auth = botocore.auth.S3SigV4QueryAuth.add_auth


def _capturing_add_auth(self, request):
    result = _orig_add_auth(self, request)
    # headers_to_sign() is exactly the header map the signer canonicalised
    # (blacklist applied, host derived from URL when absent).
    signed = self.headers_to_sign(request)
    pairs = []
    for name in signed.keys():
        values = signed.get_all(name)
        if len(values) != 1:
            raise RuntimeError(f"multi-valued header {name!r}: {values!r}")
        pairs.append([name.lower(), values[0]])
    _CAPTURE["headers"] = pairs
    _CAPTURE["url"] = request.url
    _CAPTURE["region"] = self._region_name
    _CAPTURE["service"] = self._service_name
    return result


botocore.auth.S3SigV4QueryAuth.add_auth = _capturing_add_auth

# --------------------------------------------------------------------------
# Fixed inputs
# --------------------------------------------------------------------------

T2013 = "2013-05-24T00:00:00Z"
T2024 = "2024-02-29T23:59:59Z"
T2026 = "2026-11-28T12:00:00Z"
T2000 = "2000-01-01T00:00:00Z"
TIMES = [T2013, T2024, T2026, T2000]

CREDS = {
    "aws-doc": ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    "plus-slash": ("AKIDEXAMPLE0PLUSSLSH", "wJalrXUtnFEMI+K7MDENG/bPxRfi+CYEXAMPLE/KEY"),
    "sts": ("ASIAIOSFODNN7EXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
    "equals": ("AKIA0123456789ABCDEF", "abc+def/ghi=jkl+mno/pqr=stu+vwx/yz01234=="),
    "minio": ("minioadmin", "minioadmin"),
    "short": ("AK", "s"),
}

STS_TOKEN = (
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAe"
    "MicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZ"
    "ampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr"
    "7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR"
    "/oLxBA=="
)
TOKENS = {
    "sts": STS_TOKEN,
    "slash-plus-eq": "FwoGZXIvYXdzE/token+with/slash=and+plus==",
    "simple": "session-token-123",
    "spaces": "token with spaces & ampersand",
}

METHODS = {
    "get_object": "GET",
    "put_object": "PUT",
    "head_object": "HEAD",
    "delete_object": "DELETE",
}

AWS_DOC_SIGNATURE = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"

# Keys (id-suffix, key).  Keys botocore rejects are listed in REJECTED_KEYS
# and verified to still be rejected.
KEYS = [
    ("simple", "test.txt"),
    ("nested", "photos/2024/01/IMG_0001.JPG"),
    ("space", "my file.txt"),
    ("spaces-multiple", "a  b   c"),
    ("space-leading", " leading"),
    ("space-trailing", "trailing "),
    ("plus", "a+b.txt"),
    ("equals", "a=b"),
    ("ampersand", "a&b"),
    ("question", "what?.txt"),
    ("percent", "100%"),
    ("percent-20-literal", "a%20b"),
    ("percent-2f-literal", "a%2Fb"),
    ("percent-2b-literal", "a%2Bb"),
    ("tilde", "~user/file~1"),
    ("asterisk", "a*b"),
    ("apostrophe", "it's"),
    ("parens", "file(1).txt"),
    ("exclamation", "wow!"),
    ("at", "user@example.com"),
    ("dollar", "$HOME"),
    ("comma", "a,b,c"),
    ("semicolon", "a;b"),
    ("colon", "a:b:c"),
    ("hash", "issue#42"),
    ("brackets", "arr[0]"),
    ("braces", "{json}"),
    ("pipe", "a|b"),
    ("caret", "a^b"),
    ("backtick", "a`b"),
    ("double-quote", 'say "hi"'),
    ("backslash", "dir\\file"),
    ("angle-brackets", "<tag>"),
    ("unreserved-all", "AZaz09-_.~"),
    ("reserved-all", "!#$&'()*+,/:;=?@[]"),
    ("double-slash", "a//b"),
    ("triple-slash", "a///b"),
    ("leading-slash", "/leading"),
    ("only-slash", "/"),
    ("dot-segment", "a/./b"),
    ("dotdot-segment", "a/../b"),
    ("dotdot-leading", "../x"),
    ("dot-leading", "./x"),
    ("dot-only", "."),
    ("dotdot-only", ".."),
    ("dots-trailing", "a/b/.."),
    ("trailing-slash", "folder/"),
    ("trailing-slash-nested", "folder/sub/"),
    ("accents", "café/über/niño.txt"),
    ("cyrillic", "Привет/мир.txt"),
    ("cjk", "中文/日本語.txt"),
    ("korean", "한국어 파일"),
    ("arabic", "ملف.txt"),
    ("emoji", "😀.txt"),
    ("emoji-zwj", "family-👨‍👩‍👧.png"),
    ("combining-acute", "e\u0301te\u0301"),
    ("combining-diaeresis", "u\u0308ber"),
    ("precomposed-vs-combining", "\u00e9-e\u0301"),
    ("nbsp", "a\u00a0b"),
    ("bom", "\ufeffbom"),
    ("single-char", "a"),
    ("single-digit", "0"),
    ("single-tilde", "~"),
    ("single-space", " "),
    ("single-plus", "+"),
    ("single-percent", "%"),
    ("single-emoji", "🚀"),
    ("tab", "a\tb"),
    ("newline", "line1\nline2"),
    ("carriage-return", "a\rb"),
    ("del-char", "a\x7fb"),
    ("nul", "a\x00b"),
    ("long-ascii", "long/" + ("abcdefghij" * 100)[:995]),  # 1000 bytes
    ("long-multibyte", "é" * 500),  # 1000 bytes UTF-8
    ("long-4byte", "😀" * 255),  # 1020 bytes UTF-8
    ("mixed-everything", "dir one/sub+dir/ä ö=ü&?#%20~*'()!@$,;:[].txt"),
]

REJECTED_KEYS = [
    ("empty", ""),
    ("lone-surrogate", "\ud800"),
]

# Characters a shell argument cannot carry.
NON_CLI_CHARS = {"\x00"}

# Regions no partition lists: one per region-pattern prefix, then names no
# pattern matches (botocore puts them in the first partition, aws).
UNLISTED_REGIONS = [
    "us-west-9", "eu-north-7", "ap-nowhere-3", "sa-west-2", "ca-south-4", "me-west-2",
    "af-north-1", "il-south-2", "mx-east-3", "cn-south-7", "eusc-de-west-2",
    "us-iso-north-5", "us-isob-south-4", "eu-isoe-north-3", "us-isof-north-2",
    "us-gov-north-4", "xx-foo-1", "eusc-fr-east-1", "foo",
]

# Bucket names botocore accepts (^[a-zA-Z0-9.\-_]{1,255}$), most of which
# are not DNS-compatible: legacy us-east-1 names and the edges of the rules.
BUCKET_NAMES = [
    ("one-char", "b"),
    ("two-chars", "ab"),
    ("upper", "UPPER"),
    ("mixed-case-underscore", "My_Legacy_Bucket"),
    ("leading-dash", "-bucket"),
    ("trailing-dash", "bucket-"),
    ("double-dot", "a..b"),
    ("leading-dot", ".dot"),
    ("dash-before-dot", "a-.b"),
    ("ipv4-shaped", "192.168.5.4"),
    ("ipv4-shaped-out-of-range", "999.1.1.1"),
    ("five-numbers", "1.2.3.4.5"),
    ("dotted", "my.dotted.bucket"),
    ("64-chars", "b" * 64),
    ("255-chars", "c" * 255),
    ("dns-63-chars", "d" * 63),
    ("dns-3-chars", "abc"),
    ("dns-digits-dashes", "0-9-a"),
]

IP_ENDPOINTS = [
    "http://127.0.0.1:9000",
    "http://[::1]:9000",
    "https://10.1.2.3",
    "http://[2001:db8::7]",
]

# (name, endpoint, styles)
PORT_ENDPOINTS = [
    ("https-0443", "https://s3.example.com:0443", ["path", "virtual"]),
    ("http-080", "http://s3.example.com:080", ["path", "virtual"]),
    ("http-0000080", "http://s3.example.com:0000080", ["path"]),
    ("https-09000", "https://s3.example.com:09000", ["path", "virtual"]),
    ("http-65535", "http://s3.example.com:65535", ["path"]),
    ("https-1", "https://s3.example.com:1", ["path"]),
    ("ipv6-0080", "http://[::1]:0080", ["path"]),
]

# Requests botocore refuses: (name, arguments of `reject`).
REJECTED_REQUESTS = [
    ("fips-prefix-cn-north-1", {"region": "fips-cn-north-1"}),
    ("fips-suffix-cn-northwest-1", {"region": "cn-northwest-1-fips"}),
    ("fips-aws-cn-global", {"region": "fips-aws-cn-global"}),
    ("bucket-256-chars", {"bucket": "b" * 256}),
    ("bucket-slash", {"bucket": "a/b"}),
    ("bucket-space", {"bucket": "a b"}),
    ("bucket-non-ascii", {"bucket": "bücket"}),
    ("directory-bucket", {"bucket": "bkt--x-s3"}),
    ("port-65536", {"endpoint_url": "http://127.0.0.1:65536"}),
    ("port-99999", {"endpoint_url": "https://s3.example.com:99999"}),
]

# --------------------------------------------------------------------------
# Case construction
# --------------------------------------------------------------------------

_CLIENTS = {}
_SESSION = botocore.session.get_session()


def client_for(region, endpoint_url, style, creds, token):
    """A client; `style` is botocore's addressing_style (virtual/path/auto)."""
    k = (region, endpoint_url, style, creds, token)
    if k not in _CLIENTS:
        ak, sk = CREDS[creds]
        _CLIENTS[k] = _SESSION.create_client(
            "s3",
            region_name=region,
            endpoint_url=endpoint_url,
            aws_access_key_id=ak,
            aws_secret_access_key=sk,
            aws_session_token=TOKENS[token] if token else None,
            config=botocore.config.Config(
                signature_version="s3v4", s3={"addressing_style": style}
            ),
        )
    return _CLIENTS[k]


def parse_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def split_query(url):
    """Return [(name, value)] of the URL's query, percent-decoded, in order."""
    q = urlsplit(url).query
    out = []
    for part in q.split("&"):
        name, _, value = part.partition("=")
        out.append((unquote(name), unquote(value)))
    return out


CASES = []
_IDS = set()
REJECTED = []


def botocore_partitions():
    path = os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)["partitions"]


# Partitions whose S3 refuses FIPS (the ruleset's "Partition does not support
# FIPS"); generate_partitions.py reads the same rule into src/s3/partitions.rs.
NO_FIPS_PARTITIONS = {"aws-cn"}


def reject(name, region="us-east-1", bucket="examplebucket", key="k",
           endpoint_url=None, style="path"):
    """Requires botocore to refuse a request, and records it."""
    id = f"rejected-{name}"
    if id in _IDS:
        raise SystemExit(f"duplicate case id: {id}")
    _IDS.add(id)
    _FROZEN["now"] = parse_time(T2013)
    try:
        client = client_for(region, endpoint_url, style, "aws-doc", None)
        client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key})
    except Exception as e:  # noqa: BLE001 - any refusal will do, its kind is recorded
        error = f"{type(e).__name__}: {' '.join(str(e).split())}"
    else:
        raise SystemExit(f"{id}: botocore accepted it")
    finally:
        _FROZEN["now"] = None
    REJECTED.append({
        "id": id,
        "region": region,
        "bucket": bucket,
        "key": key,
        "endpoint_url": endpoint_url,
        "addressing_style": style,
        "botocore_error": error[:300],
    })


def add(
    id,
    client_method="get_object",
    key="test.txt",
    bucket="examplebucket",
    region="us-east-1",
    endpoint_url=None,
    style="virtual",
    expires=3600,
    time=T2013,
    creds="aws-doc",
    token=None,
    params=None,
    cli=None,
    botocore_style=None,
):
    """Presigns one case with botocore and records it.

    `style` is the addressing style the case asks of this crate; botocore is
    given `botocore_style` (default: the same). Only `auto` differs: on AWS
    endpoints botocore's own `auto` presigns every aws-partition region on
    the global s3.amazonaws.com, so `auto` cases there are made with
    botocore's `virtual`, which falls back to path style exactly when the
    SDKs' `auto` does (a name that is not virtual-hostable).
    """
    if botocore_style is None:
        if style == "auto":
            raise SystemExit(f"{id}: an auto case must say which botocore style makes it")
        botocore_style = style
    if id in _IDS:
        raise SystemExit(f"duplicate case id: {id}")
    _IDS.add(id)
    method = METHODS[client_method]
    p = {"Bucket": bucket, "Key": key}
    p.update(params or {})
    client = client_for(region, endpoint_url, botocore_style, creds, token)

    _FROZEN["now"] = parse_time(time)
    _CAPTURE.clear()
    url = client.generate_presigned_url(
        client_method, Params=p, ExpiresIn=expires, HttpMethod=method
    )
    _FROZEN["now"] = None
    if _CAPTURE.get("url") != url:
        raise SystemExit(f"{id}: capture mismatch (signer not invoked?)")

    amz_date = parse_time(time).strftime("%Y%m%dT%H%M%SZ")
    if f"X-Amz-Date={amz_date}" not in url:
        raise SystemExit(f"{id}: frozen X-Amz-Date {amz_date} not in URL {url}")

    all_query = split_query(url)
    amz = {n: v for n, v in all_query if n.startswith("X-Amz-")}
    query = [[n, v] for n, v in all_query if not n.startswith("X-Amz-")]
    headers = [[n, v] for n, v in _CAPTURE["headers"] if n != "host"]

    signed_headers = amz["X-Amz-SignedHeaders"]
    expected_signed = ";".join(sorted([n for n, _ in headers] + ["host"]))
    if signed_headers != expected_signed:
        raise SystemExit(f"{id}: signed headers {signed_headers} != {expected_signed}")
    if amz["X-Amz-Expires"] != str(expires):
        raise SystemExit(f"{id}: X-Amz-Expires mismatch")
    ak, sk = CREDS[creds]
    # The region that signs: the client's, except for the pseudo-regions
    # (aws-global, fips-*), which botocore resolves first.
    signing_region = _CAPTURE["region"]
    if signing_region != region and not (region == "aws-global" or "fips" in region):
        raise SystemExit(f"{id}: {region} signed as {signing_region}")
    if amz["X-Amz-Credential"] != f"{ak}/{amz_date[:8]}/{signing_region}/s3/aws4_request":
        raise SystemExit(f"{id}: unexpected credential scope {amz['X-Amz-Credential']}")
    if token and amz.get("X-Amz-Security-Token") != TOKENS[token]:
        raise SystemExit(f"{id}: security token mismatch")
    if not url.endswith("&X-Amz-Signature=" + amz["X-Amz-Signature"]):
        raise SystemExit(f"{id}: X-Amz-Signature is not last")

    if cli is None:
        cli = not any(c in NON_CLI_CHARS for c in key) and all(
            v == v.strip() for _, v in headers
        )

    case = {
        "id": id,
        "client_method": client_method,
        "method": method,
        "bucket": bucket,
        "key": key,
        "region": region,
        "signing_region": signing_region,
        "endpoint_url": endpoint_url,
        "addressing_style": style,
        "botocore_addressing_style": botocore_style,
        "expires_in": expires,
        "signing_time": time,
        "access_key_id": ak,
        "secret_access_key": sk,
        "session_token": TOKENS[token] if token else None,
        "version_id": p.get("VersionId"),
        "query": query,
        "headers": headers,
        "signed_headers": signed_headers,
        "cli": cli,
        "expected_url": url,
        "expected_signature": amz["X-Amz-Signature"],
    }
    check_path(case)
    check_resign(case)
    CASES.append(case)
    return case


# --------------------------------------------------------------------------
# Independent checks
# --------------------------------------------------------------------------


def check_path(case):
    """The URL path must be <endpoint path prefix>[/bucket]/<uri-encoded key>.

    This also guards against botocore silently switching addressing style
    (it does so for IP endpoints and dotted bucket names in virtual mode).
    """
    parts = urlsplit(case["expected_url"])
    prefix = ""
    if case["endpoint_url"]:
        prefix = urlsplit(case["endpoint_url"]).path.rstrip("/")
    enc_key = quote(case["key"].encode("utf-8"), safe="/~")
    style = case["addressing_style"]
    if style == "auto":
        style = auto_style(case["bucket"], case["endpoint_url"])
    if style == "path":
        want = f"{prefix}/{case['bucket']}/{enc_key}"
        host_ok = not parts.hostname.startswith(case["bucket"] + ".")
    else:
        want = f"{prefix}/{enc_key}"
        host_ok = parts.netloc.lower().startswith(case["bucket"].lower() + ".")
    if parts.path != want:
        raise SystemExit(f"{case['id']}: path {parts.path!r} != expected {want!r}")
    if not host_ok:
        raise SystemExit(f"{case['id']}: host {parts.netloc!r} does not match style")


_RULES = botocore.endpoint_provider.RuleSetStandardLibrary(None)


def auto_style(bucket, endpoint_url):
    """What `auto` must pick, by the S3 ruleset's own bucket test (botocore's
    implementation of aws.isVirtualHostableS3Bucket): virtual on AWS
    endpoints (https, so no dots) for a virtual-hostable name, else path."""
    if endpoint_url is None and _RULES.aws_is_virtual_hostable_s3_bucket(bucket, False):
        return "virtual"
    return "path"


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def resign(case):
    """Recompute the signature using only the JSON fields + URL path/host."""
    parts = urlsplit(case["expected_url"])
    host = parts.hostname
    if parts.port is not None and parts.port != {"http": 80, "https": 443}[parts.scheme]:
        host = f"{host}:{parts.port}"
    if ":" in parts.hostname:  # IPv6 literal
        host = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port not in (None, 80, 443) else "")
    t = parse_time(case["signing_time"])
    amz_date = t.strftime("%Y%m%dT%H%M%SZ")
    scope = f"{amz_date[:8]}/{case['signing_region']}/s3/aws4_request"
    q = [tuple(x) for x in case["query"]]
    q += [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", f"{case['access_key_id']}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(case["expires_in"])),
        ("X-Amz-SignedHeaders", case["signed_headers"]),
    ]
    if case["session_token"] is not None:
        q.append(("X-Amz-Security-Token", case["session_token"]))
    enc = lambda s: quote(s.encode("utf-8"), safe="-_.~")
    cq = "&".join(f"{k}={v}" for k, v in sorted((enc(k), enc(v)) for k, v in q))
    hdrs = {n: " ".join(v.split()) for n, v in case["headers"]}
    hdrs["host"] = host
    ch = "".join(f"{n}:{hdrs[n]}\n" for n in sorted(hdrs))
    creq = "\n".join(
        [case["method"], parts.path, cq, ch, ";".join(sorted(hdrs)), "UNSIGNED-PAYLOAD"]
    )
    sts = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode("utf-8")).hexdigest()]
    )
    k = _hmac(("AWS4" + case["secret_access_key"]).encode("utf-8"), amz_date[:8])
    k = _hmac(k, case["signing_region"])
    k = _hmac(k, "s3")
    k = _hmac(k, "aws4_request")
    return hmac.new(k, sts.encode("utf-8"), hashlib.sha256).hexdigest()


def check_resign(case):
    sig = resign(case)
    if sig != case["expected_signature"]:
        raise SystemExit(
            f"{case['id']}: independent re-sign {sig} != botocore {case['expected_signature']}"
        )


# --------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------


def build():
    # 1. AWS documentation example (sigv4-query-string-auth).
    doc = add(
        "aws-doc-example-get-test-txt",
        key="test.txt",
        region="us-east-1",
        style="virtual",
        expires=86400,
        time=T2013,
        creds="aws-doc",
    )
    if doc["expected_signature"] != AWS_DOC_SIGNATURE:
        raise SystemExit(f"AWS doc example signature mismatch: {doc['expected_signature']}")
    if doc["expected_url"] != (
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        "&X-Amz-Signature=" + AWS_DOC_SIGNATURE
    ):
        raise SystemExit("AWS doc example URL mismatch")

    # 2. Key matrix: every key, GET virtual us-east-1 and GET path us-west-2.
    for i, (name, key) in enumerate(KEYS):
        add(f"key-{name}-get-virtual-us-east-1", key=key, region="us-east-1",
            style="virtual", time=TIMES[i % 3], expires=3600)
        add(f"key-{name}-get-path-us-west-2", key=key, region="us-west-2",
            style="path", time=TIMES[(i + 1) % 3], expires=900)

    # A subset of keys with other methods / regions / custom endpoints.
    subset = [
        "space", "plus", "percent-20-literal", "reserved-all", "double-slash",
        "leading-slash", "dotdot-segment", "trailing-slash", "accents", "cjk",
        "emoji", "combining-acute", "tab", "long-ascii", "mixed-everything",
    ]
    keymap = dict(KEYS)
    for i, name in enumerate(subset):
        key = keymap[name]
        add(f"key-{name}-put-path-minio-9000", client_method="put_object", key=key,
            region="us-east-1", endpoint_url="http://127.0.0.1:9000", style="path",
            creds="minio", time=TIMES[i % 3], expires=604800)
        add(f"key-{name}-head-virtual-eu-central-1", client_method="head_object", key=key,
            region="eu-central-1", style="virtual", creds="plus-slash",
            time=TIMES[(i + 2) % 3], expires=1)
    for i, name in enumerate(subset[:6]):
        add(f"key-{name}-delete-virtual-ap-southeast-2-sts", client_method="delete_object",
            key=keymap[name], region="ap-southeast-2", style="virtual", creds="sts",
            token="sts", time=T2026, expires=86400)

    # 3. Regions, both addressing styles (default AWS endpoints).
    regions = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1",
        "eu-west-2", "eu-central-1", "eu-north-1", "ap-southeast-1",
        "ap-southeast-2", "ap-northeast-1", "ap-south-1", "sa-east-1",
        "ca-central-1", "af-south-1", "me-south-1", "ap-east-1",
        "us-gov-west-1", "cn-north-1",
    ]
    for i, region in enumerate(regions):
        for style in ("virtual", "path"):
            add(f"region-{region}-get-{style}", key="dir/file name.txt", region=region,
                style=style, time=TIMES[i % 3], expires=3600, creds="aws-doc")
        add(f"region-{region}-put-virtual-content-type", client_method="put_object",
            key="upload.bin", region=region, style="virtual", time=TIMES[(i + 1) % 3],
            expires=900, creds="equals",
            params={"ContentType": "application/octet-stream"})

    # 4. Custom endpoints.
    endpoints = [
        ("localhost-9000-ip", "http://127.0.0.1:9000", ["path"]),
        ("localhost-8080", "http://localhost:8080", ["path", "virtual"]),
        ("minio-9443", "https://minio.example.com:9443", ["path", "virtual"]),
        ("s3-example-com", "https://s3.example.com", ["path", "virtual"]),
        ("http-default-port-80", "http://example.com:80", ["path", "virtual"]),
        ("https-default-port-443", "https://example.com:443", ["path", "virtual"]),
        ("http-nondefault-port-443", "http://example.com:443", ["path"]),
        ("https-nondefault-port-80", "https://example.com:80", ["path"]),
        ("path-prefix", "https://gw.example.com/s3", ["path", "virtual"]),
        ("path-prefix-trailing-slash", "https://gw.example.com/s3/", ["path", "virtual"]),
        ("path-prefix-deep-port", "http://gw.example.com:8443/a/b/c", ["path"]),
        ("ipv6-9000", "http://[::1]:9000", ["path"]),
        ("private-ip-no-port", "http://10.0.0.5", ["path"]),
        ("mixed-case-host", "https://S3.Example.COM", ["path", "virtual"]),
        ("explicit-aws-regional", "https://s3.us-west-2.amazonaws.com", ["path", "virtual"]),
        ("r2-like", "https://0123456789abcdef.r2.cloudflarestorage.com", ["path"]),
    ]
    for i, (name, ep, styles) in enumerate(endpoints):
        region = ["us-east-1", "us-west-2", "eu-central-1", "auto"][i % 4]
        if name == "r2-like":
            region = "auto"
        elif region == "auto":
            region = "ap-southeast-2"
        for style in styles:
            t = TIMES[(i + len(style)) % 3]
            pre = f"endpoint-{name}-{style}"
            add(f"{pre}-get", key="test.txt", region=region, endpoint_url=ep, style=style,
                time=t, expires=3600, creds="minio" if "9000" in name else "aws-doc")
            add(f"{pre}-get-odd-key", key="dir/a b+c=d&e%20f~g.txt", region=region,
                endpoint_url=ep, style=style, time=t, expires=900, creds="plus-slash")
            add(f"{pre}-put-content-type", client_method="put_object", key="up/load.txt",
                region=region, endpoint_url=ep, style=style, time=t, expires=604800,
                creds="equals", params={"ContentType": "text/plain; charset=utf-8"})
            add(f"{pre}-head-token", client_method="head_object", key="héad.txt",
                region=region, endpoint_url=ep, style=style, time=t, expires=1,
                creds="sts", token="slash-plus-eq")
            add(f"{pre}-delete", client_method="delete_object", key="del/..",
                region=region, endpoint_url=ep, style=style, time=t, expires=86400)

    # Bucket name variety (path style for dotted names; botocore falls back to
    # path style for dotted names when virtual is requested, so not recorded).
    add("bucket-dotted-path-us-east-1", bucket="my.dotted.bucket", key="k", style="path")
    add("bucket-dotted-path-eu-west-1", bucket="my.dotted.bucket", key="k",
        region="eu-west-1", style="path", time=T2024)
    add("bucket-dashes-digits-virtual", bucket="my-bucket-123", key="k",
        region="us-west-2", style="virtual", time=T2026)
    add("bucket-short-virtual", bucket="abc", key="k", region="eu-central-1", time=T2024)
    add("bucket-63-chars-path", bucket="b" * 63, key="k", region="us-east-2", style="path")
    add("bucket-dotted-custom-endpoint-path", bucket="a.b.c", key="k",
        endpoint_url="http://127.0.0.1:9000", style="path", creds="minio", time=T2026)

    # 5. Session tokens.
    for i, (tname, _) in enumerate(sorted(TOKENS.items())):
        for cm in ("get_object", "put_object", "head_object", "delete_object"):
            params = {"ContentType": "image/png"} if cm == "put_object" else None
            add(f"token-{tname}-{cm.replace('_', '-')}", client_method=cm,
                key="secure/file+1.png", region=["us-east-1", "us-west-2", "eu-central-1",
                                                 "ap-southeast-2"][i], style="virtual",
                creds="sts", token=tname, time=TIMES[i % 3], expires=900, params=params)
    add("token-sts-get-path-minio", key="a b", endpoint_url="https://minio.example.com:9443",
        style="path", creds="sts", token="sts", time=T2024, region="us-east-1")

    # 6. get_object response overrides / VersionId / header params.
    get_params = [
        ("response-content-type", {"ResponseContentType": "text/plain"}),
        ("response-content-type-charset", {"ResponseContentType": "text/html; charset=UTF-8"}),
        ("response-content-disposition-plain",
         {"ResponseContentDisposition": 'attachment; filename="a b.txt"'}),
        ("response-content-disposition-rfc5987",
         {"ResponseContentDisposition": "attachment; filename*=UTF-8''na%C3%AFve%20file.txt"}),
        ("response-content-disposition-raw-unicode",
         {"ResponseContentDisposition": 'inline; filename="naïve 文件.txt"'}),
        ("response-cache-control", {"ResponseCacheControl": "no-cache, max-age=0"}),
        ("response-content-language", {"ResponseContentLanguage": "en-US,fr;q=0.5"}),
        ("response-content-encoding", {"ResponseContentEncoding": "gzip"}),
        ("response-expires",
         {"ResponseExpires": datetime.datetime(1994, 12, 1, 16, 0, 0, tzinfo=UTC)}),
        ("version-id", {"VersionId": "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"}),
        ("version-id-null", {"VersionId": "null"}),
        ("version-id-with-response-type",
         {"VersionId": "abc=def&ghi", "ResponseContentType": "application/json"}),
        ("response-all",
         {"ResponseContentType": "text/plain", "ResponseContentLanguage": "de",
          "ResponseExpires": datetime.datetime(2030, 1, 1, 0, 0, 0, tzinfo=UTC),
          "ResponseCacheControl": "private", "ResponseContentDisposition": "inline",
          "ResponseContentEncoding": "identity", "VersionId": "v1"}),
        ("part-number", {"PartNumber": 3}),
        ("range-header", {"Range": "bytes=0-1023"}),
        ("if-match-header", {"IfMatch": '"d41d8cd98f00b204e9800998ecf8427e"'}),
        ("if-none-match-header", {"IfNoneMatch": '"etag"'}),
        ("if-modified-since-header",
         {"IfModifiedSince": datetime.datetime(2020, 2, 29, 12, 0, 0, tzinfo=UTC)}),
        ("checksum-mode-header", {"ChecksumMode": "ENABLED"}),
        ("sse-c-headers", {"SSECustomerAlgorithm": "AES256",
                           "SSECustomerKey": "0123456789abcdef0123456789abcdef"}),
        ("request-payer-header", {"RequestPayer": "requester"}),
        ("expected-bucket-owner-header", {"ExpectedBucketOwner": "111122223333"}),
    ]
    for i, (name, params) in enumerate(get_params):
        for style, region in (("virtual", "us-east-1"), ("path", "eu-west-1")):
            add(f"get-{name}-{style}", key="docs/report 2024.pdf", region=region,
                style=style, params=params, time=TIMES[i % 3],
                expires=[3600, 900, 86400][i % 3],
                creds="aws-doc" if style == "virtual" else "plus-slash")
    add("get-version-id-custom-endpoint", key="k", params={"VersionId": "v+1/2=3"},
        endpoint_url="http://localhost:8080", style="path", region="us-east-1",
        time=T2026, creds="minio")

    # 7. put_object options signed as headers.
    put_params = [
        ("content-type", {"ContentType": "text/plain"}),
        ("content-type-json", {"ContentType": "application/json"}),
        ("content-md5", {"ContentMD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}),
        ("content-type-md5", {"ContentType": "text/plain", "ContentMD5": "XrY7u+Ae7tCTyyK7j1rNww=="}),
        ("sse-aes256", {"ServerSideEncryption": "AES256"}),
        ("sse-kms", {"ServerSideEncryption": "aws:kms",
                     "SSEKMSKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}),
        ("metadata-single", {"Metadata": {"author": "alice"}}),
        ("metadata-multiple", {"Metadata": {"a": "1", "b-c": "two words", "D": "UPPER"}}),
        ("metadata-whitespace", {"Metadata": {"note": "  lots   of   space  "}}),
        ("acl-private", {"ACL": "private"}),
        ("acl-public-read", {"ACL": "public-read"}),
        ("acl-bucket-owner-full-control", {"ACL": "bucket-owner-full-control"}),
        ("tagging", {"Tagging": "project=alpha&env=prod"}),
        ("tagging-encoded", {"Tagging": "k%201=v%2B1"}),
        ("storage-class", {"StorageClass": "STANDARD_IA"}),
        ("cache-control", {"CacheControl": "max-age=31536000, immutable"}),
        ("content-disposition", {"ContentDisposition": 'attachment; filename="x y.bin"'}),
        ("content-encoding", {"ContentEncoding": "gzip"}),
        ("content-language", {"ContentLanguage": "en"}),
        ("expires-header", {"Expires": datetime.datetime(2030, 1, 1, 0, 0, 0, tzinfo=UTC)}),
        ("checksum-algorithm-crc32", {"ChecksumAlgorithm": "CRC32"}),
        ("checksum-sha256", {"ChecksumSHA256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}),
        ("website-redirect", {"WebsiteRedirectLocation": "/other/page.html"}),
        ("object-lock", {"ObjectLockMode": "GOVERNANCE",
                         "ObjectLockRetainUntilDate": datetime.datetime(2030, 6, 1, 0, 0, 0, tzinfo=UTC),
                         "ObjectLockLegalHoldStatus": "ON"}),
        ("kitchen-sink", {
            "ContentType": "text/csv", "ContentMD5": "1B2M2Y8AsgTpgAmY7PhCfg==",
            "ServerSideEncryption": "AES256", "Metadata": {"Foo": "bar", "x": "y z"},
            "ACL": "private", "Tagging": "a=b&c=d", "CacheControl": "no-store",
            "StorageClass": "INTELLIGENT_TIERING"}),
    ]
    for i, (name, params) in enumerate(put_params):
        add(f"put-{name}-virtual", client_method="put_object", key="uploads/file 1.txt",
            region=["us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2"][i % 4],
            style="virtual", params=params, time=TIMES[i % 3],
            expires=[900, 3600, 604800][i % 3], creds="aws-doc")
        add(f"put-{name}-path-minio", client_method="put_object", key="uploads/file+1.txt",
            region="us-east-1", endpoint_url="http://127.0.0.1:9000", style="path",
            params=params, time=TIMES[(i + 1) % 3], expires=3600, creds="minio")
    add("put-content-type-token", client_method="put_object", key="t.txt",
        params={"ContentType": "text/plain"}, creds="sts", token="sts", time=T2024,
        region="us-west-2")

    # 8. head_object / delete_object.
    add("head-simple-us-east-1", client_method="head_object", key="test.txt")
    add("head-version-id", client_method="head_object", key="test.txt",
        params={"VersionId": "ver/1+2=3"}, region="us-west-2", time=T2024)
    add("head-part-number", client_method="head_object", key="big.bin",
        params={"PartNumber": 1}, region="eu-west-1", style="path", time=T2026)
    add("head-range-if-none-match", client_method="head_object", key="x",
        params={"Range": "bytes=10-", "IfNoneMatch": "*"}, region="eu-central-1", time=T2026)
    add("head-response-content-type", client_method="head_object", key="x",
        params={"ResponseContentType": "text/plain"}, time=T2024)
    add("delete-simple-us-east-1", client_method="delete_object", key="test.txt")
    add("delete-version-id", client_method="delete_object", key="test.txt",
        params={"VersionId": "3HL4kqCxf3vjVBH40Nrjfkd"}, region="us-west-2", time=T2024)
    add("delete-version-id-path", client_method="delete_object", key="a/b c",
        params={"VersionId": "null"}, region="us-west-2", style="path", time=T2026)
    add("delete-mfa-header", client_method="delete_object", key="locked.txt",
        params={"MFA": "arn:aws:iam::123456789012:mfa/user 123456",
                "VersionId": "v1"}, region="eu-central-1", time=T2024)
    add("delete-bypass-governance", client_method="delete_object", key="locked.txt",
        params={"BypassGovernanceRetention": True}, region="ap-southeast-2", time=T2026)

    # 9. expires_in values.
    for exp in (1, 60, 900, 3600, 86400, 604800):
        for cm in ("get_object", "put_object"):
            add(f"expires-{exp}-{cm.replace('_', '-')}", client_method=cm,
                key="expiry/test.txt", region="us-west-2", style="virtual",
                expires=exp, time=T2024)

    # 10. credentials variety and signing time variety.
    for i, cname in enumerate(sorted(CREDS)):
        for j, t in enumerate(TIMES):
            add(f"creds-{cname}-time-{t[:10]}", key="creds/test.txt",
                region=["us-east-1", "eu-north-1"][j % 2],
                style=["virtual", "path"][(i + j) % 2], creds=cname, time=t,
                expires=3600)

    # 11. Every region botocore knows, in every partition, both styles; then
    # the FIPS pseudo-regions of each, and regions no partition lists, which
    # the partitions' region patterns (or the default partition) place.
    partitions = botocore_partitions()
    for i, p in enumerate(partitions):
        for j, region in enumerate(sorted(p["regions"])):
            n = i + j
            for style in ("virtual", "path"):
                add(f"partition-{region}-get-{style}", key="dir/file name.txt", region=region,
                    style=style, time=TIMES[n % 3], expires=3600, creds="aws-doc")
            if p["id"] in NO_FIPS_PARTITIONS:
                continue
            add(f"fips-prefix-{region}-get-virtual", key="fips/a b.txt", region=f"fips-{region}",
                style="virtual", time=TIMES[(n + 1) % 3], expires=900, creds="plus-slash")
            add(f"fips-suffix-{region}-put-path", client_method="put_object", key="fips/up.bin",
                region=f"{region}-fips", style="path", time=TIMES[(n + 2) % 3], expires=600,
                creds="equals", params={"ContentType": "application/octet-stream"})
    for i, region in enumerate(UNLISTED_REGIONS):
        for style in ("virtual", "path"):
            add(f"unlisted-{region}-get-{style}", key="k.txt", region=region, style=style,
                time=TIMES[i % 3], expires=3600, creds="aws-doc")
    add("fips-unlisted-us-west-9-get-virtual", key="k.txt", region="fips-us-west-9",
        style="virtual", time=T2024, creds="aws-doc")
    add("fips-unlisted-us-iso-west-5-get-path", key="k.txt", region="us-iso-west-5-fips",
        style="path", time=T2026, creds="aws-doc")

    # Outside the aws partition botocore's own `auto` is the SDKs' (virtual
    # for DNS names, path otherwise), so those `auto` cases use it as is.
    # Not for the `*-global` names: botocore's older resolver places them in
    # `aws`, so its auto presigns them on s3.amazonaws.com too.
    for i, p in enumerate(partitions):
        if p["id"] == "aws":
            continue
        for j, region in enumerate(r for r in sorted(p["regions"]) if not r.endswith("-global")):
            for bucket in ("examplebucket", "my.dotted.bucket", "Legacy_Name"):
                add(f"auto-botocore-{region}-{bucket.lower().replace('.', '-').replace('_', '-')}",
                    bucket=bucket, key="a/b c", region=region, style="auto",
                    botocore_style="auto", time=TIMES[(i + j) % 3], expires=900,
                    creds="aws-doc")
    # In the aws partition botocore's `auto` presigns on the global host
    # instead; say so loudly if that ever changes, as the README relies on it.
    probe = client_for("eu-west-1", None, "auto", "aws-doc", None)
    _FROZEN["now"] = parse_time(T2013)
    try:
        host = urlsplit(probe.generate_presigned_url(
            "get_object", Params={"Bucket": "examplebucket", "Key": "k"})).hostname
    finally:
        _FROZEN["now"] = None
    if host != "examplebucket.s3.amazonaws.com":
        raise SystemExit(f"botocore's auto no longer presigns eu-west-1 on the global host: {host}")

    # 12. Bucket names botocore accepts that DNS does not: path style, and
    # `auto` (path style for them, virtual for DNS-compatible names).
    for i, (name, bucket) in enumerate(BUCKET_NAMES):
        for region in ("us-east-1", "eu-west-1", "us-gov-west-1"):
            t = TIMES[(i + len(region)) % 3]
            add(f"bucket-name-{name}-{region}-path", bucket=bucket, key="k/a b", region=region,
                style="path", time=t, expires=900, creds="aws-doc")
            add(f"bucket-name-{name}-{region}-auto", bucket=bucket, key="k/a b", region=region,
                style="auto", botocore_style="virtual", time=t, expires=900, creds="aws-doc")
        add(f"bucket-name-{name}-custom-endpoint-path", bucket=bucket, key="k",
            endpoint_url="http://127.0.0.1:9000", style="path", creds="minio", time=T2026)
        # Over http a custom endpoint takes dotted labels too (the ruleset's
        # isVirtualHostableS3Bucket(bucket, true)); https only single labels.
        for ep in ("http://s3.example.com:8080", "https://s3.example.com"):
            allow = ep.startswith("http:")
            if _RULES.aws_is_virtual_hostable_s3_bucket(bucket, allow):
                add(f"bucket-name-{name}-{ep.split(':')[0]}-custom-endpoint-virtual", bucket=bucket,
                    key="k", endpoint_url=ep, style="virtual", creds="minio", time=T2024)

    # 13. IP-literal endpoints under auto (path style; `virtual` is an error
    # in this crate, which botocore silently turns into path style).
    for i, ep in enumerate(IP_ENDPOINTS):
        name = ep.split("//")[1].replace("[", "").replace("]", "").replace(":", "-")
        add(f"ip-endpoint-{name}-auto-get", key="a b/c.txt", endpoint_url=ep, style="auto",
            botocore_style="auto", creds="minio", time=TIMES[i % 3], expires=3600)
        add(f"ip-endpoint-{name}-auto-put", client_method="put_object", key="up.txt",
            endpoint_url=ep, style="auto", botocore_style="auto", creds="minio",
            time=TIMES[(i + 1) % 3], expires=600, params={"ContentType": "text/plain"})

    # 14. Ports: a default port however it is written is not signed; another
    # port is signed as its number.
    for i, (name, ep, styles) in enumerate(PORT_ENDPOINTS):
        for style in styles:
            add(f"port-{name}-{style}-get", key="p/q.txt", endpoint_url=ep, style=style,
                region="us-west-2", creds="minio", time=TIMES[i % 3], expires=3600)

    # 15. aws-global with a custom endpoint signs as us-east-1 too.
    add("aws-global-custom-endpoint-path", key="k", region="aws-global",
        endpoint_url="http://127.0.0.1:9000", style="path", creds="minio", time=T2026)

    # What botocore refuses must stay refused (and this crate refuses it too:
    # tests/vectors.rs checks every entry of "rejected").
    for name, kw in REJECTED_REQUESTS:
        reject(name, **kw)

    # Rejected keys must still be rejected.
    client = client_for("us-east-1", None, "virtual", "aws-doc", None)
    for name, key in REJECTED_KEYS:
        _FROZEN["now"] = parse_time(T2013)
        try:
            client.generate_presigned_url(
                "get_object", Params={"Bucket": "examplebucket", "Key": key}
            )
        except Exception:
            pass
        else:
            raise SystemExit(f"key {name!r} was expected to be rejected by botocore")
        finally:
            _FROZEN["now"] = None


def main():
    build()
    if len(CASES) < 220:
        raise SystemExit(f"only {len(CASES)} cases")
    ids = [c["id"] for c in CASES]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate ids")
    for c in CASES:
        amz_date = parse_time(c["signing_time"]).strftime("%Y%m%dT%H%M%SZ")
        if f"X-Amz-Date={amz_date}" not in c["expected_url"]:
            raise SystemExit(f"{c['id']}: frozen date missing")
    doc = {
        "generator": GENERATOR,
        "botocore_version": botocore.__version__,
        "cases": CASES,
        "rejected": REJECTED,
    }
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if len(text.encode("utf-8")) > 2_000_000:
        raise SystemExit(f"output too large: {len(text)} bytes")
    with open(OUT_PATH, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {len(CASES)} cases and {len(REJECTED)} rejected requests to {os.path.relpath(OUT_PATH)} "
          f"(botocore {botocore.__version__}, {len(text.encode('utf-8'))} bytes)")


if __name__ == "__main__":
    main()
