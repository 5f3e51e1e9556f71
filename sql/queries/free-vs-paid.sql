-- title: Plays and listeners, free vs paid
SELECT f.level, COUNT(*) AS plays, COUNT(DISTINCT f.user_id) AS listeners
FROM analytics.f_songplays AS f
GROUP BY f.level
ORDER BY plays DESC;
