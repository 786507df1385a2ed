"""The local AWS: moto server on 127.0.0.1:4566 (LocalStack's port), with Step Functions
really executing and its Lambda tasks sent to the local runtime's Lambda Invoke API.

moto cannot run a Lambda without Docker; its state-machine interpreter reaches Lambda through
`lambda_eval_utils.boto_client_for`, which this launcher points at VITRINA_LAMBDA_ENDPOINT
(default http://127.0.0.1:3001). moto is pinned in requirements-moto.txt because of that.
"""

import io
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config
import copy

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.models import DynamoDBStreamsBackend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.server import ThreadedMotoServer
from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_sqs,
)

HOST = os.environ.get("MOTO_HOST", "127.0.0.1")
PORT = int(os.environ.get("MOTO_PORT", "4566"))
# The state machine's SQS tasks reach this same server through moto's own setting.
os.environ.setdefault("MOTO_PORT", str(PORT))
LAMBDA_ENDPOINT = os.environ.get("VITRINA_LAMBDA_ENDPOINT", "http://127.0.0.1:3001")

def _client_for(region, service, state_credentials=None):
    # A task calls AWS as its state machine's role, named by the machine's logical id (the local
    # runtime provisions it so): the IAM check holds the call to that machine's `Policies`.
    role = getattr(state_credentials, "role_arn", None) or ""
    caller = role.rsplit("/", 1)[-1] or "local"
    if service == "lambda":
        endpoint = LAMBDA_ENDPOINT
    else:
        endpoint = f"http://{HOST}:{PORT}"
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=caller,
        aws_secret_access_key="local",
        # A task's own Retry decides about retries, as with real Lambda.
        config=Config(
            parameter_validation=False,
            retries={"total_max_attempts": 1},
            read_timeout=120,
            connect_timeout=5,
        ),
    )


lambda_eval_utils.boto_client_for = _client_for
state_task_service_sqs.boto_client_for = _client_for

# DynamoDB applies each request atomically: a conditional write either sees the other's
# item or wins. moto's threaded server checks conditions and writes without a lock, so two
# concurrent TransactWriteItems can both pass `attribute_not_exists`. Writes therefore run one
# at a time; reads run together (moto's queries walk the whole table, so making them wait on
# each other would slow every test) but never alongside a write.
_READS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems", "DescribeTable",
          "ListTables", "DescribeTimeToLive", "ListTagsOfResource", "DescribeContinuousBackups"}


class _ReadWriteLock:
    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    def read(self):
        return _Guard(self, write=False)

    def write(self):
        return _Guard(self, write=True)


class _Guard:
    def __init__(self, lock, write):
        self.lock, self.write = lock, write

    def __enter__(self):
        c = self.lock._cond
        with c:
            if self.write:
                c.wait_for(lambda: not self.lock._writer and self.lock._readers == 0)
                self.lock._writer = True
            else:
                c.wait_for(lambda: not self.lock._writer)
                self.lock._readers += 1

    def __exit__(self, *exc):
        c = self.lock._cond
        with c:
            if self.write:
                self.lock._writer = False
            else:
                self.lock._readers -= 1
            c.notify_all()


_dynamodb_lock = _ReadWriteLock()
_dynamodb_call_action = DynamoHandler.call_action


# How many DynamoDB requests of each action moto has answered, for `make bench` (GET
# /_vitrina/dynamodb-requests): requests per user action are counted where they arrive, whatever
# process sent them.
_dynamodb_requests = {}
_dynamodb_requests_lock = threading.Lock()


def _serialized_call_action(self):
    action = (self.headers.get("X-Amz-Target") or "").rsplit(".", 1)[-1]
    with _dynamodb_requests_lock:
        _dynamodb_requests[action] = _dynamodb_requests.get(action, 0) + 1
    with (_dynamodb_lock.read() if action in _READS else _dynamodb_lock.write()):
        return _dynamodb_call_action(self)


DynamoHandler.call_action = _serialized_call_action
_dispatch = DomainDispatcherApplication.__call__


