# set -e: which failures end the script (plain commands, subshells, last command of a pipeline) and which do
# not (conditions, && / || lists, !); set -u; the script's exit status is that of the failing command.
set -e
if false; then echo "no"; else echo "false in if: still running"; fi
false || echo "false || ...: still running"
false && echo "no"
echo "false && ...: still running"
! true
echo "! true: still running"
while false; do :; done
echo "while false: still running"
x=$(false || echo recovered); echo "subst: $x"
f() { false; echo "function continued after false (set -e ignored in condition)"; }
if f; then echo "f succeeded"; fi
( set -e; false; echo "set -e is ignored in a subshell left of ||" ) || echo "no"
false | true
echo "false | true: still running"
set +e
( set -e; false; echo "no" ); echo "subshell failed with $?"
sh -c 'set -e; true; false; echo no'; echo "sh -c set -e status: $?"
sh -c 'set -e; echo a; (exit 3); echo no'; echo "subshell exit status: $?"
sh -c 'set -u; echo "$undefined_var"' 2> e.txt; echo "set -u status: $?"
sh -c 'set -eu; v=${1:-default}; echo "v=$v"'
set -e
echo "last line before failure"
sh -c 'exit 3'
echo "not reached"
