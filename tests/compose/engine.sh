#!/usr/bin/env bash
# The Docker engine the production-stack test needs, for .ci/run (and tests/compose/early-build.sh), as root:
#   engine.sh start <pid> [--low-priority]
#                                      installs what is missing, starts dockerd unless one answers already, and
#                                      stops it when the process <pid> (.ci/run's $$) ends, however it ends
#   engine.sh normal-priority          gives the dockerd started here, and what it runs, the normal priority again
#   engine.sh stop                     stops the dockerd started here (none started: nothing to do)
# The storage driver is the fastest this kernel takes: overlay2 (layers shared, nothing copied), else
# fuse-overlayfs, else vfs (works anywhere, but copies the whole image for every build step and container).
# --low-priority starts dockerd under `nice -n 19 ionice -c3`, so everything it runs (image builds) yields the CPU
# and the disk to the tests running beside it. The pid of the dockerd started here is kept in $COMPOSE_STATE_DIR.
set -euo pipefail
state=${COMPOSE_STATE_DIR:-/tmp/agency-compose}
mkdir -p "$state"
pidfile=$state/dockerd.pid

start() {
  local owner=${1:?"usage: $0 start <pid> [--low-priority]"} wrapper=()
  [ "${2:-}" = --low-priority ] && wrapper=(nice -n 19 ionice -c3)
  local need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
  command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if docker info >/dev/null 2>&1; then
    # Not started here (a pid left by an earlier run is not ours to stop).
    rm -f "$pidfile"
    docker info --format 'Docker {{.ServerVersion}} (already running), storage {{.Driver}}'
    return
  fi
  local driver pid
  for driver in overlay2 fuse-overlayfs vfs; do
    if [ "$driver" = fuse-overlayfs ]; then
      [ -e /dev/fuse ] || continue
      command -v fuse-overlayfs >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fuse-overlayfs >/dev/null || continue
    fi
    # dockerd checks its driver at start and exits when the kernel lacks it, so a driver that answers
    # `docker info` is one that works. No iptables: the machine's firewall is not ours.
    "${wrapper[@]}" dockerd --iptables=false --storage-driver="$driver" >"$state/dockerd-$driver.log" 2>&1 &
    pid=$!
    echo "$pid" >"$pidfile"
    for _ in $(seq 1 60); do
      docker info >/dev/null 2>&1 && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if [ "$(docker info --format '{{.Driver}}' 2>/dev/null)" = "$driver" ]; then
      # Stopped with its owner (no EXIT trap: .ci/run's own stays as it is). Output to nowhere, or a CI log
      # reader would wait for this watcher too.
      (
        tail --pid="$owner" -f /dev/null
        bash "$0" stop
      ) >/dev/null 2>&1 &
      docker info --format "Docker {{.ServerVersion}}, storage {{.Driver}} (probed: overlay2, fuse-overlayfs, vfs)${wrapper[*]:+, at low priority}"
      return
    fi
    echo "Docker's $driver storage did not start here (last lines of its log below); trying the next."
    tail -n 3 "$state/dockerd-$driver.log" || true
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  echo "No Docker storage driver started here (overlay2, fuse-overlayfs, vfs): see the logs in $state." >&2
  exit 1
}

# Every thread of the dockerd started here and of every process under it (containerd and its shims), by parent
# pid: Linux keeps a priority per thread, and a new process takes the one of the thread that started it.
threads() {
  local pid=$1 child
  ls "/proc/$pid/task" 2>/dev/null || true
  for child in $(ps -o pid= --ppid "$pid"); do threads "$child"; done
}

case "${1:-}" in
  start) start "${2:-}" "${3:-}" ;;
  normal-priority)
    if [ -s "$pidfile" ]; then
      for tid in $(threads "$(cat "$pidfile")"); do
        renice -n 0 -p "$tid" >/dev/null 2>&1 || true
        ionice -c2 -n4 -p "$tid" 2>/dev/null || true
      done
    fi
    ;;
  stop)
    pid=$(cat "$pidfile" 2>/dev/null || true)
    # Only the dockerd started here: a pid file outliving its process must not stop whatever took its number.
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
      kill "$pid" 2>/dev/null || true
      # Not our child when early-build.sh started it: wait for it to go, so the next start finds no engine.
      tail --pid="$pid" -f /dev/null
    fi
    rm -f "$pidfile"
    ;;
  *)
    echo "usage: $0 start <pid> [--low-priority] | normal-priority | stop" >&2
    exit 2
    ;;
esac
