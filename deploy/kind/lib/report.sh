# shellcheck shell=bash
# Phases "smoke" and "report": the first requests through the gateway, then what the user reads last — the URLs,
# the walkthrough, how to stop. Also `status`. The report goes to stdout; the progress before it went to stderr.

# Starts `kubectl port-forward svc/traefik` on the first free local port from 18180 up and prints "PID PORT" once it
# answers. For the cloud overlay, whose Traefik is a LoadBalancer Service.
start_port_forward() {
  local port pid tries=30
  for port in $(seq 18180 18280); do port_open "$port" || break; done
  kc -n traefik port-forward svc/traefik "$port:80" >/dev/null 2>&1 &
  pid=$!
  while ((tries-- > 0)); do
    if port_open "$port"; then echo "$pid $port"; return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 1
  done
  kill "$pid" 2>/dev/null || true
  return 1
}

smoke_test() {
  local forward credentials
  if [[ "$OVERLAY" == cloud ]]; then
    credentials="$(gateway_credentials)" || die "cannot read Secret $CREDENTIALS_NAMESPACE/$CREDENTIALS_SECRET"
    # No host port reaches Traefik here: the smoke check goes through a port-forward of its own.
    forward="$(start_port_forward)" || die "kubectl port-forward to svc/traefik did not start"
    GATEWAY_CREDENTIALS="$credentials" "$HERE/smoke-check.sh" "http://localhost:${forward#* }" >&2 ||
      { kill "${forward%% *}"; exit 1; }
    kill "${forward%% *}" 2>/dev/null || true
  else
    "$HERE/smoke-check.sh" "$(gateway_url)" >&2
  fi
}

# http://ui.localhost[:port]: the UI's own host name on the same Ingress (a /ui prefix would shadow topic 'ui').
ui_url() { local url="$1"; echo "${url/localhost/ui.localhost}"; }

bootstrap_servers() {
  local b out=()
  for b in ${BROKERS[@]+"${BROKERS[@]}"}; do out+=("$b.kafka-headless.$NAMESPACE.svc.cluster.local:9092"); done
  (IFS=,; echo "${out[*]-}")
}

data_location() {
  if [[ "$OVERLAY" == cloud ]]; then echo "volume claims data-kafka-0..2 (kind's default StorageClass, inside the nodes)"
  else echo "$DATA_DIR/{kafka-0,kafka-1,kafka-2}"
  fi
}

# print_report SECONDS: the last lines of `up`.
print_report() {
  local took="$1" url curl=curl
  url="$(gateway_url)"
  [[ "$OVERLAY" != cloud ]] || url="http://localhost:8080"  # what the printed port-forward command serves
  echo
  echo "Kafka on kind is up (took $((took / 60))m$((took % 60))s)."
  if [[ "$OVERLAY" == cloud ]]; then
    echo "  gateway:    none on this machine's ports: the cloud overlay puts Traefik behind a LoadBalancer Service."
    echo "              kubectl --context $CONTEXT -n traefik port-forward svc/traefik 8080:80   then $url"
    # The password only in the run that made it; afterwards the command that reads it.
    if [[ -n "$NEW_PASSWORD" ]]; then
      echo "  login:      user $CREDENTIALS_USER, password $NEW_PASSWORD   (every request; shown this once, kept in Secret $CREDENTIALS_NAMESPACE/$CREDENTIALS_SECRET)"
      curl="curl -u $CREDENTIALS_USER:$NEW_PASSWORD"
    else
      echo "  login:      user $CREDENTIALS_USER (every request), password: KOK_PASSWORD=\"\$($(password_command))\""
      curl="curl -u \"$CREDENTIALS_USER:\$KOK_PASSWORD\""
    fi
  else
    echo "  gateway:    $url   (https on port $HTTPS_PORT, self-signed)"
  fi
  if $WITH_UI; then
    echo "  ui:         $(ui_url "$url")   (kafbat kafka-ui; *.localhost is this machine: without a browser, curl -H 'Host: ui.localhost' $url/)"
  fi
  cat <<EOF
  bootstrap:  $(bootstrap_servers)   (inside the cluster)
  data:       $(data_location)

Try it:
  $curl -X POST $url/topic/demo                         # create topic 'demo' (1 partition, RF 3)
  $curl -X POST --data 'hello kafka' $url/message/demo  # send a message
  $curl $url/demo                                       # read the next message: offset: 0 key: ... value: hello kafka
  $curl $url/topics/demo                                # partitions, leader, replicas, ISR
  $curl -N $url/consumer/demo/stream                    # follow the topic (Server-Sent Events)

Look around:
  kubectl --context $CONTEXT -n $NAMESPACE get pods -o wide
  kubectl --context $CONTEXT -n $NAMESPACE logs statefulset/kafka

Stop: ./deploy.sh down   (data kept; --purge deletes it)      State: ./deploy.sh status
EOF
}

print_status() {
  local data
  if ! cluster_exists; then
    echo "cluster '$CLUSTER': not created (./deploy.sh up creates it)"
    return 3
  fi
  echo "cluster '$CLUSTER':"
  kc get nodes -o wide 2>/dev/null || echo "  (API server not reachable: are the node containers running? 'docker ps -a')"
  echo
  kc -n "$NAMESPACE" get statefulsets,deployments,pods -o wide 2>/dev/null || true
  kc -n traefik get pods -o wide 2>/dev/null || true
  echo
  data="$(mounted_data_dir)"
  if [[ -n "$data" ]]; then echo "data: $data"; fi
  echo "gateway: $(gateway_url)"
  # A cluster deployed with --overlay cloud asks for credentials: where they are.
  if credentials_exist; then
    echo "login: user $CREDENTIALS_USER, password: $(password_command)"
  fi
  echo "bootstrap: $(bootstrap_servers)"
}
