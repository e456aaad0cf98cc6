-- The queue's "rejected" view lists rejected and spam comments, newest
-- first, so that a moderator can find a refusal again and undo it. Like
-- comments_pending, a partial index: the view reads the refused comments,
-- never the whole table. Same meaning on both backends.
CREATE INDEX comments_refused ON comments (thread_id, id) WHERE status IN ('rejected', 'spam');
