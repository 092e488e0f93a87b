#!/usr/bin/env bash
# Registers Debian's qemu-user binfmt_misc entries for the guests (riscv64, arm), so that a guest
# program that execs another guest binary runs it under qemu as it would on the real machine:
# qemu-user itself hands execve to the host kernel. The oracle for fork/exec tests needs this.
# Needs root and a kernel that allows mounting binfmt_misc; says why when it cannot.
set -u
dir=/proc/sys/fs/binfmt_misc
if [ ! -e "$dir/register" ]; then
  mount -t binfmt_misc binfmt_misc "$dir" 2>/dev/null || { echo "binfmt_misc cannot be mounted here" >&2; exit 1; }
fi
for arch in riscv64 arm; do
  [ -e "$dir/qemu-$arch" ] && { echo 1 > "$dir/qemu-$arch"; continue; }
  spec=/usr/share/binfmts/qemu-$arch
  [ -r "$spec" ] || { echo "$spec is missing (package qemu-user-binfmt)" >&2; exit 1; }
  field() { awk -v k="$1" '$1 == k { print $2 }' "$spec"; }
  flags=$([ "$(field preserve)" = yes ] && echo P)
  echo ":qemu-$arch:M:$(field offset):$(field magic):$(field mask):$(field interpreter):$flags" > "$dir/register" ||
    { echo "registering qemu-$arch with binfmt_misc failed" >&2; exit 1; }
done
