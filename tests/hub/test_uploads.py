"""Uploads: size limit, types by content, who may read a file."""

from __future__ import annotations

import struct
import zlib

import aiohttp

from tests.hub.clients import patient_login, staff_login
from tests.hub.test_flow import adult_with_phone


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


async def upload(h, token: str | None, data: bytes, name: str) -> aiohttp.ClientResponse:
    form = aiohttp.FormData()
    form.add_field("file", data, filename=name, content_type="application/octet-stream")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await h.session.post(f"{h.base}/api/upload", data=form, headers=headers)


async def test_upload_rules(hub_server) -> None:
    h = hub_server
    people = [p for p in h.people if p.phone]
    a = adult_with_phone(h.people)
    b = next(p for p in people if p.phone != a.phone)
    ta = await patient_login(h.session, h.base, a.phone, h.outbox)
    tb = await patient_login(h.session, h.base, b.phone, h.outbox)
    ts = await staff_login(h.session, h.base, "op1")

    async with await upload(h, ta, tiny_png(), "../../анализы.txt") as r:
        assert r.status == 200, await r.text()
        body = await r.json()
    assert body["mime"] == "image/png"  # by content, whatever the name says
    assert body["name"] == "анализы.txt"  # no path survives
    url = h.base + body["url"]

    async with h.session.get(url, headers={"Authorization": f"Bearer {ta}"}) as r:
        assert r.status == 200 and await r.read() == tiny_png()
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    async with h.session.get(url, headers={"Authorization": f"Bearer {ts}"}) as r:
        assert r.status == 200
    async with h.session.get(url, headers={"Authorization": f"Bearer {tb}"}) as r:
        assert r.status == 404  # another patient's file does not exist for them
    async with h.session.get(url) as r:
        assert r.status == 401

    async with await upload(h, ta, b"#!/bin/sh\nrm -rf /\n", "photo.png") as r:
        assert r.status == 415
    async with await upload(h, ta, b"%PDF-" + b"0" * (1024 * 1024 + 10), "big.pdf") as r:
        assert r.status == 413
    async with await upload(h, None, tiny_png(), "x.png") as r:
        assert r.status == 401
    dicom = b"\x00" * 128 + b"DICM" + b"\x02\x00" * 10
    async with await upload(h, ta, dicom, "IM0001") as r:
        assert r.status == 200 and (await r.json())["mime"] == "application/dicom"
