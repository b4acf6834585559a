"""Debian's Chromium and the flags every headless run here (tests, benchmarks) starts it with."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # Calls run on loopback only: the SFU offers 127.0.0.1, which Chromium otherwise neither
    # gathers nor pairs with (and it would hide its own addresses behind mDNS names).
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]
