#!/usr/bin/env bash
# Installs, as root, what the lab and the tests need and this machine lacks; does nothing when all is present.
set -euo pipefail

need=()
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || need+=(postgresql-15)
[[ -x /usr/lib/postgresql/15/bin/repmgr && -x /usr/lib/postgresql/15/bin/repmgrd ]] || need+=(postgresql-15-repmgr)
[[ -x /usr/bin/arping ]] || need+=(iputils-arping)
# TlsContractTest and LabFailoverIT run /usr/bin/curl as a third-party client of the emulator and the lab.
[[ -x /usr/bin/curl ]] || need+=(curl)
# GuideIT runs the deploy guide's commands as written: they use sudo and jq.
[[ -x /usr/bin/sudo ]] || need+=(sudo)
[[ -x /usr/bin/jq ]] || need+=(jq)
command -v psql >/dev/null || need+=(postgresql-client-15)
command -v ip >/dev/null || need+=(iproute2)
command -v setpriv >/dev/null || need+=(util-linux)
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)

if ((${#need[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages ${need[*]}; run 'make deps' as root" >&2
  exit 1
fi
echo "install-deps: installing missing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${need[@]}" >&2
echo "install-deps: done" >&2
