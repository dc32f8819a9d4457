# Subshells ( ... ) and groups { ...; }: cwd, variables, exit status, redirections of a whole group.
( cd /tmp; pwd )
pwd > here1
( cd /; pwd )
pwd > here2
cmp -s here1 here2 && echo "cwd unchanged"
x=1
( x=2; echo "in subshell x=$x" )
echo "after subshell x=$x"
{ x=3; echo "in group x=$x"; }
echo "after group x=$x"
( exit 5 ); echo "subshell exit: $?"
{ false; }; echo "group false: $?"
{ echo one; echo two; } > group.txt
( echo three; echo four ) >> group.txt
cat group.txt
{ echo to-stderr >&2; echo to-stdout; } 2>&1 | sort
( ( ( echo deep; exit 2 ); echo "level2 got $?"; exit 3 ); echo "level1 got $?" )
( trap 'echo subshell exit trap' EXIT; echo body )
( set -e; false; echo "not reached" ); echo "set -e subshell: $?"
( umask 077; umask ); umask 022; umask
y=$( { echo g1; echo g2; } | wc -l ); echo "group lines: $y"
