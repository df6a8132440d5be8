"""Photo folders: files matched to houses by code in the name or folder; the rest reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from importers import UnreadableFile, render, scan_photo_folder

KNOWN = ["ZS-NQ-ML-001", "ZS-NQ-ML-002", "ZS-NQ-ML-001-A", "KP-TK-ZL-010"]
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def make(root: Path, relative: str, data: bytes = JPEG) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "照片 2024"
    for name in [
        "ZS-NQ-ML-001_front.jpg",
        "ZS-NQ-ML-001 正门.JPG",
        "ZS-NQ-ML-002.jpeg",
        "zs-nq-ml-002-roof.png",
        "ZS-NQ-ML-001-A 侧面.heic",
        "ZS-NQ-ML-0011.jpg",
        "马岭村全景.jpg",
        "ZS-NQ-ML-002/正门.jpg",
        "ZS-NQ-ML-002/二楼/窗花.tif",
        "KP-TK-ZL-010 李氏碉楼/远景.webp",
        "ZS-NQ-ML-002/ZS-NQ-ML-001_内景.jpg",
    ]:
        make(root, name)
    make(root, "ZS-NQ-ML-001_notes.docx", b"PK\x03\x04")
    make(root, "ZS-NQ-ML-001/说明.txt", "文字".encode())
    make(root, "ZS-NQ-ML-002/空白.jpg", b"")
    for hidden in [
        ".DS_Store",
        "Thumbs.db",
        "ZS-NQ-ML-002/._正门.jpg",
        ".git/config",
        "__MACOSX/ZS-NQ-ML-001.jpg",
        "desktop.ini",
    ]:
        make(root, hidden)
    return root


def test_photos_are_matched_by_file_name_or_folder(folder: Path) -> None:
    scan = scan_photo_folder(folder, KNOWN)
    matched = {p.path.relative_to(folder).as_posix(): (p.house_code, p.matched_by) for p in scan.photos}
    assert matched == {
        "ZS-NQ-ML-001 正门.JPG": ("ZS-NQ-ML-001", "file_name"),
        "ZS-NQ-ML-001-A 侧面.heic": ("ZS-NQ-ML-001-A", "file_name"),  # the longest known code wins
        "ZS-NQ-ML-001_front.jpg": ("ZS-NQ-ML-001", "file_name"),
        "ZS-NQ-ML-002.jpeg": ("ZS-NQ-ML-002", "file_name"),
        "zs-nq-ml-002-roof.png": ("ZS-NQ-ML-002", "file_name"),  # case-insensitive, spelt as known
        "ZS-NQ-ML-002/正门.jpg": ("ZS-NQ-ML-002", "folder"),
        "ZS-NQ-ML-002/二楼/窗花.tif": ("ZS-NQ-ML-002", "folder"),
        "ZS-NQ-ML-002/ZS-NQ-ML-001_内景.jpg": ("ZS-NQ-ML-001", "file_name"),  # the name beats the folder
        "KP-TK-ZL-010 李氏碉楼/远景.webp": ("KP-TK-ZL-010", "folder"),
    }


def test_chinese_file_names_are_kept(folder: Path) -> None:
    scan = scan_photo_folder(folder, KNOWN)
    names = {p.original_name for p in scan.photos}
    assert {"ZS-NQ-ML-001 正门.JPG", "正门.jpg", "窗花.tif", "远景.webp"} <= names


def test_unmatched_photos_are_reported_not_guessed(folder: Path) -> None:
    scan = scan_photo_folder(folder, KNOWN)
    assert sorted(p.name for p in scan.unmatched) == ["ZS-NQ-ML-0011.jpg", "马岭村全景.jpg"]
    problems = [p for p in scan.problems if p.code == "photo.unmatched"]
    assert {p.params["path"] for p in problems} == {"ZS-NQ-ML-0011.jpg", "马岭村全景.jpg"}
    assert all(p.severity == "error" for p in problems)
    [panorama] = [p for p in problems if p.params["path"] == "马岭村全景.jpg"]
    assert render(panorama, "zh-Hans").startswith("照片 马岭村全景.jpg 的文件名和所在文件夹都不是已知的房屋编号")


def test_non_images_and_empty_files_are_skipped_with_a_reason(folder: Path) -> None:
    scan = scan_photo_folder(folder, KNOWN)
    skipped = {s.path.relative_to(folder).as_posix(): s.reason for s in scan.skipped}
    assert skipped == {
        "ZS-NQ-ML-001_notes.docx": "not_image",
        "ZS-NQ-ML-001/说明.txt": "not_image",
        "ZS-NQ-ML-002/空白.jpg": "empty",
    }
    severities = {p.params["path"]: p.severity for p in scan.problems if p.code != "photo.unmatched"}
    assert severities == {
        "ZS-NQ-ML-001_notes.docx": "warning",
        "ZS-NQ-ML-001/说明.txt": "warning",
        "ZS-NQ-ML-002/空白.jpg": "error",
    }


def test_hidden_and_system_files_are_ignored(folder: Path) -> None:
    scan = scan_photo_folder(folder, KNOWN)
    listed = [p.path for p in scan.photos] + scan.unmatched + [s.path for s in scan.skipped]
    assert not [p for p in listed if p.name.startswith(".") or p.name in {"Thumbs.db", "desktop.ini"}]
    assert not [p for p in listed if "__MACOSX" in p.parts or ".git" in p.parts]
    assert {p.name for p in scan.ignored} >= {".DS_Store", "Thumbs.db", "__MACOSX", ".git", "desktop.ini"}


def test_the_scanned_folder_itself_may_be_named_by_a_code(tmp_path: Path) -> None:
    root = tmp_path / "ZS-NQ-ML-002"
    make(root, "正门.jpg")
    scan = scan_photo_folder(root, KNOWN)
    assert [(p.house_code, p.matched_by) for p in scan.photos] == [("ZS-NQ-ML-002", "folder")]


def test_symbolic_links_are_skipped(tmp_path: Path) -> None:
    outside = make(tmp_path / "elsewhere", "ZS-NQ-ML-001.jpg")
    root = tmp_path / "photos"
    root.mkdir()
    (root / "ZS-NQ-ML-001_link.jpg").symlink_to(outside)
    (root / "linked-dir").symlink_to(outside.parent, target_is_directory=True)
    scan = scan_photo_folder(root, KNOWN)
    assert scan.photos == []
    assert sorted((s.path.name, s.reason) for s in scan.skipped) == [
        ("ZS-NQ-ML-001_link.jpg", "symlink"),
        ("linked-dir", "symlink"),
    ]


def test_file_name_in_a_legacy_encoding_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    root.mkdir()
    name = "ZS-NQ-ML-001_正门.jpg".encode("gbk")
    with open(os.fsencode(root) + b"/" + name, "wb") as handle:  # bytes: not valid UTF-8
        handle.write(JPEG)
    scan = scan_photo_folder(root, KNOWN)
    assert [s.reason for s in scan.skipped] == ["bad_name"]
    [problem] = scan.problems
    assert problem.code == "photo.bad_name"
    assert render(problem, "en").encode("utf-8")  # the report itself stays printable


def test_missing_folder_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as caught:
        scan_photo_folder(tmp_path / "nowhere", KNOWN)
    assert caught.value.problem.code == "file.unreadable"


def test_empty_folder_gives_an_empty_scan(tmp_path: Path) -> None:
    scan = scan_photo_folder(tmp_path, KNOWN)
    assert (scan.photos, scan.unmatched, scan.skipped, scan.problems) == ([], [], [], [])
