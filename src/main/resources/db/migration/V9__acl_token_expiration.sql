-- Consul's token expiry: a token may be created with an expiration time (ExpirationTTL or ExpirationTime);
-- past it the token is treated as not found, and the sweeper deletes its row. The partial index serves the
-- sweeper's search for expired tokens, which most tokens (no expiration) never enter.
ALTER TABLE acl_tokens ADD COLUMN expiration_time timestamptz;
CREATE INDEX acl_tokens_expiration ON acl_tokens (expiration_time) WHERE expiration_time IS NOT NULL;
