-- ACL policies, tokens and the one-time bootstrap (Consul's ACL model, a subset). ACL writes share one
-- change index row, 'acl', so policies and tokens report CreateIndex/ModifyIndex from the change index.
INSERT INTO table_indexes (table_name, modify_index) VALUES ('acl', 1);

CREATE TABLE acl_policies (
    id           uuid   PRIMARY KEY,
    name         text   NOT NULL UNIQUE,
    description  text   NOT NULL DEFAULT '',
    -- Consul's JSON rule syntax, as the client wrote it (validated on write).
    rules        text   NOT NULL DEFAULT '',
    create_index bigint NOT NULL,
    modify_index bigint NOT NULL
);

CREATE TABLE acl_tokens (
    accessor_id  uuid        PRIMARY KEY,
    -- SHA-256 of the SecretID: the secret itself is never stored.
    secret_hash  bytea       NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    description  text        NOT NULL DEFAULT '',
    create_time  timestamptz NOT NULL,
    create_index bigint      NOT NULL,
    modify_index bigint      NOT NULL
);

CREATE TABLE acl_token_policies (
    accessor_id uuid NOT NULL REFERENCES acl_tokens (accessor_id) ON DELETE CASCADE,
    policy_id   uuid NOT NULL REFERENCES acl_policies (id) ON DELETE CASCADE,
    PRIMARY KEY (accessor_id, policy_id)
);
CREATE INDEX acl_token_policies_policy ON acl_token_policies (policy_id);

-- At most one row ever: the bootstrap (by the API or the initial management token) happened, at this
-- index. The primary key makes "only once" hold across instances sharing the database.
CREATE TABLE acl_bootstrap (
    done            boolean PRIMARY KEY DEFAULT true CHECK (done),
    bootstrap_index bigint  NOT NULL
);

-- Consul's built-in policy and anonymous token, with Consul's fixed IDs. The anonymous token's secret is
-- Consul's, 'anonymous'; requests without a token act as it. It has no policies: the default policy decides.
INSERT INTO acl_policies (id, name, description, rules, create_index, modify_index) VALUES (
    '00000000-0000-0000-0000-000000000001', 'global-management', 'Builtin Policy that grants unlimited access',
    '{"acl":"write","agent_prefix":{"":{"policy":"write"}},"key_prefix":{"":{"policy":"write"}},'
        || '"node_prefix":{"":{"policy":"write"}},"service_prefix":{"":{"policy":"write"}},'
        || '"session_prefix":{"":{"policy":"write"}},"web_session_prefix":{"":{"policy":"write"}}}',
    1, 1);
INSERT INTO acl_tokens (accessor_id, secret_hash, description, create_time, create_index, modify_index) VALUES (
    '00000000-0000-0000-0000-000000000002', sha256(convert_to('anonymous', 'UTF8')), 'Anonymous Token', now(), 1, 1);
