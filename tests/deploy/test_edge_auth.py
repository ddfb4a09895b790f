"""The cloud overlay's edge authentication, run by a real Traefik: its rendered flags and middleware configuration,
and the Secret deploy-kind.sh generates (through the stand-in kubectl of tests/deploy/stubs, with the real openssl).
Traefik is the binary the kind proof builds (.cache/kind-offline/bin/traefik, tests/kind/run.sh) or one on PATH;
without either this test is skipped, and tests/kind/e2e.sh 'auth' checks the same on the cluster. Behind Traefik a
small recorder stands in for the services: it answers every request and says whether credentials reached it."""
from __future__ import annotations

import http.server
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from base64 import b64encode
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, find, rendered
from test_deploy_script import Deploy


def traefik_binary() -> str | None:
    built = ROOT / ".cache" / "kind-offline" / "bin" / "traefik"
    return str(built) if os.access(built, os.X_OK) else shutil.which("traefik")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder(http.server.BaseHTTPRequestHandler):
    seen_authorization: list[str] = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if "Authorization" in self.headers:
            Recorder.seen_authorization.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    binary = traefik_binary()
    if not binary:
        pytest.skip("no traefik binary (the kind proof builds one: ./test.sh --kind)")
    tmp = tmp_path_factory.mktemp("edge")
    # The Secret as `./deploy.sh up --overlay cloud` makes it.
    deploy = Deploy(tmp)
    deploy.up("--overlay", "cloud")
    secret = yaml.safe_load((deploy.state / "secret.yaml").read_text())["stringData"]
    # The recorder behind Traefik.
    backend = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    # The rendered flags and middleware; the routes (kubernetesIngress needs an API server) and the paths are this
    # test's: every path on both entry points to the recorder, as the Ingress sends every path to a service.
    objects = rendered("cloud")
    args = find(objects, "Deployment", "traefik", "traefik")["spec"]["template"]["spec"]["containers"][0]["args"]
    (config_map,) = [o for o in objects if o["kind"] == "ConfigMap" and o["metadata"]["name"].startswith("traefik-auth")]
    dynamic = yaml.safe_load(config_map["data"]["dynamic.yaml"])
    users = tmp / "users"
    users.write_text(secret["users"] + "\n")
    dynamic["http"]["middlewares"]["api-auth"]["basicAuth"]["usersFile"] = str(users)
    dynamic["http"]["routers"] = {
        ep: {"rule": "PathPrefix(`/`)", "service": "api", "entryPoints": [ep], **({"tls": {}} if ep == "websecure" else {})}
        for ep in ("web", "websecure")}
    dynamic["http"]["services"] = {"api": {"loadBalancer": {"servers": [
        {"url": f"http://127.0.0.1:{backend.server_address[1]}"}]}}}
    (tmp / "dynamic.yaml").write_text(yaml.safe_dump(dynamic))
    ports = {"web": free_port(), "websecure": free_port(), "traefik": free_port()}
    flags = []
    for arg in args:
        if arg.startswith("--providers.kubernetesIngress"):
            continue
        if arg.startswith("--providers.file.filename="):
            arg = f"--providers.file.filename={tmp / 'dynamic.yaml'}"
        for ep in ("web", "websecure"):
            if arg.startswith(f"--entryPoints.{ep}.address="):
                arg = f"--entryPoints.{ep}.address=127.0.0.1:{ports[ep]}"
        flags.append(arg)
    flags.append(f"--entryPoints.traefik.address=127.0.0.1:{ports['traefik']}")
    log = open(tmp / "traefik.log", "w")
    process = subprocess.Popen([binary, *flags], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if request(f"http://127.0.0.1:{ports['traefik']}/ping")[0] == 200 and \
                    request(f"http://127.0.0.1:{ports['web']}/x")[0] == 401:
                break
            time.sleep(0.2)
        yield {"web": f"http://127.0.0.1:{ports['web']}", "websecure": f"https://127.0.0.1:{ports['websecure']}",
               "ping": f"http://127.0.0.1:{ports['traefik']}/ping", "user": secret["username"],
               "password": secret["password"], "log": tmp / "traefik.log"}
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        backend.shutdown()


def request(url: str, method: str = "GET", auth: tuple[str, str] | None = None) -> tuple[int, dict]:
    headers = {}
    if auth:
        headers["Authorization"] = "Basic " + b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    req = urllib.request.Request(url, method=method, headers=headers, data=b"x" if method == "POST" else None)
    context = ssl._create_unverified_context()  # Traefik's self-signed default certificate
    try:
        with urllib.request.urlopen(req, timeout=10, context=context) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers)
    except OSError:
        return 0, {}


REQUESTS = [("POST", "/topic/t"), ("POST", "/topics/t"), ("POST", "/message/t"), ("POST", "/producer/t"), ("POST", "/topics/t/messages"),
            ("GET", "/t"), ("GET", "/consumer/t"), ("GET", "/topics"), ("GET", "/healthz"), ("GET", "/readyz")]


def test_no_request_gets_in_without_the_generated_credentials(gateway):
    Recorder.seen_authorization.clear()
    for ep in ("web", "websecure"):
        for method, path in REQUESTS:
            url = gateway[ep] + path
            status, headers = request(url, method)
            assert status == 401, (ep, method, path, status, gateway["log"].read_text()[-2000:])
            assert headers.get("Www-Authenticate") == 'Basic realm="kafka-on-kind"'
            assert request(url, method, (gateway["user"], "0" * 36))[0] == 401, (ep, method, path)
            assert request(url, method, ("admin", gateway["password"]))[0] == 401, (ep, method, path)
            assert request(url, method, (gateway["user"], gateway["password"]))[0] == 200, (ep, method, path)
    # The services never see the credentials (removeHeader); Traefik's /ping, for the probes, asks for none.
    assert Recorder.seen_authorization == []
    assert request(gateway["ping"])[0] == 200
