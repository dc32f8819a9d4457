# Here-documents: expanding <<EOF, literal <<'EOF', tab-stripping <<-EOF, into pipelines, loops and functions.
name=world
n=3
cat <<EOF
hello $name
arith $((n * 2)) subst $(echo sub) backtick `echo bt`
escaped \$name and \`not run\`
EOF
cat <<'EOF'
literal $name $((n * 2)) $(echo sub)
EOF
cat <<"EOF"
double-quoted delimiter $name
EOF
cat <<-EOF
	indented with a tab $name
		deeper
	EOF
tr a-z A-Z <<EOF | sed 's/^/> /'
piped through tr
and sed
EOF
while read -r a b; do echo "$b $a"; done <<EOF
1 one
2 two
3 three
EOF
f() {
  cat <<EOF
in function: $1
EOF
}
f arg1
f arg2
cat <<A; cat <<B
first doc
A
second doc
B
wc -l <<EOF
$(seq 1 40)
EOF
big=$(seq 1 3000)
cat <<EOF | tail -n 1
$big
EOF
x=$(cat <<EOF
captured $name
EOF
)
echo "$x"
cat <<EOF
EOF
echo "empty doc ok"
