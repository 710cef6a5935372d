"""AWS Signature Version 4 by hand: S3 presigned URLs and POST forms as
boto3 writes them, and their verifier, on the Rust crate `awsig`."""
import datetime
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

SigningTime = Union[datetime.datetime, int, float, None]
"""A timezone-aware datetime, Unix seconds, or None (now)."""

class SigningError(ValueError):
    """An input awsig will not sign: the message names it."""

class VerificationError(Exception):
    """A request that did not verify: the message names the failed check."""

class S3Presigner:
    """Presigns S3 requests as boto3's client does, keeping the day's
    signing key across calls."""

    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        region: str = "us-east-1",
        session_token: Optional[str] = None,
        endpoint_url: Optional[str] = None,
        addressing_style: str = "auto",
    ) -> None: ...
    def generate_presigned_url(
        self,
        ClientMethod: str,
        Params: Optional[Mapping[str, Union[str, int, None]]] = None,
        ExpiresIn: Optional[int] = None,
        HttpMethod: Optional[str] = None,
        signing_time: SigningTime = None,
    ) -> str:
        """`get_object`, `put_object`, `head_object`, `delete_object` or
        `upload_part`, each with the `Params` botocore takes for it:
        `Bucket`, `Key`, and `VersionId`, `PartNumber` and the `Response*`
        overrides (get, head), `ContentType`, `ContentMD5`, `ACL` and
        `Checksum*` (put), `VersionId` (delete), `PartNumber` and `UploadId`
        (both needed), `ContentMD5` and `Checksum*` (upload_part); a `None`
        value is left out. `ExpiresIn` is 1 to 604800 seconds (None: 3600).
        Raises SigningError naming what it will not sign."""
    def generate_presigned_post(
        self,
        Bucket: str,
        Key: str,
        Fields: Optional[Mapping[str, Union[str, int]]] = None,
        Conditions: Optional[List[Any]] = None,
        ExpiresIn: Optional[int] = None,
        signing_time: SigningTime = None,
    ) -> Dict[str, Any]:
        """`{"url": ..., "fields": {...}}`, as boto3's: the same fields and
        policy conditions (its JSON in name order). `ExpiresIn` is 1 to
        604800 seconds (None: 3600)."""

Credentials = Union[
    Mapping[str, Union[str, Tuple[str, Optional[str]]]],
    Callable[[str], Union[str, Tuple[str, Optional[str]], None]],
]

class Verifier:
    """Verifies presigned URLs and Authorization headers. `credentials`
    maps an access key id to its secret (or `(secret, session_token)`), or
    is a callable returning the same or None (what it raises is raised
    again). `region` and `service` restrict the scopes accepted: without
    them any verifies, so check the claims returned."""

    def __init__(
        self, credentials: Credentials, region: Optional[str] = None, service: Optional[str] = None
    ) -> None: ...
    def verify_presigned(
        self,
        method: str,
        url: str,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[bytes] = None,
        now: SigningTime = None,
    ) -> Dict[str, Any]:
        """The claims (`access_key_id`, `region`, `service`, `signed_at`,
        `expires_at`, `signed_headers`), or raises VerificationError naming
        the failed check (SigningError for a `now` or a stored secret it
        cannot use). `headers` are the request's as received (any mapping
        with `items()`); `body` is checked where the service signs it (not
        S3's presigned URLs)."""
    def verify_authorization(
        self,
        method: str,
        url: str,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[bytes] = None,
        now: SigningTime = None,
    ) -> Dict[str, Any]: ...
