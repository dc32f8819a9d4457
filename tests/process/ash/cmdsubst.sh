# Command substitution: $(...), backticks, nesting, trailing newlines, status, word splitting.
a=$(echo hello)
b=`echo world`
echo "$a $b"
echo "nested: $(echo outer $(echo inner $(echo innermost)))"
echo "backtick nest: `echo one \`echo two\``"
n=$(seq 1 5 | wc -l)
echo "lines=$n"
c=$(printf 'x\n\n\n')
echo "[$c]"
d=$(false); echo "status of \$(false): $?"
e=$(exit 7); echo "status of \$(exit 7): $?"
set -- $(echo one two   three)
echo "words: $#"
echo "quoted: $(echo "a   b")"
echo "arith with subst: $(( $(echo 6) * $(echo 7) ))"
f=$(cd /; pwd); echo "subst cwd: $f"
g=$(echo data > subst.txt; cat subst.txt); echo "file via subst: $g"
v=1; h=$(v=2; echo $v); echo "h=$h v=$v"
count=0
for w in $(echo x y z); do count=$((count + 1)); done
echo "count=$count"
big=$(seq 1 5000 | tail -n 1); echo "big=$big"
echo "len=$(seq 1 3000 | wc -c)"
