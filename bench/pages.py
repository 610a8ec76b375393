"""The page part of `make bench`: every key page and API list under load, beside a bare view.

gunicorn serves the app as `make run` does (config/gunicorn.py, the same settings module with
DEBUG off, collected static files), on the bench database, with two differences that are
settings: the bare view is routed (BENCH_BARE_VIEW) and the public rate limits are raised.
`wrk` (compiled, so the client takes little of the server's CPU) drives each page at 20 and at 50
connections, signed in as an Inspector of the busiest borough (session cookie for pages, API
token for the API). Each measurement runs `duration` seconds after a warm-up; the figures are
the median of `runs` rounds, and in each round the bare view is measured for a few seconds just
before each page, so every page's share is of the bare view seconds earlier.

Then it loads each page as a browser would on its first visit (HTML and every stylesheet,
script, image and font it links, compressed) and checks the static files' headers.

Targets (issue 13) are checked at the end; `run()` returns the list of misses."""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "bench" / "wrk.lua"

# Targets on the project's 2-core machine (issue 13).
P99_MS = 300
MIN_SHARE = 0.15
PUBLIC_MIN_SHARE = 0.75
FIRST_LOAD_KB = 500
STATIC_MAX_AGE = 31536000
CONNECTIONS = (20, 50)
WRK_TIMEOUT = "2s"  # wrk's default: a response slower than this counts as a timeout
# Seconds the bare view is measured just before each page, for that page's share.
BARE_SECONDS = 3


@dataclass
class Page:
    name: str
    path: str
    auth: str | None = None  # None (public), "session" or "token"
    min_share: float = MIN_SHARE
    html: bool = True


@dataclass
class Result:
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    timeouts: int


@dataclass
class Row:
    page: Page
    by_conns: dict = field(default_factory=dict)  # connections -> [Result per round]
    shares: dict = field(default_factory=dict)  # connections -> [share per round]


def pages_for(targets: dict) -> list[Page]:
    t = targets
    api = [
        ("officers", "officers/"),
        ("postings", "postings/"),
        ("duties", "duties/"),
        ("abstractions", "abstractions/"),
        ("flex requests", "flex-requests/"),
        ("promises", "promises/"),
        ("activities", "activities/"),
        ("crimes", "crimes/"),
        ("visit offers", "visit-offers/"),
        ("wards", "wards/"),
    ]
    return [
        Page("public team page", f"/neighbourhoods/{t['ward']}/", min_share=PUBLIC_MIN_SHARE),
        Page("find your team", "/find/", min_share=PUBLIC_MIN_SHARE),
        Page("find your team: search", f"/find/?q={urllib.parse.quote(t['ward_name'])}",
             min_share=PUBLIC_MIN_SHARE),
        Page("home", "/", "session"),
        Page("ward page", f"/wards/{t['ward']}/", "session"),
        Page("borough page", f"/boroughs/{t['borough']}/", "session"),
        Page("officer page", f"/officers/{t['officer']}/", "session"),
        Page("officer list", "/officers/", "session"),
        Page("flex queue", "/flex/queue/", "session"),
        Page("ward calendar", f"/wards/{t['ward']}/deployment/", "session"),
        Page("report page", f"/reports/{t['report']}/", "session"),
        Page("borough performance", f"/performance/borough/{t['borough']}/", "session"),
        Page("ward performance", f"/performance/ward/{t['ward']}/", "session"),
        Page("ward panel summary", f"/performance/ward/{t['ward']}/summary/", "session"),
        Page("API performance", f"/api/v1/performance/?borough={t['borough']}", "token",
             html=False),
        *(Page(f"API {name}", f"/api/v1/{path}", "token", html=False) for name, path in api),
        *public_api(t),
        Page("contact form", f"/contact/{t['ward']}/", min_share=PUBLIC_MIN_SHARE),
    ]


def public_api(t: dict) -> list[Page]:
    """The public data.police.uk-compatible API (anonymous), held to the public pages' share."""
    hood = f"/api/metropolitan/{t['ward']}N"
    point = f"lat={t['lat']}&lng={t['lng']}"
    paths = [
        ("neighbourhoods", "/api/metropolitan/neighbourhoods"),
        ("a neighbourhood", hood),
        ("people", f"{hood}/people"),
        ("events", f"{hood}/events"),
        ("priorities", f"{hood}/priorities"),
        ("locate-neighbourhood", f"/api/locate-neighbourhood?q={t['lat']},{t['lng']}"),
        ("crimes-street", f"/api/crimes-street/all-crime?{point}&date={t['month']}"),
    ]
    return [Page(f"public API {name}", path, min_share=PUBLIC_MIN_SHARE, html=False)
            for name, path in paths]


