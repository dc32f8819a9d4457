# Deterministic messages on stderr: the shell's own errors (command not found, bad redirection, exit status
# 127 and 126) and applets' error messages, interleaved with stdout through 2>&1.
echo "to stdout"
echo "to stderr" >&2
nosuchcommand_xyz; echo "not found status: $?"
./missing-script; echo "missing ./ status: $?"
echo 'echo hi' > noexec.sh; ./noexec.sh; echo "not executable status: $?"
cat no-such-file; echo "cat status: $?"
cat < no-such-input; echo "redirect status: $?"
{ echo out; echo err >&2; echo out2; } 2>&1
printf '%s\n' "done"
exit 1
