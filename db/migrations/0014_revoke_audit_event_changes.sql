-- audit_events is append-only (0011's triggers). The triggers refuse a change; this takes the
-- right away as well, so the api's and the worker's roles (config/postgres/init) may only read
-- and add events. Their grants come from default privileges given to every table, so they are
-- revoked here, from whichever role holds them other than the table's owner: none where the
-- application connects as the owner (npm start, the tests), and then this does nothing.
DO $$
DECLARE
  grantee_name text;
BEGIN
  FOR grantee_name IN
    SELECT DISTINCT CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(acl.grantee)) END
      FROM pg_class c, aclexplode(c.relacl) AS acl
     WHERE c.oid = 'audit_events'::regclass
       AND acl.grantee <> c.relowner
       AND acl.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %s', grantee_name);
  END LOOP;
END
$$;