# --- the server -------------------------------------------------------------------------------


def server_env(port: int, database_url: str, redis_url: str) -> dict:
    """As scripts/run.sh serves `make run` (production's settings over plain http), with the bare
    view routed (config.settings.bench) and the public rate limits raised."""
    import secrets

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PORT=str(port),
        RATE_LIMIT_PUBLIC="1000000/s",
        RATE_LIMIT_LOGIN="1000000/s",
        RATE_LIMIT_OPEN_DATA="1000000/s",  # the data.police.uk-compatible API
        RATE_LIMIT_CONTACT="1000000/s",  # the contact form
    )
    return env


class Server:
    """gunicorn with config/gunicorn.py, as `make run` starts it."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.proc = None

    def __enter__(self):
        port = int(self.env["PORT"])
        if port_in_use(port):
            # gunicorn listens with SO_REUSEPORT (config/gunicorn.py): it would not fail to bind
            # but share the port with whatever holds it (a server left from an earlier run).
            raise RuntimeError(f"127.0.0.1:{port} is already in use: stop what serves it")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.env["WEB_ACCESS_LOG"] = str(self.log.with_suffix(".access.log"))
        out = self.log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py",
             "config.wsgi:application"],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{self.env['PORT']}/bench/bare/"
        for _ in range(120):
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                urllib.request.urlopen(url, timeout=2).read()
                return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn does not answer on {url}; see {self.log}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def port_in_use(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- signing in -------------------------------------------------------------------------------


def sign_in(base: str, username: str, password: str) -> tuple[str, str]:
    """(session cookie header, API token) for the user, through the login page and the token
    endpoint, as a person and a script would get them."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data,
                                     headers={"Referer": f"{base}/accounts/login/"})
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"could not sign in as {username}")
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token/", method="POST",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    token = json.loads(urllib.request.urlopen(request).read())["token"]
    # What the browser sends from then on: its session and CSRF cookies.
    return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items())), token


def headers_for(page: Page, cookie: str, token: str) -> dict:
    if page.auth == "session":
        return {"Cookie": cookie}
    if page.auth == "token":
        return {"Authorization": f"Token {token}"}
    return {}


