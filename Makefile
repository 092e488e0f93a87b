# Top-level entry points; the guest corpus has its own Makefile in tests/guest-bins.
ARCH ?= riscv64

.PHONY: toolchains guest-bins expected bench-bins
toolchains:
	apt-get update && apt-get install -y gcc-riscv64-linux-gnu gcc-arm-linux-gnueabihf qemu-user

guest-bins:
	$(MAKE) -C tests/guest-bins ARCH=$(ARCH) all bench

expected: guest-bins
	$(MAKE) -C tests/guest-bins ARCH=$(ARCH) expected

bench-bins:
	$(MAKE) -C tests/guest-bins ARCH=$(ARCH) bench
