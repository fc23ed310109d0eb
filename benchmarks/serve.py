"""`seospam serve` under load: requests/s and latency with concurrent clients; prints figures, asserts nothing.

Usage: python benchmarks/serve.py [--seconds 20] [--clients 16] [--workers 2] [--kind text|html]

In one run:
  1. the reference: the in-process rate of `seospam.model.scoring.score_result(page).to_dict()` on the same pages, one
     after another, in this process, for --seconds (before the server starts, so nothing else competes);
  2. `seospam serve --port 0` in a subprocess, on 127.0.0.1 only, warmed up with one request per page;
  3. --clients concurrent httpx.AsyncClient loops, each posting the next seed page to /v1/score and waiting for the
     answer, for --seconds; then requests/s, p50/p90/p99/max latency, the status codes, and the CPU the server
     and the clients used (client and server share this machine's cores, so both are shown).
Pages are the real seeds in ../shared/seeds (about 5 KB of text each), read in place.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def seed_pages(kind: str) -> list[dict]:
    """The seeds as /v1/score bodies ({"text": ...} or, with kind html, simple HTML)."""
    import html

    paths = sorted(SEEDS.glob("*.txt"))
    if not paths:
        sys.exit(f"no seeds in {SEEDS}")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    if kind == "text":
        return [{"text": t} for t in texts]
    return [{"html": "<!doctype html><html><body>" + "".join(f"<p>{html.escape(line)}</p>\n"
                                                             for line in t.splitlines() if line.strip())
             + "</body></html>"} for t in texts]


def in_process_rate(bodies: list[dict], seconds: float) -> float:
    """Pages/s of the library call the server makes, one at a time in this process."""
    from seospam.model.persist import load_model
    from seospam.model.scoring import score_result

    model = load_model()
    kind = next(iter(bodies[0]))

    def one(i: int) -> None:
        score_result(bodies[i % len(bodies)][kind].encode(), model=model, fmt=kind).to_dict()

    one(0)  # lazy imports and lexicons, as the server's warm-up does
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        one(n)
        n += 1
    return n / (time.perf_counter() - t0)


def start_server(workers: int, clients: int) -> tuple[subprocess.Popen, str]:
    """`seospam serve` on a free 127.0.0.1 port; returns the process and its base URL."""
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "seospam", "serve", "--host", "127.0.0.1", "--port", "0",
                             "--workers", str(workers), "--max-concurrent", str(max(32, 2 * clients))],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    line = proc.stderr.readline()
    if " on http://" not in line:
        proc.kill()
        sys.exit(f"server did not start: {line}{proc.stderr.read()}")
    # Keep reading the server's log so a full pipe never blocks it.
    import threading

    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    return proc, line.rsplit(" on ", 1)[1].strip().rstrip("/")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def load(base: str, bodies: list[dict], clients: int, seconds: float) -> tuple[list[float], Counter, float]:
    """``clients`` loops posting pages for ``seconds``; returns latencies of 200s, status counts, elapsed."""
    import httpx

    latencies: list[float] = []
    statuses: Counter = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        for b in bodies:  # warm-up: one request per page, not counted
            (await client.post("/v1/score", json=b)).raise_for_status()
        stop_at = time.perf_counter() + seconds

        async def loop(k: int) -> None:
            i = k
            while time.perf_counter() < stop_at:
                t0 = time.perf_counter()
                try:
                    res = await client.post("/v1/score", json=bodies[i % len(bodies)])
                    statuses[res.status_code] += 1
                    if res.status_code == 200:
                        latencies.append(time.perf_counter() - t0)
                except httpx.HTTPError as e:
                    statuses[type(e).__name__] += 1
                i += clients

        t0 = time.perf_counter()
        await asyncio.gather(*(loop(k) for k in range(clients)))
        return latencies, statuses, time.perf_counter() - t0


def pct(xs: list[float], q: float) -> float:
    """The q-quantile of xs (nearest rank)."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * len(xs)) - 1))] if xs else float("nan")


def main() -> None:
    """Run the reference, start the server, load it, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2, help="the server's --workers (scoring threads)")
    ap.add_argument("--kind", choices=("text", "html"), default="text")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # as `seospam score` and `seospam serve` set it
    bodies = seed_pages(args.kind)
    size = statistics.mean(len(next(iter(b.values())).encode()) for b in bodies)
    # Other work on the machine takes cores from both figures; the load average says how much there was.
    print(f"pages: {len(bodies)} seeds as {args.kind}, {size / 1024:.1f} KB each on average; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    ref = in_process_rate(bodies, args.seconds)
    print(f"in-process score_result(...).to_dict(), one at a time: {ref:.1f} pages/s ({1000 / ref:.1f} ms a page)")
    proc, base = start_server(args.workers, args.clients)
    try:
        cpu0, wall0, own0 = cpu_seconds(proc.pid), time.perf_counter(), time.process_time()
        lat, statuses, elapsed = asyncio.run(load(base, bodies, args.clients, args.seconds))
        server_cpu = (cpu_seconds(proc.pid) - cpu0) / (time.perf_counter() - wall0)
        client_cpu = (time.process_time() - own0) / (time.perf_counter() - wall0)
    finally:
        proc.terminate()
        proc.wait(15)
    ok = len(lat)
    rate = ok / elapsed
    print(f"served, {args.clients} concurrent clients, server --workers {args.workers}, {elapsed:.1f} s: "
          f"{rate:.1f} requests/s ({rate / ref:.2f}x the in-process rate)")
    print(f"latency of 200s: p50 {1000 * pct(lat, 0.5):.0f} ms, p90 {1000 * pct(lat, 0.9):.0f} ms, "
          f"p99 {1000 * pct(lat, 0.99):.0f} ms, max {1000 * max(lat, default=float('nan')):.0f} ms")
    print(f"responses: {dict(statuses)}; CPU used: server {server_cpu:.2f} cores, clients {client_cpu:.2f} cores; "
          f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
