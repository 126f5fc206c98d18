-- Every event with the quotes its fields rest on; give an event id to see one event only.
select
  e.id as event_id,
  e.view,
  e.event_type,
  e.description,
  v.field,
  v.quote,
  v.start,
  v."end",
  v.match
from events e
join evidence v on v.event_id = e.id
where :event_id = '' or e.id = :event_id
order by e.article_key, e.idx, v.field, v.start
