# shellcheck shell=sh
# SPDX-License-Identifier: MIT
# Shell functions for the scripts that use apt: tools/setup.sh,
# tools/linux/fetch.sh, tools/linux/fetch_rt.sh, tools/rpi4/fetch.sh.
# Sourced (". tools/lib/apt.sh"), not run.

# apt_source SUITE: the host's archive entry for SUITE. Sets APT_URIS and
# APT_KEY from the first deb822 stanza of /etc/apt/sources.list.d whose
# Types hold "deb" and whose Suites list SUITE, else APT_URIS from the
# first one-line "deb" entry for it in /etc/apt/sources.list. APT_URIS is
# empty if there is none; APT_KEY defaults to Debian's archive keyring.
apt_source() {
	apt_src=$(for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$1" 'BEGIN { RS = ""; FS = "\n" }
		{
			u = ""; k = ""; s = 0; d = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) d = 1
				if ($i ~ /^URIs:/) u = $i
				if ($i ~ /^Signed-By:/) k = $i
				if ($i ~ /^Suites:/) {
					n = split($i, w, /[ \t]+/)
					for (j = 2; j <= n; j++) if (w[j] == suite) s = 1
				}
			}
			if (d && s && u != "") { print u; print k; exit }
		}' "$f"
	done | head -n 2)
	APT_URIS=$(printf '%s\n' "$apt_src" | sed -n 's/^URIs:[ \t]*//p')
	APT_KEY=$(printf '%s\n' "$apt_src" | sed -n 's/^Signed-By:[ \t]*//p')
	if [ -z "$APT_URIS" ]; then
		APT_URIS=$(sed -n "s/^deb[ \t]\{1,\}\(\[[^]]*\][ \t]\{1,\}\)\{0,1\}\([^ \t]*\)[ \t]\{1,\}$1[ \t].*/\2/p" \
			/etc/apt/sources.list 2>/dev/null | head -n 1)
	fi
	[ -n "$APT_KEY" ] || APT_KEY=/usr/share/keyrings/debian-archive-keyring.gpg
}

# apt_in DIR ARGS...: run apt-get ARGS in DIR (a "download"), without
# the progress lines and the warning that the download is unsandboxed.
apt_in() {
	apt_dir=$1
	shift
	# shellcheck disable=SC2015 # the || true is for grep's status
	(cd "$apt_dir" && apt-get "$@" 2>&1 |
		grep -v -e 'unsandboxed' -e '^Get:' -e '^Fetched' || true)
}

# apt_unpack DEBS ROOT: unpack every DEBS/*.deb into a fresh ROOT.
apt_unpack() {
	rm -rf "$2"
	mkdir -p "$2"
	for deb in "$1"/*.deb; do
		dpkg-deb -x "$deb" "$2"
	done
}

# kernel_install NAME OUT VER: OUT/Image from the vmlinuz-VER unpacked in
# OUT/root (Debian's arm64 vmlinuz is an uncompressed Image), and VER in
# OUT/kernel-version; NAME prefixes the error.
kernel_install() {
	[ -f "$2/root/boot/vmlinuz-$3" ] || { echo "$1: no vmlinuz-$3 in linux-image-$3" >&2; exit 1; }
	cp "$2/root/boot/vmlinuz-$3" "$2/Image.tmp"
	mv "$2/Image.tmp" "$2/Image"
	echo "$3" > "$2/kernel-version"
}
