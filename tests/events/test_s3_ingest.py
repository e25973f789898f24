"""Ingest from S3: a real S3-speaking server (moto's server mode) on loopback, no patched client."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from edinsights.config import Settings
from edinsights.events.store import EventStore
from tests.conftest import event_line, free_port, run_ingest, stored_events

BUCKET = "tracking-logs"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(endpoint: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    client = boto3.client("s3", endpoint_url=endpoint)
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _log(day: int, count: int, user: int) -> bytes:
    lines = [
        event_line(
            time=f"2024-01-{day:02d}T10:00:{i:02d}.{user:06d}Z", context={"user_id": user, "course_id": ""}
        )
        for i in range(count)
    ]
    return gzip.compress(("\n".join(lines) + "\n").encode())


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    return EventStore(Settings.load(tmp_path / "home").store_path)


def test_ingest_an_s3_prefix(s3, store: EventStore) -> None:  # type: ignore[no-untyped-def]
    s3.put_object(Bucket=BUCKET, Key="lms/tracking.log-20240101.gz", Body=_log(1, 5, user=1))
    s3.put_object(Bucket=BUCKET, Key="lms/2024/tracking.log-20240102.gz", Body=_log(2, 7, user=2))
    s3.put_object(Bucket=BUCKET, Key="other/tracking.log-20240103.gz", Body=_log(3, 11, user=3))

    summary = run_ingest(store, f"s3://{BUCKET}/lms/", workers=2)  # worker processes read S3 too
    assert summary.files_found == 2 and summary.files_ingested == 2
    assert summary.events_stored == 12
    sources = {row["source_file"] for row in stored_events(store)}
    assert sources == {
        f"s3://{BUCKET}/lms/tracking.log-20240101.gz",
        f"s3://{BUCKET}/lms/2024/tracking.log-20240102.gz",
    }

    again = run_ingest(store, f"s3://{BUCKET}/lms/")
    assert again.files_unchanged == 2 and again.events_stored == 0

    # An object rewritten with more events (a new ETag): only the new events are stored.
    s3.put_object(Bucket=BUCKET, Key="lms/tracking.log-20240101.gz", Body=_log(1, 9, user=1))
    grown = run_ingest(store, f"s3://{BUCKET}/lms/")
    assert grown.files_ingested == 1 and grown.files_unchanged == 1
    assert grown.events_stored == 4 and grown.duplicates_skipped == 5
    assert len(stored_events(store)) == 16


def test_ingest_one_object_and_a_glob(s3, store: EventStore) -> None:  # type: ignore[no-untyped-def]
    s3.put_object(Bucket=BUCKET, Key="a/tracking.log-20240101.gz", Body=_log(1, 3, user=1))
    s3.put_object(Bucket=BUCKET, Key="a/tracking.log-20240102.gz", Body=_log(2, 4, user=2))
    s3.put_object(Bucket=BUCKET, Key="a/notes.txt", Body=b"not a log\n")

    single = run_ingest(store, f"s3://{BUCKET}/a/tracking.log-20240101.gz")
    assert single.files_found == 1 and single.events_stored == 3

    matched = run_ingest(store, f"s3://{BUCKET}/a/tracking.log-*.gz")
    assert matched.files_found == 2 and matched.files_unchanged == 1 and matched.events_stored == 4


def test_a_missing_prefix_is_an_error(s3, store: EventStore) -> None:  # type: ignore[no-untyped-def]
    from edinsights.events.sources import SourceError

    with pytest.raises(SourceError, match="no log files"):
        run_ingest(store, f"s3://{BUCKET}/nothing/here/")
