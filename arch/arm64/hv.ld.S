/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor image layout. Sections are 4 KiB aligned so the EL2 map can
 * give each its own permissions (W^X). HV_LOAD_ADDR comes from the board:
 * its RAM base + 0x200000 (the Image header's text_offset).
 */
OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
	. = HV_LOAD_ADDR;
	__hv_start = .;
	.text : {
		KEEP(*(.text.head))
		*(.text .text.*)
	}
	. = ALIGN(4096);
	__text_end = .;
	.rodata : {
		*(.rodata .rodata.*)
	}
	. = ALIGN(4096);
	__rodata_end = .;
	.data : {
		*(.data .data.*)
	}
	. = ALIGN(4096);
	__bss_start = .;
	.bss (NOLOAD) : {
		*(.bss .bss.*)
		*(COMMON)
	}
	. = ALIGN(4096);
	__bss_end = .;
	/* Neither zeroed nor (but for the boot stack) invalidated by boot.S:
	 * the per-core stacks, which need no initial value and which only the
	 * boot stack's core uses before its MMU is on; the emergency stacks
	 * (core/main.c); the statistics pages, each invalidated and zeroed by
	 * health_init() (core/health.c); the partitions' state, whose
	 * configured entries partition_prepare_all() invalidates and zeroes
	 * (partitions/partition.c); and the EL2 table pool, whose pages are
	 * invalidated and zeroed when taken (stage2/pt.c). */
	.noinit (NOLOAD) : {
		. = ALIGN(32768);
		__stacks = .;
		KEEP(*(.noinit.stacks))
		__stacks_end = .;
		*(.noinit .noinit.*)
	}
	. = ALIGN(4096);
	__hv_end = .;
	__hv_image_size = __hv_end - __hv_start;
	/DISCARD/ : {
		*(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr)
		*(.interp) *(.dynamic) *(.dynsym) *(.dynstr) *(.hash)
	}
}
