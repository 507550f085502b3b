#!/usr/bin/env bash
# What the test suites need besides npm packages, checked before `npm test` runs anything (and by .ci/run):
# a Chromium-based browser for the end-to-end suites, and on Linux a D-Bus session and gnome-keyring for a real,
# throwaway keychain, and Xvfb for the Electron suite. On Debian and Ubuntu, as root or with passwordless sudo,
# whatever is missing is installed with apt-get; elsewhere this names the exact command and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser is found as the suites find it; a Node without type stripping falls back to the usual commands.
chromium=$(node test/support/chromium.ts 2>/dev/null || command -v chromium chromium-browser google-chrome | head -n 1 || true)
missing=()
case "$(uname -s)" in
  Linux)
    # Ubuntu names Debian's chromium package chromium-browser.
    if [ -z "$chromium" ]; then
      if grep -qs '^ID=ubuntu' /etc/os-release; then missing+=(chromium-browser); else missing+=(chromium); fi
    fi
    command -v dbus-run-session >/dev/null 2>&1 || missing+=(dbus)
    command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
    command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
    ;;
  *)
    [ -n "$chromium" ] || missing+=(chromium)
    ;;
esac
((${#missing[@]})) || exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
  echo "Installing what the tests need: ${missing[*]} (apt-get)."
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi

echo "The tests need what this machine does not have: ${missing[*]}." >&2
case "$(uname -s)" in
  Linux)
    if command -v apt-get >/dev/null 2>&1; then
      echo "Install it with:  sudo apt-get install ${missing[*]}" >&2
    elif command -v dnf >/dev/null 2>&1; then
      echo "Install it with:  sudo dnf install chromium dbus-daemon gnome-keyring xorg-x11-server-Xvfb" >&2
    elif command -v pacman >/dev/null 2>&1; then
      echo "Install it with:  sudo pacman -S chromium dbus gnome-keyring xorg-server-xvfb" >&2
    else
      echo "Install Chromium, D-Bus, gnome-keyring and Xvfb with your system's package manager." >&2
    fi
    ;;
  Darwin)
    echo "Install it with:  brew install --cask chromium   (or set CHROME_PATH to Google Chrome's executable)" >&2
    ;;
  *)
    echo "Install Google Chrome or Chromium, or set CHROME_PATH to its chrome.exe." >&2
    ;;
esac
echo "Then run npm test again. Nothing was run." >&2
exit 1
