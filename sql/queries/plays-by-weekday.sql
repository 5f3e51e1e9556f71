-- title: Plays by weekday (chart: one label, one number)
SELECT CASE t.weekday WHEN 0 THEN 'Sun' WHEN 1 THEN 'Mon' WHEN 2 THEN 'Tue' WHEN 3 THEN 'Wed'
                      WHEN 4 THEN 'Thu' WHEN 5 THEN 'Fri' ELSE 'Sat' END AS weekday,
       COUNT(*) AS plays
FROM analytics.f_songplays AS f
JOIN analytics.d_time AS t ON f.start_time = t.start_time
GROUP BY t.weekday
ORDER BY t.weekday;
