-- Issue 14: people, managers and groups kept true by more than one owner.
-- Who set a person's manager decides who may change it: 'local' (an administrator, in the portal or
-- the admin API), 'file' (the inventory file's people:), 'scim' (the directory, through SCIM) or
-- 'upstream' (the identity provider's claim at enrolment or sign-in). NULL: no manager was ever set.
ALTER TABLE app_user ADD COLUMN manager_source text;
ALTER TABLE app_user ADD CONSTRAINT app_user_manager_source_valid
    CHECK (manager_source IS NULL OR manager_source IN ('local', 'file', 'scim', 'upstream'));
UPDATE app_user SET manager_source = 'upstream' WHERE manager_id IS NOT NULL OR manager_email IS NOT NULL;
CREATE INDEX app_user_manager_email_idx ON app_user (lower(manager_email)) WHERE manager_email IS NOT NULL;

-- Groups and memberships pushed by a SCIM client are the only ones SCIM may change.
ALTER TABLE app_group DROP CONSTRAINT app_group_source_valid;
ALTER TABLE app_group ADD CONSTRAINT app_group_source_valid CHECK (source IN ('local', 'upstream', 'file', 'scim'));
ALTER TABLE group_membership DROP CONSTRAINT group_membership_source_valid;
ALTER TABLE group_membership ADD CONSTRAINT group_membership_source_valid CHECK (source IN ('local', 'upstream', 'file', 'scim'));
