# Tether guardian: a dead man's switch for one supervisor instance.
# Runs as: sh -c "<this>" tether-guardian INSTANCE CGROUP_DIR_OR_DASH [MAINS_FILE_OR_DASH [HELD_DIR_OR_DASH]]
# stdin is a pipe whose only write end lives in the supervisor, which writes "exit" when it
# closes normally: then everything is left alone. Without a cgroup, the supervisor appends
#   main PID START   a session's main process (identity: pid + start time in clock ticks)
#   gone PID START   that session ended
# to MAINS_FILE (0600), read only after the supervisor is gone. HELD_DIR (0700) holds the gates of
# spawns held before exec until the JVM has put them in their cgroup (FIFOs N.arrive and N-K.hold,
# and a ticket file N.ticket, each).
# EOF without "exit" means the supervisor died (SIGKILL, OOM kill): kill what is left of its
# sessions, and only that: its instance cgroup, processes carrying its TETHER_INSTANCE marker,
# and its session mains (pid + start time checked) with their session/process groups.
inst=$1 cg=$2 mf=${3:--} hd=${4:--} self=$$ mains=""

while IFS= read -r line; do
  [ "$line" = exit ] && exit 0
done

# The mains the file still lists (a main line without a later gone line); a torn last line is
# skipped. Then the file has served its purpose.
if [ "$mf" != - ] && [ -r "$mf" ]; then
  mains=$(awk 'NF == 3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ {
      k = $2 ":" $3; if ($1 == "main") live[k] = 1; else if ($1 == "gone") delete live[k] }
    END { for (k in live) printf "%s ", k }' "$mf" 2>/dev/null)
  rm -f "$mf"
fi

# 0. Spawns the JVM held before exec: void every ticket, then open every gate FIFO read-write
# (which never blocks), releasing whoever waits in it; a released child fails at its missing
# ticket and exits 127 before exec. One waiting at N.arrive next waits at N.hold: every sweep pass
# below releases again.
release_held() {
  [ "$hd" != - ] && [ -d "$hd" ] || return 0
  rm -f "$hd"/*.ticket
  for f in "$hd"/*.arrive "$hd"/*.hold; do
    [ -p "$f" ] && : 9<>"$f"
  done
  return 0
}
release_held

# 1. The instance cgroup: cgroup.kill takes every session cgroup below it, escapees included.
kill_cgroup() {
  if [ "$cg" != - ] && [ -d "$cg" ]; then
    echo 1 > "$cg/cgroup.kill" 2>/dev/null
  fi
}
kill_cgroup

# 2. Session mains by identity, and whatever still shares their session or process group.
start_of() { # $1 = pid -> start time (field 22), empty if gone
  read -r st 2>/dev/null < "/proc/$1/stat" || return 0
  st=${st##*) }; set -- $st; shift 19; echo "$1"
}
# A leader whose pid now belongs to another process is skipped; one that is gone still names
# only our processes (the kernel does not reuse a pid that is some process's session/group id).
valid=""
for m in $mains; do
  pid=${m%:*} start=${m#*:} now=$(start_of "${m%:*}")
  if [ "$now" = "$start" ]; then
    kill -KILL "$pid" 2>/dev/null; valid="$valid $m"
  elif [ -z "$now" ]; then
    valid="$valid $m"
  fi
done
if [ -n "$valid" ]; then
  for d in /proc/[0-9]*; do
    p=${d#/proc/}; [ "$p" = "$self" ] && continue
    read -r st 2>/dev/null < "$d/stat" || continue
    st=${st##*) }; set -- $st   # $1 state, $3 pgrp, $4 session, ${20} start time
    for m in $valid; do
      l=${m%:*} ls=${m#*:}
      if { [ "$3" = "$l" ] || [ "$4" = "$l" ]; } && [ "${20}" -ge "$ls" ]; then kill -KILL "$p" 2>/dev/null; fi
    done
  done
fi

# 3. Sweep until quiet, then remove the cgroups. A spawn the supervisor had in flight when it
# died outlives it: a posix_spawn child that has not exec'd yet still shows the supervisor's
# environment (no marker) and is in no session cgroup. A held one (see 0.) waits in its gate until
# a pass releases it to fail; one spawned through the gate shell (the fallback) execs it a moment
# later, which carries the marker and writes itself into its session's cgroup.procs. A single
# cgroup.kill and marker scan can both run in that moment and miss it. So every pass releases the
# held, kills the instance cgroup and every marked process, and the sweep ends only once passes
# have found nothing for a quiet period. With cgroups it ends by removing the cgroup directories:
# once they are gone a late gate shell cannot enter (its echo fails and it exits 112 before
# exec'ing the command), and if one entered since the last pass, rmdir fails and the sweep goes
# on; 100 ms of quiet is enough. Without cgroups nothing bars a late exec, so the quiet period is
# the 1 s a supervisor's death may take to clean up. Bounded (about 5 s): what is left then is
# reconciliation's.
if [ "$cg" = - ]; then quiet_for=100; else quiet_for=10; fi # centiseconds
clock() { # t = centiseconds since boot (the 1 prefix keeps a fraction like 08 from reading as octal)
  read -r up _ < /proc/uptime; t=$((${up%.*} * 100 + 1${up#*.} - 100))
}
populated() { # "populated 1" is the first line of cgroup.events while any process is in the tree
  [ "$cg" != - ] || return 1
  read -r k v 2>/dev/null < "$cg/cgroup.events" || return 1
  [ "$k" = populated ] && [ "$v" = 1 ]
}
removed() { # the instance cgroup and its session cgroups removed (deepest first), or none to remove
  [ "$cg" != - ] && [ -d "$cg" ] || return 0
  find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
  [ ! -d "$cg" ]
}
clock; end=$((t + 500)) calm=""
while :; do
  release_held
  kill_cgroup
  pids=""
  for f in $(grep -lzxF "TETHER_INSTANCE=$inst" /proc/[0-9]*/environ 2>/dev/null); do
    p=${f#/proc/}; p=${p%/environ}
    [ "$p" = "$self" ] || pids="$pids $p"
  done
  clock
  if [ -n "$pids" ]; then
    kill -STOP $pids 2>/dev/null
    kill -KILL $pids 2>/dev/null
    calm="" pause=0
  elif populated; then
    calm="" pause=0.01
  else
    [ -n "$calm" ] || calm=$t # the first pass of a quiet period
    pause=0.05
    [ $((t - calm)) -ge "$quiet_for" ] && removed && break
  fi
  [ "$t" -lt "$end" ] || break
  [ "$pause" = 0 ] || sleep "$pause"
done
if [ "$hd" != - ] && [ -d "$hd" ]; then
  release_held
  rm -f "$hd"/*.arrive "$hd"/*.hold "$hd"/owner.lock
  rmdir "$hd" 2>/dev/null
fi
exit 0
