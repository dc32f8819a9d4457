# read: from a pipe (into a subshell's variables), from a here-string file, IFS splitting, -r, partial lines,
# read in a while loop at the end of a pipeline, and a read that hits end of file.
echo "a b c" | { read x y z; echo "x=$x y=$y z=$z"; }
echo "one two three four" | { read first rest; echo "first=$first rest=$rest"; }
printf 'k1=v1\nk2=v2\n' | while IFS== read -r k v; do echo "key $k value $v"; done
echo 'back\slash' | { read -r raw; echo "raw: $raw"; }
echo 'back\slash' | { read cooked; echo "cooked: $cooked"; }
printf 'no newline at end' | { read -r l; echo "status $? line [$l]"; }
printf '' | { read -r l; echo "eof status: $?"; }
seq 1 5 | { s=0; while read n; do s=$((s + n)); done; echo "sum=$s"; }
printf 'a:b:c\n' | { IFS=: read -r p q r; echo "$r $q $p"; }
printf '  leading and trailing  \n' | { read -r t; echo "[$t]"; }
printf '  leading and trailing  \n' | { IFS= read -r t; echo "[$t]"; }
seq 1 1000 | { c=0; while read -r _; do c=$((c + 1)); done; echo "read $c lines"; }
echo "from a file" > f.txt
read -r line < f.txt; echo "line: $line"
{ read -r l1; read -r l2; } <<EOF
first
second
EOF
echo "l1=$l1 l2=$l2"
echo "abc" | { read -n 2 two 2> e.txt && echo "read -n 2: $two"; }
echo "last" | sed 's/^/via sed: /' | { read v; echo "$v"; }
