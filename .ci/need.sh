#!/bin/sh
# .ci/need.sh TOOL... - installs, from Debian's packages, the tools that are
# not on PATH: as, ld, objcopy, nm, objdump and readelf come from binutils,
# afl-fuzz and afl-cc from afl++, any other tool from the package of its
# name.  Used by .ci/run (once, for
# everything CI needs, so apt-get update runs at most once) and by
# bench/peers.sh.
set -eu
pkgs=""
for tool in "$@"; do
  command -v "$tool" >/dev/null 2>&1 && continue
  case "$tool" in
    as|ld|objcopy|nm|objdump|readelf) pkg=binutils ;;
    afl-fuzz|afl-cc) pkg=afl++ ;;
    *) pkg=$tool ;;
  esac
  case " $pkgs " in
    *" $pkg "*) ;;
    *) pkgs="$pkgs $pkg" ;;
  esac
done
[ -z "$pkgs" ] && exit 0
echo "installing:$pkgs"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $pkgs >/dev/null
