"""Both run modes use the same broker settings (docs/architecture.md "Kafka settings"): the local cluster's
deploy/local/kafka/broker.properties and the Kubernetes brokers' KAFKA_* variables must say the same."""
from __future__ import annotations

import pytest

from conftest import ROOT, find

LOCAL = ROOT / "deploy" / "local" / "kafka" / "broker.properties"
# Per-node values, set per pod in Kubernetes and per node by deploy/local/kafka.sh.
PER_NODE = {"node.id", "listeners", "advertised.listeners", "controller.quorum.voters", "log.dirs"}
# Variables the apache/kafka image does not turn into server properties.
NOT_PROPERTIES = {"KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS",
                  "KAFKA_GC_LOG_OPTS", "KAFKA_LOG4J_ROOT_LOGLEVEL", "KAFKA_LOG4J_LOGGERS",
                  "KAFKA_TOOLS_LOG4J_LOGLEVEL", "KAFKA_JMX_HOSTNAME", "KAFKA_VERSION"}


def property_name(variable: str) -> str:
    """The image's mapping (KafkaDockerWrapper): strip KAFKA_, lower-case, '___'->'-', '__'->'_', '_'->'.'."""
    return (variable[len("KAFKA_"):].lower()
            .replace("_", ".").replace("...", "-").replace("..", "_"))


def variable_name(prop: str) -> str:
    return "KAFKA_" + prop.replace("_", "__").replace("-", "___").replace(".", "_").upper()


def test_mapping_round_trips():
    for prop in ("default.replication.factor", "share.coordinator.state.topic.min.isr", "a_b.c-d"):
        assert property_name(variable_name(prop)) == prop


def kubernetes_properties(objects) -> dict[str, str]:
    """Broker properties as the image will write them: the shared ConfigMap plus the pod's literal KAFKA_* values."""
    sts = find(objects, "StatefulSet", "kafka", "kok")
    container = sts["spec"]["template"]["spec"]["containers"][0]
    variables = {}
    for source in container.get("envFrom", []):
        variables.update(find(objects, "ConfigMap", source["configMapRef"]["name"], "kok")["data"])
    for entry in container.get("env", []):
        variables[entry["name"]] = entry.get("value", "<from the pod>")
    return {property_name(k): v for k, v in variables.items() if k.startswith("KAFKA_") and k not in NOT_PROPERTIES}


def local_properties() -> dict[str, str]:
    out = {}
    for line in LOCAL.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


@pytest.mark.skipif(not LOCAL.is_file(), reason="the local cluster's broker.properties is not in this tree")
def test_same_shared_settings_as_the_local_cluster(manifests):
    local = {k: v for k, v in local_properties().items() if k not in PER_NODE}
    kube = {k: v for k, v in kubernetes_properties(manifests).items() if k not in PER_NODE}
    missing = sorted(set(local) - set(kube))
    extra = sorted(set(kube) - set(local))
    different = sorted(k for k in set(local) & set(kube) if local[k] != kube[k])
    assert not (missing or extra or different), (
        f"missing in Kubernetes: {missing}; only in Kubernetes: {extra}; different: "
        f"{[(k, local[k], kube[k]) for k in different]}")


def test_design_durability_settings(manifests):
    props = kubernetes_properties(manifests)
    expected = {
        "default.replication.factor": "3",
        "min.insync.replicas": "2",
        "auto.create.topics.enable": "false",
        "unclean.leader.election.enable": "false",
        "offsets.topic.replication.factor": "3",
        "transaction.state.log.replication.factor": "3",
        "transaction.state.log.min.isr": "2",
        "process.roles": "broker,controller",
    }
    assert {k: props.get(k) for k in expected} == expected
    # Every per-node value is set per pod (the image's single-node defaults must never apply).
    assert PER_NODE <= set(props)
