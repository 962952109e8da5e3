#!/usr/bin/env bash
# The production-stack test's images built early, while `npm test` runs, so the test's own build steps find them
# done. Switched on in .ci/run with CI_COMPOSE_EARLY=1, as root:
#   early-build.sh start <pid>   right after `npm ci` (<pid>: .ci/run's own, $$). In the background: starts Docker
#                                with everything it runs at the lowest CPU and IO priority (engine.sh
#                                --low-priority), then builds every image (tests/compose/images.ts), niced too.
#                                That Docker is stopped when <pid> ends, however it ends.
#   early-build.sh wait <pid>    before `npm run test:compose`: waits for that build, prints its outcome and
#                                seconds, and gives Docker its normal priority back. Exits 1 when no early build
#                                was started by <pid> (start Docker the usual way then); 0 when it failed too:
#                                the test builds again and shows why.
set -euo pipefail
cd "$(dirname "$0")/../.."
state=${COMPOSE_STATE_DIR:-/tmp/agency-compose}/early
owner=${2:?"usage: $0 start|wait <pid of .ci/run>"}

case "$1" in
  start)
    rm -rf "$state"
    mkdir -p "$state"
    echo "$owner" >"$state/owner"
    (
      started=$(date +%s)
      set +e
      bash tests/compose/engine.sh start "$owner" --low-priority && nice -n 19 ionice -c3 npx node tests/compose/images.ts
      echo "$? $(($(date +%s) - started))" >"$state/done"
    ) >"$state/log" 2>&1 &
    echo $! >"$state/pid"
    echo "The production stack's images are building in the background at low priority (log: $state/log)."
    ;;
  wait)
    if [ "$(cat "$state/owner" 2>/dev/null)" != "$owner" ]; then
      echo "No early image build in this run (CI_COMPOSE_EARLY=1 starts one after npm ci)."
      exit 1
    fi
    waited=$(date +%s)
    tail --pid="$(cat "$state/pid")" -f /dev/null
    if [ -s "$state/done" ]; then
      read -r code seconds <"$state/done"
    else
      code=killed seconds=?
    fi
    echo "Early image build: exit $code after $seconds s; waited $(($(date +%s) - waited)) s for it here. Its last lines:"
    tail -n 12 "$state/log"
    bash tests/compose/engine.sh normal-priority
    ;;
  *)
    echo "usage: $0 start|wait <pid of .ci/run>" >&2
    exit 2
    ;;
esac
