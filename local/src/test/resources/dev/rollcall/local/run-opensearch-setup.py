"""Runs infra-cdk/opensearch-setup/index.py's Lambda handler once, outside Lambda, for FineGrainedAccessIT.

usage: run-opensearch-setup.py INDEX_PY EVENT_JSON

The function signs its requests with SigV4 through boto3 and botocore. Here the node is reached through the test's
AuthenticatingProxy, which stands in for the domain's IAM front door and replaces any Authorization header with the
master user's, so the signer is replaced by one that signs nothing and no AWS library or credentials are needed.
"""
import importlib.util
import json
import sys
import types


class _Credentials:
    def get_frozen_credentials(self):
        return self


class _Session:
    def get_credentials(self):
        return _Credentials()


class _AWSRequest:
    def __init__(self, method, url, data=None, headers=None):
        self.method, self.url, self.data, self.headers = method, url, data, dict(headers or {})


class _SigV4Auth:
    def __init__(self, credentials, service, region):
        self.service, self.region = service, region

    def add_auth(self, request):
        request.headers["Authorization"] = f"AWS4-HMAC-SHA256 Credential=test/{self.region}/{self.service}/aws4_request"


class _Context:
    def get_remaining_time_in_millis(self):
        return 300_000  # the function's timeout in the stack: 5 minutes


def _module(name, **members):
    module = types.ModuleType(name)
    module.__dict__.update(members)
    sys.modules[name] = module
    return module


_module("boto3", Session=_Session)
_module("botocore")
_module("botocore.auth", SigV4Auth=_SigV4Auth)
_module("botocore.awsrequest", AWSRequest=_AWSRequest)

spec = importlib.util.spec_from_file_location("opensearch_setup", sys.argv[1])
setup = importlib.util.module_from_spec(spec)
spec.loader.exec_module(setup)
with open(sys.argv[2]) as event:
    setup.handler(json.load(event), _Context())
