"""A real varnishd with deploy/varnish/newsroom.vcl in front of the live test server, for the edge-cache tests.
Registered as a plugin by tests/conftest.py. Skips (fails where NEWSROOM_REQUIRE_SERVICES=1) without varnishd or
its xkey module (Debian's varnish and varnish-modules)."""

import contextlib
import glob
import http.client
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require_service
from tests.services import free_port, script

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "newsroom.vcl"
START_SECONDS = 30


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    header_names: set[str] = field(default_factory=set)


@dataclass
class Varnish:
    """varnishd listening at `url`, in front of the live server; `workdir` is its -n, for varnishadm."""

    url: str
    workdir: str
    varnishadm: str

    def request(self, path: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            body = response.read().decode(errors="replace")
            names = {name.lower() for name in response.headers}
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, body, names)
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> Answer:
        return self.request(path, headers=headers)


def _xkey_installed() -> bool:
    """Where Debian's varnish-modules (or a build from source) puts the xkey vmod."""
    patterns = ("/usr/lib/*/varnish/vmods/libvmod_xkey.so", "/usr/lib/varnish/vmods/libvmod_xkey.so")
    patterns += ("/usr/local/lib/varnish/vmods/libvmod_xkey.so",)
    return any(glob.glob(pattern) for pattern in patterns)


def require_varnishd() -> tuple[str, str]:
    """varnishd and varnishadm, or a skip (a failure under NEWSROOM_REQUIRE_SERVICES=1) saying what is missing."""
    varnishd_path, varnishadm_path = shutil.which("varnishd"), shutil.which("varnishadm")
    if varnishd_path is None or varnishadm_path is None:
        require_service("varnishd is not installed (apt-get install varnish varnish-modules)")
    if not _xkey_installed():
        require_service("the xkey vmod is not installed (apt-get install varnish-modules)")
    return varnishd_path, varnishadm_path


@contextlib.contextmanager
def running_varnishd(vcl: Path, folder: Path, port: int = 0) -> Iterator[Varnish]:
    """varnishd started with `vcl` (its backends already filled in) on `port` or a free one, stopped on leaving."""
    varnishd_path, varnishadm_path = require_varnishd()
    port = port or free_port()
    workdir = folder / "work"
    # -j none: no switch to the varnish user, who could not read the test's private temporary folder.
    command = [varnishd_path, "-F", "-j", "none", "-a", f"127.0.0.1:{port}", "-f", str(vcl), "-n", str(workdir)]
    process = subprocess.Popen(
        [*command, "-s", "malloc,64m"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + START_SECONDS
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"varnishd did not start:\n{process.stdout.read()}", pytrace=False)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"varnishd did not listen on {port} within {START_SECONDS} s", pytrace=False)
                time.sleep(0.1)
        yield Varnish(f"http://127.0.0.1:{port}", workdir=str(workdir), varnishadm=varnishadm_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def varnishd(live_server, tmp_path_factory) -> Iterator[Varnish]:
    """varnishd with the project's VCL, its backend the live server: started once per module (compiling the VCL
    takes seconds), emptied before each test by `varnish`."""
    require_varnishd()
    folder = tmp_path_factory.mktemp("varnish")
    backend = urlsplit(live_server.url)
    vcl = folder / "newsroom.vcl"
    # Pointed at the live server as `make serve` points it at gunicorn.
    vcl.write_text(script("serve").vcl_with_backend(VCL.read_text(), "127.0.0.1", backend.port))
    with running_varnishd(vcl, folder) as varnish:
        yield varnish


@pytest.fixture
def varnish(varnishd: Varnish, settings) -> Varnish:
    """The module's varnishd, emptied (each test's database starts afresh, so ids and pages repeat), and purged
    by the application when its transactions commit."""
    subprocess.run(
        [varnishd.varnishadm, "-n", varnishd.workdir, "ban", "req.url", "~", "."], check=True, capture_output=True
    )
    settings.NEWSROOM_EDGE_PURGE_URLS = [varnishd.url + "/"]
    return varnishd
