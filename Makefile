# Top-level entry points; the guest corpus has its own Makefile in tests/guest-bins.

# The corpus and benchmarks are built for every guest arch unless ARCH names one.
ARCHS := $(or $(ARCH),riscv64 arm)

.PHONY: toolchains guest-bins expected bench-bins busybox
toolchains:
	apt-get update && apt-get install -y gcc-riscv64-linux-gnu gcc-arm-linux-gnueabihf g++-riscv64-linux-gnu g++-arm-linux-gnueabihf qemu-user

guest-bins:
	for a in $(ARCHS); do $(MAKE) -C tests/guest-bins ARCH=$$a all bench || exit; done

expected: guest-bins
	for a in $(ARCHS); do $(MAKE) -C tests/guest-bins ARCH=$$a expected || exit; done

bench-bins:
	for a in $(ARCHS); do $(MAKE) -C tests/guest-bins ARCH=$$a bench || exit; done

# Debian's busybox-static for armhf, unpacked (not committed) for tests/busybox-arm.test.ts.
# apt-get download needs the armhf package lists, so the foreign architecture is added (root)
# for the download and removed again when this added it: left in place, every later
# `apt-get update` would also fetch armhf indexes, and one stale mirror index fails it.
# apt-get update's own status is not the test here (that same stale index fails it while the
# list needed is fine): the download is.
BUSYBOX_DIR := tests/guest-bins/busybox
busybox: $(BUSYBOX_DIR)/bin/busybox
$(BUSYBOX_DIR)/bin/busybox:
	added=; dpkg --print-foreign-architectures | grep -qx armhf || { dpkg --add-architecture armhf && added=1; }; \
	tmp=$$(mktemp -d); \
	(cd $$tmp && { apt-get download -qq busybox-static:armhf 2>/dev/null || \
	  { apt-get update -qq || true; apt-get download -qq busybox-static:armhf; }; }) && \
	dpkg -x $$tmp/busybox-static_*_armhf.deb $(BUSYBOX_DIR); rc=$$?; \
	rm -rf $$tmp; [ -z "$$added" ] || dpkg --remove-architecture armhf; exit $$rc
	test -x $@
