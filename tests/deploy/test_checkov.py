"""checkov, a static analyser, over what this repository deploys: the rendered overlays (kind, cloud, kind + kafka-ui;
checkov judges what kustomize makes, not the patches) and the two Dockerfiles (the service image, the offline proof's
broker). Every finding is fixed or annotated in place with its reason (checkov.io/skipN annotations in the
manifests, '# checkov:skip=' comments in the Dockerfiles; docs/decisions.md "Static analysis"), so the list of
failed checks must be empty, and the accepted ones are exactly the list below: a new finding, or a new annotation,
fails a test by name. One checkov run (installed by scripts/install-k8s-tools.sh into .cache/checkov) serves all."""
from __future__ import annotations

import json
import subprocess
import time

import pytest
import yaml

from conftest import RENDERINGS, ROOT, rendered, workloads

CHECKOV = ROOT / ".cache" / "checkov" / "bin" / "checkov"
DOCKERFILES = ("images/service/Dockerfile", "images/offline/broker/Dockerfile")

# The registry images and the locally built one are loaded into the kind nodes by tag (CKV_K8S_43 digest,
# CKV_K8S_15 pull policy); Traefik reads the API (CKV_K8S_38 token); the brokers keep the image's uid 1000 (CKV_K8S_40);
# on kind Traefik binds the host ports (CKV_K8S_26).
_BY_TAG = [(check, workload) for workload in ("Deployment.kok.producer", "Deployment.kok.consumer",
                                              "StatefulSet.kok.kafka", "Deployment.traefik.traefik")
           for check in ("CKV_K8S_43", "CKV_K8S_15")]
_COMMON = _BY_TAG + [("CKV_K8S_38", "Deployment.traefik.traefik"), ("CKV_K8S_40", "StatefulSet.kok.kafka")]
_KIND = _COMMON + [("CKV_K8S_26", "Deployment.traefik.traefik")]
_UI = [("CKV_K8S_43", "Deployment.kok.kafka-ui"), ("CKV_K8S_15", "Deployment.kok.kafka-ui")]
_DOCKER = ["CKV_DOCKER_7", "CKV_DOCKER_2"]  # checkov names a skipped Dockerfile check's resource 'PATH.'
ACCEPTED = sorted(
    [("kind", c, r) for c, r in _KIND] + [("cloud", c, r) for c, r in _COMMON]
    + [("kind+ui", c, r) for c, r in _KIND + _UI]
    + [(d, c, f"{d}.") for d in DOCKERFILES for c in _DOCKER])


def _where(check: dict) -> str:
    """The rendering (kind, cloud, kind+ui) or the Dockerfile a result belongs to."""
    path = check["file_abs_path"]
    for d in DOCKERFILES:
        if path == str(ROOT / d):
            return d
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def _resource(check: dict) -> str:
    """Resource names as checkov gives them; a Dockerfile's carry its path, made relative to the repository."""
    return check["resource"].replace(str(ROOT) + "/", "")


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> dict:
    if not CHECKOV.exists():
        pytest.fail("no checkov: run scripts/install-k8s-tools.sh")
    scratch = tmp_path_factory.mktemp("checkov")
    files = []
    for name in sorted(RENDERINGS):
        path = scratch / f"{name}.yaml"
        path.write_text(yaml.safe_dump_all(rendered(name), sort_keys=False))
        files += ["-f", str(path)]
    for d in DOCKERFILES:
        files += ["-f", str(ROOT / d)]
    started = time.monotonic()
    # --skip-download: no calls to the vendor's API (offline; the results do not depend on it).
    result = subprocess.run([str(CHECKOV), *files, "--framework", "kubernetes", "dockerfile", "--skip-download",
                             "--output", "json"], capture_output=True, text=True, timeout=300, check=False)
    seconds = time.monotonic() - started
    assert result.returncode in (0, 1), f"checkov failed to run:\n{result.stderr[-3000:]}"
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    out = {"seconds": seconds, "summary": {}, "failed": [], "skipped": [], "passed": []}
    for report in reports:
        out["summary"][report["check_type"]] = report["summary"]
        for state in ("failed", "skipped", "passed"):
            out[state] += report["results"][f"{state}_checks"]
    return out


def test_no_finding_is_left_unfixed_or_unexplained(scan):
    failed = sorted((_where(c), c["check_id"], _resource(c)) for c in scan["failed"])
    names = {c["check_id"]: c["check_name"] for c in scan["failed"]}
    assert failed == [], "new checkov findings: fix each, or annotate it in place with its reason:\n" + "\n".join(
        f"  {where}: {check} ({names[check]}) {resource}" for where, check, resource in failed)


def test_the_accepted_findings_are_exactly_these_and_each_says_why(scan):
    skipped = sorted((_where(c), c["check_id"], _resource(c)) for c in scan["skipped"])
    assert skipped == ACCEPTED
    for c in scan["skipped"]:
        reason = (c["check_result"].get("suppress_comment") or "").strip()
        assert len(reason.split()) >= 8, f"{_where(c)} {c['check_id']} {_resource(c)}: no real reason: '{reason}'"


def test_the_scan_saw_every_workload_and_both_dockerfiles(scan):
    # A scan that parsed nothing would find nothing: every workload of every rendering must have been judged.
    assert all(s["parsing_errors"] == 0 for s in scan["summary"].values()), scan["summary"]
    judged = {(_where(c), _resource(c)) for state in ("passed", "skipped") for c in scan[state]}
    for name in RENDERINGS:
        for w in workloads(rendered(name)):
            meta = w["metadata"]
            assert (name, f"{w['kind']}.{meta['namespace']}.{meta['name']}") in judged, (name, meta["name"])
    for d in DOCKERFILES:
        assert (d, f"{d}.") in judged, d
    assert len(scan["passed"]) > 1000, len(scan["passed"])
    # The scan is part of ./test.sh: it stays quick (docs/decisions.md "Static analysis" has the measured time).
    assert scan["seconds"] < 60, scan["seconds"]
