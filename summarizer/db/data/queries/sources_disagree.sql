-- Events with two or more casualty claims whose best figures differ (killed or injured).
select
  e.id as event_id,
  e.view,
  e.article_id,
  e.run_id,
  e.event_type,
  e.country,
  e.date,
  count(*) as claims,
  min(coalesce(c.killed_best, c.killed_low, c.killed_high)) as killed_min,
  max(coalesce(c.killed_best, c.killed_low, c.killed_high)) as killed_max,
  min(coalesce(c.injured_best, c.injured_low, c.injured_high)) as injured_min,
  max(coalesce(c.injured_best, c.injured_low, c.injured_high)) as injured_max,
  group_concat(
    coalesce(c.source, 'source not named') || ': killed '
      || coalesce(coalesce(c.killed_best, c.killed_low, c.killed_high), '-')
      || ', injured ' || coalesce(coalesce(c.injured_best, c.injured_low, c.injured_high), '-'),
    ' | '
  ) as figures
from casualty_claims c
join events e on e.id = c.event_id
group by e.id
having count(distinct coalesce(c.killed_best, c.killed_low, c.killed_high)) > 1
    or count(distinct coalesce(c.injured_best, c.injured_low, c.injured_high)) > 1
order by claims desc, e.id
