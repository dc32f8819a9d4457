# Background jobs: &, $!, wait, wait PID exit statuses, several jobs at once, sleep in the background.
( sleep 0.1; echo job-a > a.out ) &
pa=$!
( echo job-b > b.out; exit 3 ) &
pb=$!
wait $pb; echo "wait b: $?"
wait $pa; echo "wait a: $?"
cat a.out b.out
[ "$pa" != "$pb" ] && echo "distinct pids"
[ "$pa" -gt 0 ] && echo "pid positive"
sleep 0.1 &
wait; echo "wait all: $?"
for i in 1 2 3 4 5; do ( echo "worker $i" > w$i.out; exit $i ) & done
wait
cat w1.out w2.out w3.out w4.out w5.out
st=""
for i in 1 2 3; do sh -c "exit $((i * 10))" & eval "p$i=\$!"; done
for i in 1 2 3; do eval "wait \$p$i"; st="$st $?"; done
echo "statuses:$st"
sleep 5 &
k=$!
kill $k
wait $k; echo "killed job: $?"
true &
wait $!; echo "true job: $?"
(sleep 0.1; echo late) &
echo early
wait
echo "done"
