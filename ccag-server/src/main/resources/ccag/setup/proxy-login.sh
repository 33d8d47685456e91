#!/usr/bin/env bash
# CCAG browser login for Claude Code's apiKeyHelper: prints a valid token for __CCAG_URL__ on stdout.
# Settings (~/.claude/settings.json): "apiKeyHelper": "bash ~/.claude/proxy-login.sh"
# Reuses the cached token until 60 s before it expires; otherwise opens the browser and waits for the
# sign-in. Messages go to stderr; stdin is never read. Needs bash and curl.
set -u
umask 077

CCAG_URL="${CCAG_URL:-__CCAG_URL__}"
CCAG_URL="${CCAG_URL%/}"
TOKEN_DIR="${CCAG_TOKEN_DIR:-$HOME/.claude/tokens}"
SLUG=$(printf '%s' "$CCAG_URL" | sed -e 's#^[a-z]*://##' -e 's#[^A-Za-z0-9._-]#_#g')
TOKEN_FILE="$TOKEN_DIR/ccag-token.$SLUG"
FAIL_FILE="$TOKEN_FILE.fail"
LOCK_DIR="$TOKEN_FILE.lock"
COOLDOWN=30

die() { printf 'ccag login: %s\n' "$1" >&2; exit 1; }

# The value of a string field of a flat JSON object (the gateway's answers have no escaped quotes).
json_str() { printf '%s' "$1" | sed -n 's/.*"'"$2"'"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p'; }
json_num() { printf '%s' "$1" | sed -n 's/.*"'"$2"'"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p'; }

# Seconds until a JWT's exp, or nothing when it cannot be read.
token_exp() {
  local payload pad
  payload=$(printf '%s' "$1" | cut -d. -f2 | tr '_-' '/+')
  pad=$(( (4 - ${#payload} % 4) % 4 ))
  payload="$payload$(printf '%*s' "$pad" '' | tr ' ' '=')"
  printf '%s' "$payload" | base64 -d 2>/dev/null | sed -n 's/.*"exp"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p'
}

cached_token() {
  [ -f "$TOKEN_FILE" ] || return 1
  local t exp
  t=$(cat "$TOKEN_FILE")
  exp=$(token_exp "$t")
  [ -n "$exp" ] && [ "$exp" -gt $(( $(date +%s) + 60 )) ] || return 1
  printf '%s\n' "$t"
}

mkdir -p "$TOKEN_DIR" && chmod 700 "$TOKEN_DIR" || die "cannot create $TOKEN_DIR"
cached_token && exit 0

if [ -f "$FAIL_FILE" ] && [ $(( $(date +%s) - $(date -r "$FAIL_FILE" +%s 2>/dev/null || stat -f %m "$FAIL_FILE") )) -lt $COOLDOWN ]; then
  die "the last sign-in failed moments ago; retrying in a few seconds"
fi

# One sign-in at a time: another invocation waits for its token instead of opening a second tab.
if ! mkdir "$LOCK_DIR" 2>/dev/null; then
  if [ $(( $(date +%s) - $(date -r "$LOCK_DIR" +%s 2>/dev/null || stat -f %m "$LOCK_DIR") )) -gt 360 ]; then
    rmdir "$LOCK_DIR" 2>/dev/null; mkdir "$LOCK_DIR" 2>/dev/null || die "another sign-in is in progress"
  else
    for _ in $(seq 1 180); do
      sleep 2
      cached_token && exit 0
      [ -d "$LOCK_DIR" ] || break
    done
    cached_token && exit 0
    die "another sign-in is in progress"
  fi
fi
trap 'rmdir "$LOCK_DIR" 2>/dev/null' EXIT

fail() { touch "$FAIL_FILE"; die "$1"; }

START=$(curl -sS -f "$CCAG_URL/auth/cli/login") || fail "cannot reach $CCAG_URL"
SESSION=$(json_str "$START" session_code)
SECRET=$(json_str "$START" poll_secret)
LOGIN_URL=$(json_str "$START" login_url)
CODE=$(json_str "$START" verification_code)
INTERVAL=$(json_num "$START" interval); INTERVAL=${INTERVAL:-2}
EXPIRES=$(json_num "$START" expires_in); EXPIRES=${EXPIRES:-300}
[ -n "$SESSION" ] && [ -n "$SECRET" ] && [ -n "$LOGIN_URL" ] || fail "unexpected answer from $CCAG_URL/auth/cli/login"

printf 'ccag login: verification code %s (the browser page shows the same)\n' "$CODE" >&2
if [ -n "${BROWSER:-}" ]; then
  $BROWSER "$LOGIN_URL" >/dev/null 2>&1 &
elif command -v xdg-open >/dev/null 2>&1; then
  xdg-open "$LOGIN_URL" >/dev/null 2>&1 &
elif command -v open >/dev/null 2>&1; then
  open "$LOGIN_URL" >/dev/null 2>&1 &
else
  printf 'ccag login: open this URL in a browser: %s\n' "$LOGIN_URL" >&2
fi

DEADLINE=$(( $(date +%s) + EXPIRES ))
while [ "$(date +%s)" -lt "$DEADLINE" ]; do
  sleep "$INTERVAL"
  POLL=$(curl -sS -H "X-CCAG-Poll-Secret: $SECRET" "$CCAG_URL/auth/cli/poll?session_code=$SESSION") || continue
  case "$(json_str "$POLL" status)" in
    complete)
      TOKEN=$(json_str "$POLL" token)
      [ -n "$TOKEN" ] || fail "the gateway answered no token"
      printf '%s' "$TOKEN" > "$TOKEN_FILE.tmp" && mv "$TOKEN_FILE.tmp" "$TOKEN_FILE"
      rm -f "$FAIL_FILE"
      printf '%s\n' "$TOKEN"
      exit 0 ;;
    pending) ;;
    failed) fail "the sign-in was refused (see the browser window)" ;;
    expired) fail "the sign-in expired" ;;
    *) fail "the login session is unknown to $CCAG_URL" ;;
  esac
done
fail "timed out waiting for the browser sign-in"
