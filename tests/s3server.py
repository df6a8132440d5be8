"""A real S3 API server for the tests: moto's standalone server (``python -m moto.server``) in a
subprocess on 127.0.0.1, reached over HTTP by boto3 exactly as a MinIO or AWS endpoint would be.

The session starts one (``s3_server`` in conftest.py); a test that takes a replica down starts its
own and stops it. moto keeps buckets in memory: a stopped server comes back empty.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "qiaofang-test", "AWS_SECRET_ACCESS_KEY": "qiaofang-test-secret",
               "AWS_DEFAULT_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class S3Server:
    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    @classmethod
    def start(cls, log: Path, port: int | None = None) -> S3Server:
        port = port or free_port()
        # Tracing the tests' allocations must not slow the server down to a timeout.
        env = {name: value for name, value in os.environ.items() if name != "PYTHONTRACEMALLOC"}
        with open(log, "ab") as out:
            process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                       stdout=out, stderr=subprocess.STDOUT, env=env)
        server = cls(process, port, log)
        deadline = time.monotonic() + 120  # a loaded machine: moto's first answer loads its backends
        while not server.answers():
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"the S3 test server did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        return server

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answers(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", "/")
            connection.getresponse().read()
            return True
        except OSError:
            return False
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self) -> Any:
        import boto3

        return boto3.client("s3", endpoint_url=self.url, region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
                            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"])

    def new_bucket(self, name: str | None = None) -> str:
        name = name or f"qf-{uuid.uuid4().hex[:12]}"
        with contextlib.closing(self.client()) as client:
            client.create_bucket(Bucket=name)
        return name

    def objects(self, bucket: str) -> dict[str, bytes]:
        """Every object in the bucket: {key: bytes}."""
        with contextlib.closing(self.client()) as client:
            found = {}
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                for entry in page.get("Contents", []):
                    found[entry["Key"]] = client.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read()
            return found
