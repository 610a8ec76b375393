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
-- The promises section: each ward promise running in the month judged on each of its periods
-- (the month; or, for a weekly one, each Monday-Sunday week ending on a Sunday in the month), each
-- period cut to the promise's own first and last day; met when the activities linked to it and
-- counted on a day of the period reach its target (a count target cut pro rata to the days it runs
-- and rounded up; a patrol counts on the day whose promised window it starts in; a visit promise
-- needs every place of its kind in its ward known at the month's end visited); a promise is met
-- in the month when every period was; places never visited are those of the monthly periods.
-- The demand section: the latest police.uk month with data at or before the month; the borough's
-- wards' crimes (every category but anti-social behaviour), ASB and CAD calls over it, and the
-- crimes of the same month a year before when every crime category with data then has data a
-- year before too (else none: no comparison).
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
),
promise AS MATERIALIZED (            -- the ward promises running in the month, each with its period
    SELECT p.id, w.borough_id, p.ward_id, p.kind, p.target, p.start, p."end", p.days,
           p.window_start, p.window_end, p.place_kind,
           CASE WHEN p.kind = 'patrol' THEN 'week'
                WHEN p.kind IN ('visit_all', 'engagement') THEN 'month' ELSE p.period END AS period
    FROM promises_promise p
    JOIN ward w ON w.id = p.ward_id
    WHERE p.start <= %(last)s AND (p."end" IS NULL OR p."end" >= %(first)s)
),
judged AS MATERIALIZED (             -- each period judged, cut to the promise's own days
    SELECT p.id, pp.period_first, pp.period_last,
           GREATEST(pp.period_first, p.start) AS first,
           LEAST(pp.period_last, COALESCE(p."end", pp.period_last)) AS last
    FROM promise p
    CROSS JOIN LATERAL (
        SELECT %(first)s::date AS period_first, %(last)s::date AS period_last
        WHERE p.period = 'month'
        UNION ALL
        SELECT s::date - 6, s::date
        FROM generate_series(%(first)s::date, %(last)s::date, '1 day') AS s
        WHERE p.period = 'week' AND EXTRACT(ISODOW FROM s) = 7
    ) AS pp
    WHERE GREATEST(pp.period_first, p.start)
          <= LEAST(pp.period_last, COALESCE(p."end", pp.period_last))
),
linked AS MATERIALIZED (             -- each activity linked to a promise judged, on the day it counts
    SELECT p.id AS promise_id, a.place_id,
           CASE WHEN p.kind <> 'patrol' THEN a.day
                -- a patrol: the day whose promised window it starts in, that day's or the day
                -- before's (a window closing after midnight)
                WHEN (EXTRACT(ISODOW FROM a.day)::int - 1) = ANY(p.days)
                     AND a.starts_at >= (a.day + p.window_start) AT TIME ZONE %(tz)s
                     AND a.starts_at < (a.day + (p.window_end <= p.window_start)::int
                                        + p.window_end) AT TIME ZONE %(tz)s THEN a.day
                WHEN (EXTRACT(ISODOW FROM a.day - 1)::int - 1) = ANY(p.days)
                     AND a.starts_at >= (a.day - 1 + p.window_start) AT TIME ZONE %(tz)s
                     AND a.starts_at < (a.day - 1 + (p.window_end <= p.window_start)::int
                                        + p.window_end) AT TIME ZONE %(tz)s THEN a.day - 1
           END AS day
    FROM promise p
    JOIN promises_activity_promises l ON l.promise_id = p.id
    JOIN (SELECT id, place_id, starts_at, (starts_at AT TIME ZONE %(tz)s)::date AS day
          FROM promises_activity
          WHERE starts_at >= (%(first)s::date - 8)::timestamp AT TIME ZONE %(tz)s
            AND starts_at < (%(last)s::date + 2)::timestamp AT TIME ZONE %(tz)s) AS a
      ON a.id = l.activity_id
),
to_visit AS (                        -- each visit promise's places: its ward's of its kind, known
    SELECT p.id AS promise_id, pl.id AS place_id   -- at the month's end
    FROM promise p
    JOIN wards_place pl ON pl.ward_id = p.ward_id AND pl.kind = p.place_kind
    WHERE p.kind = 'visit_all' AND (pl.created_at IS NULL OR pl.created_at < %(end)s)
),
done AS (                            -- each period's activities counted on one of its days
    SELECT j.id, j.first, COUNT(k.promise_id) AS done
    FROM judged j
    LEFT JOIN linked k ON k.promise_id = j.id AND k.day BETWEEN j.first AND j.last
    GROUP BY 1, 2
),
unvisited AS (                       -- each visit period's places with no activity in it
    SELECT j.id, j.first, COUNT(*) AS places
    FROM judged j
    JOIN to_visit v ON v.promise_id = j.id
    WHERE NOT EXISTS (SELECT 1 FROM linked k
                      WHERE k.promise_id = j.id AND k.place_id = v.place_id
                        AND k.day BETWEEN j.first AND j.last)
    GROUP BY 1, 2
),
period_met AS (
    SELECT j.id, p.borough_id, p.period, COALESCE(u.places, 0) AS unvisited,
           CASE WHEN p.kind = 'visit_all' THEN u.places IS NULL
                ELSE d.done * (j.period_last - j.period_first + 1)
                     >= p.target * (j.last - j.first + 1) END AS met
    FROM judged j
    JOIN promise p ON p.id = j.id
    JOIN done d ON d.id = j.id AND d.first = j.first
    LEFT JOIN unvisited u ON u.id = j.id AND u.first = j.first
),
promises AS (
    SELECT borough_id, COUNT(*) FILTER (WHERE met) AS met,
           COUNT(*) FILTER (WHERE NOT met) AS missed, SUM(never_visited) AS never_visited
    FROM (SELECT id, borough_id,
                 bool_and(met) AS met,
                 SUM(unvisited) FILTER (WHERE period = 'month') AS never_visited
          FROM period_met GROUP BY 1, 2) AS t
    GROUP BY 1
),
demand_month AS (                    -- police.uk's latest month with data at or before the month
    SELECT MAX(month) AS month FROM demand_datamonth WHERE month <= %(first)s
),
asb AS (SELECT id FROM demand_category WHERE slug = 'anti-social-behaviour'),
demand_comparable AS (               -- each crime category with data that month has some a year before
    SELECT bool_and(EXISTS (SELECT 1 FROM demand_datamonth b
                            WHERE b.category_id = n.category_id
                              AND b.month = n.month - INTERVAL '1 year')) AS ok
    FROM demand_datamonth n
    WHERE n.month = (SELECT month FROM demand_month)
      AND n.category_id NOT IN (SELECT id FROM asb)
),
demand_counts AS (
    SELECT w.borough_id,
           SUM(c.count) FILTER (WHERE c.month = m.month
                                  AND c.category_id NOT IN (SELECT id FROM asb)) AS crimes,
           SUM(c.count) FILTER (WHERE c.month = m.month
                                  AND c.category_id IN (SELECT id FROM asb)) AS asb,
           SUM(c.count) FILTER (WHERE c.month = m.month - INTERVAL '1 year'
                                  AND c.category_id NOT IN (SELECT id FROM asb)) AS crimes_before
    FROM demand_wardmonthcount c
    JOIN ward w ON w.id = c.ward_id
    CROSS JOIN demand_month m
    WHERE c.month IN (m.month, m.month - INTERVAL '1 year')
    GROUP BY 1
),
demand_calls AS (
    SELECT w.borough_id, SUM(c.calls) AS calls
    FROM demand_cadwardmonth c
    JOIN ward w ON w.id = c.ward_id
    WHERE c.month = (SELECT month FROM demand_month)
    GROUP BY 1
)
SELECT b.id,
       COALESCE(dt.duties, 0), COALESCE(dt.rostered, 0), COALESCE(dt.abstracted_in, 0),
       COALESCE(o.seconds, 0), COALESCE(dt.flexed, 0), COALESCE(dt.authorised, 0),
       COALESCE(c.posted_strength, 0), COALESCE(c.cover, 0), COALESCE(a.requests, 0),
       COALESCE(r.requests, 0), COALESCE(rv.overdue, 0), COALESCE(rv.unreviewed, 0),
       COALESCE(v.victims, 0), COALESCE(v.made, 0), COALESCE(v.on_time, 0),
       COALESCE(v.accepted, 0), COALESCE(v.completed, 0), COALESCE(v.completed_on_time, 0),
       COALESCE(v.repeats, 0), COALESCE(v.satisfaction_sum, 0), COALESCE(v.satisfaction_n, 0),
       COALESCE(pr.met, 0), COALESCE(pr.missed, 0), COALESCE(pr.never_visited, 0),
       dm.month, COALESCE(dc.crimes, 0), COALESCE(dc.asb, 0), COALESCE(dl.calls, 0),
       CASE WHEN (SELECT ok FROM demand_comparable) THEN COALESCE(dc.crimes_before, 0) END
FROM wards_borough b
LEFT JOIN duty_totals dt ON dt.borough_id = b.id
LEFT JOIN outside o ON o.borough_id = b.id
LEFT JOIN cover c ON c.borough_id = b.id
LEFT JOIN authorised a ON a.borough_id = b.id
LEFT JOIN refused r ON r.borough_id = b.id
LEFT JOIN reviews rv ON rv.borough_id = b.id
LEFT JOIN victims v ON v.borough_id = b.id
LEFT JOIN promises pr ON pr.borough_id = b.id
CROSS JOIN demand_month dm
LEFT JOIN demand_counts dc ON dc.borough_id = b.id
LEFT JOIN demand_calls dl ON dl.borough_id = b.id
