"""S3 store and replicas against a real S3 API server (moto's, over HTTP), and folder replicas."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from media import LocalStore, MediaError, S3Settings, S3Store, copy_to_replica, open_replica, parse_targets
from media.replicas import Replica, stored_sha256
from tests.s3server import S3Server, free_port

DATA = b"\xff\xd8\xff original bytes " * 20000
SHA = hashlib.sha256(DATA).hexdigest()


def s3_store(s3: S3Server, prefix: str = "archive/originals") -> S3Store:
    return S3Store(s3.new_bucket(), prefix, endpoint_url=s3.url)


def test_s3_store_put_open_exists_iter_delete(s3: S3Server) -> None:
    store = s3_store(s3)
    blob = store.put(io.BytesIO(DATA))
    assert (blob.sha256, blob.size, blob.created) == (SHA, len(DATA), True)
    # The folder's layout under the prefix, with the bytes as given.
    assert s3.objects(store.bucket) == {f"archive/originals/{SHA[:2]}/{SHA[2:4]}/{SHA}": DATA}
    assert store.put(io.BytesIO(DATA)).created is False
    with store.open(SHA) as stream:
        assert stream.read() == DATA
    assert store.exists(SHA) and store.local_path(SHA) is None
    other = store.put(io.BytesIO(b"second"))
    assert list(store.iter_hashes()) == sorted([SHA, other.sha256])
    store.delete(SHA)
    assert not store.exists(SHA) and list(store.iter_hashes()) == [other.sha256]
    with pytest.raises(MediaError) as missing:
        store.open(SHA)
    assert missing.value.code == "not_found"


def test_s3_store_sends_a_local_file_without_spooling(s3: S3Server, tmp_path: Path) -> None:
    local = LocalStore(tmp_path / "media")
    local.put(io.BytesIO(DATA))
    store = s3_store(s3, "")
    with local.open(SHA) as source:
        assert store.put(source, expected_sha256=SHA).created
    assert s3.objects(store.bucket) == {f"{SHA[:2]}/{SHA[2:4]}/{SHA}": DATA}


def test_s3_store_refuses_wrong_hash_empty_and_too_large_writing_nothing(s3: S3Server) -> None:
    store = s3_store(s3)
    for stream, kwargs, code in [
        (io.BytesIO(DATA), {"expected_sha256": "0" * 64}, "hash_mismatch"),
        (io.BytesIO(b""), {}, "empty"),
        (io.BytesIO(DATA), {"max_bytes": 1000}, "too_large"),
    ]:
        with pytest.raises(MediaError) as refused:
            store.put(stream, **kwargs)  # type: ignore[arg-type]
        assert refused.value.code == code
    assert s3.objects(store.bucket) == {}


def test_s3_store_unreachable_or_missing_bucket_is_unavailable(s3: S3Server) -> None:
    dead = S3Store("bucket", endpoint_url=f"http://127.0.0.1:{free_port()}", connect_timeout=1)
    no_bucket = S3Store("no-such-bucket", endpoint_url=s3.url)
    for call in (lambda: dead.exists(SHA), lambda: dead.put(io.BytesIO(DATA)), lambda: no_bucket.put(io.BytesIO(DATA)),
                 lambda: list(dead.iter_hashes())):
        with pytest.raises(MediaError) as down:
            call()
        assert down.value.code == "store_unavailable"


@pytest.fixture(params=["folder", "s3"])
def replica(request: pytest.FixtureRequest, tmp_path: Path) -> Replica:
    if request.param == "folder":
        (tmp_path / "replica").mkdir()
        return open_replica(str(tmp_path / "replica"))
    s3: S3Server = request.getfixturevalue("s3")
    return open_replica(f"s3://{s3.new_bucket()}/copies/", S3Settings(endpoint_url=s3.url))


def test_copy_to_replica_copies_and_verifies(replica: Replica, tmp_path: Path) -> None:
    source = LocalStore(tmp_path / "media")
    source.put(io.BytesIO(DATA))
    result = copy_to_replica(source, replica, SHA)
    assert (result.size, result.replaced_damaged) == (len(DATA), False)
    assert stored_sha256(replica, SHA) == SHA
    with replica.open(SHA) as stream:
        assert stream.read() == DATA


def test_damaged_copy_on_the_replica_is_found_and_written_again(replica: Replica, tmp_path: Path) -> None:
    source = LocalStore(tmp_path / "media")
    source.put(io.BytesIO(DATA))
    copy_to_replica(source, replica, SHA)
    # A flipped byte in the replica's copy, under the right name (disk rot, a cut-off transfer).
    if isinstance(replica.store, LocalStore):
        path = replica.store.path_for(SHA)
        path.chmod(0o644)
        path.write_bytes(DATA[:100] + b"X" + DATA[101:])
    else:
        assert isinstance(replica.store, S3Store)
        replica.store.client.put_object(Bucket=replica.store.bucket, Key=replica.store.key_for(SHA), Body=DATA[:-5])
    assert stored_sha256(replica, SHA) != SHA
    result = copy_to_replica(source, replica, SHA)
    assert result.replaced_damaged is True
    assert stored_sha256(replica, SHA) == SHA


def test_corrupt_source_is_not_replicated(replica: Replica, tmp_path: Path) -> None:
    source = LocalStore(tmp_path / "media")
    source.put(io.BytesIO(DATA))
    path = source.path_for(SHA)
    path.chmod(0o644)
    path.write_bytes(b"rotten" + DATA[6:])
    with pytest.raises(MediaError) as corrupt:
        copy_to_replica(source, replica, SHA)
    assert corrupt.value.code == "source_corrupt"
    assert not replica.exists(SHA)


def test_folder_replica_is_never_created(tmp_path: Path) -> None:
    replica = open_replica(str(tmp_path / "unmounted"))
    source = LocalStore(tmp_path / "media")
    source.put(io.BytesIO(DATA))
    with pytest.raises(MediaError) as down:
        copy_to_replica(source, replica, SHA)
    assert down.value.code == "store_unavailable" and "does not exist" in down.value.message
    assert not (tmp_path / "unmounted").exists()


def test_targets_and_names(tmp_path: Path) -> None:
    assert parse_targets(f" {tmp_path}/a, s3://bucket/p/x/\n{tmp_path}/a s3://b2") == [
        f"{tmp_path}/a", "s3://bucket/p/x/", "s3://b2"]
    assert parse_targets(["s3://b", "s3://b"]) == ["s3://b"] and parse_targets("") == []
    assert open_replica("s3://bucket/p/x/").name == "s3://bucket/p/x"
    assert open_replica("s3://bucket").name == "s3://bucket"
    assert open_replica(f"{tmp_path}/a/../b").name == str(tmp_path / "b")
    for bad, words in [("s3://KEY:s3cr3t@bucket/p", "AWS_ACCESS_KEY_ID"), ("relative/folder", "absolute"),
                       ("https://example.org/b", "only s3://")]:
        with pytest.raises(ValueError, match=words) as refused:
            open_replica(bad)
        assert "s3cr3t" not in str(refused.value)
