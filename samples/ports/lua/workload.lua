-- Lua workload for the sample ports: strings and patterns, tables and sorting, closures, metatables, coroutines,
-- integer and float arithmetic, string.format of floats, pcall/error, utf8, string.pack and io on a file in the
-- current directory. Deterministic: no addresses, times or hash-order iteration reach the output (the native
-- build's output is the oracle).
local function say(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  io.write(table.concat(t, " ", 1, t.n), "\n")
end

-- strings and patterns
local s = "The quick brown fox jumps over the lazy dog"
say("upper", s:upper(), #s)
say("gsub", (s:gsub("%w+", function(w) return w:sub(1, 1):upper() .. w:sub(2):reverse() end)))
local words = {}
for w in s:gmatch("%a+") do words[#words + 1] = w end
table.sort(words, function(a, b) return a:lower() < b:lower() end)
say("sorted", table.concat(words, ","))
say("find", s:find("fox"), s:match("(%a+) dog"), ("x"):rep(5, "-"))
say("byte", s:byte(1, 5))
say("format", string.format("%5d|%-5s|%x|%X|%o|%q|%c", 42, "ab", 255, 255, 8, "a\nb\"c", 65))

-- floats
local fl = {0.1, 1 / 3, -2.5, 1e300, 1e-300, 123456789.123, math.pi, -0.0, 2 ^ 53, 1e15 / 7}
for _, x in ipairs(fl) do
  say("float", string.format("%.17g %.3f %e %g %a", x, x, x, x, x), tostring(x), math.floor(x * 1000) / 1000)
end
say("math", math.sqrt(2), math.sin(1), math.cos(1), math.exp(1), math.log(10), math.log(8, 2), math.atan(1, 2))
say("math2", math.fmod(7.5, 2), 7 // 2, 7.0 // 2, -7 // 2, 7 % -3, -7.5 % 2, 2 ^ 0.5, math.tointeger(3.0))
say("ints", math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, 1 << 62, -1 >> 1, 5 & 3, 5 | 3, 5 ~ 3)
say("conv", tonumber("0x1p4"), tonumber("  12  "), tonumber("1e2"), tonumber("z", 36), tonumber("nope"), 10 / 0, -10 / 0)
say("nan", tostring(0 / 0) == tostring(0 / 0), (0 / 0) ~= (0 / 0))
say("round", string.format("%.2f %.0f %.0f %.1f", 2.675, 0.5, 1.5, 0.05))

-- tables
local t = {}
for i = 1, 1000 do t[i] = (i * 7919) % 1009 end
table.sort(t)
say("table", t[1], t[500], t[1000], #t)
local m = {}
for i = 1, 200 do m["k" .. i] = i * i end
local keys = {}
for k in pairs(m) do keys[#keys + 1] = k end
table.sort(keys)
say("keys", #keys, keys[1], keys[2], keys[200], m.k150)
table.insert(t, 1, -1)
table.remove(t, 2)
say("insert/remove", t[1], t[2], #t, table.unpack({1, 2, 3}))
say("move", table.concat(table.move({1, 2, 3, 4, 5}, 2, 4, 1), " "))

-- closures
local function counter()
  local n = 0
  return function(d) n = n + (d or 1); return n end
end
local c1, c2 = counter(), counter()
c1(); c1(5); c2(10)
say("closures", c1(), c2())
local function memo(f)
  local cache = {}
  return function(n)
    local v = cache[n]
    if not v then v = f(n); cache[n] = v end
    return v
  end
end
local fib
fib = memo(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
say("fib", fib(80))

-- metatables
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, V) end
V.__tostring = function(v) return string.format("(%g,%g)", v.x, v.y) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a.x < b.x end
V.__len = function() return 2 end
V.__call = function(v, k) return v.x * k end
local a, b = setmetatable({x = 1, y = 2}, V), setmetatable({x = 3.5, y = -1}, V)
say("meta", tostring(a + b), a == setmetatable({x = 1, y = 2}, V), a < b, #a, a(10))
local proxy = setmetatable({}, {__index = function(_, k) return k .. "!" end, __newindex = function(t2, k, v) rawset(t2, k, v * 2) end})
proxy.z = 21
say("proxy", proxy.hello, proxy.z)

-- coroutines
local gen = coroutine.wrap(function()
  for i = 1, 5 do coroutine.yield(i * i) end
  return "done"
end)
local got = {}
for _ = 1, 6 do got[#got + 1] = tostring(gen()) end
say("coroutine", table.concat(got, " "))
local co = coroutine.create(function(x, y)
  local z = coroutine.yield(x + y)
  local w = coroutine.yield(z * 2)
  error("boom " .. w)
end)
say("resume", coroutine.resume(co, 1, 2))
say("resume", coroutine.resume(co, 10))
say("resume", coroutine.resume(co, "w"))
say("status", coroutine.status(co), coroutine.isyieldable())

-- errors
say("pcall", pcall(error, "plain", 0))
say("pcall", select(2, pcall(error, {code = 7})).code)
say("pcall", select(2, pcall(function() local x = nil; return x.y end)))
say("xpcall", xpcall(function() error("deep") end, function(e) return "handled: " .. e end))
say("error obj", select(2, pcall(error, setmetatable({}, {__tostring = function() return "custom" end}))) ~= nil)
say("assert", pcall(assert, false, "assertion msg"))
say("arith err", select(2, pcall(function() return {} + 1 end)))
local ok, err = pcall(string.rep)
say("bad arg", ok, err)

-- utf8 and string.pack
say("utf8", utf8.char(72, 228, 8364, 128512), utf8.len("häll€"), utf8.codepoint("€"))
for p, cp in utf8.codes("aé€") do io.write(p, ":", cp, " ") end
io.write("\n")
local packed = string.pack("<i4 d s1 z", -2, 1.5, "hi", "zero")
say("pack", #packed, string.unpack("<i4 d s1 z", packed))

-- io on a file
local f = assert(io.open("lua-workload.txt", "w"))
for i = 1, 100 do f:write(string.format("line %d %.3f\n", i, i / 7)) end
f:close()
local n, total = 0, 0
for line in io.lines("lua-workload.txt") do
  n = n + 1
  total = total + tonumber(line:match("([%d.]+)$"))
end
f = io.open("lua-workload.txt")
f:seek("set", 7)
say("io", n, string.format("%.3f", total), f:read("l"), f:seek("end"))
f:close()
say("remove", os.remove("lua-workload.txt"), io.open("lua-workload.txt") == nil)

-- a little work: primes and string building
local sieve, primes = {}, 0
for i = 2, 100000 do
  if not sieve[i] then
    primes = primes + 1
    for j = i * i, 100000, i do sieve[j] = true end
  end
end
local parts = {}
for i = 1, 2000 do parts[#parts + 1] = string.format("%04x", (i * 2654435761) % 65536) end
local joined = table.concat(parts)
local sum = 0
for i = 1, #joined do sum = (sum * 31 + joined:byte(i)) % 1000000007 end
say("work", primes, #joined, sum)
say("gc", collectgarbage("step") ~= nil, type(collectgarbage("count")))
os.exit(3)
