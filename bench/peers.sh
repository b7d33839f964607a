#!/bin/sh
# Installs the assemblers nifasm is compared with, when missing: GNU as and
# ld (binutils), NASM, YASM and fasm, all from Debian's packages.
set -eu
need=""
for tool in as ld objdump nasm yasm fasm; do
  command -v "$tool" >/dev/null 2>&1 || need="$need $tool"
done
[ -z "$need" ] && exit 0
pkgs=""
for tool in $need; do
  case "$tool" in
    as|ld|objdump) pkgs="$pkgs binutils" ;;
    *) pkgs="$pkgs $tool" ;;
  esac
done
echo "installing:$pkgs"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $pkgs >/dev/null
