#!/usr/bin/env bash
# `yiye keys` and `yiye verify` (issue 12): the keyring of a data directory
# (modes, rotation, refusal of readable key files), offline verification of
# payloads, QR texts, 亮证 tokens and files against keys.json from the data
# directory, --keys FILE and --keys URL (a running server, which follows a
# rotation without restart), and every failure exiting non-zero.
#   tests/cli/keys.sh YIYE_BINARY KEYS_HELPER
set -u
yiye=$1 helper=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

tmp=$(mktemp -d /tmp/yiye-keys-XXXXXX)
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export YIYE_PWHASH_FAST=1
d=$tmp/data
N=XK-310104-2026-000001 USCC=91310104MA1FL0XX7X

# runs yiye verify, keeping its output in $tmp/out and its status in $rc
verify() { "$yiye" verify "$@" >"$tmp/out" 2>&1; rc=$?; }

"$yiye" init --data "$d" >/dev/null 2>&1 || bad "init"
[ "$(stat -c %a "$d/keys")" = 700 ] && ok || bad "keys directory must be 0700"
keyfile=$(ls "$d"/keys/*.key)
[ "$(echo "$keyfile" | wc -l)" = 1 ] && ok || bad "init must create exactly one key"
[ "$(stat -c %a "$keyfile")" = 600 ] && ok || bad "key file must be 0600"
[ "$(stat -c %s "$keyfile")" = 64 ] && ok || bad "key file must hold 64 bytes"
kid1=$(basename "$keyfile" .key)
[[ $kid1 =~ ^k[0-9]{8}a$ ]] && ok || bad "first kid $kid1"
"$yiye" keys list --data "$d" >"$tmp/list" 2>&1 && ok || bad "keys list"
grep -q "$kid1 .*当前" "$tmp/list" && ok || bad "keys list must show $kid1 as current"

qr=$("$helper" payload "$d" $N 1 $USCC 2026-12-02 2031-12-01) || bad "helper payload"
payload=${qr#*#}
verify --data "$d" "$qr"
[ $rc -eq 0 ] && ok || bad "QR text must verify (exit $rc): $(cat "$tmp/out")"
grep -q "有效 VALID" "$tmp/out" && grep -q "$N" "$tmp/out" && grep -q "$USCC" "$tmp/out" &&
  grep -q "2026-12-02 至 2031-12-01" "$tmp/out" && grep -q "$kid1" "$tmp/out" && ok ||
  bad "summary lacks number, holder, validity or kid: $(cat "$tmp/out")"
verify --data "$d" --db postgresql://unused/db "$qr"
[ $rc -eq 0 ] && ok || bad "verify must accept (and ignore) --db like every data command"
verify --data "$d" "$payload"
[ $rc -eq 0 ] && ok || bad "bare payload must verify"
printf '%s\n' "$qr" >"$tmp/qr.txt"
verify --data "$d" "$tmp/qr.txt"
[ $rc -eq 0 ] && ok || bad "a text file with the QR text must verify"

# the QR of a PNG and of a license PDF, as the server renders them
"$helper" png "$d" "$tmp/qr.png" $N 1 $USCC 2026-12-02 2031-12-01 >"$tmp/png.qr" || bad "helper png"
verify --data "$d" "$tmp/qr.png"
[ $rc -eq 0 ] && grep -q "$N" "$tmp/out" && ok || bad "PNG must verify (exit $rc): $(cat "$tmp/out")"
# (cairo has no frame pointers: LeakSanitizer sees its suppressed PDF leak
# only with the slow unwinder, as unit.test_render sets it)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0 "$helper" pdf "$d" "$tmp/license.pdf" $N 1 $USCC 2026-12-02 - >"$tmp/pdf.qr" || bad "helper pdf"
verify --data "$d" "$tmp/license.pdf"
[ $rc -eq 0 ] && grep -q "长期有效" "$tmp/out" && ok || bad "PDF must verify (exit $rc): $(cat "$tmp/out")"
# a PNG of a tampered text (one byte of the USCC changed after signing)
tampered=$(sed "s/$USCC\./91310104MA1FL0XX8X./" "$tmp/png.qr")
[ "$tampered" != "$(cat "$tmp/png.qr")" ] && ok || bad "test did not tamper"
"$helper" textpng "$d" "$tmp/bad.png" "$tampered" >/dev/null || bad "helper textpng"
verify --data "$d" "$tmp/bad.png"
[ $rc -eq 1 ] && grep -q bad_signature "$tmp/out" && ok || bad "tampered PNG must fail (exit $rc)"
# a PNG without a QR code, a damaged PDF: exit 3, saying so
python3 -c "import zlib,struct,sys
def ch(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d)&0xffffffff)
raw=b''.join(b'\0'+b'\xff'*64 for _ in range(64))
sys.stdout.buffer.write(b'\x89PNG\r\n\x1a\n'+ch(b'IHDR',struct.pack('>IIBBBBB',64,64,8,0,0,0,0))+ch(b'IDAT',zlib.compress(raw))+ch(b'IEND',b''))" >"$tmp/blank.png"
verify --data "$d" "$tmp/blank.png"
[ $rc -eq 3 ] && grep -q "二维码" "$tmp/out" && ok || bad "PNG without QR must exit 3 (got $rc): $(cat "$tmp/out")"
printf '%%PDF-1.4\nbroken' >"$tmp/broken.pdf"
verify --data "$d" "$tmp/broken.pdf"
[ $rc -eq 3 ] && ok || bad "a damaged PDF must exit 3 (got $rc)"

# one byte changed, anywhere but the prefix: non-zero, saying why
for pos in 5 30 40 52 63 75 100 160; do
  c=${payload:$pos:1}; r=A; [ "$c" = A ] && r=B
  [ "$c" = . ] && continue
  verify --data "$d" "${payload:0:$pos}$r${payload:$((pos + 1))}"
  [ $rc -eq 1 ] && ok || bad "payload changed at $pos must fail with 1 (got $rc)"
done
verify --data "$d" "${payload/$USCC/91310104MA1FL0XX8X}"
[ $rc -eq 1 ] && grep -q bad_signature "$tmp/out" && ok || bad "changed USCC must be bad_signature"
verify --data "$d" "YL1.garbage"
[ $rc -eq 1 ] && grep -q payload_malformed "$tmp/out" && ok || bad "garbage must be payload_malformed"
verify --data "$d" "http://127.0.0.1:8080/v/XK-310104-2026-000002#$payload"
[ $rc -eq 1 ] && grep -q payload_malformed "$tmp/out" && ok || bad "URL of another number must fail"
verify --data "$d" "no-such-file.png"
[ $rc -ne 0 ] && ok || bad "a missing file must fail"

# unknown key: keys of another data directory
"$yiye" init --data "$tmp/other" >/dev/null 2>&1
# (another platform's first key has the same id: its key does not match)
verify --keys "$tmp/other/keys/keys.json" "$qr"
[ $rc -eq 1 ] && grep -q bad_signature "$tmp/out" && ok || bad "a foreign key of the same id must be bad_signature (exit $rc)"
sed "s/\"$kid1\"/\"kforeign\"/" "$d/keys/keys.json" >"$tmp/renamed.json"
verify --keys "$tmp/renamed.json" "$qr"
[ $rc -eq 1 ] && grep -q unknown_key "$tmp/out" && ok || bad "a kid not listed must be unknown_key (exit $rc)"
verify --keys "$tmp/none.json" "$qr"
[ $rc -eq 3 ] && ok || bad "unreadable --keys must exit 3 (got $rc)"
echo '{"nokeys":1}' >"$tmp/bad.json"
verify --keys "$tmp/bad.json" "$qr"
[ $rc -eq 3 ] && ok || bad "a --keys file that is no keys.json must exit 3 (got $rc)"

# --keys FILE anywhere, no data directory needed
cp "$d/keys/keys.json" "$tmp/published.json"
verify --data "$tmp/absent" --keys "$tmp/published.json" "$qr"
[ $rc -eq 0 ] && ok || bad "--keys FILE must verify (exit $rc)"

# 亮证 tokens: valid now, expired, tampered
now=$(date +%s)
tok=$("$helper" display "$d" $N 2 $((now + 300)))
verify --data "$d" "$tok"
[ $rc -eq 0 ] && grep -q "亮证码签名校验通过" "$tmp/out" && ok || bad "display token must verify: $(cat "$tmp/out")"
verify --data "$d" "http://127.0.0.1:8080/v/$N?d=$tok"
[ $rc -eq 0 ] && ok || bad "display QR text must verify"
old=$("$helper" display "$d" $N 2 $((now - 10)))
verify --data "$d" "$old"
[ $rc -eq 1 ] && grep -q display_expired "$tmp/out" && ok || bad "expired display token must fail"
verify --data "$d" "${tok/.2./.3.}"
[ $rc -eq 1 ] && grep -q display_invalid "$tmp/out" && ok || bad "tampered display token must fail"

# a server: keys.json over HTTP (cacheable), --keys URL, rotation noticed without restart
"$yiye" serve --data "$d" --listen 127.0.0.1:0 --port-file "$tmp/port" --web /nonexistent \
  >"$tmp/serve.out" 2>&1 &
srv=$!
for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
base=http://127.0.0.1:$(cat "$tmp/port")
url=$base/.well-known/yiye/keys.json
curl -sS -D "$tmp/h1" -o "$tmp/k1.json" "$url" || bad "GET keys.json"
grep -qi '^cache-control: public, max-age=300' "$tmp/h1" && ok || bad "keys.json must be cacheable: $(cat "$tmp/h1")"
etag=$(grep -i '^etag:' "$tmp/h1" | cut -d' ' -f2 | tr -d '\r')
[ -n "$etag" ] && ok || bad "keys.json must carry an ETag"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url")
[ "$code" = 304 ] && ok || bad "If-None-Match must answer 304 (got $code)"
grep -q "\"$kid1\"" "$tmp/k1.json" && ! grep -qi secret "$tmp/k1.json" && ok || bad "keys.json content"
verify --keys "$url" "$qr"
[ $rc -eq 0 ] && ok || bad "--keys URL must verify (exit $rc): $(cat "$tmp/out")"
verify --keys "$base/no/such/keys.json" "$qr"
[ $rc -eq 3 ] && ok || bad "--keys URL answering 404 must exit 3 (got $rc)"

"$yiye" keys rotate --data "$d" >"$tmp/rot" 2>&1 && ok || bad "keys rotate: $(cat "$tmp/rot")"
kid2=$(grep -o 'k[0-9]\{8\}[a-z]*' "$tmp/rot" | head -1)
[ -n "$kid2" ] && [ "$kid2" != "$kid1" ] && [ -f "$d/keys/$kid2.key" ] && ok || bad "rotate must name a new key ($kid2)"
[ "$(stat -c %a "$d/keys/$kid2.key")" = 600 ] && ok || bad "rotated key must be 0600"
curl -sS -D "$tmp/h2" -o "$tmp/k2.json" "$url"
grep -q "\"$kid2\"" "$tmp/k2.json" && grep -q "\"$kid1\"" "$tmp/k2.json" && ok ||
  bad "the running server must publish the new key and keep the old one"
etag2=$(grep -i '^etag:' "$tmp/h2" | cut -d' ' -f2 | tr -d '\r')
[ "$etag2" != "$etag" ] && ok || bad "rotation must change the ETag"
verify --keys "$url" "$qr"
[ $rc -eq 0 ] && grep -q "已停用密钥 retired" "$tmp/out" && ok || bad "a license signed before rotation must still verify"
qr2=$("$helper" payload "$d" $N 2 $USCC 2026-12-02 -)
verify --data "$d" "$qr2"
[ $rc -eq 0 ] && grep -q "$kid2" "$tmp/out" && grep -q "长期有效" "$tmp/out" && ok || bad "new payload signed with $kid2"
kill -TERM "$srv"; wait "$srv"; srv=
"$yiye" keys list --data "$d" >"$tmp/list" 2>&1
grep -q "$kid1 .*已停用" "$tmp/list" && grep -q "$kid2 .*当前" "$tmp/list" && ok || bad "keys list after rotate: $(cat "$tmp/list")"
"$yiye" keys list --json --data "$d" | grep -q '"public_key"' && ok || bad "keys list --json"

# readable key file: refused by list, rotate and serve, naming the fix
chmod 644 "$d/keys/$kid1.key"
"$yiye" keys list --data "$d" >"$tmp/out" 2>&1 && bad "keys list must refuse a 0644 key" || ok
grep -q "chmod 600" "$tmp/out" && ok || bad "refusal must name chmod 600: $(cat "$tmp/out")"
"$yiye" keys rotate --data "$d" >/dev/null 2>&1 && bad "rotate must refuse a 0644 key" || ok
"$yiye" serve --data "$d" --listen 127.0.0.1:0 --web /nonexistent >"$tmp/out" 2>&1
[ $? -ne 0 ] && grep -q "权限为 0644" "$tmp/out" && ok || bad "serve must refuse a 0644 key: $(cat "$tmp/out")"
chmod 600 "$d/keys/$kid1.key"
chmod 755 "$d/keys"
"$yiye" keys list --data "$d" >"$tmp/out" 2>&1 && bad "keys list must refuse a 0755 directory" || ok
grep -q "chmod 700" "$tmp/out" && ok || bad "refusal must name chmod 700"
chmod 700 "$d/keys"

# usage
"$yiye" keys >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "keys without action must exit 2"
"$yiye" verify >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "verify without argument must exit 2"
"$yiye" keys rotate --data "$tmp/absent" >/dev/null 2>&1; [ $? -eq 1 ] && ok || bad "rotate on a missing data dir must fail"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
