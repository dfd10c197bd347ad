#!/usr/bin/env bash
# Builds librdkafka 2.8.0 into .librdkafka/ beside this script, for the example and its test on
# Debian 12 (bookworm): its librdkafka, 2.0.2, cannot log in with SASL/SCRAM to Kafka 3.8.1 and
# later (the broker now checks the SCRAM nonce, which librdkafka before 2.6.1 got wrong:
# confluentinc/librdkafka#4895). Debian's Python binding (python3-confluent-kafka) then runs on it:
#
#   LD_LIBRARY_PATH=examples/python-producer/.librdkafka/lib python3 producer.py ...
#
# The source is Debian 13's (trixie) package source, checked against its published SHA-256.
# Needs gcc, make, libssl-dev and zlib1g-dev; takes a few minutes on 2 cores. Does nothing when
# the library is there. With pip's confluent-kafka (a wheel with a current librdkafka inside),
# none of this is needed.
set -euo pipefail

VERSION=2.8.0
SHA256=5bd1c46f63265f31c6bfcedcde78703f77d28238eadf23821c2b43fc30be3e25
SOURCE=http://deb.debian.org/debian/pool/main/libr/librdkafka/librdkafka_${VERSION}.orig.tar.gz

here=$(cd "$(dirname "$0")" && pwd)
prefix="$here/.librdkafka"
if [ -e "$prefix/lib/librdkafka.so.1" ]; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

curl -fsSL --retry 3 -o "$work/source.tar.gz" "$SOURCE"
echo "$SHA256  $work/source.tar.gz" | sha256sum --check --quiet -
tar -xzf "$work/source.tar.gz" -C "$work"
cd "$work/librdkafka-$VERSION"
# only what a SCRAM producer needs: OpenSSL (SCRAM, TLS) and zlib; nothing fetched at build time
./configure --prefix="$prefix" --disable-gssapi --disable-zstd --disable-lz4-ext --disable-curl > "$work/configure.log" \
  || { cat "$work/configure.log"; exit 1; }
make -j"$(nproc)" -C src > "$work/make.log" 2>&1 || { tail -40 "$work/make.log"; exit 1; }
make -C src install > /dev/null
echo "librdkafka $VERSION in $prefix/lib"
