# Functions and case: arguments, local, return status, recursion (also through command substitution), $@ vs $*,
# shift, case patterns.
greet() { echo "hello $1 ($# args)"; }
greet alice
greet bob extra args
ret() { return $1; }
ret 0; echo "ret 0 -> $?"
ret 42; echo "ret 42 -> $?"
x=global
setlocal() { local x=local; echo "inside: $x"; }
setlocal; echo "outside: $x"
setglobal() { x=changed; }
setglobal; echo "now: $x"
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
echo "fact 10 = $(fact 10)"
fib() { local n=$1; if [ $n -lt 2 ]; then r=$n; return; fi; fib $((n - 1)); local a=$r; fib $((n - 2)); r=$((a + r)); }
fib 15; echo "fib 15 = $r"
count() { echo "$#"; }
set -- "a b" c "d e f"
echo "\$@ -> $(count "$@"), \$* -> $(count $*), \"\$*\" -> $(count "$*")"
showargs() { while [ $# -gt 0 ]; do echo "arg: $1"; shift; done; }
showargs "$@"
classify() {
  case $1 in
    [0-9]|[0-9][0-9]) echo "$1: small number" ;;
    *.txt) echo "$1: text file" ;;
    a*|b*) echo "$1: starts with a or b" ;;
    '') echo "(empty)" ;;
    *) echo "$1: other" ;;
  esac
}
for w in 7 42 123 notes.txt apple banana zebra ""; do classify "$w"; done
case "x y" in "x y") echo "quoted pattern";; esac
pipeline_fn() { tr a-z A-Z | sed 's/^/fn: /'; }
echo piped | pipeline_fn
redir_fn() { echo "into file"; } > fn.txt
redir_fn; cat fn.txt
nested() { inner() { echo "inner defined"; }; inner; }
nested; inner
unset -f inner; inner 2> e.txt || echo "inner removed"
type greet | head -n 1
