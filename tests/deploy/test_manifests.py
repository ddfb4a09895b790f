"""Invariants of the rendered manifests (every overlay): the Kafka cluster's shape, its settings, images, and the
security and health settings every container must carry."""
from __future__ import annotations

import re

from conftest import ROOT, env_of, find, read_versions, workloads

NAMESPACE = "kok"


def kafka_container(objects):
    sts = find(objects, "StatefulSet", "kafka", NAMESPACE)
    (container,) = [c for c in sts["spec"]["template"]["spec"]["containers"] if c["name"] == "kafka"]
    return sts, container


def expand(value: str, variables: dict[str, str]) -> str:
    """Kubernetes' $(VAR) expansion in env values (unknown references stay as they are)."""
    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: variables.get(m.group(1), m.group(0)), value)


def broker_env(objects, ordinal: int) -> dict[str, str]:
    """The KAFKA_* environment pod kafka-<ordinal> gets: the ConfigMap, downward API values, then expansion."""
    sts, container = kafka_container(objects)
    out: dict[str, str] = {}
    for source in container.get("envFrom", []):
        cm = find(objects, "ConfigMap", source["configMapRef"]["name"], NAMESPACE)
        out.update(cm["data"])
    pod = {"metadata.name": f"kafka-{ordinal}", "metadata.namespace": NAMESPACE,
           "metadata.labels['apps.kubernetes.io/pod-index']": str(ordinal)}
    for name, entry in env_of(container).items():
        if "value" in entry:
            out[name] = expand(entry["value"], out)
        elif "fieldRef" in entry["valueFrom"]:
            out[name] = pod[entry["valueFrom"]["fieldRef"]["fieldPath"]]
        elif "configMapKeyRef" in entry["valueFrom"]:
            ref = entry["valueFrom"]["configMapKeyRef"]
            out[name] = find(objects, "ConfigMap", ref["name"], NAMESPACE)["data"][ref["key"]]
    return out


def test_three_kraft_nodes_start_together(manifests):
    sts, container = kafka_container(manifests)
    assert sts["spec"]["replicas"] == 3
    assert sts["spec"]["podManagementPolicy"] == "Parallel"
    assert sts["spec"]["serviceName"] == "kafka-headless"
    assert broker_env(manifests, 0)["KAFKA_PROCESS_ROLES"] == "broker,controller"


def test_brokers_have_distinct_node_ids_and_advertised_names(manifests):
    envs = [broker_env(manifests, n) for n in range(3)]
    assert [e["KAFKA_NODE_ID"] for e in envs] == ["0", "1", "2"]
    advertised = [e["KAFKA_ADVERTISED_LISTENERS"] for e in envs]
    assert len(set(advertised)) == 3
    for n, value in enumerate(advertised):
        assert "$(" not in value, f"unexpanded reference in {value}"
        assert f"PLAINTEXT://kafka-{n}.kafka-headless.{NAMESPACE}.svc.cluster.local:9092" in value.split(",")


def test_static_voters_name_every_node_by_its_headless_dns_name(manifests):
    voters = broker_env(manifests, 0)["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")
    assert voters == [f"{n}@kafka-{n}.kafka-headless.{NAMESPACE}.svc.cluster.local:9093" for n in range(3)]
    # The same list on every node.
    assert len({broker_env(manifests, n)["KAFKA_CONTROLLER_QUORUM_VOTERS"] for n in range(3)}) == 1


def test_services_for_quorum_and_bootstrap(manifests):
    headless = find(manifests, "Service", "kafka-headless", NAMESPACE)
    assert headless["spec"]["clusterIP"] == "None"
    # Nodes must resolve each other before any of them is ready.
    assert headless["spec"]["publishNotReadyAddresses"] is True
    bootstrap = find(manifests, "Service", "kafka", NAMESPACE)
    assert [p["port"] for p in bootstrap["spec"]["ports"]] == [9092]
    for svc in ("producer", "consumer"):
        (deployment,) = [w for w in workloads(manifests) if w["metadata"]["name"] == svc]
        env = env_of(deployment["spec"]["template"]["spec"]["containers"][0])
        assert env["KAFKA_BOOTSTRAP_SERVERS"]["value"] == "kafka:9092"


