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
        Params: Optional[Mapping[str, Union[str, int]]] = None,
        ExpiresIn: int = 3600,
        HttpMethod: Optional[str] = None,
        signing_time: SigningTime = None,
    ) -> str:
        """`get_object`, `put_object`, `head_object`, `delete_object` or
        `upload_part`, with boto3's `Params` (`Bucket`, `Key`, `VersionId`,
        `ContentType`, `ContentMD5`, `ACL`, `PartNumber`, `UploadId`, the
        `Response*` overrides, `Checksum*`)."""
    def generate_presigned_post(
        self,
        Bucket: str,
        Key: str,
        Fields: Optional[Mapping[str, str]] = None,
        Conditions: Optional[List[Any]] = None,
        ExpiresIn: int = 3600,
        signing_time: SigningTime = None,
    ) -> Dict[str, Any]:
        """`{"url": ..., "fields": {...}}`, as boto3's."""

Credentials = Union[
    Mapping[str, Union[str, Tuple[str, str]]],
    Callable[[str], Union[str, Tuple[str, str], None]],
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
        `expires_at`, `signed_headers`), or raises VerificationError."""
    def verify_authorization(
        self,
        method: str,
        url: str,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[bytes] = None,
        now: SigningTime = None,
    ) -> Dict[str, Any]: ...
