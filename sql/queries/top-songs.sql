-- title: Top 10 songs by plays
SELECT s.title, a.name AS artist, COUNT(*) AS plays
FROM analytics.f_songplays AS f
JOIN analytics.d_songs AS s ON f.song_id = s.song_id
JOIN analytics.d_artists AS a ON f.artist_id = a.artist_id
GROUP BY s.title, a.name
ORDER BY plays DESC, s.title
LIMIT 10;