def test_cluster_id_and_kafka_version_come_from_versions_env(manifests):
    versions = read_versions()
    assert broker_env(manifests, 0)["CLUSTER_ID"] == versions["KAFKA_CLUSTER_ID"]
    _, container = kafka_container(manifests)
    assert container["image"] == f"apache/kafka:{versions['KAFKA_VERSION']}"
    traefik = find(manifests, "Deployment", "traefik", "traefik")["spec"]["template"]["spec"]["containers"][0]
    assert traefik["image"] == f"traefik:{versions['TRAEFIK_VERSION']}"
    for w in workloads(manifests):
        if w["metadata"]["name"] == "kafka-ui":
            assert w["spec"]["template"]["spec"]["containers"][0]["image"] == \
                f"ghcr.io/kafbat/kafka-ui:{versions['KAFKA_UI_VERSION']}"


def test_no_single_node_defaults_leak_into_the_brokers(manifests):
    """The image falls back to single-node values for anything unset: log dirs in /tmp, its own cluster id, ..."""
    env = broker_env(manifests, 1)
    sts, container = kafka_container(manifests)
    for key in ("KAFKA_LOG_DIRS", "KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS", "KAFKA_CONTROLLER_QUORUM_VOTERS",
                "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_NODE_ID",
                "KAFKA_INTER_BROKER_LISTENER_NAME", "CLUSTER_ID", "KAFKA_HEAP_OPTS"):
        assert env.get(key), f"{key} must be set explicitly"
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    assert env["KAFKA_LOG_DIRS"] == "/var/lib/kafka/data" and mounts["/var/lib/kafka/data"]["name"] == "data"
    # A Service named "kafka" would inject KAFKA_SERVICE_HOST, KAFKA_PORT... which the image turns into properties.
    assert sts["spec"]["template"]["spec"]["enableServiceLinks"] is False
    # The image writes its generated config there; the root filesystem is read-only.
    assert "/opt/kafka/config" in mounts


def test_broker_data_is_one_volume_per_broker(manifests):
    sts, _ = kafka_container(manifests)
    (claim,) = sts["spec"]["volumeClaimTemplates"]
    assert claim["metadata"]["name"] == "data"
    # Pod Security "restricted" refuses hostPath volumes in pods.
    for volume in sts["spec"]["template"]["spec"].get("volumes", []):
        assert "hostPath" not in volume and volume["name"] != "data"


def test_kind_binds_each_broker_to_its_host_sub_directory(kind_manifests):
    sts, _ = kafka_container(kind_manifests)
    storage_class = sts["spec"]["volumeClaimTemplates"][0]["spec"]["storageClassName"]
    volumes = [o for o in kind_manifests if o["kind"] == "PersistentVolume"]
    assert len(volumes) == 3
    by_claim = {v["spec"]["claimRef"]["name"]: v for v in volumes}
    assert sorted(by_claim) == ["data-kafka-0", "data-kafka-1", "data-kafka-2"]
    for n in range(3):
        pv = by_claim[f"data-kafka-{n}"]
        assert pv["spec"]["claimRef"]["namespace"] == NAMESPACE
        assert pv["spec"]["storageClassName"] == storage_class
        assert pv["spec"]["hostPath"] == {"path": f"/var/lib/kok-data/kafka-{n}", "type": "Directory"}
        assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
        # Bindable from any worker: every worker mounts the same host directory.
        assert "nodeAffinity" not in pv["spec"]
    assert find(kind_manifests, "StorageClass", storage_class)["reclaimPolicy"] == "Retain"


