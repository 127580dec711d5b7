-- bench/dashboard: 50 accounts x 10 clusters (3 levels each), 5,000 users, 200 groups, each group
-- entitled to 20 cluster levels; the user "bench" is in 20 groups. Deterministic (setseed).
SELECT setseed(0.42);

INSERT INTO aws_account (id, account_id, name, environment, default_region, source)
SELECT gen_random_uuid(), lpad((100000000000 + a)::text, 12, '0'), 'acct-' || a,
       (ARRAY['dev','staging','prod','sandbox','shared'])[1 + a % 5], 'eu-west-1', 'ui'
FROM generate_series(1, 50) a;

INSERT INTO cluster (id, account_id, name, region, kind, endpoint, ca_bundle, context_name, source)
SELECT gen_random_uuid(), acc.id, 'c' || c, 'eu-west-1', 'eks', 'https://' || acc.name || '-c' || c || '.example.com',
       repeat('Q', 1400), acc.name || '-c' || c, 'ui'
FROM aws_account acc CROSS JOIN generate_series(1, 10) c WHERE acc.name LIKE 'acct-%';

INSERT INTO access_level (id, cluster_id, name, role_arn, eks_access_policy_arn, eks_access_scope, source)
SELECT gen_random_uuid(), cl.id, lvl, 'arn:aws:iam::' || acc.account_id || ':role/Latch' || lvl,
       'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', 'cluster', 'ui'
FROM cluster cl JOIN aws_account acc ON acc.id = cl.account_id CROSS JOIN unnest(ARRAY['view','edit','admin']) lvl
WHERE acc.name LIKE 'acct-%';

INSERT INTO app_group (id, name, source) SELECT gen_random_uuid(), 'bench-group-' || g, 'local' FROM generate_series(1, 200) g;

INSERT INTO app_user (id, username, display_name, user_handle)
SELECT gen_random_uuid(), 'user-' || u, 'User ' || u, decode(md5(u::text) || md5('x' || u), 'hex') FROM generate_series(1, 5000) u;
INSERT INTO app_user (id, username, display_name, user_handle)
VALUES (gen_random_uuid(), 'bench', 'Bench Person', decode(md5('bench') || md5('bench2'), 'hex'));

-- every user in 5 random groups; the bench user in 20
INSERT INTO group_membership (group_id, user_id, source)
SELECT DISTINCT ON (g.id, u.id) g.id, u.id, 'local'
FROM app_user u CROSS JOIN LATERAL (SELECT id FROM app_group WHERE name LIKE 'bench-group-%' ORDER BY random() + 0 * length(u.username) LIMIT 5) g
WHERE u.username LIKE 'user-%';
INSERT INTO group_membership (group_id, user_id, source)
SELECT g.id, (SELECT id FROM app_user WHERE username = 'bench'), 'local'
FROM app_group g WHERE g.name IN (SELECT 'bench-group-' || n FROM generate_series(1, 20) n);

-- each group: 20 levels, standing or requestable
INSERT INTO entitlement (id, group_id, access_level_id, mode, max_duration, source)
SELECT DISTINCT ON (g.id, l.id) gen_random_uuid(), g.id, l.id, CASE WHEN random() < 0.7 THEN 'standing' ELSE 'requestable' END,
       interval '8 hours', 'ui'
FROM app_group g CROSS JOIN LATERAL (SELECT id FROM access_level ORDER BY random() + 0 * length(g.name) LIMIT 20) l
WHERE g.name LIKE 'bench-group-%';

-- a session for the bench user; the cookie value is 'bench-session-token-0123456789abcdefghijklmnop'
INSERT INTO user_session (id, token_hash, user_id, created_at, last_seen_at, absolute_expires_at, stepped_up_at)
SELECT gen_random_uuid(), sha256('bench-session-token-0123456789abcdefghijklmnop'::bytea), id, now(), now(),
       now() + interval '12 hours', now()
FROM app_user WHERE username = 'bench';
ANALYZE;
