# Arithmetic $((..)), test / [ / [[, and parameter expansion forms.
echo $((1 + 2 * 3)) $(( (1 + 2) * 3 )) $((17 / 5)) $((17 % 5)) $((-17 / 5)) $((2 << 10)) $((255 >> 4))
echo $((0x1f)) $((010)) $((7 & 3)) $((7 | 8)) $((7 ^ 2)) $((!0)) $((~0)) $((3 > 2)) $((3 == 4))
i=5; : $((i += 10)); echo "i=$i"; : $((i *= 2)); echo "i=$i"; echo $((i++)) $i $((--i))
echo $(( i > 20 ? 100 : 200 ))
echo $((9223372036854775807)) $((2147483647 + 1)) $((-9223372036854775807 - 1))
a=6 b=7; echo "a*b=$((a * b))"
[ 3 -lt 5 ] && echo "3 < 5"
[ abc = abc ] && echo "strings equal"
[ abc != abd ] && echo "strings differ"
[ -z "" ] && [ -n "x" ] && echo "empty and non-empty"
test 10 -ge 10 && echo "10 >= 10"
touch f.txt; mkdir d
[ -f f.txt ] && [ -d d ] && [ ! -e nope ] && echo "file tests"
[ -s f.txt ] || echo "f.txt is empty"
[ 1 -eq 1 -a 2 -eq 2 ] && echo "-a works"
[ 1 -eq 2 -o 2 -eq 2 ] && echo "-o works"
[[ abc == a* ]] && echo "[[ glob ]]"
[ 1 -gt 2 ]; echo "false test: $?"
[ x -gt 2 ] 2> e.txt; echo "bad test: $?"
s=hello.world.txt
echo "${#s} ${s%.*} ${s%%.*} ${s#*.} ${s##*.}"
echo "${unset:-default} ${unset-dash} ${s:+set} [${unset:+x}]"
: ${assigned:=now-set}; echo "$assigned"
echo "${s:0:5} ${s:6} ${s/o/0} ${s//o/0}"
n=; echo "[${n:-empty}] [${n-null-not-unset}]"
(: ${must:?is required}) 2> e.txt; echo "?-expansion status: $?"
echo $(( $(seq 1 10 | wc -l) * 3 ))
