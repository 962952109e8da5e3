#!/bin/sh
# The first deployment step on a server that has Docker and this repository, and nothing else (no Node: a
# server's own is often 20, which cannot run .ts files). Runs scripts/ops/production-env.ts in Node's official
# image, with the same arguments, as the calling user, without network, capabilities or a writable root:
#   sh scripts/ops/production-env.sh --site https://www.example.com --cms https://cms.example.com \
#     --preview https://preview.example.com --admin-email you@example.com
# It writes .env.production and secrets/ in the current directory (the repository's root, where compose looks),
# seen at the same path inside the container, so the SECRETS_DIR it writes is the host's. NODE_IMAGE: another
# Node 24 image (a machine without an image registry passes its local stand-in; docs/deployment.md).
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd -P)
here=$(pwd -P)
case "$here/" in
  "$repo"/*) ;;
  *)
    echo "production-env.sh: run it from the repository ($repo) or a folder inside it, not $here:" >&2
    echo "  the files it writes land in the current folder, which the container sees only inside the repository." >&2
    exit 1
    ;;
esac
exec docker run --rm --network none --read-only --cap-drop ALL --security-opt no-new-privileges:true \
  --user "$(id -u):$(id -g)" --volume "$repo:$repo" --workdir "$here" \
  "${NODE_IMAGE:-node:24-bookworm-slim}" node "$repo/scripts/ops/production-env.ts" "$@"
