-- Spam controls (issue #7): an author's history on a site, by e-mail or by
-- address, and the same body posted again. Same meaning on both backends.

CREATE INDEX comments_author_email ON comments (author_email) WHERE author_email IS NOT NULL;
CREATE INDEX comments_ip_hash      ON comments (ip_hash)      WHERE ip_hash IS NOT NULL;
-- Duplicates are found by the body's first 64 characters, then compared whole.
CREATE INDEX comments_body_prefix  ON comments (substr(body_markdown, 1, 64));
