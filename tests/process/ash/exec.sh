# exec: redirections of the shell itself (open, write, dup, close, redirect stdin and stdout) and, at the end,
# exec of a command that replaces the shell (its status is the script's status; nothing after it runs).
exec 3> fd3.txt
echo "written via fd 3" >&3
echo "second line" >&3
exec 3>&-
cat fd3.txt
echo "x" 2> e.txt >&3; echo "fd 3 closed: $?"
printf 'l1\nl2\nl3\n' > in.txt
exec 5< in.txt
read -r a <&5; read -r b <&5
echo "read $a then $b"
exec 5<&-
exec 6>&1
exec > redirected.txt
echo "this goes to the file"
exec 1>&6 6>&-
echo "stdout restored"
cat redirected.txt
exec 7> seven.txt 8>&7
echo via7 >&7; echo via8 >&8
exec 7>&- 8>&-
cat seven.txt
( exec echo "exec in a subshell" ); echo "subshell exec status: $?"
( exec sh -c 'exit 9' ); echo "exec sh status: $?"
( exec 2>&1; ls no-such-thing > /nonexistent-dir/x ) | wc -l
exec 0< in.txt
read -r first; echo "stdin now the file: $first"
cat
exec sh -c 'echo "replaced by sh -c with $1"; exit 4' sh argument
echo "not reached"
