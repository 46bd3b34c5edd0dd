#!/bin/sh
# mkdeb.sh BUILD - build build/jiebang_VERSION_ARCH.deb without root:
# stage `make install DESTDIR=build/deb/root PREFIX=/usr`, strip the binary,
# compress the man pages and add the Debian copyright and changelog (what
# Debian policy asks of a binary package), add debian/'s maintainer scripts
# and conffiles, compute Depends with dpkg-shlibdeps, write DEBIAN/control
# with dpkg-gencontrol and pack it with dpkg-deb --root-owner-group (files
# owned by root in the package, no fakeroot needed). Then lintian, which
# must report no errors. Prints the package's path last.
set -eu
BUILD=${1:-build/rel}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

out=build/deb
root=$out/root
rm -rf "$out"
mkdir -p "$out"
make -s install DESTDIR="$top/$root" PREFIX=/usr BUILD="$BUILD" >/dev/null

strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/jiebang"
gzip -9n "$root"/usr/share/man/man1/jiebang.1 "$root"/usr/share/man/man5/jiebang.conf.5
install -m 0644 debian/copyright "$root/usr/share/doc/jiebang/copyright"
gzip -9n -c debian/changelog >"$root/usr/share/doc/jiebang/changelog.Debian.gz"
chmod 0644 "$root/usr/share/doc/jiebang/changelog.Debian.gz"

mkdir -p "$root/DEBIAN"
# md5sums of every file but the conffiles (dpkg --verify, debsums).
# Only /usr holds files besides the conffile /etc/jiebang/jiebang.conf.
(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"
install -m 0755 debian/postinst debian/prerm debian/postrm "$root/DEBIAN/"
install -m 0644 debian/conffiles "$root/DEBIAN/"

# misc:Depends is what debhelper would add for the maintainer scripts
# (deb-systemd-invoke).
echo 'misc:Depends=init-system-helpers (>= 1.54~)' >"$out/substvars"
dpkg-shlibdeps -T"$out/substvars" -e"$root/usr/bin/jiebang" 2>"$out/shlibdeps.log" || {
	cat "$out/shlibdeps.log" >&2
	exit 1
}
dpkg-gencontrol -pjiebang -P"$root" -T"$out/substvars" -f"$out/files"
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=build/jiebang_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null

# lintian: errors fail the build; warnings are listed (README, Packaging).
if command -v lintian >/dev/null; then
	lintian --tag-display-limit 0 "$deb" >"$out/lintian.log" 2>&1 || true
	cat "$out/lintian.log" >&2
	if grep -q '^E: ' "$out/lintian.log"; then
		echo "mkdeb.sh: lintian reports errors (above)" >&2
		exit 1
	fi
fi
echo "$deb"
