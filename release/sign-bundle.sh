#!/usr/bin/env bash
# Signs a released policy bundle with the release key. The private key is never committed: it comes
# from a file outside the repository (PORTCULLIS_SIGNING_KEY_FILE, e.g. a CI secret file or a mounted
# secret) or from the environment as PEM text (PORTCULLIS_SIGNING_KEY, written to a private temporary
# file that is removed on exit).
#
# Usage:
#   PORTCULLIS_SIGNING_KEY_FILE=/run/secrets/release-2026a.pem release/sign-bundle.sh [REVISION] [OUT_DIR]
#
#   REVISION  the revision to sign (default: portcullis.policies.revision in pom.xml), read from
#             bundles/portcullis/REVISION.tar.gz, the bundle the build compiled and CI tested
#   OUT_DIR   where to write portcullis/REVISION.tar.gz and its .sha256 (default: dist/bundles);
#             publish that directory tree to the bundle volume or bundle server the chart reads
#
# Environment:
#   PORTCULLIS_SIGNING_KEY_ID  key id recorded in the signature (default: the key file name without
#                              extension; with PORTCULLIS_SIGNING_KEY it is required). The gate
#                              reports it as the bundle's signer; the public key file the gate
#                              trusts should carry the same name (release-2026a.pem).
#   PORTCULLIS_CLI_JAR         the compiler CLI (default: target/portcullis-cli.jar; build it with
#                              ./mvnw package -DskipTests)
#   JAVA                       java binary (default: java)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

die() { echo "sign-bundle: $*" >&2; exit 2; }

revision="${1:-}"
if [ -z "$revision" ]; then
  revision="$(sed -n 's:.*<portcullis.policies.revision>\(.*\)</portcullis.policies.revision>.*:\1:p' pom.xml | head -n1)"
  [ -n "$revision" ] || die "cannot read portcullis.policies.revision from pom.xml; pass the revision"
fi
out_dir="${2:-dist/bundles}"
cli="${PORTCULLIS_CLI_JAR:-target/portcullis-cli.jar}"
java_bin="${JAVA:-java}"
bundle="bundles/portcullis/${revision}.tar.gz"

[ -f "$cli" ] || die "$cli not found: run ./mvnw package -DskipTests first"
[ -f "$bundle" ] || die "$bundle not found: is $revision the revision in pom.xml?"

key_file="${PORTCULLIS_SIGNING_KEY_FILE:-}"
key_id="${PORTCULLIS_SIGNING_KEY_ID:-}"
tmp_key=""
cleanup() { if [ -n "$tmp_key" ]; then rm -f "$tmp_key"; fi; }
trap cleanup EXIT
if [ -z "$key_file" ]; then
  [ -n "${PORTCULLIS_SIGNING_KEY:-}" ] || die "set PORTCULLIS_SIGNING_KEY_FILE (path of the PKCS#8 PEM private key) or PORTCULLIS_SIGNING_KEY (its PEM text)"
  [ -n "$key_id" ] || die "PORTCULLIS_SIGNING_KEY_ID is required with PORTCULLIS_SIGNING_KEY"
  tmp_key="$(umask 077 && mktemp "${TMPDIR:-/tmp}/portcullis-signing-key.XXXXXX")"
  printf '%s\n' "$PORTCULLIS_SIGNING_KEY" > "$tmp_key"
  key_file="$tmp_key"
else
  [ -f "$key_file" ] || die "signing key $key_file not found"
  key_abs="$(cd "$(dirname "$key_file")" && pwd)/$(basename "$key_file")"
  case "$key_abs" in
    "$repo"/*) die "refusing a signing key inside the repository ($key_abs): keep release keys out of the work tree" ;;
  esac
fi

mkdir -p "$out_dir/portcullis"
signed="$out_dir/portcullis/${revision}.tar.gz"
args=(sign --signing-key "$key_file" -o "$signed")
if [ -n "$key_id" ]; then args+=(--signing-key-id "$key_id"); fi
line="$("$java_bin" -jar "$cli" "${args[@]}" "$bundle")"
sha="${line%% *}"
printf '%s  %s\n' "$sha" "${revision}.tar.gz" > "$signed.sha256"
echo "signed $bundle -> $signed (sha256 $sha)"
