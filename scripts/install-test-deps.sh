#!/usr/bin/env bash
# Installs the Debian packages the test suites drive for real: Chromium (end-to-end calls with
# fake camera/microphone), Firefox ESR (the patient page in Firefox, over WebDriver BiDi),
# redis-server (multi-instance signaling), nginx + openssl (the failover test puts two instances
# behind deploy/nginx/bedside.conf with a throwaway TLS certificate), coturn (TURN relay), sqlite3 (the documented backup of
# the embedded store, run by its test), iproute2 + nftables (bad-network calls in network
# namespaces: `ip netns`, `tc`, `nft`; those tests need root and skip without it), ffmpeg
# (ffprobe reads the visit recording's WebM in the recording e2e; ffmpeg makes the
# background-blur spec's fake-camera picture), xvfb + Mesa's software GL (Firefox gets WebGL,
# which background blur needs, only with a display: the Firefox spec runs it under Xvfb).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v turnserver >/dev/null 2>&1 || need+=(coturn)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
{ command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; } || need+=(ffmpeg)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || need+=(libgl1-mesa-dri)
if [ ${#need[@]} -eq 0 ]; then
  echo "test dependencies present: chromium, firefox-esr, redis-server, coturn, nginx, openssl, sqlite3, iproute2, nftables, ffmpeg, xvfb, libgl1-mesa-dri"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
# coturn's and nginx's packages start system services on some images; the tests run their own.
$sudo systemctl disable --now coturn nginx >/dev/null 2>&1 || true
$sudo service nginx stop >/dev/null 2>&1 || true
