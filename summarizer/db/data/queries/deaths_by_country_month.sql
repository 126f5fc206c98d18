-- Deaths per country and period, per event as each article reports it: articles about the same event are
-- not merged, so one attack reported by three articles counts three times. Dates are grouped at their
-- precision (a month for day, week and month dates; a year for year dates); unresolved dates are 'unknown'.
select
  coalesce(e.country, 'unknown') as country,
  case
    when e.date is null then 'unknown'
    when e.date_precision = 'year' then substr(e.date, 1, 4)
    else substr(e.date, 1, 7)
  end as period,
  case
    when e.date is null then 'unknown'
    when e.date_precision = 'year' then 'year'
    else 'month'
  end as period_precision,
  sum(coalesce(e.killed_best, e.killed_low, e.killed_high, 0)) as deaths,
  sum(coalesce(e.injured_best, e.injured_low, e.injured_high, 0)) as injured,
  count(*) as events,
  count(distinct e.article_key) as articles
from events e
group by 1, 2, 3
order by deaths desc, country, period
