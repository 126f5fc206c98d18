-- Articles that yielded no event: errors (with their reason) and articles the extractor found nothing in.
select
  a.id as article_key,
  a.article_id,
  a.run_id,
  a.status,
  a.error,
  a.title,
  a.url,
  a.chars
from articles a
where not exists (select 1 from events e where e.article_key = a.id)
order by a.status, a.article_id