# Faults for tests of failure paths (POST /_vitrina/faults {"path", "contains", "also", "times",
# "status", "errorType", "principal", "target", "lateMs", "delayMs", "hold", "id"}): the next
# `times` requests to a path ending in `path` whose body contains `contains` (and `also`, when
# given) — sent by `principal` (the caller's access key: a function's logical id) and for the
# API action `target` (X-Amz-Target), when given — are refused as AWS would refuse them, before
# moto sees them; or, with `lateMs`, carried out and answered that much later (the write is done,
# its caller hears of it too late: a function stopped at its timeout between a write and its
# answer); or, with `delayMs`, held that long *before* they are carried out; or, with `hold`,
# held until a test releases them (POST /_vitrina/faults/release {"id"}; at most `holdMs`,
# default 60 s). A delay lets a test drive an interleaving — the held request runs after what
# the test does meanwhile — instead of hoping the timing lands; `held` counts the requests
# waiting now, `hits` all that matched and `done` those carried out after their wait, so a
# test knows its request got there, and when it has been answered. GET lists them
# with the times left. Only the local AWS has this; the shop's code knows nothing of it.
_faults = []
_faults_lock = threading.Lock()
_releases = {}


def _json_response(start_response, status, value, headers=()):
    body = json.dumps(value).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body))), *headers])
    return [body]


def _injected_fault(environ):
    path = environ.get("PATH_INFO", "")
    with _faults_lock:
        if not any(f["times"] > 0 and path.endswith(f["path"]) for f in _faults):
            return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    principal, _ = _principal_and_service(environ)
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    with _faults_lock:
        for fault in _faults:
            if fault["times"] > 0 and path.endswith(fault["path"]) \
                    and fault["contains"].encode() in body \
                    and fault["also"].encode() in body \
                    and fault["principal"] in ("", principal) \
                    and target.endswith(fault["target"]):
                fault["times"] -= 1
                fault["hits"] += 1
                return fault
    return None


def _held(fault):
    """Waits as the delay fault says; the held request is then carried out as usual."""
    with _faults_lock:
        fault["held"] += 1
    try:
        if fault["hold"]:
            _releases[fault["id"]].wait(fault["holdMs"] / 1000)
        else:
            time.sleep(fault["delayMs"] / 1000)
    finally:
        with _faults_lock:
            fault["held"] -= 1


# DynamoDB's key limits (2048 bytes for a partition key, 1024 for a sort key) hold for every
# request that names a key; moto checks them only on writes, so a long id from a client that a
# read would send to real DynamoDB (a ValidationException, a 500 in the shop) passed here.
_KEY_LIMITS = {"PK": 2048, "GSI1PK": 2048, "SK": 1024, "GSI1SK": 1024}


def _keys_named(action, body):
    if action in ("GetItem", "DeleteItem", "UpdateItem"):
        return [body.get("Key") or {}]
    if action == "BatchGetItem":
        return [k for spec in (body.get("RequestItems") or {}).values()
                for k in spec.get("Keys", [])]
    if action in ("TransactGetItems", "TransactWriteItems"):
        return [op.get("Key") or op.get("Item") or {}
                for entry in body.get("TransactItems", []) for op in entry.values()]
    if action == "Query":
        names = body.get("ExpressionAttributeNames") or {}
        values = body.get("ExpressionAttributeValues") or {}
        expression = body.get("KeyConditionExpression") or ""
        named = {}
        for part in expression.replace("(", " ").replace(")", " ").replace(",", " ").split(" AND "):
            words = part.split()
            attr = next((names.get(w, w) for w in words if names.get(w, w) in _KEY_LIMITS), None)
            for w in words:
                if attr and w in values:
                    named[attr] = values[w]
        return [named]
    return []


def _key_too_long(environ):
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if not target.startswith("DynamoDB_"):
        return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        parsed = json.loads(body or b"{}")
    except ValueError:
        return None
    for key in _keys_named(target.rsplit(".", 1)[-1], parsed):
        for attr, limit in _KEY_LIMITS.items():
            value = (key.get(attr) or {}).get("S") if isinstance(key, dict) else None
            if value is not None and len(value.encode()) > limit:
                kind = "hashkey" if attr.endswith("PK") else "rangekey"
                return (f"One or more parameter values were invalid: Size of {kind} has exceeded "
                        f"the maximum size limit of {limit} bytes")
    return None


# Who called what (GET /_vitrina/calls), for the local runtime's least-privilege check
# (local/src/iam.rs): each function of the local runtime signs its requests with its logical id
# as the access key, and every request is recorded once per distinct (caller, action, resource,
# partition key). moto itself enforces no IAM; this records what IAM would be asked.
_calls = {}
_calls_lock = threading.Lock()
_CALLS_MAX = 500_000


def _principal_and_service(environ):
    auth = environ.get("HTTP_AUTHORIZATION", "")
    marker = "Credential="
    if marker not in auth:
        return None, None
    scope = auth.split(marker, 1)[1].split(",", 1)[0].split("/")
    return scope[0], (scope[3] if len(scope) > 3 else None)


