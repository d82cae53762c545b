# Tether guardian: a dead man's switch for one supervisor instance.
# Runs as: sh -c "<this>" tether-guardian INSTANCE CGROUP_DIR_OR_DASH
# stdin is a pipe whose only write end lives in the supervisor. The supervisor writes
#   main PID START   a session's main process (identity: pid + start time in clock ticks)
#   gone PID START   that session ended
#   exit             the supervisor closed normally: leave everything alone
# EOF without "exit" means the supervisor died (SIGKILL, OOM kill): kill what is left of its
# sessions, and only that: its instance cgroup, processes carrying its TETHER_INSTANCE marker,
# and its session mains (pid + start time checked) with their session/process groups.
inst=$1 cg=$2 self=$$ mains=""

while IFS= read -r line; do
  set -- $line
  case $1 in
    exit) exit 0 ;;
    main) mains="$mains $2:$3" ;;
    gone) keep=""; for m in $mains; do [ "$m" = "$2:$3" ] || keep="$keep $m"; done; mains=$keep ;;
  esac
done

# 1. The instance cgroup: cgroup.kill takes every session cgroup below it, escapees included.
if [ "$cg" != - ] && [ -d "$cg" ]; then
  echo 1 > "$cg/cgroup.kill" 2>/dev/null
fi

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

# 3. Everything carrying this instance's marker, stopped then killed until none is left.
i=0
while :; do
  pids=""
  for f in $(grep -lzxF "TETHER_INSTANCE=$inst" /proc/[0-9]*/environ 2>/dev/null); do
    p=${f#/proc/}; p=${p%/environ}
    [ "$p" = "$self" ] || pids="$pids $p"
  done
  [ -n "$pids" ] || break
  kill -STOP $pids 2>/dev/null
  kill -KILL $pids 2>/dev/null
  i=$((i + 1)); [ "$i" -lt 100 ] || break
done

# 4. Remove the emptied cgroups (deepest first); reconciliation removes any left.
if [ "$cg" != - ] && [ -d "$cg" ]; then
  i=0
  while [ -d "$cg" ] && [ "$i" -lt 100 ]; do
    find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
    [ -d "$cg" ] && sleep 0.01
    i=$((i + 1))
  done
fi
exit 0
