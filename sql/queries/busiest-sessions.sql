-- title: Busiest sessions
SELECT f.session_id, f.user_id, u.first_name, u.last_name, COUNT(*) AS plays,
       MIN(f.start_time) AS started, MAX(f.start_time) AS last_play
FROM analytics.f_songplays AS f
JOIN analytics.d_users AS u ON f.user_id = u.user_id
GROUP BY f.session_id, f.user_id, u.first_name, u.last_name
ORDER BY plays DESC, f.session_id
LIMIT 10;
