#!/usr/bin/env python3
"""Writes examples/demo/object.png, the private object the demo shows: a
320x120 picture of stripes (the standard library only: zlib for the PNG)."""
import os, struct, zlib

W, H = 320, 120
rows = []
for y in range(H):
    row = bytearray([0])  # filter: none
    for x in range(W):
        band = (x // 40 + y // 30) % 4
        r, g, b = [(0xFF, 0x99, 0x00), (0x23, 0x2F, 0x3E), (0x14, 0x6E, 0xB4), (0xFF, 0xFF, 0xFF)][band]
        row += bytes((r, g, b))
    rows.append(bytes(row))

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "object.png")
with open(out, "wb") as f:
    f.write(png)
print(f"wrote {len(png)} bytes to {out}")
