-- The two schemas of the model: raw data as loaded (staging) and the star
-- schema analysts query (analytics).

-- name: create schema staging
CREATE SCHEMA IF NOT EXISTS staging;

-- name: create schema analytics
CREATE SCHEMA IF NOT EXISTS analytics;
