#!/usr/bin/env bash
# Browser-test dependencies, run by `make browser-deps` (a prerequisite of `make test`).
# Idempotent and quick when everything is there:
#   - Debian's Chromium (/usr/bin/chromium) and Noto CJK fonts (Chinese glyphs in screenshots), from apt;
#   - fonts-wqy-microhei (TrueType Chinese font embedded in the receipt PDFs, jiuye.cases.receipts), from apt;
#   - axe-core from the npm registry, pinned by package-lock.json, into tests/browser/node_modules.
# Playwright (PyPI, pinned in constraints.txt) drives that Chromium; its own browser builds are never downloaded.
# On failure this prints why and exits non-zero; the browser tests then fail with the same explanation
# (they are skipped only when JIUYE_SKIP_BROWSER=1).
set -uo pipefail
cd "$(dirname "$0")"

if [ "${JIUYE_SKIP_BROWSER:-0}" = "1" ]; then
  echo "browser-deps: JIUYE_SKIP_BROWSER=1, nothing installed (browser tests will be skipped)"
  exit 0
fi

status=0
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# TrueType-outline Chinese font that fpdf2 embeds in the 受理回执 / 一次性告知书 PDFs (Noto CJK is CFF)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; fi
  fi
  if [ "$(id -u)" != "0" ] && [ -z "$sudo" ]; then
    echo "browser-deps: cannot install ${need[*]}: not root and no password-less sudo." >&2
    echo "browser-deps: run as root: apt-get install -y chromium fonts-noto-cjk (or set JIUYE_SKIP_BROWSER=1)" >&2
    status=1
  elif ! command -v apt-get >/dev/null; then
    echo "browser-deps: cannot install ${need[*]}: no apt-get on this machine (Debian/Ubuntu expected)." >&2
    status=1
  else
    echo "browser-deps: installing ${need[*]} with apt-get (once)"
    export DEBIAN_FRONTEND=noninteractive
    # The package lists may be missing on a fresh machine (or stale): update once, then install.
    if ! $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >/tmp/jiuye-browser-apt.log 2>&1; then
      $sudo apt-get update -q >>/tmp/jiuye-browser-apt.log 2>&1
      if ! $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >>/tmp/jiuye-browser-apt.log 2>&1; then
        echo "browser-deps: apt-get install ${need[*]} failed; see /tmp/jiuye-browser-apt.log" >&2
        tail -5 /tmp/jiuye-browser-apt.log >&2
        status=1
      fi
    fi
  fi
fi

# axe-core: reinstalled only when the lock file is newer than what npm last installed.
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if ! command -v npm >/dev/null; then
    echo "browser-deps: npm not found: cannot install axe-core (Node.js 18+ needed)" >&2
    status=1
  elif ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "browser-deps: npm ci failed in tests/browser" >&2
    status=1
  fi
fi
exit $status
