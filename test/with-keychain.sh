#!/usr/bin/env bash
# Runs a command with a private, unlocked Secret Service on Linux (a D-Bus session with gnome-keyring and a
# fresh HOME), so the keychain tests use a real keychain without touching the user's. Elsewhere, or where
# dbus-run-session or gnome-keyring-daemon is missing, runs the command as it is.
set -o pipefail
if [ "$(uname)" = "Linux" ] && [ -z "${VITALLY_KEYCHAIN_READY:-}" ] &&
  command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  # dbus-daemon warns that it may not raise its file limit; that is harmless and filtered out.
  dbus-run-session -- sh -c '
    HOME=$(mktemp -d) && export HOME VITALLY_KEYCHAIN_READY=1
    printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    exec "$@"' sh "$@" 2> >(grep -v "Failed to set fd limit" >&2)
  exit $?
fi
exec "$@"
