# /dev/null as a source and a sink (the only script that needs a /dev).
echo "discarded" > /dev/null; echo "write: $?"
cat /dev/null; echo "read empty: $?"
wc -c < /dev/null
ls no-such-file 2> /dev/null; echo "ls status with stderr discarded: $?"
seq 1 1000 > /dev/null && echo "seq to null"
read -r x < /dev/null; echo "read from null: $?"
exec 3> /dev/null; echo hidden >&3; exec 3>&-
echo "fd 3 to null ok"
[ -c /dev/null ] && echo "is a character device"
command -v nosuchcommand > /dev/null 2>&1 || echo "nosuchcommand not found"
