"""The web UI's Today page under load, against a bare FastAPI endpoint in the same run.

`followup serve` on the large demo (in a process of its own, as a user runs it) answers GET /today
to 16 concurrent clients (wrk, from Debian's package, in another process) for DURATION seconds. The
floor: a bare FastAPI app under the same uvicorn settings returning a static page of the same size.
Printed: p50, p95, p99 and requests per second of both, and the throughput ratio. Goals (issue 6):
p95 ≤ 50 ms and ≥ 0.5x the bare throughput. Nothing passes or fails; the figures are for the reader.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from harness import FOLLOWUP, large_demo, run_once

CLIENTS = 16
DURATION = int(os.environ.get("BENCH_WEB_SECONDS", "10"))
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50=%.3f p95=%.3f p99=%.3f rps=%.1f errors=%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""
BARE = r"""
import sys
import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

page = open(sys.argv[1], "rb").read()
app = FastAPI()

@app.get("/today")
async def today() -> HTMLResponse:
    return HTMLResponse(page)

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"nothing listens on port {port}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def login(url: str) -> str:
    """The session cookie the one-time link sets."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url)
    except urllib.error.HTTPError as answer:  # the 303 to /today
        cookie = answer.headers["set-cookie"]
        return cookie.split(";", 1)[0]
    raise SystemExit("the login link did not redirect")


def fetch(url: str, cookie: str) -> bytes:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - our own loopback server
    with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310 - our own loopback server
        return bytes(answer.read())


def wrk(url: str, cookie: str | None, script: Path) -> dict[str, float]:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CLIENTS}", f"-d{DURATION}s", "--timeout", "10s", "-s", str(script), *headers,
         url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.search(r"RESULT (.*)", done.stdout)
    if found is None:
        raise SystemExit(done.stdout + done.stderr)
    return {k: float(v) for k, v in (pair.split("=") for pair in found.group(1).split())}


def main() -> None:
    if shutil.which("wrk") is None:
        print("bench_web: wrk is not installed (Debian package wrk; `make bench` installs it as root)")
        return
    db = large_demo()
    run_once([str(FOLLOWUP), "--db", str(db), "today", "--json"], keep_output=False)  # planned once
    work = Path(tempfile.mkdtemp(prefix="followup-bench-web-"))
    script = work / "percentiles.lua"
    script.write_text(LUA)
    env = {**os.environ, "FOLLOWUP_FEED_TOKEN": "bench-feed-token-0123456789", "XDG_CONFIG_HOME": str(work)}
    port = free_port()
    ours = subprocess.Popen(
        [str(FOLLOWUP), "--db", str(db), "serve", "--port", str(port), "--no-worker"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    bare = None
    try:
        assert ours.stdout is not None
        link = ""
        while not link:
            line = ours.stdout.readline()
            if not line:
                raise SystemExit("followup serve stopped before printing its login link")
            link = line.split(": ", 1)[1].strip() if "log in" in line else ""
        wait_for(port)
        cookie = login(link)
        start = time.perf_counter()
        page = fetch(f"http://127.0.0.1:{port}/today", cookie)
        took = time.perf_counter() - start
        print(f"first Today page on the large demo: {took:.2f} s, {len(page) / 1024:.0f} KiB")
        (work / "page.html").write_bytes(page)
        bare_port = free_port()
        bare = subprocess.Popen([sys.executable, "-c", BARE, str(work / "page.html"), str(bare_port)])
        wait_for(bare_port)
        fetch(f"http://127.0.0.1:{bare_port}/today", "")
        mine = wrk(f"http://127.0.0.1:{port}/today", cookie, script)
        base = wrk(f"http://127.0.0.1:{bare_port}/today", None, script)
        size = len(page) / 1024
        print(f"Today page (HTML, {size:.0f} KiB), {CLIENTS} concurrent clients, {DURATION} s each:")
        for name, r in (("followup serve", mine), ("bare FastAPI", base)):
            print(
                f"  {name:<15} p50 {r['p50']:6.2f} ms   p95 {r['p95']:6.2f} ms   p99 {r['p99']:6.2f} ms   "
                f"{r['rps']:7.0f} req/s   errors {int(r['errors'])}"
            )
        ratio = mine["rps"] / base["rps"] if base["rps"] else 0.0
        print(
            f"  throughput {ratio:.2f}x the bare endpoint (goal ≥ 0.5x); p95 {mine['p95']:.1f} ms (goal ≤ 50)"
        )
    finally:
        for process in (ours, bare):
            if process is not None:
                process.terminate()
                process.wait(10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
