# find over a tree the script builds, and xargs: -n, -I, -0, with find -exec, with sort for a stable order.
mkdir -p tree/a/b/c tree/d tree/e
for p in tree/top.txt tree/a/one.txt tree/a/b/two.log tree/a/b/c/three.txt tree/d/four.txt tree/e/five.log; do
  echo "data in $p" > "$p"
done
find tree | sort
echo "--- files named *.txt"
find tree -name '*.txt' -type f | sort
echo "--- directories"
find tree -type d | sort
echo "--- depth"
find tree -maxdepth 1 | sort
find tree -mindepth 3 -type f | sort
echo "--- exec"
find tree -name '*.log' -exec cat {} \; | sort
find tree -name '*.txt' -exec echo found {} + | tr ' ' '\n' | grep -c txt
echo "--- xargs"
find tree -type f | sort | xargs cat | wc -l
find tree -type f | sort | xargs -n 2 echo | head -n 2
seq 1 10 | xargs -n 3 echo
echo a b c | xargs -I X echo "item X"
printf 'one\0two words\0three\0' | xargs -0 -n 1 echo | sed 's/^/z: /'
find tree -name '*.log' -print0 | sort -z | xargs -0 wc -l | sort
echo x y z | xargs -n 1 sh -c 'echo "sh got $0"'
seq 1 200 | xargs echo | wc -w
find tree -type f | xargs rm
find tree -type f | wc -l
echo "--- empty input"
printf '' | xargs echo "empty-run"
printf '' | xargs -r echo "should not print"
echo "done"
