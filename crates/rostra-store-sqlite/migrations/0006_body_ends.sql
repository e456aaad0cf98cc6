-- The duplicate check found bodies by their first 64 characters, so bodies
-- that open alike (a quoted passage of the article, a template, spam with a
-- varied tail) shared one index entry and were each read and compared whole.
-- The key is now both ends and the length: only bodies that differ in the
-- middle alone still share one. Same meaning on both backends.
DROP INDEX comments_body_prefix;
CREATE INDEX comments_body_ends ON comments (
    substr(body_markdown, 1, 32), substr(body_markdown, -32), length(body_markdown)
);
