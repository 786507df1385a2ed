"""The local AWS: moto server on 127.0.0.1:4566 (LocalStack's port), with Step Functions
really executing and its Lambda tasks sent to the local runtime's Lambda Invoke API.

moto cannot run a Lambda without Docker; its state-machine interpreter reaches Lambda through
`lambda_eval_utils.boto_client_for`, which this launcher points at VITRINA_LAMBDA_ENDPOINT
(default http://127.0.0.1:3001). moto is pinned in requirements-moto.txt because of that.
"""

import json
import os
import signal
import sys
import threading
import urllib.request

import boto3
from botocore.config import Config
from moto.dynamodb.responses import DynamoHandler
from moto.server import ThreadedMotoServer
from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils

HOST = os.environ.get("MOTO_HOST", "127.0.0.1")
PORT = int(os.environ.get("MOTO_PORT", "4566"))
LAMBDA_ENDPOINT = os.environ.get("VITRINA_LAMBDA_ENDPOINT", "http://127.0.0.1:3001")

_original_client_for = lambda_eval_utils.boto_client_for


def _client_for(region, service, state_credentials=None):
    if service != "lambda":
        return _original_client_for(region=region, service=service, state_credentials=state_credentials)
    return boto3.client(
        "lambda",
        region_name=region,
        endpoint_url=LAMBDA_ENDPOINT,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        # A task's own Retry decides about retries, as with real Lambda.
        config=Config(retries={"total_max_attempts": 1}, read_timeout=120, connect_timeout=5),
    )


lambda_eval_utils.boto_client_for = _client_for

# DynamoDB applies each request atomically: a conditional write either sees the other's
# item or wins. moto's threaded server checks conditions and writes without a lock, so two
# concurrent TransactWriteItems can both pass `attribute_not_exists`. One lock around every
# DynamoDB action restores the guarantee the shop's uniqueness and money rules rely on.
_dynamodb_lock = threading.RLock()
_dynamodb_call_action = DynamoHandler.call_action


def _serialized_call_action(self):
    with _dynamodb_lock:
        return _dynamodb_call_action(self)


DynamoHandler.call_action = _serialized_call_action


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
