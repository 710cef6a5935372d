"""Times a presigned GET URL with this package and with botocore (the
signer under boto3), in one run: `python3 bench.py`."""
import datetime
import timeit

import awsig
import botocore.session
from botocore.config import Config

KEY_ID, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PARAMS = {"Bucket": "examplebucket", "Key": "photos/2024/cat 1.jpg"}

ours = awsig.S3Presigner(KEY_ID, SECRET, region="eu-west-1")
session = botocore.session.get_session()
session.set_credentials(KEY_ID, SECRET)
theirs = session.create_client("s3", region_name="eu-west-1", config=Config(signature_version="s3v4"))
at = datetime.datetime.now(datetime.timezone.utc)


def per_url(call, rounds):
    return min(timeit.repeat(call, number=rounds, repeat=5)) / rounds


awsig_s = per_url(lambda: ours.generate_presigned_url("get_object", PARAMS, signing_time=at), 20_000)
awsig_now = per_url(lambda: ours.generate_presigned_url("get_object", PARAMS), 20_000)
boto_s = per_url(lambda: theirs.generate_presigned_url("get_object", Params=PARAMS), 500)
print(f"awsig (signing_time given): {awsig_s * 1e6:8.2f} us per URL")
print(f"awsig (the clock read):     {awsig_now * 1e6:8.2f} us per URL")
print(f"botocore:                   {boto_s * 1e6:8.2f} us per URL")
print(f"ratio: awsig is {boto_s / awsig_now:.0f} x faster than botocore")