def check_answers(base: str, page: Page, headers: dict) -> None:
    """The page answers 200 itself (not a redirect to sign in) before it is measured."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(urllib.request.Request(base + page.path, headers=headers))
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{page.name}: {page.path} answers {exc.code}") from None
    if response.status != 200:
        raise RuntimeError(f"{page.name}: {page.path} answers {response.status}")


# --- wrk --------------------------------------------------------------------------------------


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    subprocess.run(["bash", "-c", '. scripts/env.sh && apt_install wrk'], cwd=ROOT, check=True)


def wrk(url: str, headers: dict, connections: int, seconds: float) -> Result:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
            f"--timeout={WRK_TIMEOUT}", "-s", str(LUA)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    r = json.loads(line[len("BENCH "):])
    errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
    return Result(
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50=r["p50"] / 1000, p95=r["p95"] / 1000, p99=r["p99"] / 1000,
        errors=errors, timeouts=r["timeout"],
    )


def settle(base: str, limit: float = 60) -> None:
    """Wait until the server has worked off what wrk left queued (requests accepted but not yet
    answered when wrk stopped, or abandoned at wrk's timeout and still being made), so that it
    does not count against the next page. One quick bare request is not enough: it can land on
    an idle thread while another worker is still busy with a slow page's backlog (the officers
    API's p99 of 1.8 s was measured straight after the then slow performance API). So a burst of
    twice as many bare requests as the server has threads must all answer quickly."""
    from concurrent.futures import ThreadPoolExecutor

    def bare(_):
        urllib.request.urlopen(f"{base}/bench/bare/", timeout=limit).read()

    deadline = time.monotonic() + limit
    with ThreadPoolExecutor(2 * server_threads()) as pool:
        while time.monotonic() < deadline:
            started = time.monotonic()
            list(pool.map(bare, range(2 * server_threads())))
            if time.monotonic() - started < 0.2:
                return
            time.sleep(0.2)


def server_threads() -> int:
    """The threads gunicorn serves with, as config/gunicorn.py sizes them (read from it)."""
    import runpy

    config = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    return config["workers"] * config["threads"]


def measure(base: str, pages: list[Page], bare: Page, cookie: str, token: str, *,
            duration: float, runs: int, warmup: float, bare_duration: float = BARE_SECONDS,
            log=print) -> tuple[list[Row], Row]:
    """Each page `runs` times at each connection count, the bare view measured for
    `bare_duration` just before each of them: a page's share in a round is of the bare view
    seconds earlier, not minutes (the machine's load moves meanwhile). The bare view's own figures
    are the median of all its measurements."""
    rows = [Row(p) for p in pages]
    bare_row = Row(bare)
    for conns in CONNECTIONS:
        for round_ in range(runs):
            if round_ == 0 and warmup:
                wrk(base + bare.path, {}, conns, warmup)
            for row in rows:
                headers = headers_for(row.page, cookie, token)
                url = base + row.page.path
                if round_ == 0 and warmup:
                    wrk(url, headers, conns, warmup)
                    settle(base)
                beside = wrk(base + bare.path, {}, conns, bare_duration)
                settle(base)
                result = wrk(url, headers, conns, duration)
                settle(base)
                bare_row.by_conns.setdefault(conns, []).append(beside)
                row.by_conns.setdefault(conns, []).append(result)
                row.shares.setdefault(conns, []).append(result.rps / max(beside.rps, 1e-9))
            log(f"  {conns} connections, round {round_ + 1} of {runs} done "
                f"(load average {os.getloadavg()[0]:.1f})")
    for conns, results in bare_row.by_conns.items():
        bare_row.shares[conns] = [1.0] * len(results)
    return rows, bare_row


def median_result(results: list[Result]) -> Result:
    med = statistics.median
    return Result(
        rps=med(r.rps for r in results), p50=med(r.p50 for r in results),
        p95=med(r.p95 for r in results), p99=med(r.p99 for r in results),
        errors=sum(r.errors for r in results), timeouts=sum(r.timeouts for r in results),
    )


def misses_of(row: Row) -> list[str]:
    misses = []
    at20 = median_result(row.by_conns[20])
    share = statistics.median(row.shares[20])
    if at20.p99 > P99_MS:
        misses.append(f"{row.page.name}: p99 {at20.p99:.0f} ms at 20 connections > {P99_MS}")
    if at20.errors:
        misses.append(f"{row.page.name}: {at20.errors} errors at 20 connections")
    if share < row.page.min_share:
        misses.append(f"{row.page.name}: {share:.0%} of the bare view at 20 connections "
                      f"< {row.page.min_share:.0%}")
    at50 = median_result(row.by_conns[50])
    if at50.errors:
        misses.append(f"{row.page.name}: {at50.errors} errors ({at50.timeouts} timeouts) at 50 "
                      "connections")
    return misses


def print_table(rows: list[Row], bare_row: Row, log=print) -> None:
    head = (f"{'page':28} {'conns':>5} {'req/s':>8} {'share':>6} {'rounds':>9} {'p50 ms':>7} "
            f"{'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    log(head)
    log("-" * len(head))
    for row in [bare_row, *rows]:
        for conns in CONNECTIONS:
            r = median_result(row.by_conns[conns])
            share = statistics.median(row.shares[conns])
            log(f"{row.page.name:28} {conns:>5} {r.rps:>8.0f} {share:>6.0%} "
                f"{share_range(row.shares[conns]):>9} {r.p50:>7.1f} {r.p95:>7.1f} {r.p99:>7.1f} "
                f"{r.errors:>6}")


def share_range(shares: list[float]) -> str:
    """The lowest and highest share of the rounds: how far one round could be trusted."""
    return f"{min(shares):.0%}-{max(shares):.0%}"


# --- first load and static files --------------------------------------------------------------

ASSET_RE = re.compile(r'(?:href|src)="(/static/[^"]+)"')
CSS_URL_RE = re.compile(r"url\(([\"']?)([^)\"']+)\1\)")
HASHED_RE = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
COMPRESSIBLE = (".css", ".js", ".svg", ".ico", ".json", ".txt")


def fetch(url: str, headers: dict) -> tuple[int, dict, bytes]:
    """Status, headers and the bytes on the wire, asking for brotli or gzip as browsers do."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip", **headers})
    with urllib.request.urlopen(request) as response:
        return response.status, dict(response.headers), response.read()


