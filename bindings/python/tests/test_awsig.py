"""awsig's Python package against botocore, the signer boto3 uses: for
hundreds of generated cases at a fixed time (awkward keys, regions, session
tokens, operations, both addressing styles) the URL is botocore's, parameter
for parameter; botocore's URLs verify here and tampered ones raise; POST
forms go where botocore's go, with its fields; errors are typed; no secret
is in a repr."""
import base64
import copy
import datetime
import functools
import itertools
import json
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import awsig
import botocore.exceptions
import botocore.session
import pytest
from botocore.config import Config

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AT = datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=datetime.timezone.utc)

KEYS = ["plain.txt", "a b+c=d&e.txt", "dir//x/./y/../z", "naïve/日本語/😀.png", "~tilde*star'quote(paren)!"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"]
TOKENS = [None, "IQoJb3JpZ2luX2Vj/token+with=chars"]
STYLES = ["virtual", "path"]
OPERATIONS = [
    ("get_object", {}),
    ("get_object", {"VersionId": "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", "ResponseContentType": "text/plain; charset=utf-8"}),
    ("put_object", {"ContentType": "image/png"}),
    ("put_object", {"ChecksumSHA256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "ACL": "private"}),
    ("head_object", {}),
    ("delete_object", {"VersionId": "v1"}),
    ("upload_part", {"PartNumber": 3, "UploadId": "VXBsb2FkIElE/+="}),
]


@functools.lru_cache(maxsize=None)
def botocore_client(region, token, style):
    session = botocore.session.get_session()
    session.set_credentials(KEY_ID, SECRET, token)
    return session.create_client(
        "s3", region_name=region, config=Config(signature_version="s3v4", s3={"addressing_style": style})
    )


def frozen():
    naive = AT.replace(tzinfo=None)
    return mock.patch("botocore.auth.get_current_datetime", return_value=naive)


def parts(url):
    split = urlsplit(url)
    return f"{split.scheme}://{split.netloc}{split.path}", sorted(parse_qsl(split.query, keep_blank_values=True))


CASES = list(itertools.product(REGIONS, TOKENS, STYLES, KEYS, range(len(OPERATIONS))))


@pytest.mark.parametrize("region,token,style,key,op", CASES)
def test_presigned_urls_are_botocores(region, token, style, key, op):
    method, extra = OPERATIONS[op]
    params = {"Bucket": "my-bucket", "Key": key, **extra}
    with frozen():
        theirs = botocore_client(region, token, style).generate_presigned_url(method, Params=params, ExpiresIn=600)
    ours = awsig.S3Presigner(KEY_ID, SECRET, region=region, session_token=token, addressing_style=style)
    url = ours.generate_presigned_url(method, Params=params, ExpiresIn=600, signing_time=AT)
    assert parts(url) == parts(theirs)

    # botocore's URL verifies here, and not once altered.
    credentials = {KEY_ID: (SECRET, token) if token else SECRET}
    verifier = awsig.Verifier(credentials)
    http_method = {"get_object": "GET", "put_object": "PUT", "head_object": "HEAD", "delete_object": "DELETE", "upload_part": "PUT"}[method]
    sent = {"ContentType": "Content-Type", "ACL": "x-amz-acl", "ChecksumSHA256": "x-amz-checksum-sha256"}
    headers = {sent[name]: value for name, value in extra.items() if name in sent}
    claims = verifier.verify_presigned(http_method, theirs, headers, now=AT + datetime.timedelta(seconds=60))
    assert claims["access_key_id"] == KEY_ID and claims["service"] == "s3"
    with pytest.raises(awsig.VerificationError, match="signature does not match"):
        verifier.verify_presigned(http_method, theirs.replace("my-bucket", "my-bucket2", 1), headers, now=AT)
    with pytest.raises(awsig.VerificationError, match="expired"):
        verifier.verify_presigned(http_method, theirs, headers, now=AT + datetime.timedelta(seconds=601))


def test_the_default_expiry_is_boto3s_and_the_time_may_be_seconds():
    ours = awsig.S3Presigner(KEY_ID, SECRET)
    url = ours.generate_presigned_url("get_object", {"Bucket": "b", "Key": "k"}, signing_time=AT.timestamp())
    assert "X-Amz-Expires=3600" in url and "X-Amz-Date=20240229T235959Z" in url
    # Without a signing time the clock signs: the URL verifies now.
    fresh = ours.generate_presigned_url("get_object", {"Bucket": "b", "Key": "k"})
    assert awsig.Verifier({KEY_ID: SECRET}).verify_presigned("GET", fresh)["region"] == "us-east-1"


@pytest.mark.parametrize("region,token", list(itertools.product(REGIONS, TOKENS)))
def test_post_forms_go_where_botocores_go_with_its_fields(region, token):
    conditions = [["content-length-range", 1, 1048576], {"acl": "public-read"}]
    fields = {"acl": "public-read"}
    naive = AT.replace(tzinfo=None)
    with frozen(), mock.patch("botocore.signers.get_current_datetime", return_value=naive):
        # botocore appends its own conditions to the list it is given.
        theirs = botocore_client(region, token, "virtual").generate_presigned_post(
            "my-bucket", "uploads/${filename}", Fields=dict(fields), Conditions=copy.deepcopy(conditions), ExpiresIn=600
        )
    ours = awsig.S3Presigner(KEY_ID, SECRET, region=region, session_token=token, addressing_style="virtual")
    form = ours.generate_presigned_post(
        "my-bucket", "uploads/${filename}", Fields=fields, Conditions=conditions, ExpiresIn=600, signing_time=AT
    )
    assert form["url"] == theirs["url"]
    assert set(form["fields"]) == set(theirs["fields"])
    for name in ("key", "acl", "x-amz-algorithm", "x-amz-credential", "x-amz-date"):
        assert form["fields"][name] == theirs["fields"][name], name
    assert form["fields"].get("x-amz-security-token") == theirs["fields"].get("x-amz-security-token")
    # The same policy: expiration and conditions (their JSON members may
    # come in another order, so the signatures differ; each is valid).
    policy = lambda f: json.loads(base64.b64decode(f["policy"]))
    ours_policy, their_policy = policy(form["fields"]), policy(theirs["fields"])
    assert ours_policy["expiration"] == their_policy["expiration"] == "2024-03-01T00:09:59Z"
    canonical = lambda conditions: sorted(json.dumps(c, sort_keys=True) for c in conditions)
    assert canonical(ours_policy["conditions"]) == canonical(their_policy["conditions"])


def test_bad_input_is_a_typed_error_naming_it():
    ours = awsig.S3Presigner(KEY_ID, SECRET)
    with pytest.raises(awsig.SigningError, match="ClientMethod"):
        ours.generate_presigned_url("copy_object", {"Bucket": "b", "Key": "k"})
    with pytest.raises(awsig.SigningError, match="SSECustomerKey"):
        ours.generate_presigned_url("get_object", {"Bucket": "b", "Key": "k", "SSECustomerKey": "x"})
    with pytest.raises(awsig.SigningError, match="604800"):
        ours.generate_presigned_url("get_object", {"Bucket": "b", "Key": "k"}, ExpiresIn=604801)
    with pytest.raises(awsig.SigningError, match="timezone-aware"):
        ours.generate_presigned_url("get_object", {"Bucket": "b", "Key": "k"}, signing_time=AT.replace(tzinfo=None))
    with pytest.raises(awsig.SigningError, match="region"):
        awsig.S3Presigner(KEY_ID, SECRET, region="us east")
    assert issubclass(awsig.SigningError, ValueError)


def test_no_secret_in_a_repr_or_an_error():
    token = "TOKEN/secret+value="
    ours = awsig.S3Presigner(KEY_ID, SECRET, session_token=token)
    verifier = awsig.Verifier(lambda key_id: (SECRET, token) if key_id == KEY_ID else None)
    url = ours.generate_presigned_url("get_object", {"Bucket": "b", "Key": "k"}, signing_time=AT)
    with pytest.raises(awsig.VerificationError) as refused:
        verifier.verify_presigned("GET", url.replace("/k?", "/j?"), now=AT)
    for text in (repr(ours), repr(verifier), str(refused.value)):
        assert SECRET not in text and token not in text, text
    with pytest.raises(awsig.VerificationError, match="AKIDOTHER"):
        verifier.verify_presigned("GET", url.replace(KEY_ID, "AKIDOTHER"), now=AT)


def test_a_verifier_accepts_only_the_scopes_it_is_given_and_its_stores_failures_raise():
    ours = awsig.S3Presigner(KEY_ID, SECRET, region="eu-west-1")
    url = ours.generate_presigned_url("get_object", {"Bucket": "b", "Key": "k"}, signing_time=AT)
    assert awsig.Verifier({KEY_ID: SECRET}, region="eu-west-1", service="s3").verify_presigned("GET", url, now=AT)
    with pytest.raises(awsig.VerificationError, match="not accepted"):
        awsig.Verifier({KEY_ID: SECRET}, region="us-east-1").verify_presigned("GET", url, now=AT)
    with pytest.raises(awsig.VerificationError, match="not accepted"):
        awsig.Verifier({KEY_ID: SECRET}, service="sqs").verify_presigned("GET", url, now=AT)

    def down(key_id):
        raise ConnectionError("the credential store is down")

    with pytest.raises(ConnectionError, match="down"):
        awsig.Verifier(down).verify_presigned("GET", url, now=AT)
    with pytest.raises(TypeError):
        awsig.Verifier({KEY_ID: 42}).verify_presigned("GET", url, now=AT)


def test_any_mapping_serves_as_params_and_headers_and_a_condition_names_one_field():
    class Headers:  # not a dict: an object with items(), as web frameworks give
        def __init__(self, pairs):
            self.pairs = pairs

        def items(self):
            return iter(self.pairs)

    ours = awsig.S3Presigner(KEY_ID, SECRET)
    url = ours.generate_presigned_url(
        "put_object", Headers([("Bucket", "b"), ("Key", "k"), ("ContentType", "text/plain")]), signing_time=AT
    )
    claims = awsig.Verifier({KEY_ID: SECRET}).verify_presigned("PUT", url, Headers([("Content-Type", "text/plain")]), now=AT)
    assert claims["signed_headers"] == ["content-type", "host"]
    with pytest.raises(awsig.SigningError, match="condition"):
        ours.generate_presigned_post("b", "k", Conditions=[{"acl": "private", "x": "y"}], signing_time=AT)


PARAM_VALUES = {
    "VersionId": "v1", "ContentType": "text/plain", "ContentMD5": "1B2M2Y8AsgTpgAmY7PhCfg==", "ACL": "private",
    "PartNumber": 2, "UploadId": "u1", "ResponseCacheControl": "no-cache", "ResponseContentDisposition": "inline",
    "ResponseContentEncoding": "gzip", "ResponseContentLanguage": "en", "ResponseContentType": "text/plain",
    "ResponseExpires": "Wed, 21 Oct 2015 07:28:00 GMT", "ChecksumCRC32": "AAAAAA==", "ChecksumSHA256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
}


@pytest.mark.parametrize("method", ["get_object", "put_object", "head_object", "delete_object", "upload_part"])
def test_each_operation_takes_the_params_botocore_takes(method):
    """The same URL as botocore, or both refuse: upload_part without UploadId
    would otherwise be a put_object URL that replaces the whole object."""
    base = {"PartNumber": 1, "UploadId": "u0"} if method == "upload_part" else {}
    ours = awsig.S3Presigner(KEY_ID, SECRET, region="eu-west-1", addressing_style="virtual")
    for name, value in PARAM_VALUES.items():
        params = {"Bucket": "my-bucket", "Key": "k", **base, name: value}
        try:
            with frozen():
                theirs = botocore_client("eu-west-1", None, "virtual").generate_presigned_url(method, Params=params, ExpiresIn=600)
        except botocore.exceptions.ParamValidationError:
            theirs = None
        if theirs is None:
            with pytest.raises(awsig.SigningError, match=name):
                ours.generate_presigned_url(method, params, ExpiresIn=600, signing_time=AT)
        else:
            assert parts(ours.generate_presigned_url(method, params, ExpiresIn=600, signing_time=AT)) == parts(theirs), name
    if method == "upload_part":
        for missing in ("PartNumber", "UploadId"):
            params = {"Bucket": "my-bucket", "Key": "k", **base}
            del params[missing]
            with pytest.raises(awsig.SigningError, match=missing):
                ours.generate_presigned_url(method, params, signing_time=AT)


def test_expiry_and_param_types_are_checked_as_boto3_means_them():
    ours = awsig.S3Presigner(KEY_ID, SECRET)
    params = {"Bucket": "b", "Key": "k"}
    assert "X-Amz-Expires=3600" in ours.generate_presigned_url("get_object", params, ExpiresIn=None, signing_time=AT)
    for bad in (0, -1, 1.5, True, "60"):
        with pytest.raises(awsig.SigningError, match="ExpiresIn"):
            ours.generate_presigned_url("get_object", params, ExpiresIn=bad, signing_time=AT)
    with pytest.raises(awsig.SigningError, match="PartNumber"):
        ours.generate_presigned_url("get_object", {**params, "PartNumber": True}, signing_time=AT)
    with pytest.raises(awsig.SigningError, match="Key.*surrogate"):
        ours.generate_presigned_url("get_object", {"Bucket": "b", "Key": "\ud800"}, signing_time=AT)
    with pytest.raises(awsig.SigningError, match="condition"):
        ours.generate_presigned_post("b", "k", Conditions=[{"acl": 5}], signing_time=AT)
    with pytest.raises(awsig.SigningError, match="ExpiresIn"):
        ours.generate_presigned_post("b", "k", ExpiresIn=0, signing_time=AT)


def test_a_secret_that_is_no_text_is_refused_without_repeating_it():
    for secret, token in ((SECRET + "\ud800", None), (SECRET, "TOKEN\udfff"), (SECRET.encode(), None)):
        with pytest.raises(awsig.SigningError) as refused:
            awsig.S3Presigner(KEY_ID, secret, session_token=token)
        shown = repr(refused.value) + str(refused.value.args) + str(refused.value.__context__)
        assert "wJalrXUtnFEMI" not in shown and "TOKEN" not in shown, shown


def test_header_names_that_are_not_tokens_are_refused():
    ours = awsig.S3Presigner(KEY_ID, SECRET, region="eu-west-1")
    url = ours.generate_presigned_url("get_object", {"Bucket": "my-bucket", "Key": "k"}, signing_time=AT)
    verifier = awsig.Verifier({KEY_ID: SECRET})
    for headers in ({" Host": "evil.example"}, {"Host ": "evil.example"}, {"x-amz-acl ": "public-read"}):
        with pytest.raises(awsig.VerificationError, match="not an HTTP token"):
            verifier.verify_presigned("GET", url, headers, now=AT)
