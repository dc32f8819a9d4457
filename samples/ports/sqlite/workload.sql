-- SQLite workload for the sample ports (run as `sqlite3 -init /dev/null -batch ports.db < workload.sql` in an empty
-- directory): tables and indexes in a database file, a few thousand rows from recursive CTEs, joins, aggregates,
-- window functions, printf/round of floats, JSON, strings, a transaction rolled back, an error, and the shell's
-- output modes. The native build's output is the oracle.
.headers on
.mode list
PRAGMA journal_mode = DELETE;
CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, score REAL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER REFERENCES customer(id), amount REAL, day TEXT);
CREATE INDEX orders_customer ON orders(customer);

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
INSERT INTO customer SELECT i, 'cust' || printf('%03d', i),
  CASE i % 5 WHEN 0 THEN 'Oslo' WHEN 1 THEN 'Lima' WHEN 2 THEN 'Pune' WHEN 3 THEN 'Kyiv' ELSE 'Baku' END,
  (i * 37 % 101) / 7.0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO orders SELECT i, (i * 7919) % 500 + 1, ((i * 104729) % 100000) / 100.0,
  date('2024-01-01', '+' || (i % 366) || ' days') FROM n;

SELECT count(*) AS customers, (SELECT count(*) FROM orders) AS orders FROM customer;
SELECT city, count(*) AS n, round(avg(score), 4) AS avg_score, printf('%.3f', sum(score)) AS total FROM customer
  GROUP BY city ORDER BY city;
SELECT c.city, count(o.id) AS orders, printf('%.2f', sum(o.amount)) AS revenue, round(max(o.amount), 1) AS biggest
  FROM customer c JOIN orders o ON o.customer = c.id GROUP BY c.city HAVING count(o.id) > 900 ORDER BY revenue DESC;
SELECT c.name, printf('%8.2f', sum(o.amount)) AS spent FROM customer c LEFT JOIN orders o ON o.customer = c.id
  GROUP BY c.id ORDER BY sum(o.amount) DESC, c.name LIMIT 5;
SELECT strftime('%m', day) AS month, count(*) AS n, printf('%.4e', avg(amount)) AS avg FROM orders
  GROUP BY month ORDER BY month LIMIT 4;

-- window functions
SELECT id, amount, rank() OVER (ORDER BY amount DESC) AS r,
  printf('%.2f', sum(amount) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)) AS moving
  FROM orders WHERE customer = 42 ORDER BY id LIMIT 6;

-- floats
SELECT 1.0 / 3, 2.0 / 3 * 3, 0.1 + 0.2, 1e300 * 10, -0.0, round(2.675, 2), round(-1.5), 5 / 2, 5 % 3, 7.5 % 2;
SELECT printf('%.15g|%e|%g|%10.4f|%-8d|%x|%q|%Q', 3.14159265358979, 12345.678, 0.0001, -2.5, 42, 255, 'it''s', NULL);
SELECT cast('12.5abc' AS REAL), cast(3.99 AS INTEGER), typeof(1), typeof(1.0), typeof('1'), typeof(NULL), typeof(x'00');
SELECT abs(-7), max(3, 9, 1), min('b', 'a'), sqrt(2), pow(2, 10), ln(exp(1)), floor(-2.5), ceil(2.1), sign(-3);

-- strings and json
SELECT upper('sqlite'), length('héllo'), substr('abcdef', 2, 3), replace('a-b-c', '-', '+'), instr('hello', 'll'),
  trim('  x  '), hex('AB'), quote('a''b'), 'abc' LIKE 'A%', 'abc' GLOB 'a*', unicode('€'), char(72, 105);
SELECT json_object('id', 7, 'tags', json_array('a', 'b', 1.5)), json_extract('{"a":{"b":[1,2,3]}}', '$.a.b[2]');
SELECT group_concat(name, ';') FROM (SELECT name FROM customer WHERE id % 100 = 0 ORDER BY name);

-- subqueries, CTE, upsert, triggers
CREATE TABLE stats (city TEXT PRIMARY KEY, orders INTEGER);
CREATE TRIGGER stats_log AFTER UPDATE ON stats BEGIN SELECT 1; END;
INSERT INTO stats SELECT city, 0 FROM customer GROUP BY city;
INSERT INTO stats SELECT c.city, count(*) FROM orders o JOIN customer c ON c.id = o.customer WHERE 1 GROUP BY c.city
  ON CONFLICT(city) DO UPDATE SET orders = excluded.orders;
SELECT * FROM stats ORDER BY orders DESC;
WITH RECURSIVE fib(a, b, n) AS (SELECT 0, 1, 0 UNION ALL SELECT b, a + b, n + 1 FROM fib WHERE n < 60)
SELECT n, a FROM fib WHERE n % 15 = 0;
SELECT count(*) FROM orders WHERE customer IN (SELECT id FROM customer WHERE city = 'Pune') AND amount > 500;

-- transactions
BEGIN;
DELETE FROM orders WHERE amount < 900;
SELECT count(*) AS during FROM orders;
ROLLBACK;
SELECT count(*) AS after_rollback FROM orders;
SAVEPOINT sp;
UPDATE customer SET score = score * 2 WHERE city = 'Lima';
RELEASE sp;
SELECT printf('%.6f', sum(score)) FROM customer;

-- an error (to stderr) that does not stop the script
SELECT * FROM no_such_table;
INSERT INTO customer VALUES (1, 'dup', 'X', 0);

-- output modes
.mode csv
SELECT id, name, score FROM customer WHERE id < 4;
.mode column
SELECT id, name, city, round(score, 2) AS score FROM customer WHERE id BETWEEN 10 AND 13;
.mode json
SELECT id, name FROM customer WHERE id IN (1, 2);
.mode box
SELECT city, count(*) AS n FROM customer GROUP BY city ORDER BY city LIMIT 3;
.mode list
PRAGMA integrity_check;
VACUUM;
SELECT page_count > 10 AS pages FROM pragma_page_count;