def decoded(headers: dict, body: bytes) -> bytes:
    encoding = headers.get("Content-Encoding", "")
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    return body


def first_load(base: str, page: Page, headers: dict) -> tuple[int, dict]:
    """Bytes a first visit transfers: the page, then each stylesheet, script and icon it links
    and each font and image those stylesheets use (woff2 only: a browser takes the first format
    it supports). Returns (total bytes, {asset url: response headers})."""
    _, h, body = fetch(base + page.path, headers)
    total = len(body)
    html = decoded(h, body).decode()
    assets, seen = {}, set()
    queue = ASSET_RE.findall(html)
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        _, h, body = fetch(base + path, {})
        total += len(body)
        assets[path] = h
        if path.endswith(".css"):
            folder = path.rsplit("/", 1)[0]
            for _, ref in CSS_URL_RE.findall(decoded(h, body).decode()):
                # A data: URI or a fragment (leaflet.css's `behavior: url(#default#VML)`, for
                # old Internet Explorer) fetches nothing.
                if ref.startswith(("data:", "#")) or ref.endswith(".woff"):
                    continue
                queue.append(ref if ref.startswith("/") else
                             urllib.parse.urljoin(folder + "/", ref))
    return total, assets


def static_misses(assets: dict) -> list[str]:
    misses = []
    for path, h in sorted(assets.items()):
        name = path.split("?")[0]
        if not HASHED_RE.search(name):
            misses.append(f"static {name}: the name is not hashed")
        cache = h.get("Cache-Control", "")
        if f"max-age={STATIC_MAX_AGE}" not in cache or "immutable" not in cache:
            misses.append(f"static {name}: Cache-Control is {cache!r}")
        if name.endswith(COMPRESSIBLE) and h.get("Content-Encoding") not in ("br", "gzip"):
            misses.append(f"static {name}: not compressed")
    return misses


def check_first_loads(base, pages, cookie, token, log=print) -> list[str]:
    misses, all_assets, sizes = [], {}, []
    for page in pages:
        if not page.html:
            continue
        total, assets = first_load(base, page, headers_for(page, cookie, token))
        all_assets.update(assets)
        sizes.append((total, page.name))
        if total > FIRST_LOAD_KB * 1024:
            misses.append(f"{page.name}: first load {total / 1024:.0f} KB > {FIRST_LOAD_KB} KB")
    if not sizes:  # only API lists measured (--only API): no page to load
        return misses
    biggest, name = max(sizes)
    log(f"First load, compressed: at most {biggest / 1024:.0f} KB ({name}); "
        f"{len(all_assets)} static files, each checked for a hashed name, "
        f"max-age={STATIC_MAX_AGE}, immutable and compression")
    return misses + static_misses(all_assets)


# --- the run ----------------------------------------------------------------------------------


def collectstatic(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)


def flush_cache(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def run(*, targets: dict, database_url: str, redis_url: str, port: int, duration: float,
        runs: int, warmup: float, bare_duration: float = BARE_SECONDS,
        only: list[str] | None = None, log=print) -> list[str]:
    ensure_wrk()
    env = server_env(port, database_url, redis_url)
    collectstatic(env)
    flush_cache(redis_url)
    pages = pages_for(targets)
    if only:
        pages = [p for p in pages if any(o.lower() in p.name.lower() for o in only)]
    if not pages:
        raise RuntimeError(f"no page's name holds any of {only}")
    bare = Page("bare view", "/bench/bare/")
    base = f"http://127.0.0.1:{port}"
    with Server(env, ROOT / ".local" / "bench" / "gunicorn.log"):
        cookie, token = sign_in(base, targets["username"], targets["password"])
        for page in pages:
            check_answers(base, page, headers_for(page, cookie, token))
        log(f"\n== Pages under load: {len(pages)} pages, {duration:g} s each after a {warmup:g} s "
            f"warm-up, each beside the bare view measured {bare_duration:g} s just before it; "
            f"median of {runs} rounds; signed in as {targets['username']} "
            f"({targets['borough_name']}, the busiest borough); load average "
            f"{os.getloadavg()[0]:.1f}")
        rows, bare_row = measure(base, pages, bare, cookie, token, duration=duration, runs=runs,
                                 warmup=warmup, bare_duration=bare_duration, log=log)
        print_table(rows, bare_row, log=log)
        misses = [m for row in rows for m in misses_of(row)]
        misses += check_first_loads(base, pages, cookie, token, log=log)
    return misses
