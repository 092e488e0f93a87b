/* The start of main for the arm-disas-*.S encodings: a function symbol (qemu names its blocks
 * `IN: main`, which is how record-arm-disas.mjs finds them; the file ends it with .size), in
 * Thumb state with -DTHUMB, else A32. */
.syntax unified
.arch armv7ve
.fpu neon-vfpv4
.global main
.type main, %function
#ifdef THUMB
.thumb
.thumb_func
#else
.arm
#endif
main:
