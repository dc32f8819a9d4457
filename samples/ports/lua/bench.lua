-- CPU-heavy Lua for `npm run bench` (tools/bench.ts): float arithmetic (a small n-body), table churn and sorting,
-- string building and pattern matching, closures and method calls. Prints a few checksums (compared across runs).
local function nbody(steps)
  local b = {}
  for i = 1, 5 do b[i] = {x = i, y = i * 0.5, z = -i, vx = 0.01 * i, vy = 0, vz = 0.02, m = 1 / i} end
  for _ = 1, steps do
    for i = 1, 5 do
      local bi = b[i]
      for j = i + 1, 5 do
        local bj = b[j]
        local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
        local d2 = dx * dx + dy * dy + dz * dz
        local mag = 0.001 / (d2 * math.sqrt(d2))
        bi.vx, bi.vy, bi.vz = bi.vx - dx * bj.m * mag, bi.vy - dy * bj.m * mag, bi.vz - dz * bj.m * mag
        bj.vx, bj.vy, bj.vz = bj.vx + dx * bi.m * mag, bj.vy + dy * bi.m * mag, bj.vz + dz * bi.m * mag
      end
    end
    for i = 1, 5 do local p = b[i]; p.x, p.y, p.z = p.x + 0.001 * p.vx, p.y + 0.001 * p.vy, p.z + 0.001 * p.vz end
  end
  return b[1].x + b[2].y + b[3].z
end

local function tables(n)
  local t, seed = {}, 42
  for i = 1, n do seed = (seed * 1103515245 + 12345) % 2147483648; t[i] = {key = seed % 100000, name = "n" .. i} end
  table.sort(t, function(a, b) return a.key < b.key or (a.key == b.key and a.name < b.name) end)
  local groups = {}
  for _, e in ipairs(t) do local g = e.key % 97; groups[g] = (groups[g] or 0) + 1 end
  return t[1].key + t[n].key + groups[13]
end

local function strings(n)
  local parts = {}
  for i = 1, n do parts[i] = string.format("%d:%x:%s;", i, i * 31, ("ab"):rep(i % 5)) end
  local s = table.concat(parts)
  local count, sum = 0, 0
  for a, b in s:gmatch("(%d+):(%x+)") do count = count + 1; sum = (sum + tonumber(b, 16) - tonumber(a)) % 1000003 end
  return #s + count + sum + #s:gsub("ab", "x")
end

local Account = {}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b}, Account) end
function Account:deposit(v) self.balance = self.balance + v end
local function objects(n)
  local acc, adders = Account.new(0), {}
  for i = 1, 10 do adders[i] = function(x) return x + i end end
  for i = 1, n do acc:deposit(adders[i % 10 + 1](i) % 7) end
  return acc.balance
end

print(string.format("nbody %.9f", nbody(20000)))
print("tables", tables(20000))
print("strings", strings(20000))
print("objects", objects(200000))
