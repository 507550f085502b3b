#!/usr/bin/env bash
# The D-Bus daemon test/with-keychain.sh starts, with one harmless warning dropped from its own stderr ("Failed to
# set fd limit": it may not raise its file limit). Only the daemon's output is filtered; the tests' is untouched.
# The filter keeps none of the daemon's other descriptors open: dbus-run-session reads the bus address from one
# of them until it closes.
exec 2> >(
  for fd in /proc/$BASHPID/fd/*; do
    n=${fd##*/}
    if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi
  done 2>/dev/null
  exec grep --line-buffered -v "Failed to set fd limit" >&2
)
exec dbus-daemon "$@"
