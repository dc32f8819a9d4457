-- A short Lua run for both engines (the interpreter too): a little of everything, then an uncaught error whose
-- message and traceback go to stderr, and exit status 1.
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
local t = {}
for i = 1, 10 do t[#t + 1] = string.format("%d!=%d", i, fact(i)) end
print(table.concat(t, " "))
print(string.format("%.5f %g %s", math.pi, 1 / 7, 2 ^ 63), select("#", 1, nil, 3), ("%q"):format("tab\there"))
local co = coroutine.wrap(function(a) local b = coroutine.yield(a * 2); return a + b end)
print(co(20), co(1), pcall(error, "caught"))
io.stderr:write("to stderr\n")
local function inner() error({}) end
local function outer() local ok, e = pcall(inner); assert(not ok and type(e) == "table"); error("uncaught " .. #t) end
outer()
