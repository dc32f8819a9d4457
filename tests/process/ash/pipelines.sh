# Pipelines: lengths 2-5, builtins and applets mixed, exit statuses of pipelines, `!` and pipefail.
seq 1 200 | grep 7 | wc -l
echo a b c | tr ' ' '\n' | sort -r
seq 1 10 | sed 's/^/n=/' | tail -n 3
printf '%s\n' pear apple fig apple pear apple | sort | uniq -c | sort -rn | head -n 2
seq 1 1000 | awk '{ s += $1 } END { print "sum", s }'
echo hello | cat | cat | cat | tr a-z A-Z
# the status of a pipeline is the status of its last command
false | true; echo "false|true -> $?"
true | false; echo "true|false -> $?"
seq 1 5 | grep -q 9; echo "grep miss -> $?"
! true; echo "! true -> $?"
! false; echo "! false -> $?"
! seq 1 3 | grep -q 2; echo "! pipeline -> $?"
set -o pipefail
false | true; echo "pipefail false|true -> $?"
sh -c 'exit 3' | true; echo "pipefail exit 3 -> $?"
set +o pipefail
# a builtin at the end of a pipeline runs in a subshell: the variable does not survive
x=outer; echo inner | read x; echo "x=$x"
# a large pipeline write (more than a pipe buffer)
seq 1 20000 | cat | wc -c
seq 1 100000 | head -n 2
echo "done"
