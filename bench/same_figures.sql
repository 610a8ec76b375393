-- The report's deployment and victims figures for every London borough in one hand-written
-- statement: what a DBA would write from the definitions in the README ("The monthly report: how
-- each figure is counted") to get the same numbers without the application. bench/run.py times
-- it beside the reports and checks every borough report's figures (and the roll-up's) against it.
-- Parameters: %(start)s, %(end)s (the month's London midnights), %(first)s, %(last)s (its days),
-- %(tz)s, %(longest)s (MAX_SHIFT_HOURS), %(longest_abstraction)s (MAX_ABSTRACTION_DAYS),
-- %(max_flex_days)s, %(away_seconds)s (COVER_AWAY_HOURS), %(min_pcs)s, %(min_pcsos)s.
-- The month is a closed one: each flex's status is the one it had at %(end)s.
-- The victims section: the Victims' Code visit offers of the crimes reported in the month, each
-- as it stood at the month's end (an offer recorded after the end had no state then, so was not
-- made): victims, offers made, made on time (first attempt on a London date on or before the due
-- date), accepted, visits completed, completed in their window, the satisfaction scores of the
-- completed visits recorded before the month's end (sum and count; a score given later was not
-- known then) and repeat victims.
WITH
ward AS MATERIALIZED (SELECT id, borough_id FROM wards_ward),
flex AS MATERIALIZED (               -- every flex request, with its status at the month's end
    SELECT f.*, COALESCE(f.ended_on, f.end_date) AS last_day,
           COALESCE((SELECT t.from_status FROM deployment_flextransition t
                     WHERE t.flex_request_id = f.id AND t.at >= %(end)s
                     ORDER BY t.at, t.id LIMIT 1), f.status) AS status_then
    FROM deployment_flexrequest f
),
held_window AS MATERIALIZED (        -- the daily windows of authorised flexes, around the month
    SELECT f.id AS flex_id, f.to_ward_id, m.officer_id,
           tstzrange((g::date + f.daily_start) AT TIME ZONE %(tz)s,
                     (g::date + CASE WHEN f.daily_end <= f.daily_start THEN 1 ELSE 0 END
                      + f.daily_end) AT TIME ZONE %(tz)s) AS r
    FROM flex f
    JOIN deployment_flexofficer m ON m.flex_request_id = f.id
    CROSS JOIN LATERAL generate_series(GREATEST(f.start_date, %(first)s::date - 1),
                                       LEAST(f.last_day, %(last)s::date), '1 day') AS g
    WHERE f.status_then IN ('approved', 'active', 'ended')
),
duty AS MATERIALIZED (               -- the month's part of every duty
    SELECT d.id, d.officer_id, d.home_ward_id, d.worked_ward_id, d.kind, w.borough_id,
           tstzrange(GREATEST(d.starts_at, %(start)s), LEAST(d.ends_at, %(end)s)) AS r
    FROM deployment_duty d
    JOIN ward w ON w.id = d.home_ward_id
    WHERE d.starts_at >= %(start)s::timestamptz - %(longest)s
      AND d.starts_at < %(end)s AND d.ends_at > %(start)s
),
duty_away AS (                       -- the abstractions inside each duty
    SELECT d.id, range_agg(d.r * tstzrange(a.starts_at, a.ends_at)) AS r
    FROM duty d
    JOIN deployment_abstraction a ON a.officer_id = d.officer_id
     AND a.starts_at < upper(d.r) AND a.ends_at > lower(d.r)
    GROUP BY d.id
),
duty_held AS (                       -- the authorised windows over each flexed duty
    SELECT d.id, range_agg(hw.r) AS r
    FROM duty d
    JOIN held_window hw ON hw.officer_id = d.officer_id AND hw.to_ward_id = d.worked_ward_id
                       AND hw.r && d.r
    WHERE d.kind = 'flexed'
    GROUP BY d.id
),
duty_split AS (                      -- each duty's abstracted, flexed and authorised seconds
    SELECT d.borough_id,
           EXTRACT(EPOCH FROM upper(d.r) - lower(d.r)) AS seconds,
           (SELECT COALESCE(SUM(EXTRACT(EPOCH FROM upper(x) - lower(x))), 0)
            FROM unnest(COALESCE(aw.r, '{}')) x) AS abstracted,
           CASE WHEN d.kind = 'flexed' THEN
               (SELECT COALESCE(SUM(EXTRACT(EPOCH FROM upper(x) - lower(x))), 0)
                FROM unnest(tstzmultirange(d.r) - COALESCE(aw.r, '{}')) x) ELSE 0 END AS flexed,
           CASE WHEN d.kind = 'flexed' THEN
               (SELECT COALESCE(SUM(EXTRACT(EPOCH FROM upper(x) - lower(x))), 0)
                FROM unnest((tstzmultirange(d.r) - COALESCE(aw.r, '{}'))
                            * COALESCE(h.r, '{}')) x) ELSE 0 END AS authorised
    FROM duty d
    LEFT JOIN duty_away aw ON aw.id = d.id
    LEFT JOIN duty_held h ON h.id = d.id
),
duty_totals AS (
    SELECT borough_id, COUNT(*) AS duties, SUM(seconds) AS rostered,
           SUM(abstracted) AS abstracted_in, SUM(flexed) AS flexed,
           SUM(authorised) AS authorised
    FROM duty_split GROUP BY 1
),
outside AS (                         -- abstracted seconds outside any duty, by the abstraction's borough
    SELECT a.borough_id,
           SUM((SELECT COALESCE(SUM(EXTRACT(EPOCH FROM upper(x) - lower(x))), 0)
                FROM unnest(tstzmultirange(tstzrange(GREATEST(a.starts_at, %(start)s),
                                                     LEAST(a.ends_at, %(end)s)))
                            - COALESCE((SELECT range_agg(tstzrange(d.starts_at, d.ends_at))
                                        FROM deployment_duty d
                                        WHERE d.officer_id = a.officer_id
                                          AND d.starts_at < a.ends_at
                                          AND d.ends_at > a.starts_at), '{}')) x)) AS seconds
    FROM deployment_abstraction a
    WHERE a.starts_at < %(end)s AND a.ends_at > %(start)s
      AND a.starts_at > %(start)s::timestamptz - %(longest_abstraction)s
    GROUP BY 1
),
authorised AS (                      -- requests authorised whose days overlap the month
    SELECT borough_id, COUNT(*) AS requests
    FROM flex
    WHERE status_then IN ('approved', 'active', 'ended')
      AND start_date <= %(last)s AND last_day >= %(first)s
    GROUP BY 1
),
refused AS (
    SELECT borough_id, COUNT(*) AS requests
    FROM flex
    WHERE status = 'rejected' AND decided_at >= %(start)s AND decided_at < %(end)s
    GROUP BY 1
),
reviewed AS (                        -- each authorised flex's first review
    SELECT f.*,
           LEAST(f.last_reviewed_at,
                 (SELECT MIN(t.at) FROM deployment_flextransition t
                  WHERE t.flex_request_id = f.id AND t.from_status = 'active'
                    AND t.to_status = 'active')) AS first_review
    FROM flex f
    WHERE f.status_then IN ('approved', 'active', 'ended')
      AND f.review_due <= %(last)s AND f.end_date >= f.review_due
      AND (f.ended_on IS NULL OR f.ended_on > f.review_due)
),
reviews AS (                         -- missed (due in the month) and unreviewed at its end
    SELECT borough_id,
           COUNT(*) FILTER (WHERE review_due >= %(first)s
                              AND (first_review IS NULL
                                   OR (first_review AT TIME ZONE %(tz)s)::date > review_due))
               AS overdue,
           COUNT(*) FILTER (WHERE last_day >= %(first)s
                              AND review_due >= %(first)s::date - %(max_flex_days)s
                              AND (first_review IS NULL OR first_review >= %(end)s)
                              AND (first_review IS NULL
                                   OR (first_review AT TIME ZONE %(tz)s)::date > review_due))
               AS unreviewed
    FROM reviewed GROUP BY 1
),
day AS (
    SELECT g::date AS day,
           tstzrange((g::date)::timestamp AT TIME ZONE %(tz)s,
                     (g::date + 1)::timestamp AT TIME ZONE %(tz)s) AS r
    FROM generate_series(%(first)s::date, %(last)s::date, '1 day') AS g
),
posted AS MATERIALIZED (             -- dedicated PCs and PCSOs posted to each ward each day
    SELECT DISTINCT t.ward_id, p.officer_id, o.rank, day.day, day.r
    FROM teams_posting p
    JOIN teams_team t ON t.id = p.team_id
    JOIN teams_officer o ON o.id = p.officer_id
    JOIN day ON day.day >= p.start_date AND (p.end_date IS NULL OR day.day <= p.end_date)
    WHERE t.ward_id IS NOT NULL AND p.role = 'dedicated' AND o.rank IN ('pc', 'pcso')
),
held AS (                            -- what held each officer away, around the month
    SELECT a.officer_id, tstzrange(a.starts_at, a.ends_at) AS r
    FROM deployment_abstraction a
    WHERE a.starts_at < %(end)s AND a.ends_at > %(start)s
    UNION ALL
    SELECT officer_id, r FROM held_window
),
away AS (                            -- officer-days held elsewhere long enough to leave cover
    SELECT t.officer_id, t.day
    FROM (
        SELECT h.officer_id, day.day, range_agg(h.r * day.r) AS held
        FROM held h JOIN day ON h.r && day.r
        GROUP BY 1, 2
    ) AS t
    WHERE (SELECT SUM(EXTRACT(EPOCH FROM upper(x) - lower(x))) FROM unnest(t.held) x)
          >= %(away_seconds)s
),
ward_day AS (                        -- every ward, every day: posted and present PCs and PCSOs
    SELECT w.id AS ward_id, w.borough_id, day.day,
           COUNT(ps.officer_id) FILTER (WHERE ps.rank = 'pc') AS posted_pcs,
           COUNT(ps.officer_id) FILTER (WHERE ps.rank = 'pcso') AS posted_pcsos,
           COUNT(ps.officer_id) FILTER (WHERE ps.rank = 'pc' AND away.officer_id IS NULL)
               AS present_pcs,
           COUNT(ps.officer_id) FILTER (WHERE ps.rank = 'pcso' AND away.officer_id IS NULL)
               AS present_pcsos
    FROM ward w CROSS JOIN day
    LEFT JOIN posted ps ON ps.ward_id = w.id AND ps.day = day.day
    LEFT JOIN away ON away.officer_id = ps.officer_id AND away.day = ps.day
    GROUP BY 1, 2, 3
),
cover AS (
    SELECT borough_id,
           COUNT(*) FILTER (WHERE posted_pcs < %(min_pcs)s OR posted_pcsos < %(min_pcsos)s)
               AS posted_strength,
           COUNT(*) FILTER (WHERE present_pcs < %(min_pcs)s OR present_pcsos < %(min_pcsos)s)
               AS cover
    FROM ward_day GROUP BY 1
),
offer AS MATERIALIZED (              -- the month's crimes' offers, each with its status at the end
    SELECT c.borough_id, o.due_date, o.offered_at, o.completed_at, o.window_end,
           CASE WHEN o.satisfaction_recorded_at < %(end)s THEN o.satisfaction END AS satisfaction,
           v.is_repeat,
           COALESCE((SELECT t.from_status FROM victims_visittransition t
                     WHERE t.offer_id = o.id AND t.at >= %(end)s
                     ORDER BY t.at, t.id LIMIT 1), o.status) AS status_then
    FROM victims_crime c
    JOIN victims_victim v ON v.crime_id = c.id
    JOIN victims_visitoffer o ON o.victim_id = v.id
    WHERE c.reported_at >= %(start)s AND c.reported_at < %(end)s
),
victims AS (
    SELECT borough_id, COUNT(*) AS victims,
           COUNT(*) FILTER (WHERE made) AS made,
           COUNT(*) FILTER (WHERE made AND (offered_at AT TIME ZONE %(tz)s)::date <= due_date)
               AS on_time,
           COUNT(*) FILTER (WHERE status_then IN ('accepted', 'scheduled', 'completed',
                                                  'missed', 'cancelled')) AS accepted,
           COUNT(*) FILTER (WHERE status_then = 'completed') AS completed,
           COUNT(*) FILTER (WHERE status_then = 'completed' AND completed_at <= window_end)
               AS completed_on_time,
           SUM(satisfaction) FILTER (WHERE status_then = 'completed') AS satisfaction_sum,
           COUNT(satisfaction) FILTER (WHERE status_then = 'completed') AS satisfaction_n,
           COUNT(*) FILTER (WHERE is_repeat) AS repeats
    FROM (SELECT *, status_then IN ('offered', 'declined', 'no_reply', 'accepted', 'scheduled',
                                    'completed', 'missed', 'cancelled') AS made
          FROM offer) AS o
    GROUP BY 1
)
SELECT b.id,
       COALESCE(dt.duties, 0), COALESCE(dt.rostered, 0), COALESCE(dt.abstracted_in, 0),
       COALESCE(o.seconds, 0), COALESCE(dt.flexed, 0), COALESCE(dt.authorised, 0),
       COALESCE(c.posted_strength, 0), COALESCE(c.cover, 0), COALESCE(a.requests, 0),
       COALESCE(r.requests, 0), COALESCE(rv.overdue, 0), COALESCE(rv.unreviewed, 0),
       COALESCE(v.victims, 0), COALESCE(v.made, 0), COALESCE(v.on_time, 0),
       COALESCE(v.accepted, 0), COALESCE(v.completed, 0), COALESCE(v.completed_on_time, 0),
       COALESCE(v.repeats, 0), COALESCE(v.satisfaction_sum, 0), COALESCE(v.satisfaction_n, 0)
FROM wards_borough b
LEFT JOIN duty_totals dt ON dt.borough_id = b.id
LEFT JOIN outside o ON o.borough_id = b.id
LEFT JOIN cover c ON c.borough_id = b.id
LEFT JOIN authorised a ON a.borough_id = b.id
LEFT JOIN refused r ON r.borough_id = b.id
LEFT JOIN reviews rv ON rv.borough_id = b.id
LEFT JOIN victims v ON v.borough_id = b.id
