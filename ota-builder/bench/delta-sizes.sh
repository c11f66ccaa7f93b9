#!/usr/bin/env bash
# Delta sizes for a few realistic image changes: builds each pair with the real ota-builder
# (auto = both algorithms) and prints a Markdown table. Needs mke2fs (e2fsprogs) and a built jar:
#   ./mvnw -q -pl ota-builder -am package -DskipTests && ota-builder/bench/delta-sizes.sh [work-dir]
# File system content: 150 of the larger regular files in /usr/lib/x86_64-linux-gnu and the JDK 17
# runtime libraries (real shared libraries), so the images hold real machine code, not random bytes.
# Scenario 2 upgrades 7 of those JDK libraries to the installed Temurin 25 builds of the same names.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="$(ls "$here"/../target/fleetcast-ota-builder-*-runnable.jar | head -1)"
work="${1:-$(mktemp -d)}"
size_mb="${SIZE_MB:-48}"
level="${ZSTD_LEVEL:-19}"
mkdir -p "$work"
cd "$work"

libs=/usr/lib/x86_64-linux-gnu
rm -rf root && mkdir root
ls -S "$libs" | head -400 | tail -150 | while read -r f; do
  [ -f "$libs/$f" ] && [ ! -L "$libs/$f" ] && cp "$libs/$f" root/
done
jdk_old="$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -1)/lib"
jdk_new="$(ls -d /usr/lib/jvm/temurin-25-* | head -1)/lib"
upgraded="libjava.so libjli.so libnet.so libnio.so libzip.so libverify.so libjimage.so"
mkdir root/jdk && cp "$jdk_old"/*.so root/jdk/

# Fixed UUID, hash seed and time so that two runs over the same files lay out the same blocks.
mkfs() {
  E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext4 -b 4096 -d "$1" \
    -U 6c8a2a61-94a7-4f4e-9d3e-000000000001 -E hash_seed=6c8a2a61-94a7-4f4e-9d3e-000000000002 \
    "$2" "${size_mb}M" >/dev/null
}
mkfs root base.img

# 1. a security fix: 3 libraries patched in a few places, one new 200 KB file
rm -rf s1 && cp -r root s1
for f in $(find s1 -maxdepth 1 -type f | sort | head -3); do
  python3 - "$f" <<'PY'
import random, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
rnd = random.Random(path)
for _ in range(20):
    i = rnd.randrange(len(data))
    data[i] ^= 0x5A
open(path, "wb").write(bytes(data))
PY
done
head -c 200000 /dev/urandom > s1/new-resource.bin
mkfs s1 s1.img

# 2. library upgrade: 7 JDK libraries replaced by the Temurin 25 builds of the same names
rm -rf s2 && cp -r root s2
for f in $upgraded; do cp "$jdk_new/$f" "s2/jdk/$f"; done
mkfs s2 s2.img

# 3. data appended: 2 MiB of new (incompressible) content at the end of the raw image
cp base.img s3.img && head -c 2097152 /dev/urandom >> s3.img

# 4. shifted blocks: 4 KiB inserted at 1 MiB, everything behind it moves
{ head -c 1048576 base.img; head -c 4096 /dev/urandom; tail -c +1048577 base.img; } > s4.img

java -jar "$jar" keygen --out bench >/dev/null 2>&1 || true
echo "| change | image | bsdiff | zstd-patch | chosen | chosen / image |"
echo "|---|---:|---:|---:|---|---:|"
for s in s1 s2 s3 s4; do
  case $s in
    s1) name="3 libraries patched (20 bytes each), 1 new 200 KB file" ;;
    s2) name="7 runtime libraries upgraded (OpenJDK 17 to Temurin 25 builds)" ;;
    s3) name="2 MiB appended to the image" ;;
    s4) name="4 KiB inserted at 1 MiB (rest shifted)" ;;
  esac
  out="$(java -Xmx2g -jar "$jar" build --key bench.key.pem --image $s.img --base-image base.img \
    --base-version 1.0.0 --version 1.1.0 --model bench --anti-rollback 1 --zstd-level "$level" \
    --out $s.fcota 2>/dev/null)"
  image=$(stat -c %s $s.img)
  bsdiff=$(echo "$out" | sed -n 's/^bsdiff: \([0-9]*\) bytes/\1/p')
  zstd=$(echo "$out" | sed -n 's/^zstd-patch: \([0-9]*\) bytes/\1/p')
  chosen=$(echo "$out" | sed -n 's/^chose \([a-z-]*\) (\([0-9]*\) bytes)/\1 \2/p')
  echo "| $name | $image | ${bsdiff:-skipped} | ${zstd:-skipped} | ${chosen% *} | $(python3 -c "print(f'{${chosen#* }/$image:.2%}')") |"
done