def _partition_key(attrs):
    pk = (attrs or {}).get("PK") or (attrs or {}).get("GSI1PK")
    return pk.get("S") if isinstance(pk, dict) else None


def _query_key(body):
    """The partition key's value a Query names in its key condition."""
    expression = body.get("KeyConditionExpression") or ""
    names = body.get("ExpressionAttributeNames") or {}
    values = body.get("ExpressionAttributeValues") or {}
    for part in expression.replace("(", " ").replace(")", " ").split(" AND "):
        left, _, right = part.partition("=")
        name = names.get(left.strip(), left.strip())
        if name in ("PK", "GSI1PK") and right.strip() in values:
            return values[right.strip()].get("S")
    return None


def _dynamodb_calls(action, body):
    """(action, table, index, partition key) for each item a DynamoDB request touches."""
    table, index = body.get("TableName"), body.get("IndexName")
    if action in ("GetItem", "DeleteItem", "UpdateItem"):
        return [(action, table, None, _partition_key(body.get("Key")))]
    if action == "PutItem":
        return [(action, table, None, _partition_key(body.get("Item")))]
    if action == "Query":
        return [(action, table, index, _query_key(body))]
    if action == "BatchGetItem":
        return [(action, t, None, _partition_key(k))
                for t, spec in (body.get("RequestItems") or {}).items()
                for k in spec.get("Keys", [])]
    if action == "BatchWriteItem":
        return [(action, t, None,
                 _partition_key((r.get("PutRequest") or {}).get("Item")
                                or (r.get("DeleteRequest") or {}).get("Key")))
                for t, requests in (body.get("RequestItems") or {}).items() for r in requests]
    if action in ("TransactWriteItems", "TransactGetItems"):
        names = {"ConditionCheck": "ConditionCheckItem", "Put": "PutItem", "Update": "UpdateItem",
                 "Delete": "DeleteItem", "Get": "GetItem"}
        out = []
        for entry in body.get("TransactItems", []):
            for kind, op in entry.items():
                out.append((names.get(kind, kind), op.get("TableName"), None,
                            _partition_key(op.get("Key") or op.get("Item"))))
        return out
    return [(action, table, index, None)]


def _request_calls(environ, body):
    """(service, action, resource, index, key, detail) for each call a request makes."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    path = environ.get("PATH_INFO", "")
    method = environ.get("REQUEST_METHOD", "")
    try:
        parsed = json.loads(body) if body[:1] == b"{" else {}
    except ValueError:
        parsed = {}
    service, _, action = target.rpartition(".")
    if service.startswith("DynamoDB_"):
        return [("dynamodb", a, t, i, k, None) for a, t, i, k in _dynamodb_calls(action, parsed)]
    if service == "AmazonSQS":
        return [("sqs", action, parsed.get("QueueUrl"), None, None, None)]
    if service == "AWSStepFunctions":
        return [("states", action, parsed.get("stateMachineArn") or parsed.get("executionArn"),
                 None, None, None)]
    if service == "secretsmanager":
        return [("secretsmanager", action, parsed.get("SecretId"), None, None, None)]
    if path == "/v2/email/outbound-emails" and method == "POST":
        return [("ses", "SendEmail", "*", None, None, parsed.get("FromEmailAddress"))]
    return []


def _record_calls(environ):
    principal, scope_service = _principal_and_service(environ)
    if not principal:
        return
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    calls = _request_calls(environ, body)
    if not calls and scope_service == "s3":
        method = environ.get("REQUEST_METHOD", "")
        path = environ.get("PATH_INFO", "").lstrip("/")
        action = {"GET": "GetObject", "HEAD": "GetObject", "PUT": "PutObject",
                  "DELETE": "DeleteObject"}.get(method, method)
        if "/" not in path:
            action = "ListBucket" if method == "GET" else action
        calls = [("s3", action, path, None, None, None)]
    if not calls and scope_service == "sns":
        # The query protocol: `Action=Publish&PhoneNumber=…` (no topic: an SMS, resource "*").
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        action = (form.get("Action") or [""])[0]
        topic = (form.get("TopicArn") or form.get("TargetArn") or ["*"])[0]
        calls = [("sns", action, topic, None, None, None)]
    with _calls_lock:
        for call in calls:
            key = (principal, *call)
            if key in _calls or len(_calls) < _CALLS_MAX:
                _calls[key] = _calls.get(key, 0) + 1


# Every request by API action ("AmazonSQS.SendMessage", "sesv2 POST /v2/email/outbound-emails"),
# whoever sent it, for `make bench`'s cost of an order (GET /_vitrina/requests).
_requests = {}
_requests_lock = threading.Lock()


def _count_request(environ):
    action = environ.get("HTTP_X_AMZ_TARGET") or \
        f"{environ.get('REQUEST_METHOD', '')} {environ.get('PATH_INFO', '')}"
    if action.startswith("GET /") or action.startswith("PUT /") or action.startswith("HEAD /"):
        # S3 object paths: counted by method only.
        action = action.split(" ", 1)[0] + " s3"
    with _requests_lock:
        _requests[action] = _requests.get(action, 0) + 1


def _recorded_calls():
    with _calls_lock:
        return [{"principal": p, "service": s, "action": a, "resource": r, "index": i,
                 "key": k, "detail": d, "count": n}
                for (p, s, a, r, i, k, d), n in _calls.items()]


def _model_instances(service, name):
    """What moto recorded of one kind (`/_vitrina/models/ses/Message`: the e-mails SES sent),
    as /moto-api/data.json lists it. data.json serialises every object moto holds — every item
    of every table, every queued message — on each call: seconds once a stack has run the suite,
    and the tests' mailbox polls made the whole local AWS crawl on a reused stack."""
    from moto.core.model_instances import model_data
    model = model_data.get(service, {}).get(name)
    out = []
    for instance in list(getattr(model, "instances_tracked", [])):
        fields = {}
        for attr in dir(instance):
            if attr.startswith("_"):
                continue
            try:
                value = getattr(instance, attr)
                json.dumps(value)
            except (TypeError, AttributeError, ValueError):
                continue
            fields[attr] = value
        out.append(fields)
    return out


