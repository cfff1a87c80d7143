# SPDX-License-Identifier: MIT
# U-Boot script for Bulkhead on the Raspberry Pi 4: made into boot.scr with
# mkimage by tools/rpi4/sdcard.mk; U-Boot's default boot finds it on the
# card and runs it (docs/boards/rpi4.md).
#
# Bulkhead prints on the PL011 (UART0) and keeps the line settings it
# finds. Which UART the VideoCore firmware puts on GPIO 14/15 depends on
# its version and on config.txt, and U-Boot prints on whichever it finds
# there. So the PL011 is set up here to 115200 8N1 from its 48 MHz clock
# (init_uart_clock in config.txt; IBRD 26, FBRD 3) and GPIO 14/15 are given
# to it (function ALT0 in GPFSEL1). Lines U-Boot printed before this came
# out on the same pins.
echo "bulkhead: PL011 on GPIO 14/15, 115200 8N1"
mw.l 0xfe201030 0
mw.l 0xfe201024 26
mw.l 0xfe201028 3
mw.l 0xfe20102c 0x70
mw.l 0xfe201030 0x301
setexpr.l bh_fsel *0xfe200004 \& 0xfffc0fff
setexpr.l bh_fsel ${bh_fsel} \| 0x24000
mw.l 0xfe200004 ${bh_fsel}

# Debian's U-Boot for the Pi is built without FIT support, so the image
# is a legacy uImage of bulkhead.bin (bulkhead.uimg): bootm checks its
# CRC32 before it boots it. It is loaded at 256 MiB: clear of the
# hypervisor (bootm copies it to 0x200000), of U-Boot at the top of the
# first GiB and of the device tree. Distro boot names the card it found
# this script on; at the prompt, the SD slot is mmc 1 with Debian's
# device tree.
setenv bh_addr 0x10000000
if test -z "${devtype}"; then
	setenv devtype mmc
	setenv devnum 1
	setenv distro_bootpart 1
fi
load ${devtype} ${devnum}:${distro_bootpart} ${bh_addr} bulkhead.uimg
# Bulkhead ignores the device tree; bootm wants one, and edits it in
# place: the one the firmware passed (U-Boot sets fdt_addr to it), which
# has room to grow, unlike U-Boot's own copy.
bootm ${bh_addr} - ${fdt_addr}