def test_cloud_uses_a_storage_class_and_no_host_paths(cloud_manifests):
    sts, container = kafka_container(cloud_manifests)
    assert sts["spec"]["volumeClaimTemplates"][0]["spec"]["storageClassName"]
    assert sts["spec"]["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert not [o for o in cloud_manifests if o["kind"] == "PersistentVolume"]
    assert "hostPath" not in str(cloud_manifests)
    mount = [m for m in container["volumeMounts"] if m["name"] == "data"][0]
    assert mount["subPathExpr"] == "$(POD_NAME)"
    traefik = find(cloud_manifests, "Service", "traefik", "traefik")
    assert traefik["spec"]["type"] == "LoadBalancer"
    assert "hostPort" not in str(find(cloud_manifests, "Deployment", "traefik", "traefik"))


def test_brokers_spread_one_per_worker_and_survive_disruption(manifests):
    sts, _ = kafka_container(manifests)
    spec = sts["spec"]["template"]["spec"]
    terms = spec["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert terms[0]["topologyKey"] == "kubernetes.io/hostname"
    assert terms[0]["labelSelector"]["matchLabels"] == sts["spec"]["selector"]["matchLabels"]
    pdb = find(manifests, "PodDisruptionBudget", "kafka", NAMESPACE)
    assert pdb["spec"]["maxUnavailable"] == 1
    assert pdb["spec"]["selector"] == sts["spec"]["selector"]
    # Controlled shutdown moves leadership away first; the default 30 s can cut it short.
    assert spec["terminationGracePeriodSeconds"] >= 60


def test_producers_are_two_spread_and_kept_up_through_disruptions(manifests):
    deployment = find(manifests, "Deployment", "producer", NAMESPACE)
    spec = deployment["spec"]["template"]["spec"]
    assert deployment["spec"]["replicas"] >= 2
    (spread,) = spec["topologySpreadConstraints"]
    assert spread["topologyKey"] == "kubernetes.io/hostname" and spread["maxSkew"] == 1
    assert spread["labelSelector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    pdb = find(manifests, "PodDisruptionBudget", "producer", NAMESPACE)
    assert pdb["spec"]["minAvailable"] == 1 and pdb["spec"]["selector"] == deployment["spec"]["selector"]
    (container,) = spec["containers"]
    # Keeps serving while the endpoints forget the pod, then drains within the grace period.
    pause = container["lifecycle"]["preStop"]["exec"]["command"]
    assert pause[0] == "sleep" and int(pause[1]) + 10 < spec["terminationGracePeriodSeconds"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_the_consumer_is_one_replica_even_during_a_rollout(manifests):
    deployment = find(manifests, "Deployment", "consumer", NAMESPACE)
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}


def test_broker_memory_fits_a_laptop(manifests):
    _, container = kafka_container(manifests)
    heap = re.search(r"-Xmx(\d+)m", broker_env(manifests, 0)["KAFKA_HEAP_OPTS"])
    limit = container["resources"]["limits"]["memory"]
    assert heap and (limit.endswith("Gi") or limit.endswith("Mi"))
    limit_mib = int(limit[:-2]) * (1024 if limit.endswith("Gi") else 1)
    assert int(heap.group(1)) <= limit_mib // 2, "leave room for off-heap memory"
    assert 3 * limit_mib <= 4096, "three brokers must fit in 4 GiB"


IMAGE_REF = re.compile(r"^[^\s:@]+(:[0-9A-Za-z._-]+)?(@sha256:[0-9a-f]{64})?$")


def all_containers(objects):
    for w in workloads(objects):
        spec = w["spec"]["template"]["spec"]
        for c in spec.get("initContainers", []) + spec["containers"]:
            yield w, spec, c


def test_images_are_pinned(manifests):
    for w, _, c in all_containers(manifests):
        image = c["image"]
        assert IMAGE_REF.match(image), image
        assert (":" in image.rsplit("/", 1)[-1] or "@" in image), f"{image} has no tag"
        assert not image.endswith(":latest"), image


def test_every_container_has_probes_resources_and_a_hardened_context(manifests):
    for w, spec, c in all_containers(manifests):
        where = f"{w['kind']}/{w['metadata']['name']}/{c['name']}"
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert probe in c, f"{where}: no {probe}"
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(c["resources"].get(kind, {})), f"{where}: {kind} incomplete"
        pod_sc, sc = spec.get("securityContext", {}), c.get("securityContext", {})
        assert sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is True, where
        assert sc.get("runAsUser", pod_sc.get("runAsUser")) not in (None, 0), f"{where}: numeric non-root uid"
        assert sc.get("allowPrivilegeEscalation") is False, where
        assert sc.get("readOnlyRootFilesystem") is True, where
        assert sc.get("capabilities", {}).get("drop") == ["ALL"], where
        assert not sc.get("capabilities", {}).get("add"), where
        seccomp = sc.get("seccompProfile", pod_sc.get("seccompProfile", {}))
        assert seccomp.get("type") == "RuntimeDefault", where
        assert spec.get("enableServiceLinks") is False, where


def test_only_the_ingress_controller_gets_a_service_account_token(manifests):
    # Traefik reads Ingresses and Services from the API server; nothing else here talks to it.
    for w in workloads(manifests):
        spec = w["spec"]["template"]["spec"]
        if w["metadata"]["name"] == "traefik":
            assert spec.get("automountServiceAccountToken") is not False and spec["serviceAccountName"] == "traefik"
        else:
            assert spec.get("automountServiceAccountToken") is False, w["metadata"]["name"]


def restricted_violations(spec: dict) -> list[str]:
    """The Pod Security 'restricted' rules that apply to these pods (baseline included)."""
    found = []
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(flag):
            found.append(flag)
    for volume in spec.get("volumes", []):
        allowed = {"name", "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                   "projected", "secret"}
        if set(volume) - allowed:
            found.append(f"volume {volume['name']}: {sorted(set(volume) - allowed)}")
    for c in spec.get("initContainers", []) + spec["containers"]:
        sc = c.get("securityContext", {})
        if sc.get("privileged"):
            found.append("privileged")
        for port in c.get("ports", []):
            if port.get("hostPort"):
                found.append(f"hostPort {port['hostPort']}")
    return found


def test_pod_security_levels(manifests):
    namespaces = {o["metadata"]["name"]: o["metadata"].get("labels", {})
                  for o in manifests if o["kind"] == "Namespace"}
    assert namespaces[NAMESPACE]["pod-security.kubernetes.io/enforce"] == "restricted"
    for w in workloads(manifests):
        ns = w["metadata"]["namespace"]
        level = namespaces[ns]["pod-security.kubernetes.io/enforce"]
        violations = restricted_violations(w["spec"]["template"]["spec"])
        if level == "restricted":
            assert not violations, f"{w['metadata']['name']}: {violations}"
        else:
            # Only the Ingress controller's namespace may be relaxed, and only for its host ports.
            assert ns == "traefik" and level == "privileged", (ns, level)
            assert violations and all(v.startswith("hostPort") for v in violations), violations
            assert namespaces[ns]["pod-security.kubernetes.io/audit"] == "restricted"


def test_ingress_controller_on_the_ingress_ready_node(kind_manifests):
    deployment = find(kind_manifests, "Deployment", "traefik", "traefik")
    spec = deployment["spec"]["template"]["spec"]
    assert spec["nodeSelector"] == {"ingress-ready": "true"}
    assert {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"} \
        in spec["tolerations"]
    host_ports = {p["hostPort"]: p["containerPort"] for p in spec["containers"][0]["ports"] if "hostPort" in p}
    assert host_ports == {80: 8000, 443: 8443}
    # A host port is held by one pod per node: a rolling update would wait forever for the old pod's port.
    assert deployment["spec"]["strategy"]["type"] == "Recreate"
    args = spec["containers"][0]["args"]
    for required in ("--providers.kubernetesIngress=true", "--providers.kubernetesIngress.ingressClass=traefik",
                     "--providers.kubernetesIngress.strictPrefixMatching=true", "--entryPoints.web.address=:8000",
                     "--entryPoints.websecure.address=:8443", "--global.sendAnonymousUsage=false"):
        assert required in args, required
    assert find(kind_manifests, "IngressClass", "traefik")["spec"]["controller"] == "traefik.io/ingress-controller"


def test_traefik_rbac_is_read_only_and_scoped(manifests):
    cluster_role = find(manifests, "ClusterRole", "traefik-ingress-classes")
    resources = {r for rule in cluster_role["rules"] for r in rule["resources"]}
    assert resources == {"ingressclasses", "nodes"}
    role = find(manifests, "Role", "traefik-ingress", NAMESPACE)
    for rule in cluster_role["rules"] + role["rules"]:
        assert set(rule["verbs"]) <= {"get", "list", "watch"}, rule
    args = find(manifests, "Deployment", "traefik", "traefik")["spec"]["template"]["spec"]["containers"][0]["args"]
    assert f"--providers.kubernetesIngress.namespaces={NAMESPACE}" in args


def test_network_policies(manifests):
    policies = {o["metadata"]["name"]: o["spec"] for o in manifests
                if o["kind"] == "NetworkPolicy" and o["metadata"]["namespace"] == NAMESPACE}
    default = policies["default-deny-ingress"]
    assert default["podSelector"] == {} and default["policyTypes"] == ["Ingress"] and not default.get("ingress")

    kafka = policies["kafka"]
    assert kafka["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "kafka"}
    for rule in kafka["ingress"]:
        for peer in rule["from"]:
            assert "namespaceSelector" not in peer and "ipBlock" not in peer, "brokers: this namespace only"
    controller_rule = [r for r in kafka["ingress"] if {"port": 9093} in r["ports"]]
    assert controller_rule and controller_rule[0]["from"] == [
        {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "kafka"}}}]

    http = policies["http-services"]
    (rule,) = http["ingress"]
    (peer,) = rule["from"]
    assert peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "traefik"}
    assert peer["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "traefik"}
    assert sorted(p["port"] for p in rule["ports"]) == [8070, 8072]


def test_services_listen_where_probes_and_services_point(manifests):
    for name, port in (("producer", 8070), ("consumer", 8072)):
        deployment = find(manifests, "Deployment", name, NAMESPACE)
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert env_of(container)["HTTP_PORT"]["value"] == str(port)
        assert container["ports"] == [{"name": "http", "containerPort": port}]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        service = find(manifests, "Service", name, NAMESPACE)
        assert service["spec"]["ports"][0]["port"] == port
        assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


def test_brokers_log_to_the_console_only(manifests):
    """The apache/kafka image's default log4j2 config writes rolling files (and kafka-run-class.sh GC logs) into
    /opt/kafka/logs, a size-limited emptyDir: the brokers read a console-only config from a ConfigMap instead."""
    import yaml

    sts, container = kafka_container(manifests)
    env = {e["name"]: e.get("value") for e in container["env"]}
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in sts["spec"]["template"]["spec"]["volumes"]}
    # kafka-server-start.sh uses KAFKA_LOG4J_OPTS instead of its own config/log4j2.yaml when it is set.
    match = re.fullmatch(r"-Dlog4j2\.configurationFile=(/\S+)/(log4j2\.yaml)", env["KAFKA_LOG4J_OPTS"])
    assert match, env["KAFKA_LOG4J_OPTS"]
    directory, name = match.groups()
    assert directory != "/opt/kafka/config", "not where the image writes its own config at start"
    mount = mounts[directory]
    assert mount.get("readOnly") is True
    config_map_name = volumes[mount["name"]]["configMap"]["name"]
    (config_map,) = [o for o in manifests if o["kind"] == "ConfigMap" and o["metadata"]["name"] == config_map_name]
    config = yaml.safe_load(config_map["data"][name])["Configuration"]
    appenders = config["Appenders"]
    assert list(appenders) == ["Console"], "no RollingFile / File appender"
    refs = [r["ref"] for r in config["Loggers"]["Root"]["AppenderRef"]]
    assert refs == [appenders["Console"]["name"]]
    for logger in config["Loggers"].get("Logger", []):
        assert "AppenderRef" not in logger or all(r["ref"] == appenders["Console"]["name"] for r in logger["AppenderRef"])
    # kafka-run-class.sh -loggc writes 100 MB GC files unless KAFKA_GC_LOG_OPTS is set: to the console here.
    gc = env["KAFKA_GC_LOG_OPTS"]
    assert gc and "file=" not in gc and ":stderr" in gc


def test_the_test_broker_image_honours_the_same_log_settings():
    run = (ROOT / "images" / "offline" / "broker" / "docker" / "run").read_text()
    java = run[run.index("exec java"):]
    assert "${KAFKA_LOG4J_OPTS:-" in java and "${KAFKA_GC_LOG_OPTS:-}" in java


def test_the_ui_has_its_own_host_on_the_ingress():
    from conftest import rendered

    objects = rendered("kind+ui")
    ingress = find(objects, "Ingress", "kafka-ui", "kok")
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "ui.localhost"
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/" and path["backend"]["service"] == {"name": "kafka-ui", "port": {"name": "http"}}
    assert ingress["spec"]["ingressClassName"] == "traefik"
    # The API's Ingress has no host: the UI takes no path of it (a /ui prefix would shadow topic 'ui').
    api = find(objects, "Ingress", "kok", "kok")
    assert all("host" not in r for r in api["spec"]["rules"])
    assert "/ui" not in [p["path"] for r in api["spec"]["rules"] for p in r["http"]["paths"]]
    policy = find(objects, "NetworkPolicy", "kafka-ui", "kok")["spec"]
    (allowed,) = policy["ingress"]
    assert allowed["from"][0]["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "traefik"}
    assert allowed["ports"] == [{"port": 8080}]


# ------------------------------------------------------------------------------------------- edge authentication

def public_entry_points(args: list[str]) -> set[str]:
    """Traefik's entry points that the Service exposes (every one with an address; /ping's 'traefik' has none here)."""
    return {m.group(1) for a in args if (m := re.fullmatch(r"--entryPoints\.(\w+)\.address=.*", a))}


def traefik_spec(objects):
    return find(objects, "Deployment", "traefik", "traefik")["spec"]["template"]["spec"]


def test_cloud_asks_every_request_for_credentials(cloud_manifests):
    import yaml

    spec = traefik_spec(cloud_manifests)
    (container,) = spec["containers"]
    args = container["args"]
    # The middleware sits on every public entry point: no router there (API, health, the optional UI, any Ingress
    # added later) can do without it, and no Ingress can pick an entry point that lacks it.
    entry_points = public_entry_points(args)
    assert entry_points == {"web", "websecure"}
    for ep in entry_points:
        assert f"--entryPoints.{ep}.http.middlewares=api-auth@file" in args, ep
    for ingress in (o for o in cloud_manifests if o["kind"] == "Ingress"):
        chosen = ingress["metadata"].get("annotations", {}).get("traefik.ingress.kubernetes.io/router.entrypoints")
        assert chosen and set(chosen.split(",")) <= entry_points, ingress["metadata"]["name"]
    # The middleware: basicAuth from the file provider, its users from the Secret the deploy makes.
    (provider,) = [a for a in args if a.startswith("--providers.file.")]
    path = provider.split("=", 1)[1]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in spec["volumes"]}
    config_volume = volumes[mounts[path.rsplit("/", 1)[0]]]
    config_map = find(cloud_manifests, "ConfigMap", config_volume["configMap"]["name"], "traefik")
    dynamic = yaml.safe_load(config_map["data"][path.rsplit("/", 1)[1]])
    auth = dynamic["http"]["middlewares"]["api-auth"]["basicAuth"]
    assert auth["removeHeader"] is True and set(auth) == {"usersFile", "realm", "removeHeader"}, auth
    users_dir, users_file = auth["usersFile"].rsplit("/", 1)
    secret = volumes[mounts[users_dir]]["secret"]
    assert secret["secretName"] == "api-credentials" and not secret.get("optional")
    assert secret["items"] == [{"key": "users", "path": users_file}]
    # Traefik's own probes use its internal entry point (/ping on the admin port), which the middleware does not
    # guard; the services' probes go to their pods directly.
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/ping", "port": "admin"}


def test_kind_asks_for_no_credentials(kind_manifests):
    from conftest import rendered

    for objects in (kind_manifests, rendered("kind+ui")):
        spec = traefik_spec(objects)
        args = spec["containers"][0]["args"]
        assert not [a for a in args if "middlewares" in a or a.startswith("--providers.file")], args
        assert "credentials" not in {v["name"] for v in spec["volumes"]}
        assert not [o for o in objects if o["kind"] == "Secret"]
        for ingress in (o for o in objects if o["kind"] == "Ingress"):
            assert "traefik.ingress.kubernetes.io/router.middlewares" not in ingress["metadata"].get("annotations", {})
