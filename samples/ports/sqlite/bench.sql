-- CPU-heavy SQL for `npm run bench` (tools/bench.ts), on an in-memory database: 10,000 rows from a recursive CTE,
-- an index, grouping, a join, sorting, window functions and float formatting. Prints a few aggregates.
CREATE TABLE item (id INTEGER PRIMARY KEY, grp INTEGER, price REAL, label TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO item SELECT i, (i * 7919) % 100, ((i * 104729) % 100000) / 100.0, printf('item-%06d', (i * 31) % 100000) FROM n;
CREATE INDEX item_grp ON item(grp);
CREATE TABLE grp AS SELECT grp AS id, count(*) AS n, avg(price) AS avg_price FROM item GROUP BY grp;
SELECT count(*), printf('%.4f', sum(price)), printf('%.6f', avg(price)) FROM item;
SELECT printf('%.3f', sum(i.price * g.avg_price) / 1e6) FROM item i JOIN grp g ON g.id = i.grp WHERE i.price > 500;
SELECT label FROM item ORDER BY label DESC, id LIMIT 1 OFFSET 500;
SELECT grp, printf('%.2f', total) FROM (SELECT grp, sum(price) AS total, rank() OVER (ORDER BY sum(price) DESC) AS r
  FROM item GROUP BY grp) WHERE r <= 3 ORDER BY r;
SELECT count(DISTINCT substr(label, 6, 3)), max(length(label || id)) FROM item WHERE label LIKE 'item-0%';
UPDATE item SET price = round(price * 1.1, 2) WHERE grp % 3 = 0;
SELECT printf('%.2f', sum(price)) FROM item;
