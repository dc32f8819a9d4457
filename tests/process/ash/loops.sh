# Loops running external commands: for over $(seq), while read from a file, until, break/continue, nesting.
# /bin/true by absolute path is a real execve of a file (natively the host's true, in the guest busybox's);
# applets by name run as busybox itself (Debian builds it with FEATURE_SH_STANDALONE: fork, or exec /proc/self/exe).
for i in $(seq 1 50); do /bin/true; done; echo done
c=0
for i in $(seq 1 30); do
  if expr $i % 3 = 0 > x.txt; then c=$((c + 1)); fi
done
echo "multiples of 3: $c"
seq 1 5 > lines.txt
while read line; do echo "line $line squared $(expr $line \* $line)"; done < lines.txt
i=0
until [ $i -ge 4 ]; do i=$((i + 1)); printf '%s ' "$i"; done; echo
for i in 1 2 3 4 5 6 7 8; do
  [ $i -eq 2 ] && continue
  [ $i -eq 6 ] && break
  echo "i=$i"
done
for a in x y; do for b in 1 2; do printf '%s%s ' $a $b; done; done; echo
n=0
while :; do n=$((n + 1)); [ $n -lt 20 ] || break; done; echo "n=$n"
for f in a b c; do echo "content $f" > "file-$f"; done
for f in file-*; do cat "$f"; done
total=0
while read -r w; do total=$((total + $(echo "$w" | wc -c))); done <<EOF
alpha
beta
gamma
EOF
echo "total chars: $total"
for i in $(seq 1 20); do echo $i; done | while read x; do [ $((x % 5)) -eq 0 ] && echo "five: $x"; done
k=0
while [ $k -lt 10 ]; do k=$(expr $k + 1); done; echo "k=$k"
for word in "quoted words" stay together; do echo "[$word]"; done
