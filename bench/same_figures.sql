-- The report's deployment figures for every London borough in one hand-written statement: what a
-- DBA would write to get the same numbers without the application. bench/run.py times it beside
-- the reports and checks its London totals against the roll-up's.
-- Parameters: %(start)s, %(end)s (the month's London midnights), %(first)s, %(last)s (its days),
-- %(today)s, %(starts)s/%(ends)s (the 12 months before it), %(tz)s, %(longest)s (MAX_SHIFT_HOURS),
-- %(min_pcs)s, %(min_pcsos)s.
WITH
ward AS MATERIALIZED (SELECT id, borough_id FROM wards_ward),
duty_rows AS (                       -- the month: per home ward, worked ward, kind, type, authorised
    SELECT w.borough_id, d.home_ward_id, d.worked_ward_id, d.kind, a.abstraction_type_id,
           d.flex_request_id IS NOT NULL AS authorised, COUNT(*) AS duties,
           SUM(EXTRACT(EPOCH FROM LEAST(d.ends_at, %(end)s))
               - EXTRACT(EPOCH FROM GREATEST(d.starts_at, %(start)s))) AS seconds
    FROM deployment_duty d
    JOIN ward w ON w.id = d.home_ward_id
    LEFT JOIN deployment_abstraction a ON a.id = d.abstraction_id
    WHERE d.starts_at >= %(start)s::timestamptz - %(longest)s
      AND d.starts_at < %(end)s AND d.ends_at > %(start)s
    GROUP BY 1, 2, 3, 4, 5, 6
),
trend AS (                           -- the 12 months before it, per borough
    SELECT w.borough_id, p.idx,
           SUM(EXTRACT(EPOCH FROM LEAST(d.ends_at, p.p_end))
               - EXTRACT(EPOCH FROM GREATEST(d.starts_at, p.p_start))) AS rostered,
           SUM(EXTRACT(EPOCH FROM LEAST(d.ends_at, p.p_end))
               - EXTRACT(EPOCH FROM GREATEST(d.starts_at, p.p_start)))
               FILTER (WHERE d.kind = 'abstracted') AS abstracted
    FROM unnest(%(idx)s::int[], %(starts)s::timestamptz[], %(ends)s::timestamptz[])
         AS p(idx, p_start, p_end)
    JOIN deployment_duty d ON d.starts_at >= p.p_start - %(longest)s
                          AND d.starts_at < p.p_end AND d.ends_at > p.p_start
    JOIN ward w ON w.id = d.home_ward_id
    GROUP BY 1, 2
),
authorised AS MATERIALIZED (         -- flex requests authorised and running in the month
    SELECT f.id, f.borough_id, f.to_ward_id
    FROM deployment_flexrequest f
    WHERE f.status IN ('approved', 'active', 'ended')
      AND f.start_date <= %(last)s AND f.end_date >= %(first)s
),
flex_totals AS (
    SELECT a.borough_id, COUNT(DISTINCT a.id) AS requests, COUNT(DISTINCT m.officer_id) AS officers
    FROM authorised a LEFT JOIN deployment_flexofficer m ON m.flex_request_id = a.id
    GROUP BY 1
),
flows AS (                           -- officers per (from ward, to ward) of authorised flex
    SELECT a.borough_id, m.from_ward_id, a.to_ward_id, COUNT(DISTINCT m.officer_id) AS officers
    FROM authorised a JOIN deployment_flexofficer m ON m.flex_request_id = a.id
    GROUP BY 1, 2, 3
),
refused AS (
    SELECT f.borough_id, COUNT(*) AS requests
    FROM deployment_flexrequest f
    WHERE f.status = 'rejected' AND f.decided_at >= %(start)s AND f.decided_at < %(end)s
    GROUP BY 1
),
overdue AS (                         -- 14-day reviews due by the month's end and not done by then
    SELECT f.borough_id, COUNT(*) AS reviews
    FROM deployment_flexrequest f
    WHERE f.status IN ('approved', 'active', 'ended')
      AND ((f.start_date <= %(last)s AND f.end_date >= %(first)s)
           OR f.review_due BETWEEN %(first)s AND %(last)s)
      AND f.review_due <= LEAST(%(last)s::date, %(today)s::date)
      AND f.end_date >= f.review_due AND (f.ended_on IS NULL OR f.ended_on > f.review_due)
      AND (f.last_reviewed_at IS NULL
           OR (f.last_reviewed_at AT TIME ZONE %(tz)s)::date > f.review_due)
    GROUP BY 1
),
days AS (
    SELECT g::date AS day FROM generate_series(%(first)s::date, %(last)s::date, '1 day') AS g
),
posted AS MATERIALIZED (             -- dedicated ward officers posted in the month
    SELECT t.ward_id, p.officer_id, o.rank, p.start_date, p.end_date
    FROM teams_posting p
    JOIN teams_team t ON t.id = p.team_id
    JOIN teams_officer o ON o.id = p.officer_id
    WHERE t.ward_id IS NOT NULL AND p.role = 'dedicated'
      AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(first)s)
),
away AS MATERIALIZED (               -- days an approved flex or abstraction touches
    SELECT DISTINCT c.officer_id, g::date AS day
    FROM deployment_commitment c
    CROSS JOIN LATERAL generate_series(
        GREATEST((c.starts_at AT TIME ZONE %(tz)s)::date, %(first)s::date),
        LEAST((c.ends_at AT TIME ZONE %(tz)s)::date, %(last)s::date), '1 day') AS g
    WHERE c.starts_at < %(end)s AND c.ends_at > %(start)s
      AND c.starts_at < (g::date + 1)::timestamp AT TIME ZONE %(tz)s
      AND c.ends_at > (g::date)::timestamp AT TIME ZONE %(tz)s
),
present AS (
    SELECT ps.ward_id, days.day,
           COUNT(*) FILTER (WHERE ps.rank = 'pc') AS pcs,
           COUNT(*) FILTER (WHERE ps.rank = 'pcso') AS pcsos
    FROM posted ps
    JOIN days ON days.day >= ps.start_date AND (ps.end_date IS NULL OR days.day <= ps.end_date)
    LEFT JOIN away ON away.officer_id = ps.officer_id AND away.day = days.day
    WHERE away.officer_id IS NULL
    GROUP BY 1, 2
),
cover AS (                           -- days each ward fell below minimum dedicated cover
    SELECT w.borough_id, pw.ward_id, COUNT(*) AS days
    FROM (SELECT DISTINCT ward_id FROM posted) pw
    JOIN ward w ON w.id = pw.ward_id
    CROSS JOIN days
    LEFT JOIN present ON present.ward_id = pw.ward_id AND present.day = days.day
    WHERE COALESCE(present.pcs, 0) < %(min_pcs)s OR COALESCE(present.pcsos, 0) < %(min_pcsos)s
    GROUP BY 1, 2
)
SELECT 'duty', borough_id, home_ward_id, worked_ward_id, kind || ':' || COALESCE(abstraction_type_id::text, '') || ':' || authorised, duties, seconds FROM duty_rows
UNION ALL SELECT 'trend', borough_id, idx, NULL, NULL, NULL, rostered FROM trend
UNION ALL SELECT 'flex', borough_id, requests, officers, NULL, NULL, NULL FROM flex_totals
UNION ALL SELECT 'flow', borough_id, from_ward_id, to_ward_id, NULL, officers, NULL FROM flows
UNION ALL SELECT 'refused', borough_id, NULL, NULL, NULL, requests, NULL FROM refused
UNION ALL SELECT 'overdue', borough_id, NULL, NULL, NULL, reviews, NULL FROM overdue
UNION ALL SELECT 'cover', borough_id, ward_id, NULL, NULL, days, NULL FROM cover
