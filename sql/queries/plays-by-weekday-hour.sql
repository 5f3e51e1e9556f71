-- title: Plays by weekday and hour (0 = Sunday)
SELECT t.weekday, t.hour, COUNT(*) AS plays
FROM analytics.f_songplays AS f
JOIN analytics.d_time AS t ON f.start_time = t.start_time
GROUP BY t.weekday, t.hour
ORDER BY t.weekday, t.hour;
