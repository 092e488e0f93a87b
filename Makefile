# Top-level entry points; the guest corpus has its own Makefile in tests/guest-bins.

# The corpus and benchmarks are built for every guest arch unless ARCH names one.
ARCHS := $(or $(ARCH),riscv64 arm)

.PHONY: toolchains guest-bins expected bench-bins coremark busybox rootfs rust-std-armhf system-images
toolchains:
	apt-get update && apt-get install -y gcc-riscv64-linux-gnu gcc-arm-linux-gnueabihf g++-riscv64-linux-gnu g++-arm-linux-gnueabihf qemu-user

guest-bins:
	for a in $(ARCHS); do $(MAKE) -C tests/guest-bins ARCH=$$a all bench || exit; done

expected: guest-bins
	for a in $(ARCHS); do $(MAKE) -C tests/guest-bins ARCH=$$a expected || exit; done

bench-bins:
	for a in $(ARCHS); do $(MAKE) -C tests/guest-bins ARCH=$$a bench || exit; done

# CoreMark for npm run bench, from EEMBC's source fetched from GitHub (see tests/guest-bins/Makefile;
# COREMARK_GIT=a clone or mirror where GitHub is out of reach).
coremark:
	for a in $(ARCHS); do $(MAKE) -C tests/guest-bins ARCH=$$a coremark || exit; done

# Debian armhf packages, downloaded and unpacked (not committed): $(1) the packages, $(2) where.
# apt-get download needs the armhf package lists, so the foreign architecture is added (root)
# for the download and removed again when this added it: left in place, every later
# `apt-get update` would also fetch armhf indexes, and one stale mirror index fails it.
# apt-get update's own status is not the test here (that same stale index fails it while the
# list needed is fine): the download is.
define armhf_unpack
	added=; dpkg --print-foreign-architectures | grep -qx armhf || { dpkg --add-architecture armhf && added=1; }; \
	tmp=$$(mktemp -d); \
	(cd $$tmp && { apt-get download -qq $(1) 2>/dev/null || \
	  { apt-get update -qq || true; apt-get download -qq $(1); }; }); rc=$$?; \
	for deb in $$tmp/*.deb; do [ $$rc -ne 0 ] || dpkg -x $$deb $(2) || rc=1; done; \
	rm -rf $$tmp; [ -z "$$added" ] || dpkg --remove-architecture armhf; exit $$rc
endef

# Debian's busybox-static for armhf, for tests/busybox-arm.test.ts.
BUSYBOX_DIR := tests/guest-bins/busybox
busybox: $(BUSYBOX_DIR)/bin/busybox
$(BUSYBOX_DIR)/bin/busybox:
	$(call armhf_unpack,busybox-static:armhf,$(BUSYBOX_DIR))
	test -x $@

# A Debian armhf root filesystem of a few packages (the C library, coreutils and what its
# programs link: SELinux, PCRE2, ACL, GMP, OpenSSL's libcrypto), for tests/rootfs-arm.test.ts:
# its dynamically linked programs run with -L pointing at it. Debian 12 has no riscv64 port.
ROOTFS_DIR := tests/guest-bins/rootfs-armhf
ROOTFS_PACKAGES := libc6:armhf coreutils:armhf libselinux1:armhf libpcre2-8-0:armhf libacl1:armhf \
  libattr1:armhf libgmp10:armhf libssl3:armhf
rootfs: $(ROOTFS_DIR)/usr/bin/sort
$(ROOTFS_DIR)/usr/bin/sort:
	$(call armhf_unpack,$(ROOTFS_PACKAGES),$(ROOTFS_DIR))
	test -x $@

# Debian's Rust standard library for armhf (libstd-rust-dev:armhf, the same release as the
# rustc and cargo packages), for the Cargo recipe in tests/recipes.test.ts: the packaged rustc
# cross-compiles with it as its --sysroot. Only for want of `rustup target add`, which needs
# static.rust-lang.org; Debian 12 packages no riscv64 standard library.
RUST_STD_DIR := tests/guest-bins/rust-std-armhf
rust-std-armhf: $(RUST_STD_DIR)/usr/lib/rustlib/armv7-unknown-linux-gnueabihf/lib
$(RUST_STD_DIR)/usr/lib/rustlib/armv7-unknown-linux-gnueabihf/lib:
	$(call armhf_unpack,libstd-rust-dev:armhf,$(RUST_STD_DIR))
	test -d $@

# The Linux guest of tsemu-system-riscv64 (kernel, busybox initramfs, ext2 disk) from Debian's
# packages into system-images/out (not committed); see system-images/Makefile.
system-images:
	$(MAKE) -C system-images
