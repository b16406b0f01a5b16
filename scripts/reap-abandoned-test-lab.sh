#!/usr/bin/env bash
# A test run that was killed (Ctrl-C, a crash, a machine restart) leaves its lab behind: namespaces n1..n3, the agent
# package, each node's /etc under /etc/netns. The next run would then refuse to start (the names are taken, the package
# is installed). `make test` runs this first: it takes such a lab down with the lab's own jar, which knows what that lab
# made. It touches only a lab that
#   - a test made: its directory is a pgflip-lab-it* one (LabFixture, the examples' tests and the benchmarks name theirs
#     so), never a lab made by `./pgflip lab up` or `make demo ARGS=--keep`;
#   - nobody holds: every test holds a POSIX lock on /tmp/pgflip-lab.machine.lock for its lab's whole life, and the
#     kernel drops that lock when the process dies, so a lab with no such lock in /proc/locks has lost its test.
set -euo pipefail

owner_file=/run/pgflip-lab.owner
machine_lock=/tmp/pgflip-lab.machine.lock

[[ -f $owner_file ]] || exit 0
dir=$(<"$owner_file")
case "$(basename "$dir")" in
    pgflip-lab-it*) ;;
    *) exit 0 ;;
esac
if [[ -f $machine_lock ]] && grep -Eq "^[0-9]+: POSIX .*:$(stat -c %i "$machine_lock") " /proc/locks; then
    exit 0 # a test is running and owns that lab
fi
if [[ ! -f $dir/bin/pgflip.jar ]]; then
    echo "reap-abandoned-test-lab: $owner_file names the test lab $dir, whose test is gone, but $dir/bin/pgflip.jar" \
        "is missing: take it down with 'PGFLIP_LAB_DIR=$dir ./pgflip lab down' after a build" >&2
    exit 1
fi
echo "reap-abandoned-test-lab: the test that made the lab in $dir is gone; taking the lab down"
PGFLIP_LAB_DIR=$dir java -jar "$dir/bin/pgflip.jar" lab down
