#!/usr/bin/env bash
# Runs a command with a private, unlocked Secret Service on Linux (a D-Bus session with gnome-keyring and a
# fresh HOME), so the keychain tests use a real keychain without touching the user's. Elsewhere, or where
# dbus-run-session or gnome-keyring-daemon is missing, runs the command as it is.
# The command's stdout and stderr pass through untouched (every error detail kept, in order); only the D-Bus
# daemon's own warning that it may not raise its file limit is dropped, by the wrapper it runs under.
if [ "$(uname)" = "Linux" ] && [ -z "${VITALLY_KEYCHAIN_READY:-}" ] &&
  command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1 &&
  command -v dbus-daemon >/dev/null 2>&1; then
  exec dbus-run-session --dbus-daemon="$(cd "$(dirname "$0")" && pwd)/support/quiet-dbus-daemon.sh" -- sh -c '
    HOME=$(mktemp -d) && export HOME VITALLY_KEYCHAIN_READY=1
    printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    exec "$@"' sh "$@"
fi
exec "$@"
