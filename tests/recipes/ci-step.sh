#!/bin/sh
# A CI job's test step, as a GitHub Actions `run:` shell executes it: each test binary under
# tsemu (TSEMU, default tsemu-riscv64), one line per test with the status the shell saw (a
# crash is 128 + its signal, as natively: 139 for SIGSEGV), and the step fails if any test did.
set -u
TSEMU=${TSEMU:-tsemu-riscv64}
failed=0
for t in "$@"; do
  $TSEMU "$t" > /dev/null 2>&1
  rc=$?
  echo "$t: exit $rc"
  [ "$rc" -eq 0 ] || failed=1
done
exit $failed
