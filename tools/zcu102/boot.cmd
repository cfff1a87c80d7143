# SPDX-License-Identifier: MIT
# U-Boot script for Bulkhead on the ZCU102: made into boot.scr with mkimage
# by tools/zcu102/sdcard.mk; U-Boot's default boot finds it on the card
# and runs it (docs/boards/zcu102.md). The card's BOOT.BIN (FSBL, PMU
# firmware, TF-A, U-Boot) is not Bulkhead's: the docs say where it comes
# from.
#
# The FIT goes to 256 MiB: clear of U-Boot, of the hypervisor region
# (bootm moves the image to 0x200000) and of the image's own copy. Distro
# boot names the card it found this script on; at the prompt, the SD slot
# is mmc 0.
setenv bh_fit_addr 0x10000000
if test -z "${devtype}"; then
	setenv devtype mmc
	setenv devnum 0
	setenv distro_bootpart 1
fi
load ${devtype} ${devnum}:${distro_bootpart} ${bh_fit_addr} bulkhead.itb
# bootm checks the FIT's SHA-256. Bulkhead ignores the device tree; bootm
# wants one for an arm64 Linux-type image, so U-Boot's own.
bootm ${bh_fit_addr}#bulkhead - ${fdtcontroladdr}
