#!/bin/sh
# Runs once, when a subgraph's PostgreSQL container initialises its data directory: creates the
# application role the subgraph runs as, beside the owner role (POSTGRES_USER) that runs the
# migrations. Same layout as `provisionDatabase` in subgraphs/common/src/provisioning.ts.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_role="$APP_ROLE" -v app_password="$APP_PASSWORD" -v owner="$POSTGRES_USER" -v db="$POSTGRES_DB" <<'EOSQL'
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password';
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
EOSQL
