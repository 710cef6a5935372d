#!/usr/bin/env python3
"""Independently re-derive every SigV4 event-stream signature in vectors.json.

Usage: python3 check.py [path/to/vectors.json]
Prints one line per suite, "<name> <passed>/<total>", and exits non-zero on any mismatch.

Per message checks:
  * signature == HMAC-SHA256(kSigning, string_to_sign), where
      string_to_sign = "AWS4-HMAC-SHA256-PAYLOAD\n" + yyyymmddThhmmssZ + "\n" + scope + "\n"
                       + prior_signature + "\n" + hex(sha256(headers)) + "\n" + hex(sha256(payload))
    and prior_signature is the suite's seed_signature for the first message, then the
    previous message's signature (hex text).
  * if the source states a string_to_sign, it must equal the computed one byte for byte.
  * if date_header_epoch_ms is given, headers_hex must be exactly the encoded :date header
    (u8 5, ":date", u8 8, i64 big-endian epoch milliseconds).
A suite's optional seed_request (plain SigV4 request signature) is checked as one more item.
"""
import hashlib
import hmac
import json
import os
import struct
import sys
from datetime import datetime, timezone


def _hmac(key: bytes, msg: bytes) -> bytes:
    return hmac.new(key, msg, hashlib.sha256).digest()


def signing_key(secret: str, yyyymmdd: str, region: str, service: str) -> bytes:
    k_date = _hmac(("AWS4" + secret).encode(), yyyymmdd.encode())
    k_region = _hmac(k_date, region.encode())
    k_service = _hmac(k_region, service.encode())
    return _hmac(k_service, b"aws4_request")


def utc(epoch_ms: int) -> datetime:
    # SigV4 date strings have whole-second resolution: truncate milliseconds.
    return datetime.fromtimestamp(epoch_ms // 1000, timezone.utc)


def string_to_sign(t: datetime, region, service, prior, headers: bytes, payload: bytes) -> str:
    day = t.strftime("%Y%m%d")
    return "\n".join([
        "AWS4-HMAC-SHA256-PAYLOAD",
        t.strftime("%Y%m%dT%H%M%SZ"),
        f"{day}/{region}/{service}/aws4_request",
        prior,
        hashlib.sha256(headers).hexdigest(),
        hashlib.sha256(payload).hexdigest(),
    ])


def date_header(epoch_ms: int) -> bytes:
    return bytes([5]) + b":date" + bytes([8]) + struct.pack(">q", epoch_ms)


def check_suite(suite):
    creds = suite["credentials"]
    region, service = suite["region"], suite["service"]
    passed = total = 0
    problems = []

    seed = suite.get("seed_request")
    if seed:
        total += 1
        t = utc(seed["date_epoch_ms"])
        day = t.strftime("%Y%m%d")
        cr = seed["canonical_request_derived"].encode()
        sts = "\n".join(["AWS4-HMAC-SHA256", t.strftime("%Y%m%dT%H%M%SZ"),
                         f"{day}/{region}/{service}/aws4_request", hashlib.sha256(cr).hexdigest()])
        got = hmac.new(signing_key(creds["secret_access_key"], day, region, service),
                       sts.encode(), hashlib.sha256).hexdigest()
        ok = got == seed["signature"] == suite["seed_signature"]
        if ok and "authorization_stated" in seed:
            ok = seed["authorization_stated"].endswith("Signature=" + got)
        if ok:
            passed += 1
        else:
            problems.append(f"seed_request: computed {got}, expected {seed['signature']}")

    prior = suite["seed_signature"]
    for i, msg in enumerate(suite["messages"]):
        total += 1
        headers = bytes.fromhex(msg["headers_hex"])
        payload = bytes.fromhex(msg["payload_hex"])
        t = utc(msg["date_epoch_ms"])
        sts = string_to_sign(t, region, service, prior, headers, payload)
        key = signing_key(creds["secret_access_key"], t.strftime("%Y%m%d"), region, service)
        got = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        errs = []
        if got != msg["signature"]:
            errs.append(f"signature computed {got}, expected {msg['signature']}")
        if "string_to_sign" in msg and msg["string_to_sign"] != sts:
            errs.append("stated string_to_sign differs from computed:\n" + sts)
        if "date_header_epoch_ms" in msg and headers != date_header(msg["date_header_epoch_ms"]):
            errs.append("headers_hex is not the encoded :date header for date_header_epoch_ms")
        if errs:
            problems.append(f"message {i} ({msg.get('label', '')}): " + "; ".join(errs))
        else:
            passed += 1
        # The chain continues from the expected (published) value.
        prior = msg["signature"]
    return passed, total, problems


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(path) as f:
        data = json.load(f)
    failed = False
    for suite in data["suites"]:
        passed, total, problems = check_suite(suite)
        print(f"{suite['name']} {passed}/{total}")
        for p in problems:
            print("  FAIL " + p)
        failed |= passed != total
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