def _dispatch_with_counters(self, environ, start_response):
    path = environ.get("PATH_INFO")
    if path == "/_vitrina/calls":
        return _json_response(start_response, "200 OK", _recorded_calls())
    if path == "/_vitrina/requests":
        with _requests_lock:
            return _json_response(start_response, "200 OK", _requests)
    if not path.startswith("/moto-api") and not path.startswith("/_vitrina"):
        _count_request(environ)
    if not path.startswith("/moto-api") and not path.startswith("/_vitrina"):
        _record_calls(environ)
    if path.startswith("/_vitrina/models/"):
        return _json_response(start_response, "200 OK", _model_instances(*path.split("/")[3:5]))
    if path == "/_vitrina/dynamodb-requests":
        with _dynamodb_requests_lock:
            return _json_response(start_response, "200 OK", _dynamodb_requests)
    if path == "/_vitrina/faults/release":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        wanted = json.loads(environ["wsgi.input"].read(length) or b"{}").get("id")
        released = _releases.get(wanted)
        if released:
            released.set()
        return _json_response(start_response, "200 OK", {"released": bool(released)})
    if path == "/_vitrina/faults/disarm":
        # A test done with its faults takes the unused ones back, so none outlives it.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        contains = json.loads(environ["wsgi.input"].read(length) or b"{}").get("contains", "")
        disarmed = 0
        with _faults_lock:
            for f in _faults:
                if contains and f["contains"] == contains and f["times"] > 0:
                    disarmed += f["times"]
                    f["times"] = 0
        return _json_response(start_response, "200 OK", {"disarmed": disarmed})
    if path == "/_vitrina/faults":
        if environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            fault = json.loads(environ["wsgi.input"].read(length) or b"{}")
            with _faults_lock:
                fault_id = str(fault.get("id") or f"fault-{len(_faults) + 1}")
                _releases[fault_id] = threading.Event()
                _faults.append({"id": fault_id,
                                "path": fault["path"], "contains": fault.get("contains", ""),
                                "also": fault.get("also", ""),
                                "times": int(fault.get("times", 1)),
                                "status": int(fault.get("status", 400)),
                                "errorType": fault.get("errorType", "MessageRejected"),
                                "principal": fault.get("principal", ""),
                                "target": fault.get("target", ""),
                                "lateMs": int(fault.get("lateMs", 0)),
                                "delayMs": int(fault.get("delayMs", 0)),
                                "hold": bool(fault.get("hold", False)),
                                "holdMs": int(fault.get("holdMs", 60_000)),
                                "held": 0, "hits": 0, "done": 0})
        with _faults_lock:
            return _json_response(start_response, "200 OK", _faults)
    too_long = _key_too_long(environ)
    if too_long:
        return _json_response(
            start_response, "400 Bad Request",
            {"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": too_long},
            [("x-amzn-ErrorType", "ValidationException")])
    fault = _injected_fault(environ)
    if fault and (fault["delayMs"] > 0 or fault["hold"]):
        _held(fault)
        answer = _dispatch(self, environ, start_response)
        with _faults_lock:
            fault["done"] += 1
        return answer
    if fault and fault["lateMs"] > 0:
        # Carried out now, answered late: the body is read in full before the wait.
        answer = b"".join(_dispatch(self, environ, start_response))
        time.sleep(fault["lateMs"] / 1000)
        return [answer]
    if fault:
        return _json_response(
            start_response, f"{fault['status']} Injected",
            {"__type": fault["errorType"], "message": "fault injected by a test"},
            [("x-amzn-ErrorType", fault["errorType"])])
    return _dispatch(self, environ, start_response)


