# Text applets in pipelines over a generated file: sed, awk, sort, uniq, cut, head, tail, tr, wc, grep, paste.
i=1
while [ $i -le 30 ]; do
  echo "$i,name$((i % 7)),$((i * 37 % 101)),$( [ $((i % 2)) -eq 0 ] && echo even || echo odd )"
  i=$((i + 1))
done > data.csv
wc -l < data.csv
head -n 3 data.csv
tail -n 2 data.csv
cut -d, -f2 data.csv | sort | uniq -c
cut -d, -f3 data.csv | sort -n | tail -n 3
sort -t, -k3,3n data.csv | head -n 2
awk -F, '$4 == "even" { s += $3 } END { print "even sum", s }' data.csv
awk -F, '{ c[$2]++ } END { for (k in c) print k, c[k] }' data.csv | sort
sed -n '5,7p' data.csv
sed -e 's/,/;/g' -e '/^1/d' data.csv | head -n 3
sed '/odd/!d' data.csv | wc -l
grep -c even data.csv
grep -n 'name3' data.csv
grep -v -e odd data.csv | cut -c1-6 | head -n 4
tr -d ',' < data.csv | head -n 2
tr '[:lower:]' '[:upper:]' < data.csv | tail -n 1
cut -d, -f1 data.csv | paste -s -d+ | sed 's/$/\n/' | head -n 1
echo "$(cut -d, -f1 data.csv | paste -s -d+)" | bc 2> e.txt || awk -F, '{ s += $1 } END { print s }' data.csv
sort -u -t, -k4,4 data.csv | cut -d, -f4
printf 'b\na\nc\na\nb\n' | sort | uniq -d
printf 'b\na\nc\na\nb\n' | sort | uniq -u
rev < data.csv 2> e.txt | head -n 1
od -c data.csv | head -n 2
md5sum data.csv | cut -d' ' -f1
