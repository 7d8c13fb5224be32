"""CloudFormation custom resource that prepares Rollcall's OpenSearch domain at deploy time.

It runs as the domain's fine-grained access control master user and, on every create and update:
  1. writes Rollcall's OpenSearch security roles (PUT replaces them: the stack is their only source),
  2. maps each role to the IAM roles of the functions and the job (replacing earlier mappings),
  3. adds the admin IAM roles to all_access and security_manager, keeping whatever was mapped there,
  4. installs each ISM policy unless the installed one carries the same content digest, and attaches it to
     indices that existed before the policy did.
Every step is idempotent. Delete does nothing: roles and policies live and die with the domain.
"""
import hashlib
import http.client
import json
import os
import time
import urllib.error
import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

PHYSICAL_ID = "rollcall-opensearch-setup"
# A domain just created or updated answers 401/403 until the master user's IAM role is known to it, and 5xx or
# nothing at all while it settles: retry those for about three minutes. Any other 4xx is a bad request: fail at once.
RETRY_SECONDS = 180
# Left of the function's 5 minutes after the last retry: one more request (30 s) and the answer to CloudFormation.
RESERVED_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 30
MAX_BACKOFF_SECONDS = 20
retry_until = 0.0  # time.monotonic() deadline of the current invocation, set by handler


def retryable(code):
    return code in (401, 403, 429) or 500 <= code <= 599


def handler(event, context):
    global retry_until
    # One budget for every request of the invocation, so that CloudFormation always hears back before the timeout.
    retry_until = time.monotonic() + min(RETRY_SECONDS, context.get_remaining_time_in_millis() / 1000 - RESERVED_SECONDS)
    status, reason = "SUCCESS", "applied"
    try:
        if event["RequestType"] in ("Create", "Update"):
            apply(event["ResourceProperties"])
        else:
            reason = "nothing to delete"
    except Exception as error:  # CloudFormation must always hear back, or the stack waits an hour
        status, reason = "FAILED", f"{type(error).__name__}: {error}"[:1000]
        print(json.dumps({"level": "ERROR", "message": reason}))
    respond(event, status, reason)


def apply(props):
    endpoint = props["Endpoint"].rstrip("/")
    for name, body in json.loads(props["SecurityRoles"]).items():
        call(endpoint, "PUT", f"/_plugins/_security/api/roles/{name}", body)
    for name, arns in json.loads(props["RoleMappings"]).items():
        call(endpoint, "PUT", f"/_plugins/_security/api/rolesmapping/{name}", {"backend_roles": sorted(set(arns))})
    admins = json.loads(props.get("AdminRoleArns", "[]"))
    for name in ("all_access", "security_manager"):
        add_backend_roles(endpoint, name, admins)
    for policy_id, spec in json.loads(props["IsmPolicies"]).items():
        install_ism_policy(endpoint, policy_id, spec["policy"], spec["indexPattern"])


def add_backend_roles(endpoint, mapping, arns):
    status, current = call(endpoint, "GET", f"/_plugins/_security/api/rolesmapping/{mapping}", allow=(404,))
    existing = (current or {}).get(mapping, {}) if status == 200 else {}
    wanted = sorted(set(existing.get("backend_roles", [])) | set(arns))
    if wanted == sorted(existing.get("backend_roles", [])):
        return
    body = {key: existing.get(key, []) for key in ("hosts", "users")}
    body["backend_roles"] = wanted
    call(endpoint, "PUT", f"/_plugins/_security/api/rolesmapping/{mapping}", body)


def install_ism_policy(endpoint, policy_id, policy, index_pattern):
    digest = hashlib.sha256(json.dumps(policy, sort_keys=True).encode()).hexdigest()[:16]
    marker = f"[rollcall:{digest}]"
    policy = dict(policy, description=f"{policy.get('description', '')} {marker}".strip())
    status, current = call(endpoint, "GET", f"/_plugins/_ism/policies/{policy_id}", allow=(404,))
    if status == 404:
        call(endpoint, "PUT", f"/_plugins/_ism/policies/{policy_id}", {"policy": policy})
    elif marker not in current.get("policy", {}).get("description", ""):
        query = f"if_seq_no={current['_seq_no']}&if_primary_term={current['_primary_term']}"
        call(endpoint, "PUT", f"/_plugins/_ism/policies/{policy_id}?{query}", {"policy": policy})
        # Managed indices keep the policy version they started with until told to change.
        call(endpoint, "POST", f"/_plugins/_ism/change_policy/{index_pattern}", {"policy_id": policy_id}, allow=(404,))
    # The policy's ism_template only reaches indices created after it; this picks up older ones (no-op otherwise).
    call(endpoint, "POST", f"/_plugins/_ism/add/{index_pattern}", {"policy_id": policy_id}, allow=(404,))


def call(endpoint, method, path, body=None, allow=()):
    data = json.dumps(body).encode() if body is not None else None
    attempt = 0
    while True:
        request = AWSRequest(method=method, url=endpoint + path, data=data,
                             headers={"Content-Type": "application/json"} if data is not None else {})
        credentials = boto3.Session().get_credentials().get_frozen_credentials()
        SigV4Auth(credentials, "es", os.environ["AWS_REGION"]).add_auth(request)
        try:
            prepared = urllib.request.Request(request.url, data=data, method=method, headers=dict(request.headers))
            with urllib.request.urlopen(prepared, timeout=REQUEST_TIMEOUT_SECONDS) as response:
                text = response.read()
                return response.status, json.loads(text) if text else {}
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            if error.code in allow:
                return error.code, None
            failure = f"{method} {path} answered {error.code}: {text[:500]}"
            if not retryable(error.code):
                raise RuntimeError(failure) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            # Refused, reset or timed out: the endpoint is not answering yet.
            failure = f"{method} {path} failed: {getattr(error, 'reason', None) or error!r}"
        delay = min(2 ** attempt, MAX_BACKOFF_SECONDS)
        if time.monotonic() + delay >= retry_until:
            raise RuntimeError(f"{failure} (gave up after {attempt + 1} attempts)")
        print(json.dumps({"level": "WARN", "message": f"{failure[:300]}; retrying in {delay} s"}))
        time.sleep(delay)
        attempt += 1


def respond(event, status, reason):
    body = json.dumps({
        "Status": status,
        "Reason": reason,
        "PhysicalResourceId": event.get("PhysicalResourceId", PHYSICAL_ID),
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
    }).encode()
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(body))})
    with urllib.request.urlopen(request, timeout=30):
        pass
