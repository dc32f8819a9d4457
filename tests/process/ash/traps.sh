# Traps and signals: USR1, INT and TERM to the shell itself, EXIT traps, resetting, ignoring, and deaths by signal.
trap 'echo got USR1' USR1
kill -USR1 $$
echo "after USR1"
trap 'echo got INT' INT
kill -INT $$
echo "after INT"
trap 'echo got TERM; t=1' TERM
kill -TERM $$
echo "after TERM t=$t"
trap - USR1
trap '' USR2
kill -USR2 $$
echo "USR2 ignored"
n=0
trap 'n=$((n + 1))' USR1
kill -USR1 $$; kill -USR1 $$; kill -USR1 $$
echo "counted $n"
trap > traps.txt; sort traps.txt
sh -c 'kill -TERM $$'; echo "child killed by TERM: $?"
sh -c 'kill -KILL $$'; echo "child killed by KILL: $?"
sh -c 'trap "echo child trap; exit 4" USR1; kill -USR1 $$; echo unreachable'; echo "child trap status: $?"
( trap 'echo subshell EXIT' EXIT; exit 6 ); echo "subshell: $?"
sleep 5 &
s=$!
kill -HUP $s; wait $s; echo "sleep HUP: $?"
trap 'echo EXIT trap runs, status $?' EXIT
echo "end of script"
exit 2
