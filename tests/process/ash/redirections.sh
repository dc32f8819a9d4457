# Redirections: > >> < 2>&1 2>file >&2 <> >| noclobber, fd duplication and closing, order of 2>&1.
echo first > out.txt
echo second >> out.txt
cat < out.txt
wc -l < out.txt
ls no-such-file 2> err.txt; echo "ls status: $?"
[ -s err.txt ] && echo "stderr went to the file"
{ echo out; echo err >&2; } > both.txt 2>&1
sort both.txt
{ echo out; echo err >&2; } 2>&1 > only-out.txt | sed 's/^/piped: /'
cat only-out.txt
echo to-fd-3 3> three.txt >&3
cat three.txt
set -C
echo again 2> clobber.err > out.txt; echo "noclobber status: $?"
echo forced >| out.txt; cat out.txt
set +C
echo abcdef > rw.txt
exec 4<> rw.txt
read -r line <&4; echo "read via <>: $line"
exec 4>&-
cat <<EOF > heredoc-out.txt
into a file
EOF
cat heredoc-out.txt
: > empty.txt; wc -c < empty.txt
cat < out.txt > copy.txt; cmp out.txt copy.txt && echo "copy identical"
echo "x" >&- 2> closed.err; echo "write to closed stdout status: $?"
for i in 1 2 3; do echo "line $i"; done > loop.txt
cat loop.txt
while read -r l; do echo "got $l"; done < loop.txt
if true; then echo "if-out"; fi >> loop.txt; tail -n 1 loop.txt
ls -d out.txt copy.txt three.txt | sort