DomainDispatcherApplication.__call__ = _dispatch_with_counters


# SES v2 sends a Simple letter's plain-text part and its headers (List-Unsubscribe, …); moto
# keeps the HTML body only. Both are kept on the recorded message (`text`, `headers`), so the
# local mailbox holds what AWS would deliver.
from moto.sesv2.responses import SESV2Response

_sesv2_send_email = SESV2Response.send_email


def _send_email_with_every_part(self):
    out = _sesv2_send_email(self)
    simple = json.loads(self.body).get("Content", {}).get("Simple")
    if simple:
        from moto.core.model_instances import model_data

        message_id = json.loads(out)["MessageId"]
        model = model_data.get("ses", {}).get("Message")
        for message in list(getattr(model, "instances_tracked", [])):
            if message.id == message_id:
                message.text = simple.get("Body", {}).get("Text", {}).get("Data")
                message.headers = {h["Name"]: h["Value"] for h in simple.get("Headers", [])}
    return out


SESV2Response.send_email = _send_email_with_every_part

# moto backs up a transaction by deep-copying every table it touches — once per item — so a
# registration costs seconds once the catalog is loaded. With writes serialised above, it is
# enough to back up the items the transaction names and put them back if it is cancelled.


class _TablesAreNotCopied:
    @staticmethod
    def deepcopy(value, *args, **kwargs):
        return value if isinstance(value, Table) else copy.deepcopy(value, *args, **kwargs)


dynamodb_models.copy = _TablesAreNotCopied
_transact_write_items = DynamoDBBackend.transact_write_items


def _key_of(table, op):
    attrs = op.get("Key") or op.get("Item") or {}
    h = attrs.get(table.hash_key_attr)
    r = attrs.get(table.range_key_attr) if table.range_key_attr else None
    return (DynamoType(h) if h else None, DynamoType(r) if r else None)


def _transact_write_items_item_rollback(self, transact_items):
    backups = []
    # A cancelled transaction leaves no stream records either (moto's whole-table copy used to
    # take them back too).
    streams = {id(t): (t.stream_shard, len(t.stream_shard.items))
               for t in self.tables.values() if t.stream_shard is not None}
    for entry in transact_items:
        op = next(iter(entry.values()), {}) if isinstance(entry, dict) else {}
        table = self.tables.get(op.get("TableName")) if isinstance(op, dict) else None
        if table is None:
            continue
        h, r = _key_of(table, op)
        if h is None:
            continue
        if table.range_key_attr:
            current = table.items.get(h, {}).get(r)
        else:
            current = table.items.get(h)
        backups.append((table, h, r, copy.deepcopy(current)))
    try:
        return _transact_write_items(self, transact_items)
    except Exception:
        for table, h, r, item in reversed(backups):
            if table.range_key_attr:
                if item is None:
                    table.items.get(h, {}).pop(r, None)
                    if h in table.items and not table.items[h]:
                        del table.items[h]
                else:
                    table.items[h][r] = item
            elif item is None:
                table.items.pop(h, None)
            else:
                table.items[h] = item
        for shard, length in streams.values():
            del shard.items[length:]
        raise


DynamoDBBackend.transact_write_items = _transact_write_items_item_rollback

# Stream readers never see a transaction half-applied (or records it may still take back).
_get_records = DynamoDBStreamsBackend.get_records


def _get_records_between_writes(self, iterator_arn, limit):
    with _dynamodb_lock.read():
        return _get_records(self, iterator_arn, limit)


DynamoDBStreamsBackend.get_records = _get_records_between_writes


def main():
    server = ThreadedMotoServer(ip_address=HOST, port=PORT, verbose=False)
    server.start()
    body = json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode()
    req = urllib.request.Request(
        f"http://{HOST}:{PORT}/moto-api/config", data=body, method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(req, timeout=10).read()
    print(f"moto listening on http://{HOST}:{PORT}; Lambda tasks go to {LAMBDA_ENDPOINT}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
