#!/usr/bin/env bash
# Builds the example image tugboat/busybox:1.0 from Debian's busybox-static, with no registry:
# a root file system holding one static busybox binary, a symlink per applet (sh, httpd, sleep, wget,
# ...) and /www/index.html, imported with `docker import`. The examples serve HTTP with busybox httpd.
# Usage: examples/images/build.sh [IMAGE]   (needs docker and busybox-static)
set -euo pipefail
image="${1:-tugboat/busybox:1.0}"
busybox=/bin/busybox

if ! dpkg -s busybox-static >/dev/null 2>&1; then
  echo "build.sh: busybox-static is not installed (apt-get install busybox-static)" >&2
  exit 1
fi
if ldd "$busybox" >/dev/null 2>&1; then
  echo "build.sh: $busybox is dynamically linked; the image has no libc, it needs busybox-static" >&2
  exit 1
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/www" "$root/tmp" "$root/etc"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [[ "$applet" == busybox ]] || ln -sf busybox "$root/bin/$applet"
done
cat > "$root/www/index.html" <<'HTML'
<!doctype html>
<title>Tugboat</title>
<h1>Hello from Tugboat</h1>
<p>Served by busybox httpd in a pod that Tugboat scheduled.</p>
HTML
echo "root:x:0:0:root:/:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
chmod 1777 "$root/tmp"

tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/bin' \
  -c 'CMD ["/bin/sh"]' \
  -m "busybox-static $(dpkg-query -W -f='${Version}' busybox-static)" \
  - "$image" >/dev/null
echo "built $image"
